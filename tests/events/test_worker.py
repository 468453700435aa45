"""The reminder task runs in a real Celery worker (real Redis, the test PostgreSQL): each
registration is reminded once, however often beat fires, and its mail is a delivery record that
the worker sends (``core.send_mail``)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery
from events import services
from events.models import Registration
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _run_in_worker(proc):
    from bigscience_portal.celery import app
    from events.tasks import send_event_reminders

    app.conf.task_always_eager = False
    try:
        result = send_event_reminders.apply_async()
    finally:
        app.conf.task_always_eager = True
    return result


def _wait(predicate, proc, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if predicate():
            return
        assert proc.poll() is None, proc.output()
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within 60 s")


def test_reminders_in_a_real_worker_are_sent_once(celery_worker_process, organiser_org):
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=12))
    reg = services.registration_create(event=soon, user=UserFactory())
    _run_in_worker(celery_worker_process)
    _wait(
        lambda: Registration.objects.get(pk=reg.pk).reminder_sent_at is not None,
        celery_worker_process,
        "the reminder",
    )
    stamped = Registration.objects.get(pk=reg.pk).reminder_sent_at
    _run_in_worker(celery_worker_process)
    # a second registration shows the second run was consumed, and the first was not re-sent
    late = services.registration_create(event=soon, user=UserFactory())
    _run_in_worker(celery_worker_process)
    _wait(
        lambda: Registration.objects.get(pk=late.pk).reminder_sent_at is not None,
        celery_worker_process,
        "the second reminder",
    )
    assert Registration.objects.get(pk=reg.pk).reminder_sent_at == stamped
    reminders = MailDelivery.objects.filter(key__startswith="events.reminder:")
    _wait(
        lambda: set(reminders.values_list("status", flat=True)) == {MailDelivery.Status.SUCCEEDED},
        celery_worker_process,
        "the reminders' delivery",
    )
    assert sorted(reminders.values_list("to", flat=True)) == sorted(
        [reg.user.email, late.user.email]
    )
