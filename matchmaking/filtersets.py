"""The FilterSets of the list pages (the recommendations and the board share one)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from organisations.models import Organisation

from . import hooks
from .limits import FIT_THRESHOLDS
from .models import FIT_LEVEL_CHOICES, Match, MatchRun
from .selectors import cluster_member_ids


class MinFitFilterSet(django_filters.FilterSet):
    """Stored matches from a fit level on: a company's recommended calls, a cluster's board
    (and, with more filters, a call's suppliers)."""

    #: at least a fit level ("good fit or better"), in the words shown beside every score
    min_fit = django_filters.ChoiceFilter(
        choices=FIT_LEVEL_CHOICES,
        method="filter_min_fit",
        label=_("Fit"),
        empty_label=_("Any fit"),
    )

    class Meta:
        model = Match
        fields = ["min_fit"]

    def filter_min_fit(self, queryset, name, value):
        return queryset.filter(score__gte=FIT_THRESHOLDS[value]) if value else queryset


class BoardFilterSet(MinFitFilterSet):
    """A cluster's board by fit, member, call and whether the pair was forwarded (the view
    gives the ``cluster``, whose members the member filter offers)."""

    member = django_filters.ChoiceFilter(
        field_name="company_id", label=_("Member"), empty_label=_("All members")
    )
    call = django_filters.CharFilter(
        field_name="call__title", lookup_expr="icontains", label=_("Call title contains")
    )
    forwarded = django_filters.ChoiceFilter(
        choices=[("no", _("Not forwarded yet")), ("yes", _("Forwarded"))],
        method="filter_forwarded",
        empty_label=_("Forwarded or not"),
        label=_("Forwarded"),
    )

    class Meta:
        model = Match
        fields = ["min_fit", "member", "call", "forwarded"]

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            Organisation.objects.filter(pk__in=cluster_member_ids(cluster)).order_by("name")
            if cluster is not None
            else Organisation.objects.none()
        )
        self.filters["member"].extra["choices"] = [(str(o.pk), o.name) for o in members]

    def filter_forwarded(self, queryset, name, value):
        """On the board's ``forwarded`` annotation (``selectors.cluster_board``)."""
        if value not in ("yes", "no"):
            return queryset
        return queryset.filter(forwarded=value == "yes")


class SupplierFilterSet(MinFitFilterSet):
    """A call's suggested suppliers by fit, country, cluster, size and verification."""

    country = django_filters.ChoiceFilter(
        field_name="company__country", choices=list(countries), label=_("Country")
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.CLUSTER, status=Organisation.Status.PUBLISHED
        ).order_by("name"),
        method="filter_cluster",
        label=_("Member of cluster"),
    )
    size = django_filters.ChoiceFilter(
        field_name="company__size_class",
        choices=Organisation.SizeClass.choices,
        label=_("Size"),
    )
    verified = django_filters.ChoiceFilter(
        choices=[("yes", _("Verified by a cluster")), ("no", _("Not verified"))],
        method="filter_verified",
        empty_label=_("Any"),
        label=_("Verified"),
    )

    favoured = django_filters.BooleanFilter(
        method="filter_favoured",
        label=_("From a member state the buyer favours (poorly balanced)"),
        widget=django_filters.widgets.forms.CheckboxInput,
    )

    #: the call whose suppliers are filtered (set by the suppliers page)
    call = None

    class Meta:
        model = Match
        fields = ["min_fit", "country", "cluster", "size", "verified", "favoured"]

    def filter_favoured(self, queryset, name, value):
        """Only companies of the countries the call's buyer favours (industrial return)."""
        if not value:
            return queryset
        countries_ = hooks.favoured_for(self.call) if self.call is not None else set()
        return queryset.filter(company__country__in=sorted(countries_))

    def filter_verified(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(company__verified_at__isnull=False)
        if value == "no":
            return queryset.filter(company__verified_at__isnull=True)
        return queryset

    def filter_cluster(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(company_id__in=cluster_member_ids(value))


class RunFilterSet(django_filters.FilterSet):
    """Scoring runs by kind and status."""

    class Meta:
        model = MatchRun
        fields = ["kind", "status"]
