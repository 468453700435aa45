import django_filters
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.lists import PortalFilterSet

from .models import Conversation


class ConversationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="subject", lookup_expr="icontains", label=_("Subject"))
    unread = django_filters.BooleanFilter(
        field_name="unread", label=_("Unread only"), method="only_unread"
    )

    class Meta:
        model = Conversation
        fields = ["q", "unread"]

    def only_unread(self, queryset, name, value):
        return queryset.filter(unread=True) if value else queryset
