"""Every innovation page and action by role (``tests.roles``): anonymous, another
organisation's user, the owner's editor and administrator, a consortium partner and staff, with
the effect of every write. Drafts and proposals are seen only by their parties; a gate decision
is taken only by the challenge owner's administrators; invisible is 404."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conversations.models import Message
from innovation import process
from innovation.models import (
    GateDecision,
    InnovationChallenge,
    Interest,
    OpportunitySearch,
    PartnershipOpportunity,
    SolutionProposal,
)
from organisations.models import Membership
from tests.factories import (
    ChallengeFactory,
    DeliverableFactory,
    InfrastructureFactory,
    InterestFactory,
    OpportunityFactory,
    OrganisationFactory,
    ProposalFactory,
    UniversityFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix, same_for

from .conftest import member

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "editor", "admin", "partner", "staff")
SIGNED_IN = ROLES[1:]
Status = PartnershipOpportunity.Status
MESSAGE = "We would like to co-develop this with you."


@pytest.fixture
def world(outsider, staff):
    """An infrastructure (the owner) with an editor and an administrator: a live public offer
    and another, a draft, one in review; a draft challenge, an open one with a consortium's
    draft proposal, one in selection with a consortium's submitted proposal, and one in the
    pilot led by the consortium (a company and the partner university) with its checklist done;
    an interest of the university in the offer."""
    owner = InfrastructureFactory(name="Owner Lab")
    company = OrganisationFactory(name="Lead Company ApS")
    university = UniversityFactory(name="Partner University")
    partner = member(university)
    offer = OpportunityFactory(organisation=owner, title="Live offer")
    second = OpportunityFactory(organisation=owner, title="Second offer")
    draft = OpportunityFactory(organisation=owner, draft=True, title="Secret draft")
    in_review = OpportunityFactory(
        organisation=owner, draft=True, status=Status.IN_REVIEW, title="In review"
    )
    need = ChallengeFactory(owner=owner, stage=process.NEED, published_at=None)
    open_ = ChallengeFactory(owner=owner)
    draft_proposal = ProposalFactory(
        challenge=open_,
        lead=company,
        partners=[university],
        status=SolutionProposal.Status.DRAFT,
        submitted_at=None,
    )
    selection = ChallengeFactory(owner=owner, stage=process.SELECTION)
    sent = ProposalFactory(challenge=selection, lead=company, partners=[university])
    pilot = ChallengeFactory(owner=owner, stage=process.PILOT)
    ProposalFactory(
        challenge=pilot,
        lead=company,
        partners=[university],
        status=SolutionProposal.Status.SELECTED,
    )
    for key in ("standards_architecture", "pilot_plan", "pilot_report"):
        DeliverableFactory(challenge=pilot, key=key, stage=process.PILOT)
    return SimpleNamespace(
        offer=offer,
        second=second,
        draft=draft,
        in_review=in_review,
        need=need,
        open=open_,
        draft_proposal=draft_proposal,
        selection=selection,
        sent=sent,
        pilot=pilot,
        interest=InterestFactory(opportunity=offer, organisation=university),
        users={
            "anonymous": None,
            "other_org": outsider,
            "editor": member(owner),
            "admin": member(owner, Membership.Role.ADMIN),
            "partner": partner,
            "staff": staff,
        },
    )


def u(name, attr=None, key="pk", **kwargs):
    def build(w):
        params = dict(kwargs)
        if attr is not None:
            obj = getattr(w, attr)
            params[key] = getattr(obj, key)
        return reverse(f"innovation:{name}", kwargs=params)

    return build


def status_of(attr, model=PartnershipOpportunity):
    return lambda w: model.objects.get(pk=getattr(w, attr).pk).status


def stage_of(attr):
    return lambda w: InnovationChallenge.objects.get(pk=getattr(w, attr).pk).stage


PUBLIC = same_for(ROLES, 200)
SIGNED_IN_ONLY = {"anonymous": LOGIN, **same_for(SIGNED_IN, 200)}
#: the owner's people and staff see it; for everyone else it does not exist
OWNERS = expect(anonymous=404, other_org=404, editor=200, admin=200, partner=404, staff=200)
OWNERS_LOGIN = {**OWNERS, "anonymous": LOGIN}
#: the owner's administrators only (everyone else who sees the object is refused)
ADMIN_ONLY = expect(anonymous=LOGIN, other_org=404, editor=403, admin=302, partner=403, staff=403)


def _pdf():
    return SimpleUploadedFile("flyer.pdf", b"%PDF-1.4 flyer", content_type="application/pdf")


CASES = [
    # --- partnership opportunities
    Access("opportunity list", "get", u("opportunity_list"), PUBLIC),
    Access("live offer", "get", u("opportunity_detail", "offer"), PUBLIC),
    Access("draft offer", "get", u("opportunity_detail", "draft"), OWNERS),
    Access("draft edit form", "get", u("opportunity_edit", "draft"), OWNERS_LOGIN),
    Access(
        "submit a draft",
        "post",
        u("opportunity_action", "draft", action="submit"),
        {**OWNERS_LOGIN, "editor": 302, "admin": 302, "staff": 302},
        effect=lambda w: status_of("draft")(w) == Status.IN_REVIEW,
    ),
    Access(
        "publish a draft directly",
        "post",
        u("opportunity_action", "draft", action="publish"),
        {**OWNERS_LOGIN, "editor": 403, "admin": 302, "staff": 302},
        effect=lambda w: status_of("draft")(w) == Status.PUBLISHED,
    ),
    Access(
        "review: publish",
        "post",
        u("opportunity_review", "in_review"),
        {**OWNERS_LOGIN, "editor": 403, "admin": 302, "staff": 302},
        data=lambda w: {"decision": "publish", "note": ""},
        effect=lambda w: status_of("in_review")(w) == Status.PUBLISHED,
    ),
    Access(
        "withdraw a live offer",
        "post",
        u("opportunity_action", "offer", action="withdraw"),
        expect(anonymous=LOGIN, other_org=403, editor=302, admin=302, partner=403, staff=302),
        effect=lambda w: status_of("offer")(w) == Status.WITHDRAWN,
    ),
    Access(
        "matched companies",
        "get",
        u("opportunity_matches", "offer"),
        expect(anonymous=LOGIN, other_org=403, editor=200, admin=200, partner=403, staff=200),
    ),
    Access(
        "attach a file to a draft",
        "post",
        u("attachment_add", "draft"),
        {**OWNERS_LOGIN, "editor": 302, "admin": 302, "staff": 302},
        data=lambda w: {"attachment_title": "Flyer"},
        files=lambda w: {"attachment": _pdf()},
        effect=lambda w: w.draft.attachments.exists(),
    ),
    # --- interest
    Access(
        "express interest",
        "post",
        u("interest_create", "second"),
        # the offering organisation's people and staff (no organisation) have none to offer
        expect(anonymous=LOGIN, other_org=302, editor=403, admin=403, partner=302, staff=403),
        data=lambda w: {
            "organisation": _own_org(w),
            "message": MESSAGE,
        },
        effect=lambda w: Interest.objects.filter(opportunity=w.second, message=MESSAGE).exists(),
    ),
    Access(
        "an interest",
        "get",
        u("interest_detail", "interest"),
        expect(anonymous=LOGIN, other_org=404, editor=200, admin=200, partner=200, staff=200),
    ),
    Access(
        # the reply form of the interest's page posts to its conversation and comes back;
        # staff read an interest's messages only once reported, and never write (404)
        "answer an interest",
        "post",
        lambda w: w.interest.conversation.get_absolute_url(),
        expect(anonymous=LOGIN, other_org=404, editor=302, admin=302, partner=302, staff=404),
        data=lambda w: {"body": "Let us meet.", "next": w.interest.get_absolute_url()},
        effect=lambda w: Message.objects.filter(
            conversation__interest=w.interest, body="Let us meet."
        ).exists(),
    ),
    Access(
        "post to the interest's page itself",
        "post",
        u("interest_detail", "interest"),
        expect(anonymous=LOGIN, other_org=405, editor=405, admin=405, partner=405, staff=405),
        data=lambda w: {"body": "Let us meet."},
        effect=lambda w: Message.objects.filter(body="Let us meet.").exists(),
    ),
    Access("my interests", "get", u("interest_list"), SIGNED_IN_ONLY),
    Access("my opportunities", "get", u("opportunity_mine"), SIGNED_IN_ONLY),
    Access("review queue", "get", u("review_queue"), SIGNED_IN_ONLY),
    # --- saved searches
    Access("saved searches", "get", u("search_list"), SIGNED_IN_ONLY),
    Access(
        "save a search",
        "post",
        u("search_create"),
        {"anonymous": LOGIN, **same_for(SIGNED_IN, 302)},
        data=lambda w: {"name": "TRL 5+", "frequency": "weekly", "querystring": "trl_min=5"},
        effect=lambda w: OpportunitySearch.objects.filter(name="TRL 5+").exists(),
    ),
    # --- challenges and proposals
    Access("challenge list", "get", u("challenge_list"), PUBLIC),
    Access("open challenge", "get", u("challenge_detail", "open", key="slug"), PUBLIC),
    Access("draft challenge", "get", u("challenge_detail", "need", key="slug"), OWNERS),
    Access("edit a draft challenge", "get", u("challenge_edit", "need", key="slug"), OWNERS_LOGIN),
    Access("my challenges", "get", u("challenge_mine"), SIGNED_IN_ONLY),
    Access("my proposals", "get", u("proposal_mine"), SIGNED_IN_ONLY),
    Access(
        "proposal form",
        "get",
        u("proposal_create", "open", key="slug"),
        # the owner cannot answer its own challenge; staff has no organisation to lead with
        expect(anonymous=LOGIN, other_org=200, editor=403, admin=403, partner=200, staff=403),
    ),
    Access(
        "a draft proposal",
        "get",
        u("proposal_detail", "draft_proposal"),
        expect(anonymous=404, other_org=404, editor=404, admin=404, partner=200, staff=200),
    ),
    Access(
        "a submitted proposal",
        "get",
        u("proposal_detail", "sent"),
        expect(anonymous=404, other_org=404, editor=200, admin=200, partner=200, staff=200),
    ),
    Access(
        "select a proposal",
        "post",
        u("proposal_select", "sent"),
        ADMIN_ONLY,
        data=lambda w: {"note": "Best fit."},
        effect=lambda w: status_of("sent", SolutionProposal)(w) == SolutionProposal.Status.SELECTED,
    ),
    # --- the process
    Access(
        "process page of the pilot",
        "get",
        u("process", "pilot", key="slug"),
        expect(anonymous=LOGIN, other_org=404, editor=200, admin=200, partner=200, staff=200),
    ),
    Access(
        "process page before a selection (the bidders are not the team)",
        "get",
        u("process", "selection", key="slug"),
        expect(anonymous=LOGIN, other_org=404, editor=200, admin=200, partner=404, staff=200),
    ),
    Access(
        "tick the pilot's checklist",
        "post",
        u("checklist_save", "pilot", key="slug"),
        expect(anonymous=LOGIN, other_org=404, editor=302, admin=302, partner=302, staff=403),
        data=lambda w: {
            "done_standards_architecture": "on",
            "done_pilot_plan": "on",
            "done_pilot_report": "on",
            "note_pilot_report": "https://example.org/report",
        },
        effect=lambda w: w.pilot.deliverables.filter(
            key="pilot_report", note="https://example.org/report"
        ).exists(),
    ),
    Access(
        "decide at the gate",
        "post",
        u("gate_pass", "pilot", key="slug"),
        ADMIN_ONLY,
        data=lambda w: {
            "decision": process.GO,
            "to_stage": process.EVALUATION,
            "reasons": "The pilot met its targets.",
        },
        effect=lambda w: (
            stage_of("pilot")(w) == process.EVALUATION
            and GateDecision.objects.filter(challenge=w.pilot).exists()
        ),
    ),
    Access(
        "publish the public summary",
        "post",
        u("summary_publish", "pilot", key="slug"),
        ADMIN_ONLY,
        data=lambda w: {"text": "Three schools piloted smart heating."},
        effect=lambda w: InnovationChallenge.objects.get(pk=w.pilot.pk).summary_is_public,
    ),
    Access(
        "public summary before publication",
        "get",
        u("challenge_summary", "pilot", key="slug"),
        expect(anonymous=404, other_org=404, editor=200, admin=200, partner=200, staff=200),
    ),
]


def test_a_published_summary_is_public(client, world):
    world.pilot.public_summary = "Three schools piloted smart heating."
    world.pilot.summary_published_at = world.pilot.published_at
    world.pilot.save()
    response = client.get(
        reverse("innovation:challenge_summary", kwargs={"slug": world.pilot.slug})
    )
    assert response.status_code == 200
    assert "Three schools piloted smart heating." in response.content.decode()


def _own_org(w):
    """The organisation the requesting user would write for (filled in by the test)."""
    return w.acting_org


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    user = world.users[role]
    orgs = list(user.memberships.values_list("organisation_id", flat=True)) if user else []
    world.acting_org = orgs[0] if orgs else ""
    check_access(client, world, case, role)


def test_a_gate_passed_through_the_page_is_refused_with_the_reason_when_it_skips(client, world):
    client.force_login(world.users["admin"])
    response = client.post(
        reverse("innovation:gate_pass", kwargs={"slug": world.pilot.slug}),
        {"decision": process.GO, "to_stage": process.SCALE_UP, "reasons": "Skip it."},
        follow=True,
    )
    assert "Scale-up cannot be reached now" in response.content.decode()
    assert stage_of("pilot")(world) == process.PILOT
