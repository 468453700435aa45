from django.contrib import admin

from .models import (
    Certification,
    ClusterMembership,
    ContractReference,
    CPVCode,
    Invitation,
    JoinRequest,
    Membership,
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


class ContractReferenceInline(admin.TabularInline):
    model = ContractReference
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["client"]
    exclude = ["cpv_codes"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "status", "size_class", "verified_at", "is_demo"]
    list_filter = ["kind", "status", "size_class", "is_demo", "country"]
    search_fields = ["name", "acronym", "legal_name", "capabilities"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["cpv_codes", "nace_codes", "verified_by_cluster"]
    filter_horizontal = ["certifications", "technology_domains"]
    raw_id_fields = ["verified_by"]
    inlines = [ContractReferenceInline, MembershipInline]


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
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organisation__name"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["invited_by", "accepted_by"]


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
