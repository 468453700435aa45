"""The filters of the opportunities and challenges lists (one FilterSet each); the saved
searches and their digests use the opportunities' one too."""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bigscience_portal.core.lists import PortalFilterSet, SortFilter
from organisations.filtersets import CPVFilter
from organisations.models import CPVCode, Organisation
from organisations.reference import typed_cpv_prefix

from . import process
from .models import (
    Goal,
    InnovationChallenge,
    IPRStatus,
    Kind,
    PartnershipOpportunity,
    PartnershipType,
    Stage,
)

TRL_CHOICES = [(n, str(n)) for n in range(1, 10)]

OPPORTUNITY_SORTS = [
    ("newest", _("Newest first")),
    ("expiring", _("Expiring soonest")),
    ("trl", _("Highest TRL first")),
]
#: organisation kinds that offer and seek opportunities, for the filter
ORGANISATION_KIND_CHOICES = [
    (Organisation.Kind.RESEARCH_INFRASTRUCTURE, Organisation.Kind.RESEARCH_INFRASTRUCTURE.label),
    (Organisation.Kind.UNIVERSITY, Organisation.Kind.UNIVERSITY.label),
    (
        Organisation.Kind.TECHNOLOGY_TRANSFER_OFFICE,
        Organisation.Kind.TECHNOLOGY_TRANSFER_OFFICE.label,
    ),
    (Organisation.Kind.TECHNOLOGY_CENTRE, Organisation.Kind.TECHNOLOGY_CENTRE.label),
    (Organisation.Kind.SME, Organisation.Kind.SME.label),
    (Organisation.Kind.LARGE_COMPANY, Organisation.Kind.LARGE_COMPANY.label),
    (Organisation.Kind.CLUSTER, Organisation.Kind.CLUSTER.label),
    (Organisation.Kind.PUBLIC_AUTHORITY, Organisation.Kind.PUBLIC_AUTHORITY.label),
]


#: The significant digits of a typed CPV code, as on the calls list.
cpv_prefix = typed_cpv_prefix


def _trl_filter(lookup_expr: str, label) -> django_filters.ChoiceFilter:
    """A bound of the technology readiness level."""
    return django_filters.ChoiceFilter(
        field_name="trl",
        lookup_expr=lookup_expr,
        choices=TRL_CHOICES,
        label=label,
        empty_label=_("Any"),
    )


class _WordSearchFilterSet(PortalFilterSet):
    """Its ``q`` finds the rows that have each word (the first ten) in one of ``search_fields``
    (as the admin's: the field contains it, case aside; ``=field``: the field is it)."""

    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        lookups = [
            f"{field[1:]}__iexact" if field.startswith("=") else f"{field}__icontains"
            for field in self.search_fields
        ]
        for word in value.split()[:10]:
            queryset = queryset.filter(reduce(operator.or_, (Q(**{x: word}) for x in lookups)))
        return queryset


def _country_choices():
    return sorted(((code, str(name)) for code, name in countries), key=lambda c: c[1])


class OpportunityFilterSet(_WordSearchFilterSet):
    static_form = True
    search_fields = ("title", "summary", "description", "=reference", "organisation__name")

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. cryogenic")}),
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, label=_("Type"), empty_label=_("Any type")
    )
    trl_min = _trl_filter("gte", _("TRL at least"))
    trl_max = _trl_filter("lte", _("TRL at most"))
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, label=_("Stage of development"), empty_label=_("Any stage")
    )
    ipr = django_filters.ChoiceFilter(
        field_name="ipr_status",
        choices=IPRStatus.choices,
        label=_("IPR status"),
        empty_label=_("Any"),
    )
    partnership = django_filters.ChoiceFilter(
        method="filter_partnership",
        choices=PartnershipType.choices,
        label=_("Partnership sought"),
        empty_label=_("Any"),
    )
    cpv = CPVFilter(max_length=12)
    organisation_kind = django_filters.ChoiceFilter(
        field_name="organisation__kind",
        choices=ORGANISATION_KIND_CHOICES,
        label=_("From"),
        empty_label=_("Any organisation"),
    )
    country = django_filters.ChoiceFilter(
        field_name="organisation__country",
        choices=_country_choices,
        label=_("Country of the organisation"),
        empty_label=_("Any country"),
    )
    partner_country = django_filters.ChoiceFilter(
        method="filter_partner_country",
        choices=_country_choices,
        label=_("Partners sought in"),
        empty_label=_("Any country"),
    )
    sort = SortFilter(OPPORTUNITY_SORTS)

    class Meta:
        model = PartnershipOpportunity
        fields: list[str] = []

    def filter_partnership(self, queryset, name, value):
        # codes are stored comma-separated and no code is part of another
        return queryset.filter(partnership_types__contains=value)

    def filter_partner_country(self, queryset, name, value):
        return queryset.filter(Q(target_countries="") | Q(target_countries__contains=value))

    def filter_cpv(self, queryset, name, value):
        prefix = cpv_prefix(value)
        if prefix is None:
            return queryset.none()
        through = PartnershipOpportunity.cpv_codes.through
        codes = through.objects.filter(
            partnershipopportunity_id=OuterRef("pk"), cpvcode__code__startswith=prefix
        )
        return queryset.filter(Exists(codes))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or "newest"
        if sort == "expiring":
            return queryset.order_by("expires_on", "pk")
        if sort == "trl":
            from django.db.models import F

            return queryset.order_by(F("trl").desc(nulls_last=True), "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")


CHALLENGE_STAGES = [(s, process.label(s)) for s in process.STAGES if s != process.NEED]


class ChallengeFilterSet(_WordSearchFilterSet):
    static_form = True
    search_fields = ("title", "summary", "need", "owner__name")

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search"),
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    goal = django_filters.ChoiceFilter(
        choices=Goal.choices, label=_("Goal"), empty_label=_("Any goal")
    )
    stage = django_filters.ChoiceFilter(
        choices=CHALLENGE_STAGES, label=_("Stage"), empty_label=_("Any stage")
    )
    open_only = django_filters.BooleanFilter(
        method="filter_open", label=_("Open for proposals only"), widget=forms.CheckboxInput
    )

    class Meta:
        model = InnovationChallenge
        fields: list[str] = []

    def filter_open(self, queryset, name, value):
        if not value:
            return queryset
        from django.utils import timezone

        return queryset.filter(stage=process.OPEN, proposals_deadline__gt=timezone.now())


__all__ = ["CPVCode", "ChallengeFilterSet", "OpportunityFilterSet", "cpv_prefix"]
