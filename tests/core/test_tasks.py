"""Tasks are enqueued only once the surrounding transaction commits."""

import pytest
from django.db import transaction

from bigscience_portal.core.models import WorkerHeartbeat
from bigscience_portal.core.tasks import record_heartbeat

pytestmark = pytest.mark.django_db


def test_delay_on_commit_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        record_heartbeat.delay_on_commit()
        assert not WorkerHeartbeat.objects.exists()
    assert len(callbacks) == 1
    assert WorkerHeartbeat.objects.count() == 1


def test_nothing_is_enqueued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_heartbeat.delay_on_commit()
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not WorkerHeartbeat.objects.exists()


def test_heartbeat_task_is_idempotent_per_task_id():
    record_heartbeat.apply(task_id="same-id")
    record_heartbeat.apply(task_id="same-id")
    assert WorkerHeartbeat.objects.filter(task_id="same-id").count() == 1
