"""The layers a picture shows: core imports no app, each app imports only the apps below it."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["bigscience_portal/core", "organisations", "tenders", "matchmaking", "events"]


def test_import_graph_keeps_the_layers():
    """``.importlinter``: urls/settings > events > matchmaking > tenders > organisations > core."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_no_app_looks_for_another_at_run_time():
    """Reactions across apps go through signals and panels, never through look-ups of whether
    another app is there or which of its fields points where."""
    pattern = re.compile(r"apps\.is_installed|apps\.get_model\(\s*[\"'](?!core)|_meta\.get_fields")
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
