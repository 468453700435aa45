"""The gallery: screenshots of each role's main page, wide and phone, in English and Danish.

    make screenshots                      # or: .venv/bin/python -m bench.screenshots

Sets up a throwaway SQLite database in a temporary folder as ``make run`` does (``migrate``,
``load_reference_data``, ``load_demo`` on the local settings; uploads in the same folder),
serves it with ``manage.py runserver --noreload`` on a free loopback port, waits for
``/healthz``, then drives Debian's chromium (``/usr/bin/chromium``, or ``CHROMIUM_PATH``)
through Playwright over the pages of ``PAGES`` and writes
``docs/screenshots/gallery/<role>-<page>-<lang>-<width>.png`` (full page, at most
``MAX_HEIGHT`` pixels high). The language is the ``django_language`` cookie that the footer's
switcher sets. The server is stopped and the folder deleted at the end, also on failure.
``docs/gallery.md`` shows the pictures.

A page that does not answer 200, or lands on the login page, is reported and the command exits
with status 1 (the other pages are still taken).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.serving import free_port, launch_chromium, stop, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "screenshots" / "gallery"
DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 -- organisations/demo.py, local settings only
#: the interface's language (the ``django_language`` cookie) and the browser's locale with it
LANGUAGES = {"en": "en-GB", "da": "da-DK"}
VIEWPORTS = ((1280, 900), (390, 844))
MAX_HEIGHT = 4000


@dataclass(frozen=True)
class Shot:
    role: str
    page: str
    path: str  # may name ``{call}``: the published demo call with the most expressions of interest
    email: str = ""  # empty: the visitor


PAGES = (
    Shot("visitor", "home", "/"),
    Shot("visitor", "call", "/calls/{call}/"),
    Shot("sme", "recommendations", "/matchmaking/recommended/", "sme@demo.bigscience.example"),
    Shot(
        "cluster",
        "board",
        "/matchmaking/clusters/bigsciencedk/board/",
        "cluster@demo.bigscience.example",
    ),
    Shot("ilo", "calls", "/calls/mine/", "ilo@demo.bigscience.example"),
    # the approval queue (/organisations/approvals/) is empty in the demo data
    Shot("staff", "health", "/outcomes/staff/health/", "staff@demo.bigscience.example"),
)

#: printed by ``manage.py shell`` on the demo database: the values the paths name
LOOKUPS = """
import json
from django.db.models import Count
from tenders.models import ProcurementCall
call = (
    ProcurementCall.objects.filter(status="published")
    .annotate(n=Count("expressions_of_interest"))
    .order_by("-n", "pk")
    .first()
)
print("LOOKUPS " + json.dumps({"call": call.pk}))
"""


def manage(env: dict, log, *args: str) -> str:
    """Run ``manage.py args`` with ``env``; its output goes to ``log`` and is returned."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    log.write(result.stdout + result.stderr)
    log.flush()
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    return result.stdout


def portal_env(folder: Path) -> dict:
    """The environment of ``make run`` (local settings, SQLite, in-process tasks), with the
    database and the uploads in ``folder``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="bigscience_portal.settings.local",
        DATABASE_URL=f"sqlite:///{folder / 'portal.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        REFERENCE_DATA_DIR=os.environ.get(
            "REFERENCE_DATA_DIR", str(ROOT.parent / "shared" / "data")
        ),
        PYTHONUNBUFFERED="1",
    )
    return env


def start_server(env: dict, port: int, log) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    return wait_healthy(proc, port, "runserver")


def set_language(context, base_url: str, lang: str) -> None:
    """What the footer's language switcher (``people:language_set``) leaves behind."""
    context.add_cookies([{"name": "django_language", "value": lang, "url": base_url}])


def log_in(page, email: str) -> None:
    """As tests/browser.py does: through the login page, as a person types it (in English)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password:").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/me/")


def shoot(page, shot: Shot, path: str, lang: str, problems: list[str]) -> list[Path]:
    """Load ``path`` once per viewport and write its screenshots; returns the files written."""
    written = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(path, wait_until="networkidle")
        status = response.status if response else 0
        landed = page.url.split("://", 1)[-1].split("/", 1)[-1]
        if status != 200 or landed.startswith("accounts/login"):
            problems.append(f"{shot.role} {path} ({lang}, {width}): HTTP {status}, at /{landed}")
        full = page.evaluate("document.documentElement.scrollHeight")
        out = OUTPUT / f"{shot.role}-{shot.page}-{lang}-{width}.png"
        page.screenshot(
            path=str(out),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": min(full, MAX_HEIGHT)},
            scale="css",
            animations="disabled",
            caret="hide",
        )
        written.append(out)
        print(f"{out.relative_to(ROOT)}  ({out.stat().st_size // 1024} KB)", flush=True)
    return written


def take(base_url: str, values: dict) -> tuple[list[Path], list[str]]:
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw, "--hide-scrollbars")
        try:
            for email in dict.fromkeys(shot.email for shot in PAGES):
                for lang, locale in LANGUAGES.items():
                    context = browser.new_context(base_url=base_url, locale=locale)
                    page = context.new_page()
                    page.set_default_timeout(30000)
                    if email:
                        set_language(context, base_url, "en")  # the login page in English
                        log_in(page, email)
                    set_language(context, base_url, lang)
                    for shot in PAGES:
                        if shot.email == email:
                            path = shot.path.format(**values)
                            written += shoot(page, shot, path, lang, problems)
                    context.close()
        finally:
            browser.close()
    return written, problems


def main() -> int:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="portal-screenshots-"))
    log_path = folder / "portal.log"
    server = None
    try:
        env = portal_env(folder)
        with log_path.open("w") as log:
            print(f"Setting up the demo portal in {folder} ...", flush=True)
            manage(env, log, "migrate", "--noinput")
            manage(env, log, "load_reference_data")
            manage(env, log, "load_demo")
            out = manage(env, log, "shell", "-c", LOOKUPS)
            values = json.loads(
                next(x for x in out.splitlines() if x.startswith("LOOKUPS ")).split(" ", 1)[1]
            )
            port = free_port()
            server = start_server(env, port, log)
            OUTPUT.mkdir(parents=True, exist_ok=True)
            written, problems = take(f"http://127.0.0.1:{port}", values)
        for stale in sorted(set(OUTPUT.glob("*.png")) - set(written)):
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
        size = sum(p.stat().st_size for p in written)
        print(
            f"{len(written)} screenshots, {size / 1e6:.1f} MB, in "
            f"{time.monotonic() - started:.0f} s"
        )
        for problem in problems:
            print(f"PROBLEM: {problem}", file=sys.stderr)
        return 1 if problems else 0
    except Exception:
        if log_path.exists():
            print(log_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        stop(server)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
