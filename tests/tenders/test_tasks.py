"""The calls app's periodic tasks (``tenders.tasks``): scheduled, registered, running their
service."""

import pytest
from django.conf import settings

from bigscience_portal.celery import app
from tenders.models import ProcurementCall
from tests.factories import ProcurementCallFactory

from .conftest import expire

Status = ProcurementCall.Status


@pytest.mark.parametrize(
    "name", ["tenders.close_expired_calls", "tenders.send_saved_search_digests"]
)
def test_periodic_tasks_are_scheduled_and_registered(name):
    import tenders.tasks  # noqa: F401 -- registers the tasks

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert name in scheduled
    assert name in app.tasks


@pytest.mark.django_db
def test_close_expired_task_runs_the_service(buyer):
    from tenders.tasks import close_expired_calls

    call = expire(ProcurementCallFactory(buyer=buyer, status="published"))
    assert close_expired_calls.delay().get() == 1
    call.refresh_from_db()
    assert call.status == Status.CLOSED
