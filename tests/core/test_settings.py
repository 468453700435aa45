"""Production settings: refuse to start unconfigured; pass ``check --deploy`` cleanly."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
}


def _manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _run_local_python(code: str):
    """Run ``code`` in a fresh interpreter on the embedded default settings (no database or
    broker URL in the environment), as ``make run`` does."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "bigscience_portal.settings.local"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", env_overrides=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must list" in result.stderr


def test_embedded_default_is_sqlite_and_in_process_tasks():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = _run_local_python(code)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


def test_celery_is_configured_for_real_work():
    from django.conf import settings

    from bigscience_portal.celery import app

    assert app.conf.task_serializer == "json" and app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.task_time_limit > app.conf.task_soft_time_limit > 0
    assert app.conf.broker_transport_options["visibility_timeout"] >= 24 * 3600
    assert "worker-heartbeat" in settings.CELERY_BEAT_SCHEDULE


def test_wsgi_application_freezes_startup_objects():
    """A server process moves start-up objects out of the collector's reach (p95 pauses)."""
    code = (
        "import gc, bigscience_portal.wsgi as w; "
        "print(callable(w.application), gc.get_freeze_count() > 10000, "
        "gc.get_threshold()[0] >= 10000)"
    )
    result = _run_local_python(code)
    assert result.stdout.split() == ["True", "True", "True"], result.stderr
