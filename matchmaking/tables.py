"""The tables of the matchmaking pages (rendered by ``core/_table.html``)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table

from .models import Feedback

#: the score beside its fit level in words ("53%", "strong fit")
SCORE = Column(_("Score and fit"), template="matchmaking/cells/score.html")


class SupplierTable(Table):
    """A call's suggested suppliers, best first, with the liaison officer's invitation button
    (context: ``call``, ``invited_ids``); the reasons are written for the officer."""

    caption = _("Companies that fit this call, best first")
    caption_hidden = True
    empty_text = _(
        "No suggested suppliers yet. Scoring runs in the background when the call is "
        "published; this page fills within seconds."
    )
    css = "table table-sm align-middle suppliers"
    columns = [
        Column("#", "rank_for_call"),
        Column(_("Company"), template="matchmaking/cells/supplier.html"),
        SCORE,
        Column(_("Why"), template="matchmaking/cells/reasons.html"),
        Column(_("Invite"), template="matchmaking/cells/invite.html"),
    ]


class BoardTable(Table):
    """A cluster's member companies and the open calls that fit them, with the manager's
    forward button (context: ``cluster``); the reasons are written for the cluster manager
    (about the member and the call, never "your code")."""

    caption = _("Member companies and open calls, best fits first")
    caption_hidden = True
    empty_text = _("No open call fits your members yet.")
    css = "table table-sm align-middle board"
    columns = [
        Column(_("Member"), template="matchmaking/cells/company.html"),
        Column(_("Call"), template="matchmaking/cells/call.html"),
        SCORE,
        Column(
            _("Why"),
            inline='{% load matchmaking_tags %}<ul class="reasons small mb-0">'
            '{% for r in row|reasons_for:"cluster"|slice:":3" %}<li>{{ r }}</li>{% endfor %}</ul>',
        ),
        Column(_("Forward"), template="matchmaking/cells/forward.html"),
    ]


class _GridCallColumn(Column):
    """A call of the board's grid: the call in its header (linked, its buyer, how many of
    the members it fits), in each member's cell their match with it (context: ``cluster``,
    ``form``)."""

    def __init__(self, index: int, column) -> None:
        super().__init__(
            render_to_string("matchmaking/cells/grid_call.html", {"column": column}),
            template="matchmaking/cells/grid_forward.html",
            css="board-grid-cell",
            header_css="board-grid-call",
        )
        self.index = index

    def cell(self, row, context: dict):
        return self.template.render({**context, "row": row, "cell": row.cells[self.index]})


class BoardGridTable(Table):
    """A cluster's board as a grid (``selectors.board_grid``): a row per member, a column per
    call of the page, each cell the fit and the forward form or the forwarded mark."""

    empty_text = _("No open call fits your members yet.")
    css = "table table-sm table-bordered align-top board-grid"
    row_header = True

    def __init__(self, grid, *, page, **kwargs) -> None:
        columns = [
            Column(
                _("Member"),
                template="matchmaking/cells/company.html",
                css="board-grid-member",
                header_css="board-grid-member",
            ),
            *(_GridCallColumn(i, column) for i, column in enumerate(grid.columns)),
        ]
        caption = gettext(
            "Members and the open calls that fit them (calls %(first)s to %(last)s of %(total)s, "
            "those that fit the most members first)"
        ) % {"first": page.start_index(), "last": page.end_index(), "total": page.paginator.count}
        super().__init__(grid.rows, columns=columns, caption=caption, **kwargs)


class RunTable(Table):
    """Scoring runs, newest first: what each scored (``run.target``, linked),
    how long it took, how it ended, and a retry button on the failed ones."""

    caption = _("Scoring runs, newest first")
    caption_hidden = True
    empty_text = _("No run yet.")
    css = "table table-sm runs"
    columns = [
        Column("#", "pk"),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Target"), template="matchmaking/cells/run_target.html"),
        Column(_("Status"), "get_status_display"),
        Column(_("Queued"), inline='{{ row.created_at|date:"Y-m-d H:i:s" }}'),
        Column(_("Duration (s)"), inline="{{ row.duration_seconds|floatformat:2 }}"),
        Column(_("Pairs"), "pairs_scored"),
        Column(_("Rows"), "rows_stored"),
        Column(_("Chunks"), lambda run: f"{run.chunks_done}/{run.chunk_count}"),
        Column(_("Attempts"), "attempts"),
        Column(_("Error"), inline="{{ row.error|truncatechars:200 }}", css="small text-danger"),
        Column(_("Retry"), template="matchmaking/cells/run_retry.html"),
    ]


def _reason_label(call) -> str:
    reasons = dict(Feedback.Reason.choices)
    return str(reasons.get(call.dismissed_reason, "")) or "\u2013"


class DismissedTable(Table):
    """The calls a company marked not relevant, last dismissed first, each with its "Undo"
    button (context: ``company``)."""

    caption = _("Calls you marked not relevant")
    caption_hidden = True
    empty_text = _("You have not marked any call not relevant.")
    css = "table table-sm align-middle dismissed"
    row_header = True
    columns = [
        Column(_("Call"), template="matchmaking/cells/dismissed_call.html"),
        Column(_("Why not"), _reason_label),
        Column(_("Marked"), "dismissed_at", format="datetime"),
        Column(_("Undo"), template="matchmaking/cells/undo.html"),
    ]
