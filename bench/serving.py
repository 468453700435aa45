"""Serving the portal as production does, and loading it: shared by the load benchmarks.

gunicorn with ``gunicorn.conf.py`` and the production settings (a settings module written per
server, so that several code versions can be served side by side: ``code`` is the folder of the
code, e.g. an export of an earlier commit), requests carrying the ``X-Forwarded-Proto: https`` of
a TLS proxy, and ``wrk`` walking a list of paths (``wrk_paths.lua``), with the CPU each program
used.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUNICORN_CONF = REPO / "gunicorn.conf.py"
WRK_SCRIPT = Path(__file__).with_name("wrk_paths.lua")
WRK_THREADS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(folder: str, label: str, code: Path, secret_key: str) -> dict:
    """The environment of a gunicorn (and its collectstatic) serving ``code`` with the
    production settings; static files collected into ``folder``/static-``label``."""
    settings_name = f"bench_settings_{label}"
    (Path(folder) / f"{settings_name}.py").write_text(
        "from bigscience_portal.settings.production import *  # noqa\n"
        f"STATIC_ROOT = {str(Path(folder) / f'static-{label}')!r}\n"
    )
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_name,
        PYTHONPATH=os.pathsep.join([str(code), folder]),
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
    )
    return env


def start_gunicorn(port: int, log, *, code: Path, env: dict) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=code,
        env=env,
        check=True,
        stdout=log,
        stderr=log,
    )
    proc = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "bigscience_portal.wsgi:application",
            "--config",
            str(GUNICORN_CONF),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=code,
        env={**env, "GUNICORN_ACCESS_LOG": os.devnull},
        stdout=log,
        stderr=log,
    )
    return wait_healthy(proc, port, "gunicorn")


def wait_healthy(proc: subprocess.Popen, port: int, name: str, seconds: int = 60):
    """``proc`` once it answers ``/healthz`` on ``port``; stopped and an error after
    ``seconds``, or as soon as it exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with status {proc.returncode}")
        try:
            status, _, _ = get(port, "/healthz")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"{name} did not answer /healthz within {seconds} s")


#: how the browser tests and the gallery start Debian's chromium: headless, quiet, offline
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def launch_chromium(playwright, *extra_args: str):
    """A headless chromium (``CHROMIUM_PATH``, else Debian's) through Playwright."""
    return playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        headless=True,
        args=[*CHROMIUM_ARGS, *extra_args],
    )


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get(
    port: int, path: str, cookie: str = "", cache_header: str = "X-Calls-Cache"
) -> tuple[int, bytes, str]:
    """(status, body, the page cache's header) of one request, as the TLS proxy sends it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader(cache_header) or ""
    finally:
        conn.close()


def wrk(
    port: int,
    paths: list[str],
    *,
    seconds: int,
    clients: int,
    cookie: str = "",
    cache_header: str = "X-Calls-Cache",
) -> dict:
    """``clients`` connections busy for ``seconds`` with ``wrk``, walking ``paths`` in order;
    requests, latency percentiles (ms), cache hits (``cache_header: hit``), failures."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        env = dict(
            os.environ,
            WRK_PATHS=listing.name,
            WRK_THREADS=str(WRK_THREADS),
            WRK_COOKIE=cookie,
            WRK_CACHE_HEADER=cache_header,
        )
        result = subprocess.run(
            [
                "wrk",
                f"--threads={WRK_THREADS}",
                f"--connections={clients}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={WRK_SCRIPT}",
                f"http://127.0.0.1:{port}",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    figures["throughput"] = figures["requests"] / figures["seconds"]
    figures["failed"] = figures["non200"] + figures["socket_errors"]
    return figures


def cpu_times() -> dict[str, float]:
    """CPU seconds used so far by every process of the machine, by program name."""
    tick = os.sysconf("SC_CLK_TCK")
    times: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")].split("/")[0]
        fields = stat[stat.rindex(")") + 2 :].split()
        times[name] = times.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return times


def cpu_share(before: dict[str, float], after: dict[str, float]) -> str:
    used = {k: v - before.get(k, 0.0) for k, v in after.items()}
    total = sum(v for v in used.values() if v > 0) or 1.0
    top = sorted(((v, k) for k, v in used.items() if v > 0), reverse=True)[:5]
    return ", ".join(f"{k} {100 * v / total:.0f}%" for v, k in top)
