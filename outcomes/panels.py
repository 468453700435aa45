"""The outcomes part of the user's area (``core.panels.dashboard``): links to each dashboard
the user may open."""

from __future__ import annotations

from events.models import Event
from organisations.models import Membership, Organisation

from . import permissions


def dashboard(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    orgs = list(
        Organisation.objects.filter(memberships__user=user)
        .only("pk", "name", "slug", "kind", "approval", "acronym")
        .order_by("name")
    )
    admin_of = set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list(
            "organisation_id", flat=True
        )
    )
    companies = [o for o in orgs if o.is_company]
    clusters = [o for o in orgs if o.is_cluster and o.is_acting and o.pk in admin_of]
    infrastructures = [o for o in orgs if o.is_infrastructure and o.is_acting]
    events = list(
        Event.objects.filter(organisers__in=[o.pk for o in orgs], kind=Event.Kind.BROKERAGE)
        .distinct()
        .only("pk", "slug", "title")
        .order_by("-starts_at")[:5]
    )
    staff = permissions.can_view_portal_health(user)
    if not (companies or clusters or infrastructures or events or staff):
        return None
    return {
        "companies": companies,
        "clusters": clusters,
        "infrastructures": infrastructures,
        "events": events,
        "staff": staff,
    }
