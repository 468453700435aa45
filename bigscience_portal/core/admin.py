from django.contrib import admin

from .models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "task_id", "created_at")
    list_filter = ("hostname",)
    readonly_fields = ("hostname", "task_id", "created_at")
