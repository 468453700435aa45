from django.contrib import admin

from bigscience_portal.core.admin_bases import tabular_inline

from .models import AgendaItem, Application, Exchange, Partnership


@admin.register(Exchange)
class ExchangeAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "host_cluster", "starts_on", "places", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "theme"]
    raw_id_fields = ["host_cluster", "host_organisations", "eligible_clusters", "created_by"]
    inlines = [tabular_inline(AgendaItem, raw_id_fields=["event"])]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["exchange", "applicant", "organisation", "status", "waitlist_position"]
    list_filter = ["status"]
    raw_id_fields = ["exchange", "applicant", "organisation", "registrations", "decided_by"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["proposer", "partner", "status", "starts_on", "ends_on", "ended_at"]
    list_filter = ["status"]
    raw_id_fields = ["proposer", "partner", "proposed_by", "decided_by", "ended_by"]
