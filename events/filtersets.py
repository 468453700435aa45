"""FilterSets of the events lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bigscience_portal.core import search
from bigscience_portal.core.lists import WhenFilter
from innovation.models import PartnershipOpportunity
from organisations.models import Organisation
from organisations.pickers import cpv_picker

from .models import Event, EventOpportunity, Registration


class EventFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        help_text=_("Words in any language; other forms of a word match too."),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Event.Kind.choices)
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=list(countries),
        method="filter_country",
        help_text=_("Where it takes place, or where an organiser is based."),
    )
    organiser = django_filters.ModelChoiceFilter(
        label=_("Organiser"),
        field_name="organisers",
        # Organisers of events anyone may see: a draft event's organisers stay unnamed.
        queryset=Organisation.objects.filter(
            organised_events__in=Event.objects.exclude(status=Event.Status.DRAFT)
        )
        .distinct()
        .order_by("name"),
    )
    when = WhenFilter()

    class Meta:
        model = Event
        fields = ["q", "kind", "country", "organiser", "when"]

    def filter_q(self, queryset, name, value):
        """Stemmed full-text search of titles (weight A), descriptions, audiences and cities
        (B), best match first unless "when" orders by date (core.search)."""
        if not search.parse_query(value):
            return search.apply_search(queryset, value)
        return search.apply_search(queryset, value).order_by("-rank", "starts_at", "pk")

    def filter_country(self, queryset, name, value):
        ids = Event.objects.filter(Q(venue_country=value) | Q(organisers__country=value)).values(
            "pk"
        )
        return queryset.filter(pk__in=ids)

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        if value == "upcoming":
            return queryset.filter(ends_at__gte=now).order_by("starts_at", "pk")
        if value == "past":
            return queryset.filter(ends_at__lt=now).order_by("-starts_at", "pk")
        return queryset


class _RegistrationFilterSet(django_filters.FilterSet):
    """Registrations by the kind of organisation they are on behalf of."""

    organisation_kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
    )


class ParticipantFilterSet(_RegistrationFilterSet):
    q = django_filters.CharFilter(label=_("Name, e-mail or organisation"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Registration.Status.choices)

    class Meta:
        model = Registration
        fields = ["q", "status", "organisation_kind"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(organisation__name__icontains=value)
        )


class CatalogueFilterSet(_RegistrationFilterSet):
    """The B2B catalogue: filter other participants by what they offer or seek."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    opportunity = django_filters.ChoiceFilter(
        label=_("Offers or seeks"),
        choices=PartnershipOpportunity.Kind.choices,
        method="filter_opportunity",
    )
    cpv = django_filters.CharFilter(
        label=_("CPV code starts with"),
        method="filter_cpv",
        max_length=8,
        widget=cpv_picker(single=True),
    )

    class Meta:
        model = Registration
        fields = ["q", "opportunity", "cpv", "organisation_kind"]

    def filter_q(self, queryset, name, value):
        ids = Registration.objects.filter(
            Q(organisation__name__icontains=value)
            | Q(organisation__capabilities__icontains=value)
            | Q(opportunity_links__opportunity__title__icontains=value)
            | Q(opportunity_links__opportunity__description__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_opportunity(self, queryset, name, value):
        ids = EventOpportunity.objects.filter(opportunity__kind=value).values("registration_id")
        return queryset.filter(pk__in=ids)

    def filter_cpv(self, queryset, name, value):
        prefix = "".join(ch for ch in value if ch.isdigit()).rstrip("0")
        if not prefix:
            return queryset
        ids = EventOpportunity.objects.filter(
            opportunity__cpv_codes__code__startswith=prefix
        ).values("registration_id")
        org_ids = Organisation.objects.filter(cpv_codes__code__startswith=prefix).values("pk")
        return queryset.filter(Q(pk__in=ids) | Q(organisation_id__in=org_ids))
