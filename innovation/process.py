"""The stage-gate path of an innovation challenge: plain data and rules, no ORM.

What InnoTech TaskForce calls a "360 degree digital process tool": a challenge goes from the
need to an open challenge, proposals, the selection of one, a pilot and its evaluation, and ends
in a scale-up or a procurement (or is stopped at a gate). Each stage has a checklist of
deliverables; the gate out of a stage is passed by a recorded decision, only to the next stage
(never skipping one) and only when every required deliverable of the stage is done. Some
deliverables are facts the portal knows (a proposal was received, one was selected): they are
``computed`` and cannot be ticked by hand.

The services (``innovation.services.challenges``) load what is done and ask :func:`gate_problems`;
this module never touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NEED = "need"
OPEN = "open"
PROPOSALS = "proposals"
SELECTION = "selection"
PILOT = "pilot"
EVALUATION = "evaluation"
SCALE_UP = "scale_up"
PROCUREMENT = "procurement"
STOPPED = "stopped"

#: every stage, in the order the path goes (the two outcomes share the last place)
STAGES = (NEED, OPEN, PROPOSALS, SELECTION, PILOT, EVALUATION, SCALE_UP, PROCUREMENT, STOPPED)
STAGE_LABELS = {
    NEED: _("Need"),
    OPEN: _("Challenge open"),
    PROPOSALS: _("Proposals"),
    SELECTION: _("Selection"),
    PILOT: _("Pilot"),
    EVALUATION: _("Evaluation"),
    SCALE_UP: _("Scale-up"),
    PROCUREMENT: _("Procurement"),
    STOPPED: _("Stopped"),
}
STAGE_CHOICES = [(stage, STAGE_LABELS[stage]) for stage in STAGES]
#: where a "go" decision at the gate out of a stage may lead
NEXT: dict[str, tuple[str, ...]] = {
    NEED: (OPEN,),
    OPEN: (PROPOSALS,),
    PROPOSALS: (SELECTION,),
    SELECTION: (PILOT,),
    PILOT: (EVALUATION,),
    EVALUATION: (SCALE_UP, PROCUREMENT),
    SCALE_UP: (),
    PROCUREMENT: (),
    STOPPED: (),
}
FINAL = (SCALE_UP, PROCUREMENT, STOPPED)
#: the main path, as the process page draws it (the outcome is one of the last two)
PATH = (NEED, OPEN, PROPOSALS, SELECTION, PILOT, EVALUATION)

GO = "go"
STOP = "stop"
DECISION_CHOICES = [(GO, _("Go: pass the gate")), (STOP, _("Stop the process"))]

#: computed deliverables: facts the portal records itself
PROPOSALS_RECEIVED = "proposals_received"
PROPOSAL_SELECTED = "proposal_selected"
PROCUREMENT_CALL = "procurement_call"


@dataclass(frozen=True)
class Deliverable:
    """One item of a stage's checklist."""

    key: str
    stage: str
    title: str
    required: bool = True
    computed: bool = False


def _items(stage: str, *items: tuple) -> tuple[Deliverable, ...]:
    return tuple(Deliverable(key, stage, title, *flags) for key, title, *flags in items)


CHECKLISTS: dict[str, tuple[Deliverable, ...]] = {
    NEED: _items(
        NEED,
        ("need_statement", _("Need statement: who has the need, why now, the goal it serves")),
        (
            "data_and_constraints",
            _("Data available and constraints (GDPR, cyber-security, standards) described"),
        ),
        ("budget_and_timeline", _("Budget and timeline approved")),
    ),
    OPEN: _items(
        OPEN,
        ("evaluation_criteria", _("Evaluation criteria published with the challenge")),
        ("market_dialogue", _("Market dialogue or information session held"), False),
    ),
    PROPOSALS: _items(
        PROPOSALS,
        (PROPOSALS_RECEIVED, _("At least one solution proposal received"), True, True),
        ("proposals_assessed", _("Proposals assessed against the evaluation criteria")),
    ),
    SELECTION: _items(
        SELECTION,
        (PROPOSAL_SELECTED, _("A proposal selected"), True, True),
        ("data_sharing_agreement", _("Data-sharing agreement signed")),
        ("gdpr_security_check", _("GDPR and cyber-security check done")),
    ),
    PILOT: _items(
        PILOT,
        ("standards_architecture", _("Standards and architecture principles checked")),
        ("pilot_plan", _("Pilot plan agreed: sites, duration, what is measured")),
        ("pilot_report", _("Pilot carried out and reported")),
    ),
    EVALUATION: _items(
        EVALUATION,
        ("pilot_evaluation", _("Evaluation of the pilot")),
        ("business_case", _("Business case for a scale-up or a procurement")),
    ),
    SCALE_UP: _items(SCALE_UP, ("rollout_plan", _("Roll-out plan"), False)),
    PROCUREMENT: _items(PROCUREMENT, (PROCUREMENT_CALL, _("Procurement call opened"), False, True)),
    STOPPED: (),
}
DELIVERABLES = {d.key: d for items in CHECKLISTS.values() for d in items}


def label(stage: str) -> str:
    return str(STAGE_LABELS.get(stage, stage))


def checklist(stage: str) -> tuple[Deliverable, ...]:
    return CHECKLISTS.get(stage, ())


def is_final(stage: str) -> bool:
    return stage in FINAL


def position(stage: str) -> int:
    """The stage's place on the path (both outcomes and a stop come after the evaluation)."""
    if stage in PATH:
        return PATH.index(stage)
    return len(PATH)


def missing(stage: str, done: Iterable[str]) -> list[Deliverable]:
    """The required deliverables of ``stage`` that are not in ``done``."""
    done = set(done)
    return [d for d in checklist(stage) if d.required and d.key not in done]


def gate_problems(stage: str, to_stage: str, decision: str, done: Iterable[str]) -> list[str]:
    """Why the gate out of ``stage`` may not be passed now (empty: it may).

    A "go" leads only to a next stage of :data:`NEXT` (no skipping) and needs every required
    deliverable of ``stage``; a "stop" may end any stage that is not final, whatever is done."""
    if is_final(stage):
        return [
            str(
                _("The process has ended (%(stage)s): there is no gate left.")
                % {"stage": label(stage)}
            )
        ]
    if decision == STOP:
        return []
    if decision != GO:
        return [str(_("Choose go or stop."))]
    if to_stage not in NEXT[stage]:
        allowed = ", ".join(label(s) for s in NEXT[stage])
        return [
            str(
                _(
                    "From %(stage)s the gate leads to %(allowed)s only: %(to)s cannot be reached now."
                )
                % {"stage": label(stage), "allowed": allowed, "to": label(to_stage)}
            )
        ]
    lacking = missing(stage, done)
    if lacking:
        return [
            str(
                _("The gate cannot be passed: %(missing)s.")
                % {"missing": "; ".join(str(d.title) for d in lacking)}
            )
        ]
    return []
