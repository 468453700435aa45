"""The validity scan runs in a real Celery worker (real Redis, the test PostgreSQL): the renewal
reminder and the expiry notice of an opportunity are each sent once, however often beat fires,
as delivery records that the worker sends (``core.send_mail``)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bigscience_portal.core.models import MailDelivery
from innovation.models import PartnershipOpportunity
from tests.factories import MembershipFactory, OpportunityFactory, UniversityFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _scan_in_worker():
    from bigscience_portal.celery import app
    from innovation.tasks import validity_scan

    app.conf.task_always_eager = False
    try:
        return validity_scan.apply_async()
    finally:
        app.conf.task_always_eager = True


def _wait(predicate, proc, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if predicate():
            return
        assert proc.poll() is None, proc.output()
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within 60 s")


def _fresh(offer):
    return PartnershipOpportunity.objects.get(pk=offer.pk)


def test_reminder_and_expiry_notice_in_a_real_worker_are_sent_once(celery_worker_process):
    tto = UniversityFactory()
    officer = MembershipFactory(organisation=tto).user
    today = timezone.localdate()
    soon = OpportunityFactory(
        organisation=tto, contact=officer, expires_on=today + timedelta(days=5)
    )
    lapsed = OpportunityFactory(
        organisation=tto, contact=officer, expires_on=today - timedelta(days=1)
    )
    for _ in range(2):  # beat fires twice
        _scan_in_worker()
    _wait(lambda: _fresh(soon).renewal_reminded_on is not None, celery_worker_process, "reminder")
    _wait(lambda: _fresh(lapsed).expiry_noticed_on is not None, celery_worker_process, "notice")
    # a third scan after both: a new opportunity shows it was consumed, the old ones not re-sent
    third = OpportunityFactory(
        organisation=tto, contact=officer, expires_on=today + timedelta(days=2)
    )
    _scan_in_worker()
    _wait(lambda: _fresh(third).renewal_reminded_on is not None, celery_worker_process, "third")
    mails = MailDelivery.objects.filter(to=officer.email)
    _wait(
        lambda: (
            mails.count() == 3
            and set(mails.values_list("status", flat=True)) == {MailDelivery.Status.SUCCEEDED}
        ),
        celery_worker_process,
        "the mails' delivery",
    )
    keys = list(mails.values_list("key", flat=True))
    assert len(set(keys)) == 3
    assert sum(f"opportunity={soon.pk}:" in k for k in keys) == 1
    assert sum(f"opportunity={lapsed.pk}:" in k for k in keys) == 1
