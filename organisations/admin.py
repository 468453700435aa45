from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.admin_bases import tabular_inline

from . import services
from .models import (
    Approval,
    Certification,
    ClusterMembership,
    ContractReference,
    CPVCode,
    Invitation,
    JoinRequest,
    Membership,
    MembershipChange,
    NACECode,
    Organisation,
    ProfileChange,
    TechnologyDomain,
)


@admin.register(CPVCode)
class CPVCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "check_digit", "label", "level"]
    list_filter = ["level"]
    search_fields = ["code", "label"]
    readonly_fields = ["parent"]


@admin.register(NACECode)
class NACECodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "level"]
    list_filter = ["level"]
    search_fields = ["code", "label"]
    readonly_fields = ["parent"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(TechnologyDomain)
class TechnologyDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Staff's full edit of an organisation, its kind included.

    An infrastructure, cluster or public authority created here is approved at once (by the
    staff member who created it); an organisation whose kind is changed here to one of those
    waits for approval again, in the queue (``/organisations/approvals/``), where decisions are
    recorded and mailed: the approval fields are read-only here."""

    list_display = [
        "name",
        "kind",
        "country",
        "status",
        "approval",
        "size_class",
        "verified_at",
        "is_demo",
    ]
    list_filter = ["kind", "status", "approval", "size_class", "is_demo", "country"]
    search_fields = ["name", "acronym", "legal_name", "capabilities"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cpv_codes", "nace_codes", "verified_by_cluster"]
    filter_horizontal = ["certifications", "technology_domains"]
    raw_id_fields = ["verified_by"]
    readonly_fields = list(Organisation.APPROVAL_FIELDS)
    inlines = [
        tabular_inline(
            ContractReference,
            fk_name="organisation",
            autocomplete_fields=["client"],
            exclude=["cpv_codes"],
        ),
        tabular_inline(Membership, raw_id_fields=["user"]),
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        asks_again = change and "kind" in form.changed_data and obj.needs_approval
        if not change and obj.needs_approval:
            obj.approval = Approval.APPROVED
            obj.approval_decided_at = timezone.now()
            obj.approval_decided_by = request.user
        super().save_model(request, obj, form, change)
        if asks_again:
            services.organisation_approval_request(organisation=obj, requested_by=request.user)
            self.message_user(
                request,
                _(
                    "%(org)s is now %(kind)s: it waits for approval again (staff were told); "
                    "decide in the approvals queue."
                )
                % {"org": obj.name, "kind": obj.get_kind_display().lower()},
                messages.WARNING,
            )


@admin.register(ContractReference)
class ContractReferenceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "client_name", "year", "value_band"]
    search_fields = ["organisation__name", "client_name", "description"]
    autocomplete_fields = ["organisation", "client", "cpv_codes"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "organisation",
        "role",
        "status",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["status"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["invited_by", "accepted_by", "on_behalf_of", "decided_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "cluster", "status", "created_at", "decided_at"]
    list_filter = ["status", "cluster"]
    search_fields = ["member__name", "cluster__name"]
    autocomplete_fields = ["cluster", "member"]
    raw_id_fields = ["requested_by", "decided_by"]


@admin.register(ProfileChange)
class ProfileChangeAdmin(admin.ModelAdmin):
    list_display = ["organisation", "changed_by", "on_behalf_of", "created_at"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation", "changed_by", "on_behalf_of"]
    readonly_fields = ["changes", "created_at"]


@admin.register(MembershipChange)
class MembershipChangeAdmin(admin.ModelAdmin):
    """The record of people changes: read only (it is what happened)."""

    list_display = ["organisation", "action", "person_email", "changed_by", "created_at"]
    list_filter = ["action"]
    search_fields = ["organisation__name", "person_email"]
    raw_id_fields = ["organisation", "person", "changed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
