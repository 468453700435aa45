"""Profiles: registering an organisation, editing it (recorded, for the cluster a manager acts
for), verification by a cluster."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused

from .. import selectors, signals
from ..country_picker import resolve_preset
from ..models import Approval, Membership, Organisation, ProfileChange
from .approvals import organisation_approval_request


def announce_profile_change(organisation: Organisation) -> None:
    signals.profile_changed.send(sender=Organisation, organisation_id=organisation.pk)


def _diff(before: dict, after: dict) -> dict[str, list]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _member_states_set(organisation: Organisation, country_preset: str) -> None:
    """An infrastructure's member states from the preset chosen without JavaScript (EU,
    EU/EEA, any: none recorded), else the ticked ones; only an infrastructure has them."""
    if country_preset and organisation.is_infrastructure:
        organisation.member_states = resolve_preset(
            country_preset, chosen=[str(c) for c in organisation.member_states]
        )


def _save_references(organisation: Organisation, reference_formset) -> None:
    if reference_formset is not None:
        reference_formset.instance = organisation
        reference_formset.save()


@transaction.atomic
def organisation_create(
    *, created_by, form, reference_formset=None, country_preset: str = ""
) -> Organisation:
    """Create an organisation from a valid form (and its references' formset); its creator
    becomes its administrator.

    A research infrastructure, cluster or public authority registered by a user who is not
    staff waits for staff's approval (pending from its first save: it never acts before a
    decision, and staff are asked); one registered by staff is approved at once, by them.
    ``country_preset``: the member states' preset chosen without JavaScript."""
    organisation = form.save(commit=False)
    _member_states_set(organisation, country_preset)
    organisation.slug = selectors.unique_slug(organisation.name)
    asks_approval = organisation.needs_approval and not created_by.is_staff
    if asks_approval:
        organisation.approval = Approval.PENDING
    elif organisation.needs_approval:
        organisation.approval = Approval.APPROVED
        organisation.approval_decided_at = timezone.now()
        organisation.approval_decided_by = created_by
    organisation.save()
    form.save_m2m()
    _save_references(organisation, reference_formset)
    Membership.objects.create(
        user=created_by, organisation=organisation, role=Membership.Role.ADMIN
    )
    ProfileChange.objects.create(
        organisation=organisation,
        changed_by=created_by,
        changes={"created": [None, organisation.name]},
    )
    if asks_approval:
        organisation = organisation_approval_request(
            organisation=organisation, requested_by=created_by
        )
    announce_profile_change(organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, changed_by, form, reference_formset=None, country_preset=""
):
    """Save a valid edit form (and references); records who changed what, and for which cluster.
    ``country_preset``: the member states' preset chosen without JavaScript."""
    before = selectors.profile_snapshot(Organisation.objects.get(pk=organisation.pk))
    _member_states_set(form.instance, country_preset)
    organisation = form.save()
    _save_references(organisation, reference_formset)
    changes = _diff(before, selectors.profile_snapshot(organisation))
    if changes:
        ProfileChange.objects.create(
            organisation=organisation,
            changed_by=changed_by,
            on_behalf_of=selectors.on_behalf_cluster(changed_by, organisation),
            changes=changes,
        )
    announce_profile_change(organisation)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, verified_by) -> Organisation:
    """Mark a member's profile as verified by the verifier's cluster (staff verify as staff)."""
    cluster = selectors.on_behalf_cluster(verified_by, organisation)
    if cluster is None and not verified_by.is_staff:
        raise ActionRefused(_("Only a manager of one of its clusters can verify this profile."))
    organisation.verified_by_cluster = cluster
    organisation.verified_by = verified_by
    organisation.verified_at = timezone.now()
    organisation.save(update_fields=["verified_by_cluster", "verified_by", "verified_at"])
    ProfileChange.objects.create(
        organisation=organisation,
        changed_by=verified_by,
        on_behalf_of=cluster,
        changes={"verified": [None, cluster.name if cluster else "staff"]},
    )
    announce_profile_change(organisation)
    return organisation
