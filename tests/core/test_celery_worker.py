"""A real Celery worker process consumes a task from the real Redis; the result lands in PostgreSQL."""

import time

import pytest
from django.conf import settings

from bigscience_portal.core.models import WorkerHeartbeat

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


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
        assert celery_worker_process.poll() is None, celery_worker_process.output()
        time.sleep(0.2)
    assert heartbeat is not None, "the worker did not record the task within 60 s"
    assert heartbeat.hostname.startswith("pytest-worker@")
