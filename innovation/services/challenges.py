"""An innovation challenge and its stage-gate process: posting, the checklists, the gate
decisions, the public summary, and a procurement call at the end.

The rules of the path are :mod:`innovation.process` (pure); these services load what is done,
ask it, and record what was decided. A gate is passed only to the next stage and only with
every required deliverable of the stage done; each decision is a
:class:`~innovation.models.GateDecision` (who, when, the decision, the reasons, the checklist
as it stood) and is mailed to the project's team.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused, refuse_unless
from bigscience_portal.core.text import free_slug
from organisations.models import Organisation
from tenders.models import ProcurementCall
from tenders.services import call_create

from .. import emails, permissions, process
from ..models import (
    OWNER_KINDS,
    ChallengeDeliverable,
    GateDecision,
    InnovationChallenge,
    SolutionProposal,
)
from ._shared import full_clean


def _lock(challenge: InnovationChallenge) -> InnovationChallenge:
    locked = InnovationChallenge.objects.select_for_update().get(pk=challenge.pk)
    challenge.stage = locked.stage
    challenge.stage_entered_at = locked.stage_entered_at
    challenge.procurement_call_id = locked.procurement_call_id
    return challenge


def _unique_slug(title: str) -> str:
    return free_slug(title, InnovationChallenge.objects.all(), fallback="challenge")


@transaction.atomic
def challenge_create(
    *, user, owner: Organisation, fields: dict, cpv_codes: Iterable = ()
) -> InnovationChallenge:
    """A new challenge at the ``need`` stage (a draft only the owner's people see)."""
    refuse_unless(
        owner.kind in OWNER_KINDS,
        _("Challenges are posted by public authorities, infrastructures, clusters or companies."),
        field="owner",
    )
    challenge = InnovationChallenge(owner=owner, created_by=user, stage=process.NEED)
    for name, value in fields.items():
        setattr(challenge, name, value)
    challenge.slug = _unique_slug(challenge.title or "")
    full_clean(challenge)
    challenge.save()
    challenge.cpv_codes.set(list(cpv_codes))
    return challenge


@transaction.atomic
def challenge_update(
    *, challenge: InnovationChallenge, user, fields: dict, cpv_codes: Iterable | None = None
) -> InnovationChallenge:
    stored = _lock(InnovationChallenge.objects.get(pk=challenge.pk))
    refuse_unless(
        stored.stage in (process.NEED, process.OPEN),
        _("The challenge's text is fixed once the proposals are being assessed."),
    )
    for name, value in fields.items():
        setattr(challenge, name, value)
    challenge.stage = stored.stage
    full_clean(challenge)
    challenge.save()
    if cpv_codes is not None:
        challenge.cpv_codes.set(list(cpv_codes))
    return challenge


# --- the checklist ---------------------------------------------------------------------------


def done_keys(challenge: InnovationChallenge) -> set[str]:
    """Every deliverable done: those ticked, and the facts the portal knows."""
    done = set(challenge.deliverables.values_list("key", flat=True))
    proposals = challenge.proposals.values_list("status", flat=True)
    statuses = set(proposals)
    if statuses & set(SolutionProposal.SENT):
        done.add(process.PROPOSALS_RECEIVED)
    if SolutionProposal.Status.SELECTED in statuses:
        done.add(process.PROPOSAL_SELECTED)
    if challenge.procurement_call_id:
        done.add(process.PROCUREMENT_CALL)
    return done


@transaction.atomic
def deliverables_set(
    *, challenge: InnovationChallenge, user, done: Iterable[str], notes: dict | None = None
) -> set[str]:
    """Tick the current stage's deliverables in ``done`` and untick its others (the computed
    ones are facts and are left alone); returns the keys done afterwards."""
    _lock(challenge)
    refuse_unless(
        not process.is_final(challenge.stage), _("The process has ended: nothing is left to tick.")
    )
    items = {d.key: d for d in process.checklist(challenge.stage) if not d.computed}
    wanted = set(done)
    unknown = wanted - set(items)
    refuse_unless(
        not unknown,
        _("Only the deliverables of the current stage (%(stage)s) can be ticked.")
        % {"stage": process.label(challenge.stage)},
    )
    notes = notes or {}
    existing = {d.key: d for d in challenge.deliverables.filter(key__in=items)}
    for key in items:
        row = existing.get(key)
        if key in wanted and row is None:
            ChallengeDeliverable.objects.create(
                challenge=challenge,
                key=key,
                stage=challenge.stage,
                done_by=user,
                note=(notes.get(key) or "")[:500],
            )
        elif key in wanted and row is not None and notes.get(key, row.note) != row.note:
            row.note = (notes.get(key) or "")[:500]
            row.save(update_fields=["note"])
        elif key not in wanted and row is not None:
            row.delete()
    return done_keys(challenge)


# --- gates -----------------------------------------------------------------------------------


def team_users(challenge: InnovationChallenge) -> list:
    """The project's team's people: the owner's and the selected consortium's."""
    selected = (
        challenge.proposals.filter(status=SolutionProposal.Status.SELECTED)
        .prefetch_related("partners")
        .first()
    )
    return emails.people_of(challenge.owner_id, *permissions.consortium_ids(selected))


def _open(challenge: InnovationChallenge) -> None:
    refuse_unless(
        challenge.owner.is_acting,
        _(
            "%(org)s awaits approval by the portal staff: it can open a challenge once it is "
            "approved."
        )
        % {"org": challenge.owner.name},
    )
    refuse_unless(
        challenge.proposals_deadline > timezone.now(),
        _("The deadline for proposals has passed: set a later one before opening the challenge."),
        field="proposals_deadline",
    )
    challenge.published_at = challenge.published_at or timezone.now()


def _close_selection(challenge: InnovationChallenge) -> None:
    """Leaving the selection: the proposals that were not selected are told so."""
    for proposal in challenge.proposals.filter(status=SolutionProposal.Status.SUBMITTED):
        proposal.status = SolutionProposal.Status.NOT_SELECTED
        proposal.decided_at = timezone.now()
        proposal.save(update_fields=["status", "decided_at", "updated_at"])
        emails.proposal_decided(proposal)


@transaction.atomic
def gate_pass(
    *, challenge: InnovationChallenge, user, to_stage: str, decision: str, reasons: str
) -> GateDecision:
    """Decide at the gate out of the current stage (``go`` to ``to_stage``, or ``stop``)."""
    _lock(challenge)
    refuse_unless(
        permissions.can_decide_gate(user, challenge),
        _("Only the challenge owner's administrators decide at a gate."),
    )
    refuse_unless(reasons.strip(), _("Give the reasons of the decision."), field="reasons")
    done = done_keys(challenge)
    if decision == process.STOP:
        to_stage = process.STOPPED
    problems = process.gate_problems(challenge.stage, to_stage, decision, done)
    if problems:
        raise ActionRefused(" ".join(problems))
    from_stage = challenge.stage
    if to_stage == process.OPEN:
        _open(challenge)
    if from_stage == process.SELECTION and to_stage == process.PILOT:
        _close_selection(challenge)
    checklist = [
        {"key": d.key, "required": d.required, "done": d.key in done}
        for d in process.checklist(from_stage)
    ]
    record = GateDecision.objects.create(
        challenge=challenge,
        from_stage=from_stage,
        to_stage=to_stage,
        decision=decision,
        reasons=reasons,
        checklist=checklist,
        decided_by=user,
    )
    challenge.stage = to_stage
    challenge.stage_entered_at = timezone.now()
    challenge.save(update_fields=["stage", "stage_entered_at", "published_at", "updated_at"])
    emails.gate_decided(record, team_users(challenge))
    if to_stage == process.OPEN:
        emails.challenge_opened(challenge)
    return record


@transaction.atomic
def summary_publish(*, challenge: InnovationChallenge, user, text: str) -> InnovationChallenge:
    """The public summary of the process: shown to everyone from now on (empty: withdrawn)."""
    refuse_unless(
        permissions.can_publish_summary(user, challenge),
        _("Only the challenge owner's administrators publish its summary."),
    )
    challenge.public_summary = text.strip()
    challenge.summary_published_at = timezone.now() if challenge.public_summary else None
    full_clean(challenge)
    challenge.save(update_fields=["public_summary", "summary_published_at", "updated_at"])
    return challenge


@transaction.atomic
def procurement_open(
    *, challenge: InnovationChallenge, user, buyer: Organisation, fields: dict, cpv_codes=()
) -> ProcurementCall:
    """A scale-up becomes a procurement: a draft call in the calls app (``tenders``' own
    ``call_create``, which decides who may be a buyer), linked to the challenge."""
    _lock(challenge)
    refuse_unless(
        permissions.can_open_procurement(user, challenge),
        _("A procurement call is opened by the owner's administrators once the pilot scales."),
    )
    refuse_unless(
        buyer.pk == challenge.owner_id
        or buyer.pk in permissions.consortium_ids(permissions.selected_proposal(challenge)),
        _("The buyer is the challenge owner or an organisation of the project's team."),
        field="buyer",
    )
    codes = list(cpv_codes)
    call = call_create(
        user=user,
        buyer=buyer,
        fields={
            "main_cpv": codes[0] if codes else None,
            "stage": ProcurementCall.Stage.CO_DEVELOPMENT,
            "procurement_method": ProcurementCall.Procedure.INNOVATION_PARTNERSHIP,
            **fields,
        },
        additional_cpv=codes[1:],
    )
    challenge.procurement_call = call
    challenge.save(update_fields=["procurement_call", "updated_at"])
    return call
