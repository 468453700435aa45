"""The tables of the calls app (``core.tables``), rendered by ``core/_table.html``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.dates import when
from bigscience_portal.core.tables import Column, Table

#: an amount with the call's currency (the table's ``currency``), grouped by thousands
AMOUNT = (
    '{% if row.value_amount %}{{ row.value_amount|floatformat:"0g" }} '
    "{{ row.value_currency|default:currency }}{% endif %}"
)


class LotTable(Table):
    caption = _("Lots")
    caption_hidden = True
    columns = [
        Column(_("Lot"), "number"),
        Column(_("Title"), template="tenders/cells/lot_title.html"),
        Column(_("Estimated value"), inline=AMOUNT, numeric=True),
    ]


class DocumentTable(Table):
    caption = _("Documents")
    caption_hidden = True
    empty_text = _("No documents attached.")
    columns = [
        Column(_("Document"), template="tenders/cells/document_link.html"),
        Column(_("Added"), "created_at", format="date"),
    ]


class AwardTable(Table):
    caption = _("Awards")
    caption_hidden = True
    columns = [
        Column(_("Supplier"), template="tenders/cells/award_supplier.html"),
        Column(_("Lot"), "lot_number"),
        Column(_("Value"), inline=AMOUNT, numeric=True),
        Column(_("Date"), "date", format="date"),
    ]


class AmendmentTable(Table):
    caption = _("Amendments")
    caption_hidden = True
    columns = [
        Column(_("When"), "created_at", format="datetime"),
        Column(_("What changed"), inline="{{ row.field_label|capfirst }}"),
        Column(_("Before"), inline="{{ row.old_value|truncatewords:40 }}", css="amendment-value"),
        Column(_("After"), inline="{{ row.new_value|truncatewords:40 }}", css="amendment-value"),
    ]


class OfficerCallTable(Table):
    """The calls of an officer's infrastructures, with what waits for them."""

    caption = _("Calls of your infrastructures")
    caption_hidden = True
    empty_text = _("Your infrastructure has no calls yet.")
    columns = [
        Column(_("Call"), template="tenders/cells/officer_call.html"),
        Column(_("Status"), inline='{% include "tenders/_status_badge.html" with call=row %}'),
        Column(_("Deadline"), lambda row: when(row.tender_period_end, row.time_zone)),
        Column(
            _("Expressions of interest"),
            inline="<a href=\"{% url 'tenders:eoi_list' row.pk %}\">{{ row.eoi_count }}</a>",
            numeric=True,
        ),
        Column(
            _("Questions waiting"), template="tenders/cells/questions_waiting.html", numeric=True
        ),
    ]


class InterestTable(Table):
    caption = _("Expressions of interest")
    caption_hidden = True
    empty_text = _("No expressions of interest yet.")
    columns = [
        Column(_("Company"), template="tenders/cells/eoi_company.html"),
        Column(_("Message"), inline="{{ row.message|linebreaksbr }}"),
        Column(_("Partners"), inline="{{ row.partners|linebreaksbr }}"),
        Column(_("Status"), "get_status_display"),
        Column(_("Sent"), "created_at", format="datetime"),
    ]


class QuestionTable(Table):
    """Every question of a call, for its officers (answered or waiting)."""

    caption = _("Questions")
    caption_hidden = True
    empty_text = _("No questions yet.")
    columns = [
        Column(_("Asked"), "asked_at", format="datetime"),
        Column(_("Question"), template="tenders/cells/question_text.html"),
        Column(_("Answer"), template="tenders/cells/question_answer.html"),
        Column(_("Action"), template="tenders/cells/question_action.html"),
    ]


class SavedSearchTable(Table):
    caption = _("Saved searches")
    caption_hidden = True
    empty_text = _(
        "No saved searches yet. Filter the calls list and save the search at the bottom of the "
        "page."
    )
    columns = [
        Column(_("Name"), inline='<a href="{{ row.get_absolute_url }}">{{ row.name }}</a>'),
        Column(_("Digest"), template="tenders/cells/search_digest.html"),
        Column(_("Last sent"), "last_sent_at", format="datetime", empty="-"),
        Column(
            _("Actions"),
            template="tenders/cells/search_actions.html",
        ),
    ]


class ImportOutcomeTable(Table):
    """What an upload of TED notices did to each file."""

    caption = _("Files")
    caption_hidden = True
    columns = [
        Column(_("File"), "filename"),
        Column(_("Result"), template="tenders/cells/outcome_result.html"),
        Column(_("Details"), template="tenders/cells/outcome_details.html"),
    ]


class HarvestTable(Table):
    """TED harvests, newest first: what each asked, found and did, and how it ended."""

    caption = _("TED harvests, newest first")
    caption_hidden = True
    empty_text = _("No harvest yet.")
    columns = [
        Column("#", inline='<a href="{{ row.get_absolute_url }}">{{ row.pk }}</a>'),
        Column(_("Status"), "get_status_display"),
        Column(_("Started"), inline='{{ row.started_at|date:"Y-m-d H:i"|default:"-" }}'),
        Column(_("Since"), inline='{{ row.since|date:"Y-m-d" }}'),
        Column(_("Pages"), "pages"),
        Column(_("Found"), "found"),
        Column(_("Imported"), "imported"),
        Column(_("Unchanged"), "unchanged"),
        Column(_("Outside the profile"), "out_of_scope"),
        Column(_("Refused"), "refused"),
        Column(_("Error"), "error", empty=""),
    ]
