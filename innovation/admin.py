"""The staff's pages for technology transfer and innovation."""

from django.contrib import admin

from . import models


class AttachmentInline(admin.TabularInline):
    model = models.OpportunityAttachment
    extra = 0
    readonly_fields = ["size", "uploaded_by", "created_at"]


class StatusChangeInline(admin.TabularInline):
    model = models.OpportunityStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "note", "created_at"]
    can_delete = False


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
    inlines = [AttachmentInline, StatusChangeInline]


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
class OpportunityMatchRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "target_id", "status", "created_at", "finished_at", "rows_stored"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in models.OpportunityMatchRun._meta.fields]


@admin.register(models.OpportunityMatch)
class OpportunityMatchAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "company", "score", "rank", "computed_at"]
    raw_id_fields = ["opportunity", "company", "run"]


class DeliverableInline(admin.TabularInline):
    model = models.ChallengeDeliverable
    extra = 0
    raw_id_fields = ["done_by"]


class GateDecisionInline(admin.TabularInline):
    model = models.GateDecision
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "decision", "reasons", "decided_by", "decided_at"]
    can_delete = False


@admin.register(models.InnovationChallenge)
class InnovationChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "stage", "proposals_deadline", "is_demo"]
    list_filter = ["stage", "goal", "is_demo"]
    search_fields = ["title", "owner__name"]
    raw_id_fields = ["owner", "created_by", "procurement_call"]
    filter_horizontal = ["cpv_codes"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [DeliverableInline, GateDecisionInline]


class PartnerInline(admin.TabularInline):
    model = models.ProposalPartner
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(models.SolutionProposal)
class SolutionProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "challenge", "lead", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["challenge", "lead", "created_by", "submitted_by"]
    inlines = [PartnerInline]
