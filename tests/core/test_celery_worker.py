"""A real Celery worker process consumes a task from the real Redis; the result lands in PostgreSQL."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bigscience_portal.core.models import WorkerHeartbeat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(settings):
    """Start ``celery worker`` as a separate process on the test database and broker."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # The worker must write into the test database pytest-django created.
        "DATABASE_URL": _url_for(connection.settings_dict),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bigscience_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            "pytest-worker@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _url_for(db: dict) -> str:
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_real_worker_consumes_task_from_redis_and_writes_to_postgres(celery_worker_process):
    from bigscience_portal.celery import app
    from bigscience_portal.core.tasks import record_heartbeat

    assert settings.REDIS_URL.startswith("redis://")
    app.conf.task_always_eager = False
    try:
        result = record_heartbeat.apply_async()
    finally:
        app.conf.task_always_eager = True
    deadline = time.monotonic() + 60
    heartbeat = None
    while time.monotonic() < deadline:
        heartbeat = WorkerHeartbeat.objects.filter(task_id=result.id).first()
        if heartbeat:
            break
        assert celery_worker_process.poll() is None, celery_worker_process.stdout.read()
        time.sleep(0.2)
    assert heartbeat is not None, "the worker did not record the task within 60 s"
    assert heartbeat.hostname.startswith("pytest-worker@")
