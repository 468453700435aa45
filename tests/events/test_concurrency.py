"""The last seat under parallel registrations on PostgreSQL: never over-filled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import Registration
from tests.factories import UserFactory

from .conftest import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 8


def test_parallel_registrations_for_the_last_seat(organiser_org):
    assert connection.vendor == "postgresql"
    event = EventFactory(organisers=[organiser_org], capacity=3)
    for _ in range(2):  # two seats taken, one left
        services.registration_create(event=event, user=UserFactory())
    users = [UserFactory() for _ in range(PARALLEL)]
    barrier = threading.Barrier(PARALLEL)
    results: list[str] = []
    errors: list[BaseException] = []

    def register(user):
        try:
            barrier.wait(timeout=10)
            reg = services.registration_create(event=event, user=user)
            results.append(reg.status)
        except BaseException as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=register, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
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
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def cancel(reg):
        try:
            barrier.wait(timeout=10)
            services.registration_cancel(registration=reg)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in confirmed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Registration.objects.filter(event=event, status="confirmed").count() == 4
    assert Registration.objects.filter(event=event, status="waitlisted").count() == 2
