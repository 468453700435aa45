"""A partnership opportunity's life: written as a draft, reviewed, published, renewed,
withdrawn; its attachments; its version for a B2B event.

Every function is a transaction with keyword-only arguments and refuses with
:class:`~bigscience_portal.core.errors.ActionRefused`. Each status move leaves an
:class:`~innovation.models.OpportunityStatusChange`; a publication or a change of a published
profile queues its matching run (``services.matching``) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bigscience_portal.core.errors import ActionRefused, refuse_unless
from organisations.country_picker import resolve_preset
from organisations.models import Organisation
from organisations.selectors import staff_recipients

from .. import emails, permissions
from ..models import (
    REFERENCE_PREFIX,
    OpportunityStatusChange,
    PartnershipOpportunity,
)
from . import _shared, matching
from ._shared import attachments_store, checked_attachments, full_clean

Status = PartnershipOpportunity.Status
Kind = PartnershipOpportunity.Kind
#: how long a publication or a renewal is valid (years), and the longest validity one may choose
VALIDITY_YEARS = 1
MAX_VALIDITY_YEARS = 2

#: the refusal of an attachment past ``uploads.MAX_ATTACHMENTS`` (``%(n)d``)
TOO_MANY_ATTACHMENTS = gettext_lazy("At most %(n)d attachments per opportunity.")


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


#: fields whose change on a published opportunity re-scores it
MATCHED_FIELDS = ("kind", "title", "summary", "description", "target_countries", "expires_on")


def _lock(opportunity: PartnershipOpportunity) -> PartnershipOpportunity:
    locked = PartnershipOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    opportunity.status = locked.status
    opportunity.expires_on = locked.expires_on
    return opportunity


def _move(opportunity, *, to_status: str, user, note: str = "") -> OpportunityStatusChange:
    change = OpportunityStatusChange.objects.create(
        opportunity=opportunity,
        from_status=opportunity.status,
        to_status=to_status,
        changed_by=user if getattr(user, "pk", None) else None,
        note=note,
    )
    opportunity.status = to_status
    return change


def _check_rules(opportunity: PartnershipOpportunity) -> None:
    """What a profile needs beyond its fields' own validation."""
    if opportunity.kind == Kind.RD_REQUEST and not (
        opportunity.programme and opportunity.call_deadline
    ):
        raise ActionRefused(
            _("An R&D request names the funding programme and the deadline of its call."),
            field="programme" if not opportunity.programme else "call_deadline",
        )
    today = timezone.localdate()
    if opportunity.expires_on is not None:
        if opportunity.expires_on < today:
            raise ActionRefused(_("The validity cannot end in the past."), field="expires_on")
        if opportunity.expires_on > years_after(today, MAX_VALIDITY_YEARS):
            raise ActionRefused(
                _("A profile is valid for two years at most; renew it when it lapses."),
                field="expires_on",
            )


def _fill_and_check(
    opportunity: PartnershipOpportunity, fields: dict, attachments, country_preset: str = ""
) -> list:
    """Set ``fields`` (the target countries of a preset chosen without JavaScript, resolved
    against the member states of an infrastructure's own opportunity) and check the profile and
    every attachment before anything is saved: a refused file saves nothing. Returns the
    checked (title, file) pairs."""
    for name, value in fields.items():
        setattr(opportunity, name, value)
    if country_preset:
        owner = opportunity.organisation
        own_states = owner.member_states if owner and owner.is_infrastructure else []
        opportunity.target_countries = resolve_preset(
            country_preset,
            chosen=[str(c) for c in opportunity.target_countries],
            buyer_states=[str(c) for c in own_states],
        )
    _check_rules(opportunity)
    full_clean(opportunity)
    return checked_attachments(attachments)


@transaction.atomic
def opportunity_create(
    *,
    user,
    organisation: Organisation | None,
    fields: dict,
    cpv_codes: Iterable = (),
    nace_codes: Iterable = (),
    attachments: Iterable = (),
    country_preset: str = "",
) -> PartnershipOpportunity:
    """A new draft of ``organisation``, its contact the user; attachments are (title, file);
    ``country_preset``: the target countries' preset chosen without JavaScript."""
    refuse_unless(
        organisation is not None
        or fields.get("visibility") == PartnershipOpportunity.Visibility.EVENT,
        _("A public opportunity belongs to an organisation."),
    )
    opportunity = PartnershipOpportunity(
        organisation=organisation, contact=user, created_by=user, status=Status.DRAFT
    )
    attachments = _fill_and_check(opportunity, fields, attachments, country_preset)
    opportunity.save()
    opportunity.cpv_codes.set(list(cpv_codes))
    opportunity.nace_codes.set(list(nace_codes))
    OpportunityStatusChange.objects.create(
        opportunity=opportunity,
        from_status="",
        to_status=Status.DRAFT,
        changed_by=user,
        note=_("Created"),
    )
    attachments_store(opportunity, attachments, user, too_many=TOO_MANY_ATTACHMENTS)
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    opportunity: PartnershipOpportunity,
    user,
    fields: dict,
    cpv_codes: Iterable | None = None,
    nace_codes: Iterable | None = None,
    attachments: Iterable = (),
    country_preset: str = "",
) -> PartnershipOpportunity:
    """Change a profile; a published one is re-scored (its validity is renewed separately);
    ``country_preset``: the target countries' preset chosen without JavaScript."""
    stored = PartnershipOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    refuse_unless(
        stored.status != Status.WITHDRAWN, _("A withdrawn opportunity can no longer be edited.")
    )
    before = {name: getattr(stored, name) for name in MATCHED_FIELDS}
    before_codes = set(stored.cpv_codes.values_list("pk", flat=True))
    opportunity.status = stored.status
    attachments = _fill_and_check(opportunity, fields, attachments, country_preset)
    opportunity.save()
    if cpv_codes is not None:
        opportunity.cpv_codes.set(list(cpv_codes))
    if nace_codes is not None:
        opportunity.nace_codes.set(list(nace_codes))
    attachments_store(opportunity, attachments, user, too_many=TOO_MANY_ATTACHMENTS)
    changed = any(getattr(opportunity, n) != before[n] for n in MATCHED_FIELDS) or (
        cpv_codes is not None and {c.pk for c in cpv_codes} != before_codes
    )
    if opportunity.status == Status.PUBLISHED and changed:
        matching.opportunity_match_enqueue(opportunity_id=opportunity.pk)
    return opportunity


def _reference(opportunity: PartnershipOpportunity, now: dt.datetime) -> str:
    """The EEN-style reference: type, country, date and a number of the day (TODE20260512001)."""
    country = str(getattr(opportunity.organisation, "country", "") or "EU")[:2] or "EU"
    stem = f"{REFERENCE_PREFIX[opportunity.kind]}{country}{now:%Y%m%d}"
    taken = PartnershipOpportunity.objects.filter(reference__startswith=stem).count()
    return f"{stem}{taken + 1:03d}"


def _publish(opportunity, *, user, note: str) -> None:
    now = timezone.now()
    if opportunity.expires_on is None or opportunity.expires_on < timezone.localdate():
        opportunity.expires_on = years_after(timezone.localdate(), VALIDITY_YEARS)
    if not opportunity.reference:
        opportunity.reference = _reference(opportunity, now)
    _move(opportunity, to_status=Status.PUBLISHED, user=user, note=note)
    opportunity.published_at = opportunity.published_at or now
    opportunity.save(
        update_fields=["status", "published_at", "expires_on", "reference", "updated_at"]
    )
    if opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC:
        matching.opportunity_match_enqueue(opportunity_id=opportunity.pk)


def _serial(opportunity) -> int:
    return opportunity.status_changes.count()


def reviewers_of(opportunity: PartnershipOpportunity) -> list:
    """Who reviews it: the organisation's administrators, or staff while it is not approved."""
    if permissions.reviewed_by_staff(opportunity):
        return staff_recipients()
    return emails.people_of(opportunity.organisation_id, admins_only=True) or staff_recipients()


@transaction.atomic
def opportunity_submit(*, opportunity: PartnershipOpportunity, user) -> PartnershipOpportunity:
    """Ask the reviewers to publish a draft."""
    _lock(opportunity)
    refuse_unless(
        opportunity.status == Status.DRAFT,
        _("Only a draft can be submitted for review (this one is %(status)s).")
        % {"status": opportunity.get_status_display().lower()},
    )
    _check_rules(opportunity)
    _move(opportunity, to_status=Status.IN_REVIEW, user=user)
    opportunity.save(update_fields=["status", "updated_at"])
    emails.review_requested(opportunity, reviewers_of(opportunity), serial=_serial(opportunity))
    return opportunity


@transaction.atomic
def opportunity_review(
    *, opportunity: PartnershipOpportunity, user, publish: bool, note: str = ""
) -> PartnershipOpportunity:
    """A reviewer publishes the profile, or returns it to draft with the reasons."""
    _lock(opportunity)
    refuse_unless(
        opportunity.status == Status.IN_REVIEW,
        _("This opportunity is not awaiting review."),
    )
    refuse_unless(
        permissions.is_reviewer(user, opportunity),
        _("Staff review the opportunities of an organisation that is not approved yet.")
        if permissions.reviewed_by_staff(opportunity)
        else _("Only the organisation's administrators review its opportunities."),
    )
    if publish:
        _publish(opportunity, user=user, note=note or _("Reviewed and published"))
    else:
        refuse_unless(note.strip(), _("Say why it is returned."), field="note")
        _move(opportunity, to_status=Status.DRAFT, user=user, note=note)
        opportunity.save(update_fields=["status", "updated_at"])
    emails.review_decided(opportunity, published=publish, note=note, serial=_serial(opportunity))
    return opportunity


@transaction.atomic
def opportunity_publish(*, opportunity: PartnershipOpportunity, user) -> PartnershipOpportunity:
    """A reviewer's own draft, published at once (their review is the publication)."""
    _lock(opportunity)
    refuse_unless(opportunity.status == Status.DRAFT, _("Only a draft can be published."))
    refuse_unless(
        permissions.is_reviewer(user, opportunity),
        _("Submit it for review: the organisation's administrators publish it."),
    )
    _check_rules(opportunity)
    _publish(opportunity, user=user, note=_("Published by a reviewer"))
    return opportunity


@transaction.atomic
def opportunity_renew(*, opportunity: PartnershipOpportunity, user) -> PartnershipOpportunity:
    """Another year of validity from today (a published or expired profile); it is listed and
    matched again, and will be reminded again before the new date."""
    _lock(opportunity)
    refuse_unless(
        opportunity.status == Status.PUBLISHED, _("Only a published opportunity can be renewed.")
    )
    new_date = years_after(timezone.localdate(), VALIDITY_YEARS)
    refuse_unless(
        new_date > opportunity.expires_on,
        _("It is valid until %(date)s already.") % {"date": opportunity.expires_on},
    )
    OpportunityStatusChange.objects.create(
        opportunity=opportunity,
        from_status=Status.PUBLISHED,
        to_status=Status.PUBLISHED,
        changed_by=user,
        note=_("Renewed until %(date)s") % {"date": new_date},
    )
    opportunity.expires_on = new_date
    opportunity.save(update_fields=["expires_on", "updated_at"])
    if opportunity.visibility == PartnershipOpportunity.Visibility.PUBLIC:
        matching.opportunity_match_enqueue(opportunity_id=opportunity.pk)
    return opportunity


@transaction.atomic
def opportunity_withdraw(
    *, opportunity: PartnershipOpportunity, user, note: str = ""
) -> PartnershipOpportunity:
    _lock(opportunity)
    refuse_unless(opportunity.status != Status.WITHDRAWN, _("It is withdrawn already."))
    _move(opportunity, to_status=Status.WITHDRAWN, user=user, note=note)
    opportunity.save(update_fields=["status", "updated_at"])
    matching.matches_drop(opportunity_id=opportunity.pk)
    return opportunity


attachment_delete = _shared.attachment_delete


# --- at a B2B event ---------------------------------------------------------------------------


@transaction.atomic
def opportunity_create_for_event(
    *,
    user,
    organisation: Organisation | None,
    kind: str,
    title: str,
    description: str,
    cpv_codes: Iterable = (),
    public: bool = False,
) -> PartnershipOpportunity:
    """What a B2B participant offers or seeks (``events`` links it to their registration).

    Shown at the event at once (as it always was); ``public`` asks for it to be listed for
    everyone too, which goes through the review like any public profile (a reviewer's own is
    published at once)."""
    opportunity = opportunity_create(
        user=user,
        organisation=organisation if public or organisation is not None else None,
        fields={
            "kind": kind,
            "title": title,
            "description": description,
            "summary": description[:600],
            "visibility": (
                PartnershipOpportunity.Visibility.PUBLIC
                if public
                else PartnershipOpportunity.Visibility.EVENT
            ),
        },
        cpv_codes=cpv_codes,
    )
    if not public:
        _publish(opportunity, user=user, note=_("Shown at a B2B event"))
    elif permissions.is_reviewer(user, opportunity):
        _publish(opportunity, user=user, note=_("Published by a reviewer"))
    else:
        opportunity_submit(opportunity=opportunity, user=user)
    return opportunity
