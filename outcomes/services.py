"""Writes of the outcomes app: funnel steps (copied from other apps, or recorded and corrected
by the company), staff's award links, contribution and exchange-rate imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from organisations.models import Organisation
from tenders.models import Award, ExpressionOfInterest, ProcurementCall

from . import caches
from .contribution_sheet import ContributionRow, RateRow
from .models import (
    MAX_AMOUNT,
    AwardLink,
    Contribution,
    ContributionSource,
    ExchangeRate,
    FunnelStep,
    FunnelStepChange,
    ReturnSettings,
)

Kind = FunnelStep.Kind
#: the fields of a step a company may correct
CORRECTABLE = ("occurred_at", "value_amount", "value_currency", "value_shared", "note")


def _aware(day: dt.date | dt.datetime | None) -> dt.datetime:
    if day is None:
        return timezone.now()
    if isinstance(day, dt.datetime):
        return day if timezone.is_aware(day) else timezone.make_aware(day)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


# --- steps copied from the other apps ----------------------------------------------------------


def step_sync(*, source: str, company_id: int | None, call_id: int, kind: str, **values):
    """Create or bring up to date the step copied from ``source`` (idempotent: a second call
    with the same values writes nothing). A retracted step stays retracted; a source that no
    longer names a company (an award unlinked) retracts its step."""
    step = FunnelStep.objects.filter(source=source).first()
    if company_id is None:
        if step is not None and step.retracted_at is None:
            step.retracted_at = timezone.now()
            step.save(update_fields=["retracted_at", "updated_at"])
        return step
    wanted = {"company_id": company_id, "call_id": call_id, "kind": kind, **values}
    if step is None:
        return FunnelStep.objects.create(source=source, **wanted)
    changed = [name for name, value in wanted.items() if getattr(step, name) != value]
    if changed:
        for name in changed:
            setattr(step, name, wanted[name])
        step.save(update_fields=[*changed, "updated_at"])
    return step


def step_from_forward(forward) -> FunnelStep | None:
    return step_sync(
        source=f"matchmaking.forward:{forward.pk}",
        company_id=forward.company_id,
        call_id=forward.call_id,
        kind=Kind.FORWARDED,
        via_id=forward.cluster_id,
        recorded_by_id=forward.forwarded_by_id,
        occurred_at=forward.created_at,
    )


def step_from_invitation(invitation) -> FunnelStep | None:
    return step_sync(
        source=f"matchmaking.invitation:{invitation.pk}",
        company_id=invitation.company_id,
        call_id=invitation.call_id,
        kind=Kind.INVITED,
        via_id=invitation.call.buyer_id,
        recorded_by_id=invitation.invited_by_id,
        occurred_at=invitation.created_at,
    )


def steps_from_interest(eoi: ExpressionOfInterest) -> None:
    """An expression of interest is a step; its withdrawal another one."""
    step_sync(
        source=f"tenders.eoi:{eoi.pk}",
        company_id=eoi.organisation_id,
        call_id=eoi.call_id,
        kind=Kind.INTEREST,
        recorded_by_id=eoi.submitted_by_id,
        occurred_at=eoi.created_at,
    )
    withdrawn = eoi.status == ExpressionOfInterest.Status.WITHDRAWN and eoi.withdrawn_at
    step_sync(
        source=f"tenders.eoi-withdrawn:{eoi.pk}",
        company_id=eoi.organisation_id if withdrawn else None,
        call_id=eoi.call_id,
        kind=Kind.WITHDRAWN,
        recorded_by_id=eoi.submitted_by_id,
        occurred_at=eoi.withdrawn_at or eoi.created_at,
    )


def award_winner_id(award: Award) -> int | None:
    """The directory organisation that won ``award``: the import's link by name and country,
    else staff's confirmed link."""
    if award.supplier_id:
        return award.supplier_id
    link = AwardLink.objects.filter(award_id=award.pk).values_list("organisation_id", flat=True)
    return link.first()


def step_from_award(award: Award) -> FunnelStep | None:
    """An award to a known company moves its funnel to "awarded" (awards are public: the
    value is shown to whoever sees the step)."""
    day = award.date if award.date is not None else award.call.published_at
    step = step_sync(
        source=f"tenders.award:{award.pk}",
        company_id=award_winner_id(award),
        call_id=award.call_id,
        kind=Kind.AWARDED,
        occurred_at=_aware(day),
        value_amount=award.value_amount,
        value_currency=(award.value_currency or "EUR").upper()[:3],
        value_shared=True,
    )
    caches.return_changed()
    return step


# --- what the company records itself ----------------------------------------------------------


def _check_value(amount: Decimal | None, currency: str) -> None:
    if amount is not None and (amount < 0 or amount > MAX_AMOUNT):
        raise ActionRefused(_("Give a value between 0 and 99,999,999,999,999.99."), field="value")
    if not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
        raise ActionRefused(_("A currency is three letters, such as EUR or CHF."), field="currency")


@transaction.atomic
def step_record(
    *,
    company: Organisation,
    call: ProcurementCall,
    kind: str,
    user,
    occurred_on: dt.date,
    value_amount: Decimal | None = None,
    value_currency: str = "EUR",
    value_shared: bool = False,
    note: str = "",
) -> FunnelStep:
    """The company says it bid, lost or withdrew (with the date, optionally the value)."""
    if kind not in FunnelStep.COMPANY_RECORDED:
        raise ActionRefused(_("Only bids, losses and withdrawals are recorded here."), field="kind")
    if call.status == ProcurementCall.Status.DRAFT:
        raise ActionRefused(_("This call is not published."))
    if occurred_on > timezone.localdate():
        raise ActionRefused(_("The date cannot be in the future."), field="occurred_on")
    value_currency = (value_currency or "EUR").upper()
    _check_value(value_amount, value_currency)
    if (
        kind == Kind.BID
        and FunnelStep.objects.filter(
            company=company, call=call, kind=Kind.BID, source="", retracted_at__isnull=True
        ).exists()
    ):
        raise ActionRefused(
            _("A bid on this call is already recorded: correct it instead."), field="kind"
        )
    return FunnelStep.objects.create(
        company=company,
        call=call,
        kind=kind,
        occurred_at=_aware(occurred_on),
        recorded_by=user,
        value_amount=value_amount,
        value_currency=value_currency,
        value_shared=value_shared,
        note=note,
    )


@transaction.atomic
def step_correct(*, step: FunnelStep, user, **values) -> FunnelStep:
    """A company corrects one of its steps: the fields that differ are changed and the change
    is kept (who, when, from what to what). Steps copied from another app keep their value."""
    step = FunnelStep.objects.select_for_update().get(pk=step.pk)
    if step.retracted_at is not None:
        raise ActionRefused(_("This step was retracted."))
    allowed = CORRECTABLE if step.is_company_recorded else ("occurred_at", "note")
    if "occurred_at" in values:
        if values["occurred_at"] > timezone.localdate():
            raise ActionRefused(_("The date cannot be in the future."), field="occurred_on")
        values["occurred_at"] = _aware(values["occurred_at"])
    if step.is_company_recorded:
        values["value_currency"] = (values.get("value_currency") or "EUR").upper()
        _check_value(values.get("value_amount"), values["value_currency"])
    changes = {}
    for name in allowed:
        if name in values and getattr(step, name) != values[name]:
            changes[name] = [_plain(getattr(step, name)), _plain(values[name])]
            setattr(step, name, values[name])
    if changes:
        step.save(update_fields=[*changes, "updated_at"])
        FunnelStepChange.objects.create(step=step, changed_by=user, changes=changes)
    return step


@transaction.atomic
def step_retract(*, step: FunnelStep, user, note: str = "") -> FunnelStep:
    """The company says a step is wrong: it leaves the funnel (the row and who said so stay)."""
    step = FunnelStep.objects.select_for_update().get(pk=step.pk)
    if step.retracted_at is not None:
        raise ActionRefused(_("This step was already retracted."))
    step.retracted_at, step.retracted_by = timezone.now(), user
    step.save(update_fields=["retracted_at", "retracted_by", "updated_at"])
    FunnelStepChange.objects.create(
        step=step, changed_by=user, changes={"retracted": [None, note or "retracted"]}
    )
    return step


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- staff: awards whose winner the import could not link ---------------------------------------


@transaction.atomic
def award_link_decide(*, award: Award, organisation: Organisation | None, user) -> AwardLink:
    """Staff confirm the directory organisation that won ``award`` (or say it is not there)."""
    if award.supplier_id:
        raise ActionRefused(
            _("This award is already linked to %(name)s.") % {"name": award.supplier}
        )
    if organisation is not None and not organisation.is_company:
        raise ActionRefused(_("Only a company can be linked as the winner."))
    link, _created = AwardLink.objects.update_or_create(
        award=award, defaults={"organisation": organisation, "decided_by": user}
    )
    step_from_award(award)
    return link


# --- contributions and exchange rates ----------------------------------------------------------


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    messages: list[str] = field(default_factory=list)


@transaction.atomic
def contributions_import(
    *,
    infrastructure: Organisation,
    rows: list[ContributionRow],
    source_title: str,
    source_url: str = "",
    illustrative: bool = False,
    user=None,
) -> ImportResult:
    """Store a sheet of contribution shares (one row per member state and year) with its named
    source; a state and year already entered is updated."""
    if not infrastructure.is_infrastructure:
        raise ActionRefused(_("Contributions are for research infrastructures."))
    if not source_title.strip():
        raise ActionRefused(_("Name the source of the figures."), field="source_title")
    source = ContributionSource.objects.create(
        infrastructure=infrastructure,
        title=source_title.strip(),
        url=source_url,
        illustrative=illustrative,
        created_by=user,
    )
    result = ImportResult()
    for row in rows:
        _import_row(
            Contribution,
            result,
            key={"infrastructure": infrastructure, "country": row.country, "year": row.year},
            values={"share_percent": row.share_percent, "source": source},
            compare={"share_percent": row.share_percent, "source_id": source.pk},
        )
    caches.return_changed()
    return result


@transaction.atomic
def rates_import(*, rows: list[RateRow], source: str) -> ImportResult:
    """Store dated exchange rates (a currency and day already entered is updated)."""
    result = ImportResult()
    for row in rows:
        _import_row(
            ExchangeRate,
            result,
            key={"currency": row.currency, "valid_from": row.valid_from},
            values={"eur_per_unit": row.eur_per_unit, "source": source},
            compare={"eur_per_unit": row.eur_per_unit},
        )
    caches.return_changed()
    return result


def _import_row(model, result: ImportResult, *, key: dict, values: dict, compare: dict) -> None:
    """One row of an imported sheet: created with ``values`` when ``key`` names none yet; else
    ``values`` written over it when a stored attribute of ``compare`` differs from its value
    there; counted in ``result``."""
    stored, created = model.objects.get_or_create(**key, defaults=values)
    if created:
        result.created += 1
    elif any(getattr(stored, name) != wanted for name, wanted in compare.items()):
        for name, value in values.items():
            setattr(stored, name, value)
        stored.save(update_fields=list(values))
        result.updated += 1
    else:
        result.unchanged += 1


def return_settings_for(infrastructure: Organisation) -> ReturnSettings:
    """The infrastructure's bands (CERN's defaults until staff change them in the admin)."""
    found = ReturnSettings.objects.filter(infrastructure=infrastructure).first()
    return found or ReturnSettings(infrastructure=infrastructure)


# --- rebuilding the copied steps --------------------------------------------------------------


def funnel_rebuild() -> int:
    """Copy every step of the other apps' records again (idempotent): for data written before
    this app was installed, or by bulk writes that send no signal. Returns the rows read."""
    from matchmaking.models import MatchForward, SupplierInvitation

    seen = 0
    for forward in MatchForward.objects.iterator():
        step_from_forward(forward)
        seen += 1
    for invitation in SupplierInvitation.objects.select_related("call").iterator():
        step_from_invitation(invitation)
        seen += 1
    for eoi in ExpressionOfInterest.objects.iterator():
        steps_from_interest(eoi)
        seen += 1
    for award in Award.objects.select_related("call").iterator():
        step_from_award(award)
        seen += 1
    return seen
