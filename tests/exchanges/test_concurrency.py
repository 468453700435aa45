"""Parallel decisions on PostgreSQL (threads with their own connections): an exchange is never
over-filled, no two applicants share a place on the waiting list, and parallel withdrawals
promote exactly as many as they free, as do the host's cancellations beside acceptances."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from exchanges import selectors, services
from exchanges.models import Application

from .conftest import company_of, member

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 12


def at_once(work, args: list[tuple]) -> list:
    """Run ``work(*a)`` for every ``a`` in threads that start together, each with its own
    database connection; the results, after asserting that none failed."""
    barrier = threading.Barrier(len(args))
    results: list = []
    errors: list[BaseException] = []

    def run(*a):
        try:
            barrier.wait(timeout=20)
            results.append(work(*a))
        except BaseException as exc:  # reported below: a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=a) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


def _applications(clusters, exchange, n):
    out = []
    for i in range(n):
        company = company_of(clusters.guest, name=f"Parallel company {i}", country="LT")
        out.append(
            services.application_create(
                exchange=exchange,
                user=member(company),
                organisation=company,
                motivation="We want to see the instruments.",
            )
        )
    return out


def _as(user):
    """A fresh copy of the user for a thread (no per-request caches shared between threads)."""
    return get_user_model().objects.get(pk=user.pk)


def test_parallel_acceptances_never_overfill(clusters, exchange):
    assert connection.vendor == "postgresql"
    exchange.places = 3
    exchange.save()
    applications = _applications(clusters, exchange, PARALLEL)
    host_id = clusters.host_manager.pk

    def accept(application):
        user = get_user_model().objects.get(pk=host_id)
        return services.application_decide(application=application, user=user, accept=True).status

    results = at_once(accept, [(a,) for a in applications])
    assert sorted(results) == sorted(["accepted"] * 3 + ["waitlisted"] * (PARALLEL - 3))
    assert selectors.accepted_count(exchange) == 3
    positions = sorted(selectors.waitlist(exchange).values_list("waitlist_position", flat=True))
    assert positions == list(range(1, PARALLEL - 2))


def test_parallel_withdrawals_promote_exactly_as_many_as_freed(clusters, exchange):
    exchange.places = 4
    exchange.save()
    applications = _applications(clusters, exchange, 10)
    for application in applications:
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    accepted = applications[:4]
    at_once(
        lambda a: services.application_withdraw(application=a, user=_as(a.applicant)),
        [(a,) for a in accepted],
    )
    assert selectors.accepted_count(exchange) == 4
    assert set(
        Application.objects.filter(exchange=exchange, status="accepted").values_list(
            "pk", flat=True
        )
    ) == {a.pk for a in applications[4:8]}  # the first four on the waiting list
    assert selectors.waitlist(exchange).count() == 2


def test_parallel_cancellations_and_acceptances_never_overfill(clusters, exchange):
    """The host cancels places while another manager accepts: the decisions share the
    exchange's lock, so the freed places go to the waiting list first come, never one more."""
    exchange.places = 4
    exchange.save()
    applications = _applications(clusters, exchange, 10)
    for application in applications[:8]:
        services.application_decide(
            application=application, user=clusters.host_manager, accept=True
        )
    host_id = clusters.host_manager.pk

    def act(application, cancel):
        user = get_user_model().objects.get(pk=host_id)
        if cancel:
            return services.application_cancel(application=application, user=user)
        return services.application_decide(application=application, user=user, accept=True)

    at_once(act, [(a, True) for a in applications[:2]] + [(a, False) for a in applications[8:]])
    assert selectors.accepted_count(exchange) == 4
    accepted = set(
        Application.objects.filter(exchange=exchange, status="accepted").values_list(
            "pk", flat=True
        )
    )
    # a cancellation frees and refills its place in one locked step: the acceptances find none
    assert accepted == {a.pk for a in applications[2:6]}
    assert selectors.waitlist(exchange).count() == 4
    positions = sorted(selectors.waitlist(exchange).values_list("waitlist_position", flat=True))
    assert len(set(positions)) == 4
