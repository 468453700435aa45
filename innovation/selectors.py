"""Reads of technology transfer and innovation: querysets with what their pages need joined,
the process page's plain data, and the saved searches' digests. No writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Prefetch, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from bigscience_portal.core import savedsearches
from organisations.code_labels import cpv_with_labels
from organisations.models import Approval, Organisation

from . import permissions, process
from .filtersets import OpportunityFilterSet
from .models import (
    ChallengeDeliverable,
    GateDecision,
    InnovationChallenge,
    Interest,
    OpportunityMatch,
    OpportunitySearch,
    OpportunitySearchDelivery,
    PartnershipOpportunity,
    ProposalPartner,
    SolutionProposal,
)

# --- opportunities -----------------------------------------------------------------------------


def _with_rows(qs: QuerySet[PartnershipOpportunity]) -> QuerySet[PartnershipOpportunity]:
    """What a row of an opportunities list shows, in a constant number of queries."""
    return qs.select_related("organisation").prefetch_related(
        Prefetch("cpv_codes", queryset=cpv_with_labels())  # labels in the reader's language
    )


def opportunities_public() -> QuerySet[PartnershipOpportunity]:
    return _with_rows(PartnershipOpportunity.objects.public())


def opportunity_search(*, user, params) -> QuerySet[PartnershipOpportunity]:
    """The public list filtered as ``params`` (a querystring or QueryDict) says."""
    if isinstance(params, str):
        params = QueryDict(params)
    filterset = OpportunityFilterSet(
        params, queryset=opportunities_public(), request=SimpleNamespace(user=user)
    )
    if not filterset.is_valid():
        return PartnershipOpportunity.objects.none()
    return filterset.qs


def opportunity_detail(pk: int) -> PartnershipOpportunity:
    return (
        PartnershipOpportunity.objects.select_related("organisation", "contact")
        .prefetch_related("cpv_codes", "nace_codes", "attachments")
        .get(pk=pk)
    )


def organisation_opportunities(user) -> QuerySet[PartnershipOpportunity]:
    """Every opportunity of the user's organisations, whatever its state."""
    return _with_rows(
        PartnershipOpportunity.objects.filter(
            organisation_id__in=permissions.member_organisation_ids(user)
        )
    ).order_by("status", "-updated_at", "-pk")


def review_queue(user) -> QuerySet[PartnershipOpportunity]:
    """Opportunities waiting for the user's review: their administered organisations' while
    those act; staff, every one waiting."""
    waiting = PartnershipOpportunity.objects.filter(status=PartnershipOpportunity.Status.IN_REVIEW)
    if not getattr(user, "is_authenticated", False):
        return waiting.none()
    if not user.is_staff:
        admin_of = [
            pk
            for pk in permissions.member_organisation_ids(user)
            if permissions.is_admin_of(user, pk)
        ]
        acting = ~Q(organisation__kind__in=Organisation.PRIVILEGED_KINDS) | Q(
            organisation__approval=Approval.APPROVED
        )
        waiting = waiting.filter(acting, organisation_id__in=admin_of)
    return _with_rows(waiting).order_by("updated_at", "pk")


def opportunity_status_changes(opportunity: PartnershipOpportunity):
    return opportunity.status_changes.select_related("changed_by")


def opportunity_interests(opportunity: PartnershipOpportunity) -> QuerySet[Interest]:
    return opportunity.interests.select_related("organisation", "submitted_by")


def interest_detail(pk: int) -> Interest:
    return Interest.objects.select_related(
        "opportunity", "opportunity__organisation", "organisation", "submitted_by"
    ).get(pk=pk)


def interests_of_user(user) -> QuerySet[Interest]:
    """Interests the user's organisations sent or received, newest first."""
    mine = permissions.member_organisation_ids(user)
    return (
        Interest.objects.filter(
            Q(organisation_id__in=mine) | Q(opportunity__organisation_id__in=mine)
        )
        .select_related("opportunity", "opportunity__organisation", "organisation")
        .order_by("-created_at", "-pk")
    )


def user_interest(user, opportunity) -> list[Interest]:
    mine = permissions.member_organisation_ids(user)
    return list(
        opportunity.interests.filter(organisation_id__in=mine).select_related("organisation")
    )


def opportunity_matches(opportunity: PartnershipOpportunity) -> QuerySet[OpportunityMatch]:
    """The companies the engine found for the opportunity, best first."""
    return opportunity.matches.select_related("company").order_by("rank", "company_id")


def company_opportunities(company, *, limit: int | None = None) -> QuerySet[OpportunityMatch]:
    """Live public opportunities that fit a company, best first."""
    qs = (
        OpportunityMatch.objects.filter(
            company=company,
            opportunity__in=PartnershipOpportunity.objects.public(),
        )
        .select_related("opportunity", "opportunity__organisation")
        .order_by("-score", "opportunity_id")
    )
    return qs[:limit] if limit else qs


def match_runs(opportunity: PartnershipOpportunity):
    from .models import OpportunityMatchRun

    return OpportunityMatchRun.objects.filter(
        kind=OpportunityMatchRun.Kind.OPPORTUNITY, target_id=opportunity.pk
    ).order_by("-created_at", "-pk")


def organisation_public_opportunities(
    organisation, limit: int = 10
) -> list[PartnershipOpportunity]:
    return list(
        PartnershipOpportunity.objects.public()
        .filter(organisation=organisation)
        .order_by("-published_at", "-pk")[:limit]
    )


# --- saved searches ------------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "innovation.search.unsubscribe"


def user_searches(user) -> QuerySet[OpportunitySearch]:
    return OpportunitySearch.objects.filter(user=user).order_by("name", "pk")


def unsubscribe_token(search: OpportunitySearch) -> str:
    return savedsearches.unsubscribe_token(search, salt=UNSUBSCRIBE_SALT)


def search_for_token(token: str) -> OpportunitySearch | None:
    return savedsearches.search_for_token(OpportunitySearch, token, salt=UNSUBSCRIBE_SALT)


def search_new_opportunities(search: OpportunitySearch) -> QuerySet[PartnershipOpportunity]:
    """Public opportunities the search finds, published after it was saved, never sent for it."""
    return (
        opportunity_search(user=search.user, params=search.querystring)
        .filter(published_at__gt=search.created_at)
        .exclude(
            pk__in=OpportunitySearchDelivery.objects.filter(search=search).values("opportunity_id")
        )
        .order_by("published_at", "pk")
    )


# --- challenges ----------------------------------------------------------------------------------


def challenges_public() -> QuerySet[InnovationChallenge]:
    return (
        InnovationChallenge.objects.exclude(stage=process.NEED)
        .select_related("owner")
        .order_by("-published_at", "-pk")
    )


def challenge_by_slug(slug: str) -> InnovationChallenge | None:
    return (
        InnovationChallenge.objects.select_related("owner", "procurement_call")
        .prefetch_related("cpv_codes")
        .filter(slug=slug)
        .first()
    )


def challenges_of_user(user) -> QuerySet[InnovationChallenge]:
    return (
        InnovationChallenge.objects.filter(owner_id__in=permissions.member_organisation_ids(user))
        .select_related("owner")
        .order_by("-updated_at", "-pk")
    )


def _proposal_rows(qs: QuerySet[SolutionProposal]) -> QuerySet[SolutionProposal]:
    return qs.select_related("lead", "challenge", "challenge__owner").prefetch_related(
        Prefetch("partners", queryset=ProposalPartner.objects.select_related("organisation"))
    )


def challenge_proposals(challenge: InnovationChallenge) -> QuerySet[SolutionProposal]:
    """The proposals the owner reads: those sent (drafts are their consortium's)."""
    return _proposal_rows(challenge.proposals.filter(status__in=SolutionProposal.SENT)).order_by(
        "submitted_at", "pk"
    )


def proposals_of_user(user) -> QuerySet[SolutionProposal]:
    """Proposals the user's organisations lead or are partners of."""
    mine = permissions.member_organisation_ids(user)
    return _proposal_rows(
        SolutionProposal.objects.filter(
            Q(lead_id__in=mine) | Q(partners__organisation_id__in=mine)
        ).distinct()
    ).order_by("-updated_at", "-pk")


def proposal_detail(pk: int) -> SolutionProposal:
    return _proposal_rows(SolutionProposal.objects.prefetch_related("attachments")).get(pk=pk)


# --- the process page ------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    key: str
    title: str
    required: bool
    computed: bool
    done: bool
    done_by: str = ""
    done_at: dt.datetime | None = None
    note: str = ""


@dataclass
class StageView:
    key: str
    label: str
    state: str  # "done", "current", "ahead", "skipped"
    items: list[ChecklistItem] = field(default_factory=list)


@dataclass
class HistoryEntry:
    when: dt.datetime
    what: str
    who: str = ""
    detail: str = ""


@dataclass
class ProcessView:
    challenge: InnovationChallenge
    stages: list[StageView]
    current: StageView
    missing: list[ChecklistItem]
    next_stages: list[tuple[str, str]]
    history: list[HistoryEntry]
    team: list
    decisions: list[GateDecision]


def person_name(user) -> str:
    """How a page names a user: the full name, else the e-mail address ("" for nobody)."""
    if user is None:
        return ""
    return user.get_full_name() or user.email


def process_view(challenge: InnovationChallenge, *, done: set[str]) -> ProcessView:
    """Where the challenge stands, what is missing and what happened, as plain data."""
    ticked = {
        d.key: d
        for d in ChallengeDeliverable.objects.filter(challenge=challenge).select_related("done_by")
    }
    decisions = list(
        GateDecision.objects.filter(challenge=challenge)
        .select_related("decided_by")
        .order_by("decided_at", "pk")
    )
    current_pos = process.position(challenge.stage)
    reached = {d.to_stage for d in decisions} | {process.NEED, challenge.stage}
    stages = []
    shown = list(process.PATH)
    if challenge.stage in (process.SCALE_UP, process.PROCUREMENT, process.STOPPED):
        shown.append(challenge.stage)
    else:
        shown += [process.SCALE_UP, process.PROCUREMENT]
    for key in shown:
        if key == challenge.stage:
            state = "current"
        elif key in reached:
            state = "done"
        elif process.position(key) < current_pos:
            state = "skipped"  # a stop ended the path before it
        else:
            state = "ahead"
        items = []
        for d in process.checklist(key):
            row = ticked.get(d.key)
            items.append(
                ChecklistItem(
                    key=d.key,
                    title=str(d.title),
                    required=d.required,
                    computed=d.computed,
                    done=d.key in done,
                    done_by=person_name(row.done_by) if row else "",
                    done_at=row.done_at if row else None,
                    note=row.note if row else "",
                )
            )
        stages.append(StageView(key=key, label=process.label(key), state=state, items=items))
    current = next(s for s in stages if s.key == challenge.stage)
    history = [HistoryEntry(challenge.created_at, str(_("Challenge drafted")))]
    if challenge.published_at:
        history.append(
            HistoryEntry(challenge.published_at, str(_("Challenge opened for proposals")))
        )
    for d in decisions:
        verb = _("Gate passed") if d.decision == process.GO else _("Process stopped")
        history.append(
            HistoryEntry(
                d.decided_at,
                f"{verb}: {process.label(d.from_stage)} → {process.label(d.to_stage)}",
                person_name(d.decided_by),
                d.reasons,
            )
        )
    for row in ticked.values():
        history.append(
            HistoryEntry(
                row.done_at, f"{_('Done')}: {row.title}", person_name(row.done_by), row.note
            )
        )
    for p in challenge.proposals.filter(status__in=SolutionProposal.SENT).select_related("lead"):
        if p.submitted_at:
            history.append(
                HistoryEntry(p.submitted_at, f"{_('Proposal received')}: {p.title}", p.lead.name)
            )
        if p.status == SolutionProposal.Status.SELECTED and p.decided_at:
            history.append(
                HistoryEntry(p.decided_at, f"{_('Proposal selected')}: {p.title}", p.lead.name)
            )
    history.sort(key=lambda h: h.when, reverse=True)
    selected = permissions.selected_proposal(challenge)
    team = [SimpleNamespace(organisation=challenge.owner, role=_("Challenge owner"))]
    if selected is not None:
        team.append(
            SimpleNamespace(organisation=selected.lead, role=_("Lead of the selected proposal"))
        )
        for partner in selected.partners.all():  # prefetched with their organisations
            team.append(
                SimpleNamespace(
                    organisation=partner.organisation, role=partner.role or _("Consortium partner")
                )
            )
    return ProcessView(
        challenge=challenge,
        stages=stages,
        current=current,
        missing=[i for i in current.items if i.required and not i.done],
        next_stages=[(s, process.label(s)) for s in process.NEXT.get(challenge.stage, ())],
        history=history,
        team=team,
        decisions=decisions,
    )
