"""The one table component: a :class:`Table` declares its columns, ``core/_table.html`` renders it.

    class RunTable(Table):
        caption = _("Matching runs")
        empty_text = _("No runs yet.")
        columns = [
            Column(_("Kind"), "get_kind_display"),
            Column(_("Status"), template="matchmaking/cells/run_status.html"),
            Column(_("Queued"), "created_at", format="datetime"),
        ]

    {% include "core/_table.html" with table=table %}

A column shows an attribute path of the row (``"company.name"``; a method is called, a dict key
or a list index works too), the result of a function of the row, or a small template rendered
with ``row`` and the table's context (``request``, ``user``, ``csrf_token`` and what the view
passes as ``context``). Cell values are escaped like every template variable. The markup is
accessible by construction: a caption (visually hidden when ``caption_hidden``), ``<th
scope="col">`` headers, a row header column (``row_header=True``), and a responsive wrapper that
scrolls on a phone instead of overflowing.

Why not django-tables2: its tables bring their own pagination (``RequestConfig``) and ordering
by column headers beside the list stack's paginator and the FilterSets' ``sort`` filters, a
second way to do each; the portal's tables need neither, and this is about a hundred lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from django.middleware.csrf import get_token
from django.template import engines
from django.template.loader import get_template
from django.utils import formats

from bigscience_portal.core import dates


def _resolve(row, path: str):
    value = row
    for part in path.split("."):
        if value is None:
            return None
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list | tuple) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            value = getattr(value, part, None)
        if callable(value) and not isinstance(value, type):
            value = value()
    return value


def _format(value, how: str | None):
    if value is None or value == "":
        return None
    if how == "datetime":
        return dates.when(value)
    if how == "date":
        return dates.day(value)
    if how == "number":
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return value


class Column:
    """One column: a header and how a row's cell is made."""

    def __init__(
        self,
        header,
        accessor: str | Callable | None = None,
        *,
        template: str | None = None,
        inline: str | None = None,
        format: str | None = None,
        css: str = "",
        header_css: str = "",
        empty: str = "\u2013",  # an en dash
        numeric: bool = False,
    ) -> None:
        self.header = header
        self.accessor = accessor
        self.template_name = template
        self.inline = inline
        self.format = format
        self.css = ("text-end " + css).strip() if numeric else css
        self.header_css = ("text-end " + header_css).strip() if numeric else header_css
        self.empty = empty

    @cached_property
    def template(self):
        if self.template_name:
            return get_template(self.template_name)
        if self.inline is not None:
            return engines["django"].from_string(self.inline)
        return None

    def cell(self, row, context: dict):
        if self.template is not None:
            return self.template.render({**context, "row": row})
        if callable(self.accessor):
            value = self.accessor(row)
        elif self.accessor is not None:
            value = _resolve(row, self.accessor)
        else:
            value = row
        value = _format(value, self.format)
        return self.empty if value is None else value


class BoundCell:
    __slots__ = ("column", "value")

    def __init__(self, column: Column, value) -> None:
        self.column = column
        self.value = value


class Table:
    """Rows and the columns that show them; subclasses declare ``columns`` and a ``caption``."""

    columns: list[Column] = []
    caption = ""
    caption_hidden = False
    empty_text = ""
    #: the first column names the row (``<th scope="row">``)
    row_header = False
    #: each cell carries its column's header (``data-label``), for a stylesheet that stacks the
    #: cells of a row on a phone and labels them (e.g. the cluster's members list)
    labelled_cells = False
    css = "table table-sm align-middle"

    def __init__(
        self,
        rows: Iterable,
        *,
        request=None,
        context: dict | None = None,
        columns: list[Column] | None = None,
        caption=None,
    ) -> None:
        self.source = list(rows)
        self.request = request
        self.extra = context or {}
        if columns is not None:
            self.columns = columns
        if caption is not None:
            self.caption = caption

    @cached_property
    def context(self) -> dict:
        context = dict(self.extra)
        if self.request is not None:
            context.setdefault("request", self.request)
            context.setdefault("user", getattr(self.request, "user", None))
            context.setdefault("csrf_token", get_token(self.request))
        return context

    @cached_property
    def rows(self) -> list[list[BoundCell]]:
        context = self.context
        return [
            [BoundCell(column, column.cell(row, context)) for column in self.columns]
            for row in self.source
        ]

    def __len__(self) -> int:
        return len(self.source)

    def __bool__(self) -> bool:
        return bool(self.source)
