"""The staff's list of TED harvests (kept apart from ``filtersets.py``, the calls' filters)."""

import django_filters

from .models import HarvestRun


class HarvestFilterSet(django_filters.FilterSet):
    """TED harvests by status."""

    class Meta:
        model = HarvestRun
        fields = ["status"]
