"""FilterSets of the exchanges lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.lists import WhenFilter

from .models import Application, Exchange


class ExchangeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Exchange.Kind.choices)
    when = WhenFilter()

    class Meta:
        model = Exchange
        fields = ["q", "kind", "when"]

    def filter_q(self, queryset, name, value):
        words = value.split()[:10]
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(theme__icontains=word)
                | Q(host_cluster__name__icontains=word)
            )
        return queryset

    def filter_when(self, queryset, name, value):
        today = timezone.localdate()
        if value == "upcoming":
            return queryset.filter(ends_on__gte=today)
        if value == "past":
            return queryset.filter(ends_on__lt=today)
        return queryset


class ApplicationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices)

    class Meta:
        model = Application
        fields = ["status"]
