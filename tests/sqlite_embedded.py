"""Run a script on the embedded default settings (``make run``: SQLite, in-process tasks) in a
fresh interpreter, on a migrated temporary database, and read the JSON it prints."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
assert connection.vendor == "sqlite", connection.vendor
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
"""


def run_on_sqlite(script: str, tmp_path: Path, *, timeout: int = 420) -> dict:
    """``script`` runs after the prelude (migrated, ``Client`` imported) and prints one line
    ``RESULT <json>``; returns the decoded JSON."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "bigscience_portal.settings.local"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))
