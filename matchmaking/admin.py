from django.contrib import admin

from bigscience_portal.core.admin_bases import TaskRecordAdmin

from .models import (
    AlertDelivery,
    AlertSubscription,
    Feedback,
    Match,
    MatchForward,
    MatchRun,
    SupplierInvitation,
)


@admin.register(MatchRun)
class MatchRunAdmin(TaskRecordAdmin):
    list_display = (
        "id",
        "kind",
        "target_id",
        "status",
        "created_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "duration_seconds",
        "pairs_scored",
        "rows_stored",
        "chunk_count",
        "attempts",
    )
    list_filter = ("kind", "status")
    search_fields = ("celery_task_id", "error")


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ("company", "call", "score", "rank_for_call", "rank_for_company", "computed_at")
    list_select_related = ("company", "call")
    search_fields = ("company__name", "call__title")
    raw_id_fields = ("company", "call", "run")
    list_filter = ("engine_version",)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("company", "call", "relevant", "reason", "user", "created_at")
    list_filter = ("relevant", "reason")
    list_select_related = ("company", "call", "user")
    raw_id_fields = ("company", "call", "user")


@admin.register(SupplierInvitation)
class SupplierInvitationAdmin(admin.ModelAdmin):
    list_display = ("call", "company", "invited_by", "created_at")
    list_select_related = ("call", "company", "invited_by")
    raw_id_fields = ("call", "company", "invited_by")


@admin.register(MatchForward)
class MatchForwardAdmin(admin.ModelAdmin):
    list_display = ("call", "company", "cluster", "forwarded_by", "created_at")
    raw_id_fields = ("call", "company", "cluster", "forwarded_by")


@admin.register(AlertSubscription)
class AlertSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "threshold", "deadline_reminders", "updated_at")
    list_filter = ("frequency",)
    raw_id_fields = ("user",)


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ("user", "call", "kind", "score", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "call", "subscription")
