"""Run every benchmark module (``bench/bench_*.py`` with ``run() -> str``) and write
docs/performance.md with the machine description and each module's Markdown section.

    make bench                      # all benchmarks
    make bench BENCH=engine         # only bench/bench_engine.py; other sections are kept

Each section is stored between ``<!-- bench:NAME -->`` markers so that running a subset
replaces only those sections and keeps the others (with the machine line they were run on).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "performance.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"- Machine: {os.cpu_count()} cores ({cpu}), {mem} memory, {platform.platform()}\n"
        f"- Python {platform.python_version()}; {pg or 'psql not found'}\n"
        f"- Run at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench`; load average before "
        f"this section {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)"
    )


def discover(only: list[str]) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if only:
        names = [n for n in names if n.removeprefix("bench_") in only or n in only]
    return names


def previous_sections() -> dict[str, str]:
    """Sections of the current docs/performance.md, by benchmark name."""
    if not OUTPUT.exists():
        return {}
    found = re.findall(
        r"<!-- bench:(\w+) -->\n(.*?)\n<!-- /bench:\1 -->", OUTPUT.read_text(), flags=re.S
    )
    return dict(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="benchmark names (engine, scheduler, ...)")
    args = parser.parse_args(argv)
    sections = previous_sections()
    failed = False
    for name in discover(args.only):
        stamp = machine()
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            body = module.run().strip()
        except Exception as exc:  # a broken benchmark is reported, the others still run
            failed = True
            body = f"## {name}\n\nFAILED: {type(exc).__name__}: {exc}"
        sections[name] = f"{body}\n\n_Measured on:_\n{stamp}"
        print(f"   {time.perf_counter() - started:.1f} s", flush=True)
    body = "\n\n".join(
        f"<!-- bench:{name} -->\n{text}\n<!-- /bench:{name} -->"
        for name, text in sorted(sections.items())
    )
    OUTPUT.write_text(
        "# Performance\n\n"
        "Figures written by `make bench` (`scripts/bench.sh` → `bench/run.py`); each section "
        "measures our code and a baseline in the same run and names the machine it ran on. "
        "Reproduce one section with `make bench BENCH=<name>` (engine, scheduler, directory, "
        "calls, matching_pipeline).\n\n"
        f"{body}\n"
    )
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
