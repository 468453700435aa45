from django.contrib import admin

from bigscience_portal.core.admin_bases import TaskRecordAdmin, record_inline, tabular_inline

from .models import (
    Amendment,
    Award,
    CallDocument,
    CallStatusChange,
    Clarification,
    ExpressionOfInterest,
    HarvestRun,
    ImportedNotice,
    InterestProfileEntry,
    Lot,
    ProcurementCall,
    SavedSearch,
    SavedSearchDelivery,
)


@admin.register(ProcurementCall)
class ProcurementCallAdmin(admin.ModelAdmin):
    list_display = ["title", "buyer", "stage", "status", "tender_period_end", "source"]
    list_filter = ["status", "stage", "procurement_method", "source", "value_band"]
    search_fields = ["title", "reference", "source_id", "buyer__name"]
    raw_id_fields = ["buyer", "main_cpv", "contact", "created_by", "additional_cpv"]
    date_hierarchy = "tender_period_end"
    inlines = [
        tabular_inline(Lot, raw_id_fields=["cpv_codes"]),
        tabular_inline(CallDocument),
        tabular_inline(Award, raw_id_fields=["supplier"]),
        record_inline(
            CallStatusChange, ["from_status", "to_status", "changed_by", "note", "created_at"]
        ),
    ]
    list_select_related = ["buyer"]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["question", "call", "asked_at", "answered_at"]
    list_filter = ["answered_at"]
    raw_id_fields = ["call", "asked_by", "answered_by"]
    search_fields = ["question", "answer"]


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["call", "field_label", "changed_by", "created_at"]
    raw_id_fields = ["call", "changed_by"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["organisation", "call", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["call", "organisation", "submitted_by"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "is_active", "last_sent_at"]
    list_filter = ["frequency", "is_active"]
    raw_id_fields = ["user"]


@admin.register(SavedSearchDelivery)
class SavedSearchDeliveryAdmin(admin.ModelAdmin):
    list_display = ["search", "call", "sent_at"]
    raw_id_fields = ["search", "call"]


@admin.register(InterestProfileEntry)
class InterestProfileEntryAdmin(admin.ModelAdmin):
    """The interest profile's own lines (the defaults of ``tenders.scope`` come on top)."""

    list_display = ("kind", "value", "note", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("value", "note")


@admin.register(ImportedNotice)
class ImportedNoticeAdmin(admin.ModelAdmin):
    list_display = ("notice_number", "notice_format", "notice_kind", "call", "imported_at")
    list_filter = ("notice_format", "notice_kind")
    search_fields = ("notice_number", "eforms_key", "procedure_id")
    raw_id_fields = ("call",)


@admin.register(HarvestRun)
class HarvestRunAdmin(TaskRecordAdmin):
    list_display = ("pk", "status", "started_at", "since", "pages", "found", "imported", "error")
    list_filter = ("status",)
