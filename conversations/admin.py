from django.contrib import admin

from bigscience_portal.core.admin_bases import tabular_inline

from .models import Conversation, Message


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("subject", "created_at", "last_message_at", "reported_at")
    list_filter = ("reported_at",)
    raw_id_fields = (
        "expression_of_interest",
        "cluster_membership",
        "meeting_request",
        "interest",
        "started_by",
        "reported_by",
    )
    inlines = [tabular_inline(Message, raw_id_fields=("sender",))]

    def get_queryset(self, request):
        # staff read a conversation only once a party reported it, here as on the site
        return super().get_queryset(request).filter(reported_at__isnull=False)
