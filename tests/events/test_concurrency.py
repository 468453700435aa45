"""Parallel work on PostgreSQL: the last seat is never given twice, and overlapping reminder
runs remind nobody twice."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery
from events import services
from events.models import Registration
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8


def at_once(work, args: list[tuple]) -> list:
    """Run ``work(*a)`` for every ``a`` in threads that start together (each with its own
    database connection); the results, after asserting that none failed."""
    barrier = threading.Barrier(len(args))
    results: list = []
    errors: list[BaseException] = []

    def run(*a):
        try:
            barrier.wait(timeout=10)
            results.append(work(*a))
        except BaseException as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=a) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_parallel_registrations_for_the_last_seat(organiser_org):
    assert connection.vendor == "postgresql"
    event = EventFactory(organisers=[organiser_org], capacity=3)
    for _ in range(2):  # two seats taken, one left
        services.registration_create(event=event, user=UserFactory())
    users = [(UserFactory(),) for _ in range(PARALLEL)]
    results = at_once(
        lambda user: services.registration_create(event=event, user=user).status, users
    )
    assert sorted(results) == ["confirmed"] + ["waitlisted"] * (PARALLEL - 1)
    confirmed = Registration.objects.filter(event=event, status="confirmed").count()
    assert confirmed == event.capacity
    positions = sorted(
        Registration.objects.filter(event=event, status="waitlisted").values_list(
            "waitlist_position", flat=True
        )
    )
    assert positions == list(range(1, PARALLEL))  # no two people share a place in the queue


def test_parallel_cancellations_promote_exactly_as_many_as_freed(organiser_org):
    event = EventFactory(organisers=[organiser_org], capacity=4)
    confirmed = [services.registration_create(event=event, user=UserFactory()) for _ in range(4)]
    for _ in range(6):
        services.registration_create(event=event, user=UserFactory())
    at_once(lambda reg: services.registration_cancel(registration=reg), [(r,) for r in confirmed])
    assert Registration.objects.filter(event=event, status="confirmed").count() == 4
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 2


def test_overlapping_reminder_runs_remind_each_registration_once(organiser_org):
    """Beat fired twice, or a run was retried while the first still works: the runs share the
    registrations between them (a locked one is skipped), and each is mailed once."""
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=20))
    regs = [RegistrationFactory(event=soon) for _ in range(20)]
    mail.outbox.clear()
    counts = at_once(services.reminders_send, [()] * 4)
    assert sum(counts) == len(regs)
    assert not Registration.objects.filter(event=soon, reminder_sent_at__isnull=True).exists()
    assert MailDelivery.objects.filter(key__startswith="events.reminder:").count() == len(regs)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.user.email for r in regs)


def test_a_registration_another_run_is_reminding_is_skipped(organiser_org):
    soon = EventFactory(organisers=[organiser_org], starts_at=timezone.now() + timedelta(hours=20))
    reg = RegistrationFactory(event=soon)
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Registration.objects.select_for_update().get(pk=reg.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        assert services.reminders_send() == 0  # not waiting for the other run, not twice
    finally:
        release.set()
        holder.join(timeout=30)
    assert services.reminders_send() == 1
