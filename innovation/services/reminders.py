"""The daily scan of validity: a reminder to renew before an opportunity lapses, a notice
when it did (each sent once per expiry date: the mail's occasion key names the date, and the
opportunity records which date it was told about), and the expired ones' matches dropped."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .. import emails
from ..models import OpportunityMatch, PartnershipOpportunity
from . import matching

#: how long before the last valid day the people are reminded to renew
REMIND_DAYS_BEFORE = 14

Status = PartnershipOpportunity.Status


def _due(qs, field: str):
    """Rows not told yet about their current expiry date (``field`` holds the date told)."""
    from django.db.models import F, Q

    return qs.filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("expires_on")}))


def _locked(pk: int) -> PartnershipOpportunity:
    """The opportunity, its row locked until the transaction ends, with whom the mail names."""
    return (
        PartnershipOpportunity.objects.select_for_update(of=("self",))
        .select_related("organisation", "contact")
        .get(pk=pk)
    )


def renewal_reminders_send(*, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    candidates = _due(
        PartnershipOpportunity.objects.filter(
            status=Status.PUBLISHED,
            expires_on__gte=today,
            expires_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
        ),
        "renewal_reminded_on",
    )
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = _locked(pk)
            if opportunity.renewal_reminded_on == opportunity.expires_on:
                continue  # another scan got here first
            emails.renewal_reminder(opportunity)
            opportunity.renewal_reminded_on = opportunity.expires_on
            opportunity.save(update_fields=["renewal_reminded_on"])
            sent += 1
    return sent


def expiry_notices_send(*, today: dt.date | None = None) -> int:
    """Tell the people of every opportunity that lapsed, once, and drop its matches."""
    today = today or timezone.localdate()
    sent = 0
    candidates = _due(
        PartnershipOpportunity.objects.filter(status=Status.PUBLISHED, expires_on__lt=today),
        "expiry_noticed_on",
    )
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            opportunity = _locked(pk)
            if opportunity.expiry_noticed_on == opportunity.expires_on:
                continue
            emails.expired_notice(opportunity)
            opportunity.expiry_noticed_on = opportunity.expires_on
            opportunity.save(update_fields=["expiry_noticed_on"])
            matching.matches_drop(opportunity_id=opportunity.pk)
            sent += 1
    # any row left of an expired opportunity (its run finished before it lapsed) goes too
    OpportunityMatch.objects.filter(opportunity__expires_on__lt=today).delete()
    return sent


def validity_scan(*, today: dt.date | None = None) -> dict[str, int]:
    """The beat task's work: reminders, then notices."""
    return {
        "reminded": renewal_reminders_send(today=today),
        "expired": expiry_notices_send(today=today),
    }
