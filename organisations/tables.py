"""The directory's tables (rendered by ``core/_table.html``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.tables import Column, Table

CODE = '<span class="org-code">{{ row.code }}</span>'


def _shown(value):
    """A recorded value as the history shows it: lists of codes joined, nothing as a dash."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    return value


class ClusterMemberTable(Table):
    """The cluster manager's page: members and requests, with what the manager can do."""

    caption = _("Members and requests")
    caption_hidden = True
    empty_text = _("No members or requests yet.")
    css = "table align-middle org-members-table"  # stacked cells on a phone (organisations.css)
    labelled_cells = True
    columns = [
        Column(_("Organisation"), template="organisations/cells/member_name.html"),
        Column(_("Status"), "get_status_display"),
        Column(_("Verified"), template="organisations/cells/member_verified.html"),
        Column(_("Taken over"), template="organisations/cells/member_takeover.html"),
        Column(_("Actions"), template="organisations/cells/member_actions.html"),
    ]


class ApprovalTable(Table):
    """The staff's queue: organisations waiting for approval, with approve and reject."""

    caption = _("Organisations waiting for approval")
    caption_hidden = True
    empty_text = _("Nothing waits for approval.")
    css = "table align-middle"
    columns = [
        Column(_("Organisation"), template="organisations/cells/approval_name.html"),
        Column(_("Kind"), "get_kind_display"),
        Column(_("Country"), "country.name"),
        Column(_("Asked by"), "approval_requested_by.email"),
        Column(_("Asked"), "approval_requested_at", format="datetime"),
        Column(_("Actions"), template="organisations/cells/approval_actions.html"),
    ]


class MembershipTable(Table):
    caption = _("Members")
    caption_hidden = True
    empty_text = _("Nobody yet.")
    css = "table table-sm mb-4"
    columns = [
        Column(_("E-mail"), "user.email"),
        Column(_("Role"), "get_role_display"),
        Column(_("Since"), "created_at", format="date"),
        Column(_("Actions"), template="organisations/cells/membership_actions.html"),
    ]


class MembershipChangeTable(Table):
    """The record of the people page: who changed whom, when, and what."""

    caption = _("Changes of people")
    caption_hidden = True
    empty_text = _("No changes recorded yet.")
    css = "table table-sm mb-4"
    columns = [
        Column(_("When"), "created_at", format="datetime"),
        Column(_("What"), "get_action_display"),
        Column(_("Person"), "person_email"),
        Column(_("Role before"), "get_role_before_display"),
        Column(_("Role after"), "get_role_after_display"),
        Column(_("How"), "detail"),
        Column(_("By"), "changed_by.email"),
    ]


class InvitationTable(Table):
    caption = _("Open invitations")
    caption_hidden = True
    empty_text = _("None.")
    columns = [
        Column(_("E-mail"), "email"),
        Column(_("Role"), "get_role_display"),
        Column(_("Valid until"), template="organisations/cells/invitation_validity.html"),
    ]


class ProfileChangeTable(Table):
    """The fields one change touched: ``(field, [before, after])`` pairs of a ProfileChange."""

    caption = _("Changed fields")
    caption_hidden = True
    row_header = True
    css = "table table-sm mb-0"
    columns = [
        Column(_("Field"), "0"),
        Column(_("Before"), lambda row: _shown(row[1][0])),
        Column(_("After"), lambda row: _shown(row[1][1])),
    ]


class ImportProblemTable(Table):
    caption = _("Rows that will not be imported")
    caption_hidden = True
    css = "table table-sm org-import-errors"
    columns = [
        Column(_("Line"), "line", numeric=True),
        Column(_("Field"), "field"),
        Column(_("Problem"), "message"),
    ]


class ImportRowTable(Table):
    caption = _("New members")
    caption_hidden = True
    empty_text = _("None.")
    columns = [
        Column(_("Line"), "line", numeric=True),
        Column(_("Name"), "name"),
        Column(_("Country"), "country"),
        Column(_("Website"), "website"),
        Column(_("CPV codes"), lambda row: " ".join(row["cpv_codes"]) or None),
    ]


class CodeTable(Table):
    """Matches of the CPV or NACE code search."""

    caption = _("Matching codes")
    caption_hidden = True
    empty_text = _("No codes match.")
    columns = [
        Column(_("Code"), inline=CODE),
        Column(_("Label"), lambda row: row.label_in()),  # in the reader's language
    ]


class ReferenceTable(Table):
    """The references of past contracts on an organisation's page."""

    caption = _("References of past contracts")
    caption_hidden = True
    columns = [
        Column(_("Client"), "client_name"),
        Column(_("Year"), "year"),
        Column(_("Value band"), "get_value_band_display"),
        Column(_("What"), "description"),
    ]


class CPVSuggestionTable(Table):
    """The CPV codes suggested for a text (the page without JavaScript), best first."""

    caption = _("Suggested CPV codes, best first")
    css = "table table-sm align-middle cpv-suggestions"
    row_header = True
    columns = [
        Column(_("Code"), inline="<code>{{ row.code }}</code>"),
        Column(_("Label"), inline="{{ row.label }}"),
        Column(_("Why"), inline="{{ row.why }}", css="small"),
    ]
