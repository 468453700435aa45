"""The demo calls load, are published with future deadlines, and a second run changes nothing."""

import pytest
from django.utils import timezone

from organisations import demo as org_demo
from tenders import demo
from tenders.models import CallStatusChange, Clarification, ExpressionOfInterest, ProcurementCall

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(ProcurementCall.objects.values_list("reference", "status", "tender_period_end")),
        Clarification.objects.count(),
        ExpressionOfInterest.objects.count(),
        CallStatusChange.objects.count(),
    )


def test_demo_calls_are_idempotent():
    org_demo.load()
    demo.load()
    first = _snapshot()
    calls = ProcurementCall.objects.all()
    assert calls.count() >= 12
    assert all(c.status == "published" and c.tender_period_end > timezone.now() for c in calls)
    assert all(c.main_cpv_id for c in calls)
    assert {"f4e", "cern", "ess", "esrf", "european-xfel"} <= set(
        calls.values_list("buyer__slug", flat=True)
    )
    assert Clarification.objects.filter(answered_at__isnull=False).count() >= 2
    demo.load()
    assert _snapshot() == first
