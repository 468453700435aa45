"""The staff's pages for technology transfer and innovation."""

from django.contrib import admin

from bigscience_portal.core.admin_bases import TaskRecordAdmin, record_inline, tabular_inline

from . import models


@admin.register(models.PartnershipOpportunity)
class PartnershipOpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "organisation",
        "status",
        "visibility",
        "expires_on",
        "is_demo",
    ]
    list_filter = ["kind", "status", "visibility", "is_demo"]
    search_fields = ["title", "reference", "organisation__name"]
    raw_id_fields = ["organisation", "contact", "created_by"]
    filter_horizontal = ["cpv_codes", "nace_codes"]
    readonly_fields = ["reference", "published_at", "renewal_reminded_on", "expiry_noticed_on"]
    inlines = [
        tabular_inline(
            models.OpportunityAttachment, readonly_fields=["size", "uploaded_by", "created_at"]
        ),
        record_inline(
            models.OpportunityStatusChange,
            ["from_status", "to_status", "changed_by", "note", "created_at"],
        ),
    ]


@admin.register(models.Interest)
class InterestAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "organisation", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["opportunity", "organisation", "submitted_by"]
    # its messages are a conversation's (the conversations admin shows the reported ones)


@admin.register(models.OpportunitySearch)
class OpportunitySearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "is_active", "last_sent_at"]
    raw_id_fields = ["user"]


@admin.register(models.OpportunityMatchRun)
class OpportunityMatchRunAdmin(TaskRecordAdmin):
    list_display = ["kind", "target_id", "status", "created_at", "finished_at", "rows_stored"]
    list_filter = ["kind", "status"]


@admin.register(models.OpportunityMatch)
class OpportunityMatchAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "company", "score", "rank", "computed_at"]
    raw_id_fields = ["opportunity", "company", "run"]


@admin.register(models.InnovationChallenge)
class InnovationChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "stage", "proposals_deadline", "is_demo"]
    list_filter = ["stage", "goal", "is_demo"]
    search_fields = ["title", "owner__name"]
    raw_id_fields = ["owner", "created_by", "procurement_call"]
    filter_horizontal = ["cpv_codes"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [
        tabular_inline(models.ChallengeDeliverable, raw_id_fields=["done_by"]),
        record_inline(
            models.GateDecision,
            ["from_stage", "to_stage", "decision", "reasons", "decided_by", "decided_at"],
        ),
    ]


@admin.register(models.SolutionProposal)
class SolutionProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "challenge", "lead", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["challenge", "lead", "created_by", "submitted_by"]
    inlines = [tabular_inline(models.ProposalPartner, raw_id_fields=["organisation"])]
