"""The shapes the apps' admin pages share: inlines of a parent's rows, read-only records."""

from __future__ import annotations

from django.contrib import admin


def tabular_inline(model, **options) -> type[admin.TabularInline]:
    """An inline table of ``model``'s rows on its parent's admin page, with no empty extra rows
    (``options`` are the inline's other attributes: ``raw_id_fields``, ``readonly_fields`` ...)."""
    attributes = {"model": model, "extra": 0, **options}
    return type(f"{model.__name__}Inline", (admin.TabularInline,), attributes)


def record_inline(model, fields) -> type[admin.TabularInline]:
    """An inline of records of what happened (status changes, decisions): ``fields`` are shown
    read-only and no row can be deleted."""
    return tabular_inline(model, readonly_fields=list(fields), can_delete=False)


class TaskRecordAdmin(admin.ModelAdmin):
    """The admin of a :class:`~bigscience_portal.core.models.TaskRecord`: every field read-only
    (the record says what the background work did; the sweeper and the tasks write it)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
