"""The meeting schedule in words: why the scheduler left a meeting out, why a move by hand
clashes, and which accepted meetings the organiser still has to place.

The scheduler (``scheduler.py``) speaks in codes and ids; these are the sentences the organiser
reads on the schedule page and in a refused move.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import MeetingRequest


def reason_text(code: str, message: str) -> str:
    """The scheduler's reason for not placing a meeting, in words (its own message names ids)."""
    texts = {
        "no_common_session": _("The two have no meeting session in common."),
        "no_slots_in_common_sessions": _("Their common sessions are shorter than one slot."),
        "max_meetings_reached": _("One of them already has the maximum number of meetings."),
        "no_common_free_slot": _("There is no slot in which both are free."),
        "tables_full": _("All tables are taken in the slots in which both are free."),
    }
    if code == "locked_invalid":
        return _("Its locked place is no longer possible (%(why)s).") % {"why": message}
    return texts.get(code, message)


def clash_text(clash, meeting_request: MeetingRequest, table: int) -> str:
    """Why moving ``meeting_request`` to ``table`` in a slot clashes, naming the person."""
    people = {
        meeting_request.requester_id: meeting_request.requester.display_name,
        meeting_request.recipient_id: meeting_request.recipient.display_name,
    }
    who = people.get(clash.participant_id, "")
    texts = {
        "participant_busy": _("%(who)s already has a meeting in that slot."),
        "participant_unavailable": _("%(who)s is not available in that session."),
        "max_meetings_reached": _("%(who)s already has the maximum number of meetings."),
        "table_taken": _("Table %(table)s is already used in that slot."),
        "table_out_of_range": _("There is no table %(table)s."),
        "unknown_slot": _("That slot does not exist."),
        "unknown_meeting": _("This meeting is not accepted."),
    }
    return texts.get(str(clash.code), clash.message) % {"who": who, "table": table}


def still_to_place(brokerage, accepted: dict[int, MeetingRequest], meetings) -> tuple[list, list]:
    """The accepted meetings that are not placed: those the last run could not place (each with
    its reason in words), and those accepted since the last run."""
    unplaced = [
        {
            **u,
            "request": accepted[u["request_id"]],
            "text": reason_text(u.get("reason", ""), u.get("message", "")),
        }
        for u in brokerage.unplaced
        if u.get("request_id") in accepted
    ]
    placed = {m.request_id for m in meetings}
    left_out = {u["request_id"] for u in unplaced}
    not_yet_run = [r for pk, r in accepted.items() if pk not in placed and pk not in left_out]
    return unplaced, not_yet_run
