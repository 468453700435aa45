"""Clusters: a company asks to join, the manager decides; the manager imports members from a
sheet (preview first, then all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue

from .. import member_import, selectors
from ..models import ClusterMembership, Decision, Organisation, ProfileChange
from .approvals import refuse_unless_acting, stamp
from .decisions import decide_pending
from .profiles import announce_profile_change


def cluster_membership_open(
    *,
    cluster: Organisation,
    member: Organisation,
    requested_by,
    message: str,
    field: str,
    invited: bool = False,
) -> tuple[ClusterMembership, str]:
    """A pending membership of ``member`` in ``cluster``, asked by the company or offered by the
    cluster (``invited``): a new row, or the rejected one pending once more. Refused (on
    ``field``) when the company is a member already or waits for a decision.

    Returns the row and the occasion of its mail's key: ``first``, ``again`` (a rejection
    without a date) or ``after:<the moment of the rejection>``."""
    existing = (
        ClusterMembership.objects.select_for_update().filter(cluster=cluster, member=member).first()
    )
    if existing and existing.status != Decision.REJECTED:
        raise ActionRefused(
            _("%(org)s is already a member of this cluster or waiting for a decision.")
            % {"org": member.name},
            field=field,
        )
    if existing is None:
        row = ClusterMembership.objects.create(
            cluster=cluster,
            member=member,
            message=message,
            requested_by=requested_by,
            invited=invited,
        )
        return row, "first"
    occasion = f"after:{stamp(existing.decided_at)}" if existing.decided_at else "again"
    existing.status = Decision.PENDING
    existing.invited = invited
    existing.message = message
    existing.requested_by = requested_by
    existing.decided_by = None
    existing.decided_at = None
    existing.save()
    return existing, occasion


@transaction.atomic
def cluster_membership_request(
    *, member: Organisation, cluster: Organisation, requested_by, message: str = ""
) -> ClusterMembership:
    """A company asks to become a member of a cluster; the cluster's managers are told.

    A rejected company may ask again: the same row is pending once more, and its managers get
    a new mail (the occasion is the request after that rejection)."""
    if not cluster.is_cluster:
        raise ActionRefused(_("Only clusters take members."), field="cluster")
    if member.pk == cluster.pk:
        raise ActionRefused(_("A cluster cannot be a member of itself."), field="cluster")
    if not cluster.is_acting:
        raise ActionRefused(_("This cluster does not take members yet."), field="cluster")
    request, occasion = cluster_membership_open(
        cluster=cluster, member=member, requested_by=requested_by, message=message, field="cluster"
    )
    mail_queue(
        key=f"organisations.cluster_membership:{request.pk}:requested:{occasion}",
        to=selectors.organisation_admins(cluster),
        subject=lambda: (
            _("%(org)s asks to join %(cluster)s") % {"org": member.name, "cluster": cluster.name}
        ),
        template="organisations/email/cluster_membership_requested.txt",
        context={
            "request": request,
            "link": reverse("organisations:cluster_members", args=[cluster.slug]),
        },
    )
    return request


@transaction.atomic
def cluster_membership_approve(*, cluster_membership: ClusterMembership, decided_by):
    """The cluster manager accepts the company as a member (and may then curate its profile)."""
    _cluster_membership_decide(cluster_membership, decided_by, Decision.APPROVED)
    announce_profile_change(cluster_membership.member)
    return cluster_membership


@transaction.atomic
def cluster_membership_reject(*, cluster_membership: ClusterMembership, decided_by):
    """The cluster manager declines the company's request."""
    _cluster_membership_decide(cluster_membership, decided_by, Decision.REJECTED)
    return cluster_membership


def _cluster_membership_decide(cm: ClusterMembership, decided_by, status) -> None:
    """The manager's decision on the company's own request (an invitation is the company's to
    decide), and the company's administrators told."""
    if cm.invited:
        raise ActionRefused(
            _("The cluster invited %(org)s: its administrators accept or decline.")
            % {"org": cm.member.name}
        )
    refuse_unless_acting(cm.cluster)
    decide_pending(cm, decided_by=decided_by, status=status)
    approved = status == Decision.APPROVED
    mail_queue(
        key=f"organisations.cluster_membership:{cm.pk}:{cm.status}:{stamp(cm.decided_at)}",
        to=selectors.organisation_admins(cm.member),
        subject=lambda: (
            (
                _("%(org)s is now a member of %(cluster)s")
                if approved
                else _("%(cluster)s declined the membership of %(org)s")
            )
            % {"org": cm.member.name, "cluster": cm.cluster.name}
        ),
        template="organisations/email/cluster_membership_decided.txt",
        context={"request": cm, "approved": approved},
    )


# --- member import ------------------------------------------------------------------------------


def member_import_preview(*, cluster: Organisation, filename: str, data: bytes) -> dict:
    """Read and check a member sheet without writing; the result is JSON-able (kept in the session).

    A file refused as a whole (empty, too large, not a sheet, wrong header) is refused with the
    reason on the form's ``file`` field.
    """
    refuse_unless_acting(cluster)
    try:
        report = member_import.check_sheet(
            member_import.read_sheet(filename, data),
            known_cpv=selectors.known_cpv,
            country_code=selectors.country_code,
        )
    except member_import.SheetError as exc:
        raise ActionRefused(str(exc), field="file", code="sheet") from exc
    existing = selectors.existing_by_key(report.rows)
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
    refuse_unless_acting(cluster)
    members = [
        member_import.MemberRow(**{k: v for k, v in r.items() if k != "existing_id"}) for r in rows
    ]
    existing = selectors.existing_by_key(members)
    known = selectors.known_cpv({c for m in members for c in m.cpv_codes})
    created: list[Organisation] = []
    already = 0
    now = timezone.now()
    for row in members:
        if any(k in existing for k in row.match_keys):
            already += 1
            continue
        unknown = [c for c in row.cpv_codes if c not in known]
        if unknown:
            raise ActionRefused(_("Unknown CPV codes: %(codes)s") % {"codes": ", ".join(unknown)})
        organisation = Organisation(
            kind=Organisation.Kind.SME,
            name=row.name,
            slug=selectors.unique_slug(row.name),
            country=row.country,
            website=row.website,
            email=row.email,
            capabilities=row.capabilities,
            status=Organisation.Status.DRAFT,
        )
        try:  # the model's limits hold for imports as for forms (one line, lengths)
            organisation.full_clean(validate_unique=False)
        except ValidationError as exc:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
            )
            raise ActionRefused(
                _("Line %(line)d: %(problems)s") % {"line": row.line, "problems": problems}
            ) from exc
        organisation.save()
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
        announce_profile_change(organisation)
    return MemberImportResult(created=created, already_present=already)
