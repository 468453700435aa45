from django.contrib import admin

from bigscience_portal.core.admin_bases import tabular_inline

from . import models


@admin.register(models.FunnelStep)
class FunnelStepAdmin(admin.ModelAdmin):
    list_display = ["company", "call", "kind", "occurred_at", "source", "retracted_at"]
    list_filter = ["kind"]
    search_fields = ["company__name", "call__title", "source"]
    raw_id_fields = ["company", "call", "via", "recorded_by", "retracted_by"]
    date_hierarchy = "occurred_at"


@admin.register(models.AwardLink)
class AwardLinkAdmin(admin.ModelAdmin):
    list_display = ["award", "organisation", "decided_by", "decided_at"]
    raw_id_fields = ["award", "organisation", "decided_by"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "valid_from", "eur_per_unit", "source"]
    list_filter = ["currency"]


@admin.register(models.ContributionSource)
class ContributionSourceAdmin(admin.ModelAdmin):
    list_display = ["title", "infrastructure", "illustrative", "created_at"]
    list_filter = ["illustrative"]
    inlines = [
        tabular_inline(
            models.Contribution, fields=["infrastructure", "country", "year", "share_percent"]
        )
    ]
    raw_id_fields = ["created_by"]


@admin.register(models.Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["infrastructure", "country", "year", "share_percent", "source"]
    list_filter = ["year"]
    search_fields = ["infrastructure__name"]


@admin.register(models.ReturnSettings)
class ReturnSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "infrastructure",
        "poorly_balanced_below",
        "very_poorly_balanced_below",
        "favours_poorly_balanced",
        "window_years",
    ]
