"""Writes on procurement calls: lifecycle, amendments, questions, interest, saved searches.

Every function is a transaction with keyword-only arguments, checks what it is asked to do and
raises :class:`CallActionRefused` (a message for the user) when it may not happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bigscience_portal.core.mail import send_notification
from organisations.models import CPVCode, Membership, Organisation

from . import signals
from .models import (
    Amendment,
    Award,
    CallStatusChange,
    Clarification,
    ExpressionOfInterest,
    ProcurementCall,
    SavedSearch,
    SavedSearchDelivery,
)

Status = ProcurementCall.Status


class CallActionRefused(Exception):
    """An action that may not happen now; ``str(exc)`` is a message for the user."""


# --- lifecycle ------------------------------------------------------------------------------

#: Allowed moves: from status -> statuses it may move to.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.PUBLISHED, Status.CANCELLED),
    Status.PUBLISHED: (Status.CLOSED, Status.CANCELLED),
    Status.CLOSED: (Status.AWARDED, Status.CANCELLED),
    Status.AWARDED: (),
    Status.CANCELLED: (),
}

#: Fields whose changes on a published call are recorded as amendments, in display order.
AMENDABLE_FIELDS = (
    "reference",
    "title",
    "description",
    "stage",
    "procurement_method",
    "main_procurement_category",
    "main_cpv",
    "value_amount",
    "value_currency",
    "value_band",
    "enquiry_period_end",
    "tender_period_end",
    "eligible_countries",
    "sme_friendly",
    "selection_criteria",
    "award_criteria",
    "language",
    "country",
)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _check_transition(call: ProcurementCall, to_status: str) -> None:
    if to_status not in TRANSITIONS[call.status]:
        raise CallActionRefused(
            _("A call that is %(from)s cannot be %(to)s.")
            % {
                "from": _status_label(call.status).lower(),
                "to": _status_label(to_status).lower(),
            }
        )


def _move(call: ProcurementCall, *, to_status: str, user, note: str = "") -> CallStatusChange:
    _check_transition(call, to_status)
    change = CallStatusChange.objects.create(
        call=call, from_status=call.status, to_status=to_status, changed_by=user, note=note
    )
    call.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Status.PUBLISHED and call.published_at is None:
        call.published_at = timezone.now()
        fields.append("published_at")
    call.save(update_fields=fields)
    return change


def _lock(call: ProcurementCall) -> ProcurementCall:
    """Re-read the call under a row lock so that two concurrent moves cannot both pass."""
    locked = ProcurementCall.objects.select_for_update().get(pk=call.pk)
    call.status = locked.status
    call.published_at = locked.published_at
    return call


def _display(call: ProcurementCall, field: str) -> str:
    value = getattr(call, field)
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(getattr(v, "code", v)) for v in value)
    if isinstance(value, CPVCode):
        return str(value)
    if hasattr(value, "code") and hasattr(value, "name"):  # a django-countries Country
        return str(value.name)
    choices = ProcurementCall._meta.get_field(field).flatchoices
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _comparable(call: ProcurementCall, field: str):
    value = getattr(call, field)
    if hasattr(value, "code") and hasattr(value, "name") and not isinstance(value, CPVCode):
        return value.code
    if isinstance(value, list | tuple):
        return sorted(str(getattr(v, "code", v)) for v in value)
    if field == "main_cpv":
        return call.main_cpv_id
    if isinstance(value, Decimal):
        return value.normalize()
    return value


@transaction.atomic
def call_create(
    *,
    user,
    buyer: Organisation,
    fields: dict,
    additional_cpv: Iterable[CPVCode] = (),
    required_certifications: Iterable = (),
) -> ProcurementCall:
    """A new draft call posted on the portal by ``user`` for ``buyer``."""
    if not buyer.is_infrastructure:
        raise CallActionRefused(_("Only a research infrastructure can be the buyer of a call."))
    call = ProcurementCall(
        buyer=buyer, created_by=user, contact=user, status=Status.DRAFT, source="portal"
    )
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean(exclude=["search_vector"])
    call.save()
    call.additional_cpv.set(list(additional_cpv))
    call.required_certifications.set(list(required_certifications))
    CallStatusChange.objects.create(
        call=call, from_status="", to_status=Status.DRAFT, changed_by=user, note=_("Created")
    )
    return call


@transaction.atomic
def call_update(
    *,
    call: ProcurementCall,
    user,
    fields: dict,
    additional_cpv: Iterable[CPVCode] | None = None,
    required_certifications: Iterable | None = None,
) -> list[Amendment]:
    """Change a call's content. On a published call each change is recorded as an amendment."""
    # Compare with the stored row: a ModelForm has already written its values on ``call``.
    stored = ProcurementCall.objects.select_for_update(of=("self",)).get(pk=call.pk)
    call.status = stored.status
    if call.status in (Status.AWARDED, Status.CANCELLED):
        raise CallActionRefused(
            _("A call that is %(status)s can no longer be edited.")
            % {"status": _status_label(call.status).lower()}
        )
    before = {f: (_comparable(stored, f), _display(stored, f)) for f in AMENDABLE_FIELDS}
    before_cpv = sorted(stored.additional_cpv.values_list("code", flat=True))
    for name, value in fields.items():
        setattr(call, name, value)
    call.full_clean(exclude=["search_vector"])
    call.save()
    if additional_cpv is not None:
        call.additional_cpv.set(list(additional_cpv))
    if required_certifications is not None:
        call.required_certifications.set(list(required_certifications))
    amendments: list[Amendment] = []
    if call.status in (Status.PUBLISHED, Status.CLOSED):
        for f in AMENDABLE_FIELDS:
            if _comparable(call, f) != before[f][0]:
                amendments.append(
                    Amendment(
                        call=call,
                        field=f,
                        field_label=str(ProcurementCall._meta.get_field(f).verbose_name),
                        old_value=before[f][1],
                        new_value=_display(call, f),
                        changed_by=user,
                    )
                )
        after_cpv = sorted(call.additional_cpv.values_list("code", flat=True))
        if after_cpv != before_cpv:
            amendments.append(
                Amendment(
                    call=call,
                    field="additional_cpv",
                    field_label=str(_("additional CPV codes")),
                    old_value=", ".join(before_cpv),
                    new_value=", ".join(after_cpv),
                    changed_by=user,
                )
            )
        Amendment.objects.bulk_create(amendments)
        if amendments:
            signals.call_changed.send(sender=ProcurementCall, call_id=call.pk)
    return amendments


@transaction.atomic
def call_related_save(*, call: ProcurementCall, user, formsets: Sequence) -> list[Amendment]:
    """Save the lots and documents formsets of a call; on a published call record amendments."""
    amendments: list[Amendment] = []
    for formset in formsets:
        formset.instance = call
        label = str(formset.model._meta.verbose_name_plural)
        saved = formset.save()
        changed = {str(obj) for obj in saved}
        deleted = {str(obj) for obj in formset.deleted_objects}
        if call.status in (Status.PUBLISHED, Status.CLOSED) and (changed or deleted):
            amendments.append(
                Amendment(
                    call=call,
                    field=formset.model._meta.model_name,
                    field_label=label,
                    old_value=", ".join(sorted(deleted)),
                    new_value=", ".join(sorted(changed)),
                    changed_by=user,
                )
            )
    if amendments:
        Amendment.objects.bulk_create(amendments)
        signals.call_changed.send(sender=ProcurementCall, call_id=call.pk)
    return amendments


@transaction.atomic
def call_publish(*, call: ProcurementCall, user, note: str = "") -> ProcurementCall:
    _lock(call)
    _check_transition(call, Status.PUBLISHED)
    missing = []
    if not call.title:
        missing.append(_("title"))
    if not call.main_cpv_id:
        missing.append(_("main CPV code"))
    if not call.tender_period_end:
        missing.append(_("submission deadline"))
    if missing:
        raise CallActionRefused(
            _("The call cannot be published without: %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
        )
    if call.tender_period_end <= timezone.now():
        raise CallActionRefused(
            _("The submission deadline has passed; set a later deadline before publishing.")
        )
    _move(call, to_status=Status.PUBLISHED, user=user, note=note)
    signals.call_published.send(sender=ProcurementCall, call_id=call.pk)
    return call


@transaction.atomic
def call_close(*, call: ProcurementCall, user=None, note: str = "") -> ProcurementCall:
    _lock(call)
    _move(call, to_status=Status.CLOSED, user=user, note=note)
    signals.call_status_changed.send(
        sender=ProcurementCall, call_id=call.pk, status=Status.CLOSED.value
    )
    return call


@dataclass(frozen=True)
class AwardInput:
    supplier: Organisation | None
    supplier_name: str
    value_amount: Decimal | None
    value_currency: str
    date: dt.date | None
    lot_number: str = ""


@transaction.atomic
def call_award(
    *, call: ProcurementCall, user, awards: Sequence[AwardInput], note: str = ""
) -> ProcurementCall:
    """Record the contracts awarded under a closed call and move it to awarded."""
    _lock(call)
    _check_transition(call, Status.AWARDED)
    if not awards:
        raise CallActionRefused(_("Record at least one award (supplier, value, date)."))
    for a in awards:
        name = a.supplier_name or (a.supplier.name if a.supplier else "")
        if not name:
            raise CallActionRefused(_("Each award needs a supplier."))
        Award.objects.create(
            call=call,
            supplier=a.supplier,
            supplier_name=name,
            supplier_country=a.supplier.country if a.supplier else "",
            value_amount=a.value_amount,
            value_currency=a.value_currency or call.value_currency,
            date=a.date,
            lot_number=a.lot_number,
        )
    _move(call, to_status=Status.AWARDED, user=user, note=note)
    signals.call_status_changed.send(
        sender=ProcurementCall, call_id=call.pk, status=Status.AWARDED.value
    )
    return call


@transaction.atomic
def call_cancel(*, call: ProcurementCall, user, note: str = "") -> ProcurementCall:
    _lock(call)
    _move(call, to_status=Status.CANCELLED, user=user, note=note)
    signals.call_status_changed.send(
        sender=ProcurementCall, call_id=call.pk, status=Status.CANCELLED.value
    )
    return call


def calls_close_expired(*, now: dt.datetime | None = None) -> int:
    """Close every published call whose submission deadline has passed. Idempotent."""
    now = now or timezone.now()
    closed = 0
    ids = ProcurementCall.objects.filter(
        status=Status.PUBLISHED, tender_period_end__lte=now
    ).values_list("pk", flat=True)
    for pk in list(ids):
        with transaction.atomic():
            call = ProcurementCall.objects.select_for_update().get(pk=pk)
            if call.status != Status.PUBLISHED:
                continue  # closed meanwhile by someone else
            _move(call, to_status=Status.CLOSED, user=None, note=_("Submission deadline passed."))
            signals.call_status_changed.send(
                sender=ProcurementCall, call_id=call.pk, status=Status.CLOSED.value
            )
            closed += 1
    return closed


# --- clarifications -------------------------------------------------------------------------


def _officer_emails(call: ProcurementCall) -> list[str]:
    emails = set(
        Membership.objects.filter(organisation=call.buyer)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if call.contact_id and call.contact.email:
        emails.add(call.contact.email)
    return sorted(emails)


def _mail(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    send_notification(to=to, subject=subject, template=template, context=context)


@transaction.atomic
def clarification_ask(*, call: ProcurementCall, user, question: str) -> Clarification:
    if call.status != Status.PUBLISHED:
        raise CallActionRefused(_("Questions can only be asked on a published call."))
    if not call.accepts_questions:
        deadline = call.enquiry_period_end or call.tender_period_end
        raise CallActionRefused(
            _("The clarification deadline (%(deadline)s) has passed; no more questions.")
            % {"deadline": date_format(timezone.localtime(deadline), "DATETIME_FORMAT")}
        )
    question = question.strip()
    if not question:
        raise CallActionRefused(_("Write your question."))
    clarification = Clarification.objects.create(call=call, question=question, asked_by=user)
    url = _absolute(reverse("tenders:call_questions", kwargs={"pk": call.pk}))
    _mail(
        subject=_("New question on “%(title)s”") % {"title": call.title},
        template="tenders/email/question_asked.txt",
        context={"call": call, "clarification": clarification, "url": url},
        to=_officer_emails(call),
    )
    return clarification


@transaction.atomic
def clarification_answer(*, clarification: Clarification, user, answer: str) -> Clarification:
    answer = answer.strip()
    if not answer:
        raise CallActionRefused(_("Write the answer."))
    first_answer = clarification.answered_at is None
    clarification.answer = answer
    clarification.answered_by = user
    clarification.answered_at = timezone.now()
    clarification.save(update_fields=["answer", "answered_by", "answered_at"])
    asker = clarification.asked_by
    if first_answer and asker and asker.email:
        call = clarification.call
        url = _absolute(call.get_absolute_url()) + "#questions"
        _mail(
            subject=_("Your question on “%(title)s” was answered") % {"title": call.title},
            template="tenders/email/question_answered.txt",
            context={"call": call, "clarification": clarification, "url": url},
            to=[asker.email],
        )
    return clarification


# --- expressions of interest ----------------------------------------------------------------


@transaction.atomic
def eoi_submit(
    *,
    call: ProcurementCall,
    organisation: Organisation,
    user,
    message: str = "",
    partners: str = "",
) -> ExpressionOfInterest:
    if not call.is_open:
        raise CallActionRefused(_("This call no longer accepts expressions of interest."))
    if not organisation.is_company:
        raise CallActionRefused(_("Only companies can express interest in a call."))
    eoi = (
        ExpressionOfInterest.objects.select_for_update()
        .filter(call=call, organisation=organisation)
        .first()
    )
    if eoi and eoi.status == ExpressionOfInterest.Status.ACTIVE:
        raise CallActionRefused(
            _("%(org)s has already expressed interest in this call.") % {"org": organisation}
        )
    if eoi is None:
        eoi = ExpressionOfInterest(call=call, organisation=organisation)
    eoi.submitted_by = user
    eoi.message = message.strip()
    eoi.partners = partners.strip()
    eoi.status = ExpressionOfInterest.Status.ACTIVE
    eoi.withdrawn_at = None
    eoi.save()
    return eoi


@transaction.atomic
def eoi_withdraw(*, eoi: ExpressionOfInterest, user) -> ExpressionOfInterest:
    if eoi.status != ExpressionOfInterest.Status.ACTIVE:
        raise CallActionRefused(_("This expression of interest was already withdrawn."))
    if not eoi.call.is_open:
        raise CallActionRefused(_("The deadline has passed; the expression of interest stays."))
    eoi.status = ExpressionOfInterest.Status.WITHDRAWN
    eoi.withdrawn_at = timezone.now()
    eoi.save(update_fields=["status", "withdrawn_at"])
    return eoi


# --- saved searches and digests -------------------------------------------------------------

#: Query parameters that describe the page, not the search.
NON_FILTER_PARAMS = {"page", "per_page", "csrfmiddlewaretoken", "name", "frequency"}


def clean_querystring(querystring: str) -> str:
    pairs = [
        (k, v)
        for k, v in parse_qsl(querystring.lstrip("?"), keep_blank_values=False)
        if k not in NON_FILTER_PARAMS
    ]
    return urlencode(pairs)


@transaction.atomic
def saved_search_create(*, user, name: str, querystring: str, frequency: str) -> SavedSearch:
    if frequency not in SavedSearch.Frequency.values:
        raise CallActionRefused(_("Choose a daily or weekly digest."))
    return SavedSearch.objects.create(
        user=user,
        name=name.strip()[:120] or _("My search"),
        querystring=clean_querystring(querystring)[:2000],
        frequency=frequency,
    )


@transaction.atomic
def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()


@transaction.atomic
def saved_search_unsubscribe(*, search: SavedSearch) -> SavedSearch:
    search.is_active = False
    search.save(update_fields=["is_active"])
    return search


UNSUBSCRIBE_SALT = "tenders.saved-search.unsubscribe"


def unsubscribe_token(search: SavedSearch) -> str:
    return signing.dumps({"id": search.pk, "t": search.token}, salt=UNSUBSCRIBE_SALT)


def search_for_unsubscribe_token(token: str) -> SavedSearch | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return SavedSearch.objects.filter(pk=data.get("id"), token=data.get("t")).first()


def saved_search_is_due(search: SavedSearch, now: dt.datetime) -> bool:
    if not search.is_active:
        return False
    if search.last_sent_at is None:
        return True
    # An hour of slack so that a beat run a little early still counts as "a day later".
    period = dt.timedelta(days=1 if search.frequency == SavedSearch.Frequency.DAILY else 7)
    return now - search.last_sent_at >= period - dt.timedelta(hours=1)


def saved_search_new_calls(search: SavedSearch):
    """Open calls matching the search, published after it was saved and never sent for it.

    The deliveries, not ``last_sent_at``, decide what is new: a call published while the last
    digest was being sent (committed just after its query) still goes out the next time.
    """
    from .selectors import call_search

    since = search.created_at
    qs, _filterset = call_search(user=search.user, params=search.querystring)
    return (
        qs.filter(status=Status.PUBLISHED, published_at__gt=since)
        .exclude(pk__in=SavedSearchDelivery.objects.filter(search=search).values("call_id"))
        .order_by("published_at", "pk")
    )


def saved_search_digest_send(*, search_id: int, now: dt.datetime | None = None) -> int:
    """Send one search's digest if due; return how many calls it listed (0: no e-mail)."""
    now = now or timezone.now()
    with transaction.atomic():
        search = (
            SavedSearch.objects.select_for_update().select_related("user").filter(pk=search_id)
        ).first()
        if search is None or not saved_search_is_due(search, now):
            return 0
        calls = list(saved_search_new_calls(search)[:50])
        search.last_sent_at = now
        search.save(update_fields=["last_sent_at"])
        if not calls or not search.user.email:
            return 0
        SavedSearchDelivery.objects.bulk_create(
            [SavedSearchDelivery(search=search, call=c) for c in calls], ignore_conflicts=True
        )
        context = {
            "search": search,
            "calls": [(c, _absolute(c.get_absolute_url())) for c in calls],
            "search_url": _absolute(search.get_absolute_url()),
            "unsubscribe_url": _absolute(
                reverse(
                    "tenders:saved_search_unsubscribe",
                    kwargs={"token": unsubscribe_token(search)},
                )
            ),
        }
        subject = _("%(count)d new call(s) for your search “%(name)s”") % {
            "count": len(calls),
            "name": search.name,
        }
        # Sent inside the transaction: if the mail fails, the deliveries roll back and the next
        # run tries again.
        _mail(
            subject=subject,
            template="tenders/email/saved_search_digest.txt",
            context=context,
            to=[search.user.email],
        )
    return len(calls)


def saved_search_digests_send(*, now: dt.datetime | None = None) -> int:
    """Every due saved search's digest (daily ones each run, weekly ones after 7 days)."""
    now = now or timezone.now()
    sent = 0
    for pk in SavedSearch.objects.filter(is_active=True).values_list("pk", flat=True):
        if saved_search_digest_send(search_id=pk, now=now):
            sent += 1
    return sent
