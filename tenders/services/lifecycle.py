"""A call's life: posting and editing (amendments), publishing, closing, awarding, cancelling.

Every function is a transaction with keyword-only arguments, checks what it is asked to do and
raises :class:`~bigscience_portal.core.errors.ActionRefused` (a message for the user) when it
may not happen. Every status move goes through :data:`TRANSITIONS` and leaves a
:class:`~tenders.models.CallStatusChange`, whoever asks for it (an officer, the closing task, an
import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.dates import when
from bigscience_portal.core.errors import ActionRefused
from organisations.country_picker import resolve_preset
from organisations.models import CPVCode, Organisation
from tenders.permissions import may_be_buyer

from .. import signals, value_bands
from ..models import Amendment, Award, CallStatusChange, ProcurementCall

Status = ProcurementCall.Status

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
    "time_zone",
    "enquiry_period_end",
    "tender_period_end",
    "eligible_countries",
    "sme_friendly",
    "selection_criteria",
    "award_criteria",
    "language",
    "country",
)
#: The statuses in which a change of content is an amendment (bidders may have read the call).
AMENDED_STATUSES = (Status.PUBLISHED, Status.CLOSED)


def _status_label(status: str) -> str:
    return str(Status(status).label)


def check_transition(call: ProcurementCall, to_status: str, allowed=TRANSITIONS) -> None:
    """Refuse a move that :data:`TRANSITIONS` (or ``allowed``) does not allow."""
    if to_status not in allowed[call.status]:
        raise ActionRefused(
            _("A call that is %(from)s cannot be %(to)s.")
            % {
                "from": _status_label(call.status).lower(),
                "to": _status_label(to_status).lower(),
            }
        )


def _signal_status(call: ProcurementCall) -> None:
    """Tell the apps above what a move did (matchmaking scores a published call)."""
    if call.status == Status.PUBLISHED:
        signals.call_published.send(sender=ProcurementCall, call_id=call.pk)
    else:
        signals.call_status_changed.send(
            sender=ProcurementCall, call_id=call.pk, status=str(call.status)
        )


def move(
    call: ProcurementCall, *, to_status: str, user, note: str = "", allowed=TRANSITIONS
) -> CallStatusChange:
    """One allowed move, recorded (the caller holds the call's row lock)."""
    check_transition(call, to_status, allowed)
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


# --- amendments -----------------------------------------------------------------------------


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
        return when(value, call.time_zone)
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


class ContentSnapshot:
    """A call's amendable content before a change, to list what the change amended."""

    def __init__(self, stored: ProcurementCall, *, additional_cpv: list[str] | None = None) -> None:
        """``additional_cpv``: the codes of a call that is not saved (an import's notice that
        arrives after its change), instead of the stored call's."""
        self.fields = {f: (_comparable(stored, f), _display(stored, f)) for f in AMENDABLE_FIELDS}
        if additional_cpv is None:
            additional_cpv = stored.additional_cpv.values_list("code", flat=True)
        self.cpv = sorted(additional_cpv)

    def amendments(self, call: ProcurementCall, *, user) -> list[Amendment]:
        """The amendments of ``call`` (as it is now) against the snapshot, saved; the apps
        above hear of them (``call_changed``). None unless the call is published or closed."""
        if call.status not in AMENDED_STATUSES:
            return []
        amendments = [
            Amendment(
                call=call,
                field=f,
                field_label=str(ProcurementCall._meta.get_field(f).verbose_name),
                old_value=old,
                new_value=_display(call, f),
                changed_by=user,
            )
            for f, (before, old) in self.fields.items()
            if _comparable(call, f) != before
        ]
        after_cpv = sorted(call.additional_cpv.values_list("code", flat=True))
        if after_cpv != self.cpv:
            amendments.append(
                Amendment(
                    call=call,
                    field="additional_cpv",
                    field_label=str(_("additional CPV codes")),
                    old_value=", ".join(self.cpv),
                    new_value=", ".join(after_cpv),
                    changed_by=user,
                )
            )
        return _amendments_save(call, amendments)


def _amendments_save(call: ProcurementCall, amendments: list[Amendment]) -> list[Amendment]:
    if amendments:
        Amendment.objects.bulk_create(amendments)
        signals.call_changed.send(sender=ProcurementCall, call_id=call.pk)
    return amendments


def _full_clean(call: ProcurementCall) -> None:
    try:
        call.full_clean(exclude=["search_vector"])
    except ValidationError as exc:
        raise ActionRefused.from_validation_error(exc) from exc


def _content_set(call: ProcurementCall, fields: dict, *, country_preset: str = "") -> None:
    """Write the form's ``fields`` on ``call``: the eligible countries of a preset (resolved
    against the buyer's member states), the value band derived from the value; a band that
    contradicts the value is refused on its field."""
    for name, value in fields.items():
        setattr(call, name, value)
    if country_preset:
        call.eligible_countries = resolve_preset(
            country_preset,
            chosen=[str(c) for c in call.eligible_countries],
            buyer_states=[str(c) for c in call.buyer.member_states],
        )
    derived = value_bands.band_for(call.value_amount, call.value_currency)
    if value_bands.contradicts(call.value_band, call.value_amount, call.value_currency):
        raise ActionRefused(
            _(
                "A value of %(currency)s %(amount)s is in band %(derived)s, not %(band)s; "
                "leave the band empty to have it derived."
            )
            % {
                "currency": call.value_currency,
                "amount": f"{call.value_amount:,.0f}",
                "derived": derived,
                "band": call.value_band,
            },
            field="value_band",
        )
    if derived:
        call.value_band = derived


def _related_save(*, call: ProcurementCall, user, formsets: Sequence) -> list[Amendment]:
    """Save the lots and documents formsets of a call; on a published call, amendments."""
    amendments: list[Amendment] = []
    for formset in formsets:
        formset.instance = call
        saved = formset.save()
        changed = {str(obj) for obj in saved}
        deleted = {str(obj) for obj in formset.deleted_objects}
        if call.status in AMENDED_STATUSES and (changed or deleted):
            amendments.append(
                Amendment(
                    call=call,
                    field=formset.model._meta.model_name,
                    field_label=str(formset.model._meta.verbose_name_plural),
                    old_value=", ".join(sorted(deleted)),
                    new_value=", ".join(sorted(changed)),
                    changed_by=user,
                )
            )
    return _amendments_save(call, amendments)


# --- posting and editing --------------------------------------------------------------------


@transaction.atomic
def call_create(
    *,
    user,
    buyer: Organisation,
    fields: dict,
    additional_cpv: Iterable[CPVCode] = (),
    required_certifications: Iterable = (),
    country_preset: str = "",
    formsets: Sequence = (),
) -> ProcurementCall:
    """A new draft call posted on the portal by ``user`` for ``buyer``, with its lots and
    documents (``formsets``, validated by the caller)."""
    if not may_be_buyer(buyer):
        raise ActionRefused(
            _(
                "Only a research infrastructure or a public authority that staff approved can be "
                "the buyer of a call."
            )
        )
    call = ProcurementCall(
        buyer=buyer, created_by=user, contact=user, status=Status.DRAFT, source="portal"
    )
    _content_set(call, fields, country_preset=country_preset)
    _full_clean(call)
    call.save()
    call.additional_cpv.set(list(additional_cpv))
    call.required_certifications.set(list(required_certifications))
    CallStatusChange.objects.create(
        call=call, from_status="", to_status=Status.DRAFT, changed_by=user, note=_("Created")
    )
    _related_save(call=call, user=user, formsets=formsets)
    return call


@transaction.atomic
def call_update(
    *,
    call: ProcurementCall,
    user,
    fields: dict,
    additional_cpv: Iterable[CPVCode] | None = None,
    required_certifications: Iterable | None = None,
    country_preset: str = "",
    formsets: Sequence = (),
) -> list[Amendment]:
    """Change a call's content (and its lots and documents). On a published call each change
    is recorded as an amendment; returns them."""
    # Compare with the stored row: a ModelForm has already written its values on ``call``.
    stored = ProcurementCall.objects.select_for_update(of=("self",)).get(pk=call.pk)
    call.status = stored.status
    if call.status in (Status.AWARDED, Status.CANCELLED):
        raise ActionRefused(
            _("A call that is %(status)s can no longer be edited.")
            % {"status": _status_label(call.status).lower()}
        )
    before = ContentSnapshot(stored)
    _content_set(call, fields, country_preset=country_preset)
    _full_clean(call)
    call.save()
    if additional_cpv is not None:
        call.additional_cpv.set(list(additional_cpv))
    if required_certifications is not None:
        call.required_certifications.set(list(required_certifications))
    amendments = before.amendments(call, user=user)
    return amendments + _related_save(call=call, user=user, formsets=formsets)


# --- lifecycle ------------------------------------------------------------------------------


def publish_problems(call: ProcurementCall, *, now: dt.datetime | None = None) -> list[str]:
    """What keeps ``call`` from being published, one message each ([] when nothing does): the
    rules :func:`call_publish` applies, for the preview page to list before anyone clicks."""
    problems = []
    if Status.PUBLISHED not in TRANSITIONS[call.status]:
        problems.append(
            _("A call that is %(status)s cannot be published.")
            % {"status": _status_label(call.status).lower()}
        )
    missing = []
    if not call.title:
        missing.append(_("title"))
    if not call.main_cpv_id:
        missing.append(_("main CPV code"))
    if not call.tender_period_end:
        missing.append(_("submission deadline"))
    if missing:
        problems.append(
            _("The call cannot be published without: %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
        )
    if call.tender_period_end and call.tender_period_end <= (now or timezone.now()):
        problems.append(
            _("The submission deadline has passed; set a later deadline before publishing.")
        )
    return problems


@transaction.atomic
def call_publish(*, call: ProcurementCall, user, note: str = "") -> ProcurementCall:
    _lock(call)
    check_transition(call, Status.PUBLISHED)
    problems = publish_problems(call)
    if problems:
        raise ActionRefused(problems[0])
    move(call, to_status=Status.PUBLISHED, user=user, note=note)
    _signal_status(call)
    return call


@transaction.atomic
def call_close(*, call: ProcurementCall, user=None, note: str = "") -> ProcurementCall:
    _lock(call)
    move(call, to_status=Status.CLOSED, user=user, note=note)
    _signal_status(call)
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
    check_transition(call, Status.AWARDED)
    if not awards:
        raise ActionRefused(_("Record at least one award (supplier, value, date)."))
    for a in awards:
        name = a.supplier_name or (a.supplier.name if a.supplier else "")
        if not name:
            raise ActionRefused(_("Each award needs a supplier."))
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
    move(call, to_status=Status.AWARDED, user=user, note=note)
    _signal_status(call)
    return call


@transaction.atomic
def call_cancel(*, call: ProcurementCall, user, note: str = "") -> ProcurementCall:
    _lock(call)
    move(call, to_status=Status.CANCELLED, user=user, note=note)
    _signal_status(call)
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
            move(call, to_status=Status.CLOSED, user=None, note=_("Submission deadline passed."))
            _signal_status(call)
            closed += 1
    return closed
