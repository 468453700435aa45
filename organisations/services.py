"""Writes for the organisations app. Every function is a transaction and takes keyword arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from bigscience_portal.core.mail import send_notification

from . import member_import, reference, signals
from .models import (
    ClusterMembership,
    CPVCode,
    Decision,
    Invitation,
    JoinRequest,
    Membership,
    NACECode,
    Organisation,
    ProfileChange,
)
from .permissions import is_member, managed_clusters


@dataclass(frozen=True)
class ReferenceLoadReport:
    cpv_created: int
    cpv_updated: int
    cpv_total: int
    nace_created: int
    nace_updated: int
    nace_total: int


def _upsert(model, rows: list, fields: list[str], key: str) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated)."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        values = {f: getattr(row, f if f != "parent_id" else "parent") for f in fields}
        pk = getattr(row, key)
        current = existing.get(pk)
        if current is None:
            to_create.append(model(**{key: pk}, **values))
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            to_update.append(current)
    # Parents come before children in both files, but insert without parents first to be safe.
    parents = {obj.pk: obj.parent_id for obj in to_create}
    for obj in to_create:
        obj.parent_id = None
    model.objects.bulk_create(to_create, batch_size=1000)
    for obj in to_create:
        obj.parent_id = parents[obj.pk]
    model.objects.bulk_update(to_create, ["parent_id"], batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create), len(to_update)


@transaction.atomic
def reference_data_load(*, data_dir: Path) -> ReferenceLoadReport:
    """Load CPV and NACE codes from ``data_dir``; idempotent; all or nothing.

    Both files are parsed and checked before anything is written, so a missing or malformed
    file raises :class:`reference.ReferenceDataError` and leaves the tables as they were.
    """
    cpv_rows = reference.parse_cpv(data_dir / reference.CPV_FILE)
    nace_rows = reference.parse_nace(data_dir / reference.NACE_FILE)
    cpv_created, cpv_updated = _upsert(
        CPVCode, cpv_rows, ["check_digit", "label", "prefix", "level", "parent_id"], "code"
    )
    nace_created, nace_updated = _upsert(
        NACECode, nace_rows, ["label", "level", "order", "parent_id"], "code"
    )
    return ReferenceLoadReport(
        cpv_created=cpv_created,
        cpv_updated=cpv_updated,
        cpv_total=CPVCode.objects.count(),
        nace_created=nace_created,
        nace_updated=nace_updated,
        nace_total=NACECode.objects.count(),
    )


# --- organisations ------------------------------------------------------------------------------

# Fields whose changes a ProfileChange records (the profile a cluster curates).
TRACKED_FIELDS = (
    "kind",
    "name",
    "acronym",
    "legal_name",
    "country",
    "city",
    "website",
    "email",
    "description",
    "size_class",
    "employees",
    "turnover_eur",
    "capabilities",
    "member_states",
    "status",
)
TRACKED_M2M = {
    "cpv_codes": "code",
    "nace_codes": "code",
    "certifications": "code",
    "technology_domains": "slug",
}


class ServiceError(Exception):
    """A write that the rules refuse; the message is shown to the user."""


def _profile_changed(organisation: Organisation) -> None:
    signals.profile_changed.send(sender=Organisation, organisation_id=organisation.pk)


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    taken = Organisation.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def profile_snapshot(organisation: Organisation) -> dict[str, object]:
    """The tracked values of a profile as plain JSON-able data, to diff before and after."""
    snap: dict[str, object] = {}
    for name in TRACKED_FIELDS:
        value = getattr(organisation, name)
        if name == "member_states":
            value = sorted(str(c) for c in value)
        elif name == "country":
            value = str(value or "")
        elif value is not None and not isinstance(value, str | int):
            value = str(value)
        snap[name] = value
    if organisation.pk:
        for name, key in TRACKED_M2M.items():
            snap[name] = sorted(getattr(organisation, name).values_list(key, flat=True))
        snap["references"] = [
            f"{r.client_name} {r.year} {r.value_band}: {r.description[:80]}"
            for r in organisation.references.all().order_by("pk")
        ]
    return snap


def _diff(before: dict, after: dict) -> dict[str, list]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _on_behalf_cluster(user, organisation: Organisation) -> Organisation | None:
    """The cluster a manager acts for when editing a member's profile (None for own edits)."""
    if is_member(user, organisation):
        return None
    return (
        managed_clusters(user)
        .filter(
            cluster_memberships__member=organisation,
            cluster_memberships__status=Decision.APPROVED,
        )
        .first()
    )


@transaction.atomic
def organisation_create(*, created_by, form, reference_formset=None) -> Organisation:
    """Create an organisation from a valid form; its creator becomes its administrator."""
    organisation = form.save(commit=False)
    organisation.slug = unique_slug(organisation.name)
    organisation.save()
    form.save_m2m()
    if reference_formset is not None:
        reference_formset.instance = organisation
        reference_formset.save()
    Membership.objects.create(
        user=created_by, organisation=organisation, role=Membership.Role.ADMIN
    )
    ProfileChange.objects.create(
        organisation=organisation,
        changed_by=created_by,
        changes={"created": [None, organisation.name]},
    )
    _profile_changed(organisation)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, changed_by, form, reference_formset=None):
    """Save a valid edit form (and references); records who changed what, and for which cluster."""
    before = profile_snapshot(Organisation.objects.get(pk=organisation.pk))
    organisation = form.save()
    if reference_formset is not None:
        reference_formset.instance = organisation
        reference_formset.save()
    changes = _diff(before, profile_snapshot(organisation))
    if changes:
        ProfileChange.objects.create(
            organisation=organisation,
            changed_by=changed_by,
            on_behalf_of=_on_behalf_cluster(changed_by, organisation),
            changes=changes,
        )
    _profile_changed(organisation)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, verified_by) -> Organisation:
    """Mark a member's profile as verified by the verifier's cluster (staff verify as staff)."""
    cluster = _on_behalf_cluster(verified_by, organisation)
    if cluster is None and not verified_by.is_staff:
        raise ServiceError(_("Only a manager of one of its clusters can verify this profile."))
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
    _profile_changed(organisation)
    return organisation


# --- e-mail -------------------------------------------------------------------------------------


def _admin_emails(organisation: Organisation) -> list[str]:
    return sorted(
        {
            e
            for e in organisation.memberships.filter(role=Membership.Role.ADMIN).values_list(
                "user__email", flat=True
            )
            if e
        }
    )


def _notify(*, to: list[str], subject: str, template: str, context: dict) -> None:
    """Send a plain-text notification that says what happened and links to the page."""
    send_notification(
        to=to, subject=subject, template=f"organisations/email/{template}.txt", context=context
    )


# --- people -------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, invited_by):
    """Invite someone by e-mail; the link lets them sign up or log in, then join."""
    invitation = Invitation.objects.create(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    _notify(
        to=[email],
        subject=_("You are invited to join %(org)s") % {"org": organisation.name},
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": organisation,
            "invited_by": invited_by,
            "link": reverse("organisations:invitation_accept", args=[invitation.token]),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation through an open invitation (once; expired links are refused)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise ServiceError(_("This invitation has expired or has already been used."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.ADMIN:
        membership.role = Membership.Role.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.invited_by and invitation.invited_by.email:
        _notify(
            to=[invitation.invited_by.email],
            subject=_("%(email)s joined %(org)s")
            % {"email": user.email, "org": invitation.organisation.name},
            template="invitation_accepted",
            context={
                "invitation": invitation,
                "user": user,
                "organisation": invitation.organisation,
            },
        )
    return membership


@transaction.atomic
def join_request_create(*, organisation: Organisation, user, message: str = "") -> JoinRequest:
    """Ask to join an organisation; its administrators are told by e-mail."""
    if is_member(user, organisation):
        raise ServiceError(_("You are already a member of this organisation."))
    if JoinRequest.objects.filter(
        organisation=organisation, user=user, status=Decision.PENDING
    ).exists():
        raise ServiceError(_("Your request to join is already waiting for a decision."))
    join_request = JoinRequest.objects.create(organisation=organisation, user=user, message=message)
    _notify(
        to=_admin_emails(organisation),
        subject=_("%(email)s asks to join %(org)s")
        % {"email": user.email, "org": organisation.name},
        template="join_request_created",
        context={
            "join_request": join_request,
            "organisation": organisation,
            "link": reverse("organisations:organisation_people", args=[organisation.slug]),
        },
    )
    return join_request


def _decide(obj, *, decided_by, status: str) -> None:
    """Decide a pending request once; the row is locked so two managers cannot both decide."""
    current = type(obj).objects.select_for_update().values_list("status", flat=True).get(pk=obj.pk)
    if current != Decision.PENDING:
        raise ServiceError(_("This request has already been decided."))
    obj.status = status
    obj.decided_by = decided_by
    obj.decided_at = timezone.now()
    obj.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def join_request_approve(*, join_request: JoinRequest, decided_by) -> Membership:
    """Approve a request to join: the requester becomes an editor and is told so."""
    _decide(join_request, decided_by=decided_by, status=Decision.APPROVED)
    membership, _created = Membership.objects.get_or_create(
        user=join_request.user,
        organisation=join_request.organisation,
        defaults={"role": Membership.Role.EDITOR},
    )
    _notify_join_decision(join_request)
    return membership


@transaction.atomic
def join_request_reject(*, join_request: JoinRequest, decided_by) -> JoinRequest:
    """Reject a request to join; the requester is told so."""
    _decide(join_request, decided_by=decided_by, status=Decision.REJECTED)
    _notify_join_decision(join_request)
    return join_request


def _notify_join_decision(join_request: JoinRequest) -> None:
    org = join_request.organisation
    approved = join_request.status == Decision.APPROVED
    _notify(
        to=[join_request.user.email],
        subject=(
            _("You joined %(org)s") if approved else _("Your request to join %(org)s was declined")
        )
        % {"org": org.name},
        template="join_request_decided",
        context={"join_request": join_request, "organisation": org, "approved": approved},
    )


# --- clusters -----------------------------------------------------------------------------------


@transaction.atomic
def cluster_membership_request(
    *, member: Organisation, cluster: Organisation, requested_by, message: str = ""
) -> ClusterMembership:
    """A company asks to become a member of a cluster; the cluster's managers are told."""
    if not cluster.is_cluster:
        raise ServiceError(_("Only clusters take members."))
    if member.pk == cluster.pk:
        raise ServiceError(_("A cluster cannot be a member of itself."))
    existing = ClusterMembership.objects.filter(cluster=cluster, member=member).first()
    if existing and existing.status != Decision.REJECTED:
        raise ServiceError(
            _("%(org)s is already a member of this cluster or waiting for a decision.")
            % {"org": member.name}
        )
    if existing:
        existing.status = Decision.PENDING
        existing.message = message
        existing.requested_by = requested_by
        existing.decided_by = None
        existing.decided_at = None
        existing.save()
        request = existing
    else:
        request = ClusterMembership.objects.create(
            cluster=cluster, member=member, message=message, requested_by=requested_by
        )
    _notify(
        to=_admin_emails(cluster),
        subject=_("%(org)s asks to join %(cluster)s")
        % {"org": member.name, "cluster": cluster.name},
        template="cluster_membership_requested",
        context={
            "request": request,
            "link": reverse("organisations:cluster_members", args=[cluster.slug]),
        },
    )
    return request


@transaction.atomic
def cluster_membership_approve(*, cluster_membership: ClusterMembership, decided_by):
    """The cluster manager accepts the company as a member (and may then curate its profile)."""
    _decide(cluster_membership, decided_by=decided_by, status=Decision.APPROVED)
    _notify_cluster_decision(cluster_membership)
    _profile_changed(cluster_membership.member)
    return cluster_membership


@transaction.atomic
def cluster_membership_reject(*, cluster_membership: ClusterMembership, decided_by):
    """The cluster manager declines the company's request."""
    _decide(cluster_membership, decided_by=decided_by, status=Decision.REJECTED)
    _notify_cluster_decision(cluster_membership)
    return cluster_membership


def _notify_cluster_decision(cm: ClusterMembership) -> None:
    approved = cm.status == Decision.APPROVED
    _notify(
        to=_admin_emails(cm.member),
        subject=(
            _("%(org)s is now a member of %(cluster)s")
            if approved
            else _("%(cluster)s declined the membership of %(org)s")
        )
        % {"org": cm.member.name, "cluster": cm.cluster.name},
        template="cluster_membership_decided",
        context={"request": cm, "approved": approved},
    )


# --- member import ------------------------------------------------------------------------------


def _country_code(value: str) -> str | None:
    value = value.strip()
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    code = countries.by_name(value)
    return code or None


def _known_cpv(codes) -> set[str]:
    return set(CPVCode.objects.filter(code__in=list(codes)).values_list("code", flat=True))


def _existing_by_key(rows: list[member_import.MemberRow]) -> dict[str, int]:
    """Match keys of directory organisations that could be the same as a sheet's rows."""
    domains = {k.split(":", 1)[1] for r in rows for k in r.match_keys if k.startswith("domain:")}
    candidates = Q(country__in={r.country for r in rows})
    if domains:
        alternatives = "|".join(re.escape(d) for d in sorted(domains))
        candidates |= Q(website__iregex=rf"://(www\.)?({alternatives})(:|/|$)")
    found: dict[str, int] = {}
    for pk, name, country, website in Organisation.objects.filter(candidates).values_list(
        "pk", "name", "country", "website"
    ):
        for key in member_import.match_keys(name=name, country=str(country), website=website):
            found.setdefault(key, pk)
    return found


def member_import_preview(*, cluster: Organisation, filename: str, data: bytes) -> dict:
    """Read and check a member sheet without writing; the result is JSON-able (kept in the session).

    Raises :class:`member_import.SheetError` when the file as a whole is refused.
    """
    rows = member_import.read_sheet(filename, data)
    report = member_import.check_sheet(rows, known_cpv=_known_cpv, country_code=_country_code)
    existing = _existing_by_key(report.rows)
    preview_rows = []
    for row in report.rows:
        match = next((existing[k] for k in row.match_keys if k in existing), None)
        preview_rows.append({**row.as_dict(), "existing_id": match})
    return {
        "cluster_id": cluster.pk,
        "filename": filename,
        "total_rows": report.total_rows,
        "rows": preview_rows,
        "errors": [{"line": e.line, "field": e.field, "message": e.message} for e in report.errors],
    }


@dataclass(frozen=True)
class MemberImportResult:
    created: list[Organisation]
    already_present: int


@transaction.atomic
def member_import_confirm(
    *, cluster: Organisation, imported_by, rows: list[dict]
) -> MemberImportResult:
    """Create every valid previewed row as an approved member of the cluster: all or nothing.

    Rows matching an organisation already in the directory (website domain, or normalised name
    and country) are left unchanged, so importing the same sheet twice creates no duplicates.
    """
    members = [
        member_import.MemberRow(**{k: v for k, v in r.items() if k != "existing_id"}) for r in rows
    ]
    existing = _existing_by_key(members)
    known = _known_cpv({c for m in members for c in m.cpv_codes})
    created: list[Organisation] = []
    already = 0
    now = timezone.now()
    for row in members:
        if any(k in existing for k in row.match_keys):
            already += 1
            continue
        unknown = [c for c in row.cpv_codes if c not in known]
        if unknown:
            raise ServiceError(_("Unknown CPV codes: %(codes)s") % {"codes": ", ".join(unknown)})
        organisation = Organisation.objects.create(
            kind=Organisation.Kind.SME,
            name=row.name,
            slug=unique_slug(row.name),
            country=row.country,
            website=row.website,
            email=row.email,
            capabilities=row.capabilities,
            status=Organisation.Status.DRAFT,
        )
        organisation.cpv_codes.set(row.cpv_codes)
        ClusterMembership.objects.create(
            cluster=cluster,
            member=organisation,
            status=Decision.APPROVED,
            requested_by=imported_by,
            decided_by=imported_by,
            decided_at=now,
            message=_("Imported from a member sheet."),
        )
        ProfileChange.objects.create(
            organisation=organisation,
            changed_by=imported_by,
            on_behalf_of=cluster,
            changes={"imported": [None, row.name]},
        )
        for key in row.match_keys:
            existing[key] = organisation.pk
        created.append(organisation)
    for organisation in created:
        _profile_changed(organisation)
    return MemberImportResult(created=created, already_present=already)
