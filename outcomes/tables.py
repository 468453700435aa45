"""The outcomes pages' tables (core ``Table``s): every chart's figures, and the lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.dates import when
from bigscience_portal.core.tables import Column, Table

from . import industrial_return as ir

BAND_LABELS = {
    ir.WELL_BALANCED: _("Well balanced"),
    ir.POORLY_BALANCED: _("Poorly balanced"),
    ir.VERY_POORLY_BALANCED: _("Very poorly balanced"),
    ir.NO_CONTRIBUTION: _("No contribution entered"),
    ir.NO_AWARDS: _("No awards in the period"),
}


def money(value) -> str:
    return "" if value is None else f"{value:,.0f}".replace(",", "\u202f")


def percent(value) -> str:
    return "" if value is None else f"{value * 100:.2f}\u202f%"


class PipelineTable(Table):
    caption = _("The calls the company follows, furthest stage first")
    empty_text = _("No recommendation or step yet.")
    row_header = True
    columns = [
        Column(_("Call"), template="outcomes/cells/call.html"),
        Column(_("Buyer"), "call.buyer.display_name"),
        Column(_("Stage"), "stage_label"),
        Column(
            _("Submission deadline"),
            lambda row: when(row.call.tender_period_end, row.call.time_zone),
        ),
        Column(_("Steps"), template="outcomes/cells/steps.html"),
    ]


class DeadlineTable(Table):
    empty_text = _("No deadline ahead.")
    columns = [
        Column(_("When"), "when", format="datetime"),
        Column(_("Deadline"), template="outcomes/cells/deadline_kind.html"),
        Column(_("Call"), template="outcomes/cells/call.html"),
    ]


class StepTable(Table):
    caption = _("The steps of the company with this call")
    empty_text = _("No step recorded yet.")
    columns = [
        Column(_("Step"), "get_kind_display"),
        Column(_("When"), "occurred_at", format="date"),
        Column(_("Recorded by"), template="outcomes/cells/step_who.html"),
        Column(_("Value"), template="outcomes/cells/step_value.html"),
        Column(_("Note"), "note"),
        Column(_("State"), template="outcomes/cells/step_state.html"),
    ]


def figures_table(caption, header, rows, *, numeric_from: int = 1) -> Table:
    """A table of plain rows (lists): the first cell names the row, the others are numbers."""
    columns = [Column(title, str(i), numeric=i >= numeric_from) for i, title in enumerate(header)]
    table = Table(rows, columns=columns, caption=caption)
    table.row_header = True
    return table


class AwardLinkTable(Table):
    caption = _("Awards whose winner is not linked to the directory")
    empty_text = _("Every award's winner is linked or decided.")
    columns = [
        Column(_("Winner as the notice names it"), "award.supplier_name"),
        Column(_("Country"), "award.supplier_country.code"),
        Column(_("Call"), template="outcomes/cells/award_call.html"),
        Column(_("Value"), template="outcomes/cells/award_value.html"),
        Column(_("Candidates in the directory"), template="outcomes/cells/award_candidates.html"),
    ]
