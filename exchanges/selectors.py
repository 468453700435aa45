"""Reads of the exchanges app: querysets and plain data, no writes."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from organisations.models import ClusterMembership, Decision, Organisation
from organisations.permissions import managed_clusters, member_organisations

from .models import AgendaItem, Application, Exchange, Partnership


def _active_partnerships(today=None) -> Q:
    today = today or timezone.localdate()
    return Q(status=Partnership.Status.ACTIVE, starts_on__lte=today) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def partner_cluster_ids(cluster: Organisation, today=None) -> set[int]:
    """Ids of the clusters in an active partnership with ``cluster``."""
    rows = Partnership.objects.filter(
        _active_partnerships(today), Q(proposer=cluster) | Q(partner=cluster)
    ).values_list("proposer_id", "partner_id")
    return {a if b == cluster.pk else b for a, b in rows}


def partnerships_of(cluster: Organisation) -> QuerySet[Partnership]:
    """The active partnerships of a cluster (shown on its profile)."""
    return (
        Partnership.objects.filter(_active_partnerships(), Q(proposer=cluster) | Q(partner=cluster))
        .select_related("proposer", "partner")
        .order_by("starts_on", "pk")
    )


def ended_partnerships_of(cluster: Organisation) -> QuerySet[Partnership]:
    """The partnerships of a cluster that were ended, the latest first (its profile shows them
    as ended, with the day)."""
    return (
        Partnership.objects.filter(
            Q(proposer=cluster) | Q(partner=cluster), status=Partnership.Status.ENDED
        )
        .select_related("proposer", "partner")
        .order_by("-ended_at", "-pk")
    )


def partnerships_for(user) -> QuerySet[Partnership]:
    """Partnerships the user may see in their list: every active or ended one, and those of
    the clusters they manage whatever their state (staff: all)."""
    qs = Partnership.objects.select_related("proposer", "partner")
    if getattr(user, "is_staff", False):
        return qs
    own = list(managed_clusters(user).values_list("pk", flat=True))
    return qs.filter(
        _active_partnerships()
        | Q(status=Partnership.Status.ENDED)
        | Q(proposer_id__in=own)
        | Q(partner_id__in=own)
    ).distinct()


def eligible_cluster_ids(exchange: Exchange) -> set[int]:
    """Clusters whose approved members may apply: the ones the exchange names and the host's
    active partners."""
    named = set(exchange.eligible_clusters.values_list("pk", flat=True))
    return named | partner_cluster_ids(exchange.host_cluster)


def eligible_companies(user, exchange: Exchange) -> QuerySet[Organisation]:
    """The user's companies that may apply: approved members of an eligible (approved)
    cluster, in an eligible country."""
    clusters = eligible_cluster_ids(exchange)
    members = ClusterMembership.objects.filter(
        cluster_id__in=clusters,
        cluster__kind=Organisation.Kind.CLUSTER,
        status=Decision.APPROVED,
    ).filter(cluster__in=Organisation.objects.acting())
    qs = member_organisations(user).filter(
        kind__in=Organisation.COMPANY_KINDS, pk__in=members.values("member_id")
    )
    if exchange.eligible_countries:
        qs = qs.filter(country__in=[str(c) for c in exchange.eligible_countries])
    return qs.order_by("name")


def exchange_list(*, user) -> QuerySet[Exchange]:
    """Exchanges the user may see: published and cancelled ones, and the drafts of the
    clusters they manage (staff: all)."""
    visible = ~Q(status=Exchange.Status.DRAFT)
    if getattr(user, "is_staff", False):
        visible = Q()
    elif getattr(user, "is_authenticated", False):
        visible |= Q(host_cluster__in=managed_clusters(user))
    return (
        Exchange.objects.filter(visible)
        .select_related("host_cluster")
        .annotate(
            accepted_count=Count(
                "applications", filter=Q(applications__status=Application.Status.ACCEPTED)
            )
        )
        .order_by("starts_on", "pk")
    )


def exchange_by_slug(slug: str) -> Exchange | None:
    return Exchange.objects.select_related("host_cluster").filter(slug=slug).first()


def accepted_count(exchange: Exchange) -> int:
    return exchange.applications.filter(status=Application.Status.ACCEPTED).count()


def waitlist(exchange: Exchange) -> QuerySet[Application]:
    return exchange.applications.filter(status=Application.Status.WAITLISTED).order_by(
        "waitlist_position", "created_at", "pk"
    )


def agenda(exchange: Exchange) -> list[AgendaItem]:
    """The parts of the programme in time order (a linked event at its own time)."""
    items = list(exchange.agenda.select_related("event", "event__host_infrastructure"))
    return sorted(items, key=lambda i: (i.start, i.pk))


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "exchange", "exchange__host_cluster", "organisation", "applicant"
    )


def application_detail(pk: int) -> Application:
    return _applications().get(pk=pk)


def applications_for(user, exchange: Exchange) -> QuerySet[Application]:
    """The applications to ``exchange`` the user may see: all of them for the host's managers
    (and staff), those of their own members for the manager of another cluster."""
    from . import permissions

    qs = _applications().filter(exchange=exchange)
    if permissions.is_host(user, exchange):
        return qs
    return qs.filter(organisation__in=permissions.curated_members(user))


def applications_of_user(user) -> QuerySet[Application]:
    return _applications().filter(applicant=user).order_by("-created_at", "-pk")


def agenda_event_choices(exchange: Exchange):
    """Events a host may link: those its cluster organises or co-organises, not over."""
    from events.models import Event

    return (
        Event.objects.filter(organisers=exchange.host_cluster, ends_at__gte=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .distinct()
        .order_by("starts_at", "pk")
    )
