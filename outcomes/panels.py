"""The outcomes part of the user's area (``core.panels.dashboard``): links to each dashboard
the user may open."""

from __future__ import annotations

from events.models import Event
from organisations.permissions import is_admin, member_organisations

from . import permissions


def dashboard(request) -> dict | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    orgs = list(
        member_organisations(user)
        .only("pk", "name", "slug", "kind", "approval", "acronym")
        .order_by("name")
    )
    companies = [o for o in orgs if o.is_company]
    clusters = [o for o in orgs if o.is_cluster and o.is_acting and is_admin(user, o)]
    infrastructures = [o for o in orgs if o.is_infrastructure and o.is_acting]
    events = list(
        Event.objects.with_b2b()
        .filter(organisers__in=[o.pk for o in orgs])
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
