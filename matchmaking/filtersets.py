"""One FilterSet per list page."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from organisations.models import ClusterMembership, Decision, Organisation

from .models import Match, MatchRun


class BootstrapFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", css)


class RecommendationFilterSet(BootstrapFilterSet):
    min_score = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", label=_("Minimum score (0 to 1)")
    )

    class Meta:
        model = Match
        fields = ["min_score"]


class SupplierFilterSet(BootstrapFilterSet):
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

    class Meta:
        model = Match
        fields = ["country", "cluster", "size", "verified"]

    def filter_verified(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(company__verified_at__isnull=False)
        if value == "no":
            return queryset.filter(company__verified_at__isnull=True)
        return queryset

    def filter_cluster(self, queryset, name, value):
        if not value:
            return queryset
        members = ClusterMembership.objects.filter(cluster=value, status=Decision.APPROVED).values(
            "member_id"
        )
        return queryset.filter(company_id__in=members)


class BoardFilterSet(BootstrapFilterSet):
    min_score = django_filters.NumberFilter(
        field_name="score", lookup_expr="gte", label=_("Minimum score (0 to 1)")
    )

    class Meta:
        model = Match
        fields = ["min_score"]


class RunFilterSet(BootstrapFilterSet):
    class Meta:
        model = MatchRun
        fields = ["kind", "status"]
