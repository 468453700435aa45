from django.contrib import admin

from bigscience_portal.core.admin_bases import tabular_inline

from . import models


@admin.register(models.Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "venue_city", "capacity"]
    list_filter = ["kind", "status", "venue_country"]
    search_fields = ["title", "description", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisers"]
    raw_id_fields = ["host_infrastructure", "created_by"]
    date_hierarchy = "starts_at"
    inlines = [
        tabular_inline(models.ProgrammeSession),
        tabular_inline(models.RegistrationQuestion),
        tabular_inline(models.MeetingSession),
    ]


@admin.register(models.Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "organisation", "status", "waitlist_position", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["user__email", "organisation__name", "event__title"]
    raw_id_fields = ["user", "organisation", "event"]
    inlines = [tabular_inline(models.RegistrationAnswer)]


@admin.register(models.BrokerageSettings)
class BrokerageSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "slot_minutes",
        "tables",
        "max_meetings_per_participant",
        "published_at",
    ]


@admin.register(models.EventOpportunity)
class EventOpportunityAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "registration", "created_at"]
    list_filter = ["opportunity__kind"]
    raw_id_fields = ["registration", "opportunity"]


@admin.register(models.MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "recipient", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    raw_id_fields = ["requester", "recipient", "event"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["request", "starts_at", "table", "locked"]
    list_filter = ["event", "locked"]
    raw_id_fields = ["request", "event", "session"]


admin.site.register(models.MeetingOutcome)
admin.site.register(models.Availability)
