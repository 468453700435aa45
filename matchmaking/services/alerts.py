"""E-mail alerts: subscriptions, instant/daily/weekly recommendations, deadline reminders.

What was e-mailed to whom is an ``AlertDelivery`` row, written in the same transaction as the
mail (``core.mail.mail_queue``), one transaction per recipient: a scan that fails half-way keeps
the mails that left, and its rerun sends only the others; nothing is ever e-mailed twice.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import refuse_unless
from bigscience_portal.core.mail import mail_queue
from organisations.models import Membership
from tenders.models import ExpressionOfInterest, ProcurementCall

from .. import loaders
from ..limits import FIT_THRESHOLDS, RECOMMENDATION_FLOOR
from ..models import AlertDelivery, AlertSubscription, Feedback, Match
from ..tokens import unsubscribe_token


def subscription_for(user) -> AlertSubscription:
    """The user's alert settings (created with the defaults on first use)."""
    return AlertSubscription.objects.get_or_create(user=user)[0]


@transaction.atomic
def subscription_update(
    *, subscription: AlertSubscription, frequency: str, threshold: float, deadline_reminders: bool
) -> AlertSubscription:
    refuse_unless(
        threshold in FIT_THRESHOLDS.values(),
        _("Choose one of the fit levels."),
        field="threshold",
    )
    subscription.frequency = frequency
    subscription.threshold = threshold
    subscription.deadline_reminders = deadline_reminders
    subscription.save()
    return subscription


@transaction.atomic
def subscription_unsubscribe(*, subscription: AlertSubscription) -> None:
    subscription.frequency = AlertSubscription.Frequency.OFF
    subscription.deadline_reminders = False
    subscription.save(update_fields=["frequency", "deadline_reminders", "updated_at"])


def _occasion(kind: str, user_id: int, call_ids) -> str:
    """The mail's key: this user, these calls (the same set is never mailed twice)."""
    digest = hashlib.sha256(",".join(map(str, sorted(call_ids))).encode()).hexdigest()[:20]
    return f"matchmaking.{kind}:user={user_id}:calls={digest}"


@transaction.atomic
def _deliver(*, subscription, user, kind: str, scores: dict[int, float | None], mail: dict):
    """One recipient: the AlertDelivery rows of ``scores``' calls and their e-mail, together."""
    AlertDelivery.objects.bulk_create(
        [
            AlertDelivery(
                subscription=subscription, user=user, call_id=call_id, kind=kind, score=score
            )
            for call_id, score in scores.items()
        ]
    )
    mail_queue(key=_occasion(kind, user.pk, scores), to=[user], **mail)


def alerts_send(*, frequency: str) -> int:
    """E-mail each subscriber of ``frequency`` the recommendations above their threshold that
    were never e-mailed to them; returns the number of e-mails. A rerun sends nothing new."""
    subs = list(
        AlertSubscription.objects.filter(frequency=frequency)
        .exclude(frequency=AlertSubscription.Frequency.OFF)
        .select_related("user")
        .filter(user__is_active=True)
    )
    if not subs:
        return 0
    user_ids = [s.user_id for s in subs]
    companies = defaultdict(set)
    for user_id, org_id in Membership.objects.filter(
        user_id__in=user_ids, organisation__kind__in=loaders.COMPANY_KINDS
    ).values_list("user_id", "organisation_id"):
        companies[user_id].add(org_id)
    all_companies = {c for cs in companies.values() for c in cs}
    min_threshold = min(s.threshold for s in subs)
    matches = defaultdict(list)
    not_relevant = set(
        Feedback.objects.filter(company_id__in=all_companies, relevant=False).values_list(
            "company_id", "call_id"
        )
    )
    for m in (
        Match.objects.filter(
            company_id__in=all_companies,
            score__gte=max(min_threshold, RECOMMENDATION_FLOOR),
            call__in=loaders.open_calls_queryset(),
        )
        .select_related("company", "call", "call__buyer")
        .order_by("-score", "call_id")
    ):
        if (m.company_id, m.call_id) not in not_relevant:
            matches[m.company_id].append(m)
    sent_before = set(
        AlertDelivery.objects.filter(
            user_id__in=user_ids, kind=AlertDelivery.Kind.RECOMMENDATION
        ).values_list("user_id", "call_id")
    )
    sent = 0
    for sub in subs:
        best = {}
        for comp in companies.get(sub.user_id, ()):
            for m in matches.get(comp, ()):
                if (
                    m.score >= sub.threshold
                    and (sub.user_id, m.call_id) not in sent_before
                    and (m.call_id not in best or m.score > best[m.call_id].score)
                ):
                    best[m.call_id] = m
        if not best or not sub.user.email:
            continue
        items = sorted(best.values(), key=lambda m: (-m.score, m.call_id))
        count = len(items)
        _deliver(
            subscription=sub,
            user=sub.user,
            kind=AlertDelivery.Kind.RECOMMENDATION,
            scores={m.call_id: m.score for m in items},
            mail={
                "subject": lambda count=count: (
                    _("%(count)d new recommended call(s)") % {"count": count}
                ),
                "template": "matchmaking/email/recommendations.txt",
                "context": {"items": items, "unsubscribe_token": unsubscribe_token(sub)},
                "url": reverse("matchmaking:recommended"),
            },
        )
        sent += 1
    return sent


def deadline_reminders_send(*, now: datetime | None = None, days: int = 7) -> int:
    """Remind the members of companies that expressed interest in a call whose deadline is
    within ``days``; each (user, call) once. Returns the number of e-mails."""
    now = now or timezone.now()
    eois = list(
        ExpressionOfInterest.objects.filter(
            status=ExpressionOfInterest.Status.ACTIVE,
            call__status=ProcurementCall.Status.PUBLISHED,
            call__tender_period_end__gt=now,
            call__tender_period_end__lte=now + timedelta(days=days),
        ).values_list("organisation_id", "call_id")
    )
    if not eois:
        return 0
    calls_of = defaultdict(set)
    for org, call in eois:
        calls_of[org].add(call)
    users = defaultdict(set)
    for user_id, org in Membership.objects.filter(
        organisation_id__in=calls_of, user__is_active=True
    ).values_list("user_id", "organisation_id"):
        users[user_id] |= calls_of[org]
    accounts = get_user_model().objects.in_bulk(list(users))
    subs = {s.user_id: s for s in AlertSubscription.objects.filter(user_id__in=users)}
    sent_before = set(
        AlertDelivery.objects.filter(
            user_id__in=users, kind=AlertDelivery.Kind.DEADLINE_REMINDER
        ).values_list("user_id", "call_id")
    )
    call_objs = ProcurementCall.objects.in_bulk({c for cs in users.values() for c in cs})
    sent = 0
    for user_id, call_ids in sorted(users.items()):
        sub = subs.get(user_id)
        if sub and (not sub.deadline_reminders or sub.frequency == AlertSubscription.Frequency.OFF):
            continue
        todo = sorted(c for c in call_ids if (user_id, c) not in sent_before)
        user = accounts[user_id]
        if not todo or not user.email:
            continue
        if sub is None:
            sub = subscription_for(user)  # for the unsubscribe link
        titles = ", ".join(call_objs[c].title for c in todo)[:150]
        _deliver(
            subscription=sub,
            user=user,
            kind=AlertDelivery.Kind.DEADLINE_REMINDER,
            scores=dict.fromkeys(todo),
            mail={
                "subject": lambda titles=titles: (
                    _("Deadline in a week: %(titles)s") % {"titles": titles}
                ),
                "template": "matchmaking/email/deadline_reminder.txt",
                "url": call_objs[todo[0]].get_absolute_url(),
                "context": {
                    "calls": [call_objs[c] for c in todo],
                    "unsubscribe_token": unsubscribe_token(sub),
                },
            },
        )
        sent += 1
    return sent
