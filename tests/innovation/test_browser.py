"""The two journeys of technology transfer and innovation, clicked through in a real headless
chromium, with axe-core reporting no serious or critical violation on the pages shown, and the
screenshots of the offer list and the process page (``docs/screenshots/innovation-*.png``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connections
from django.utils import timezone

from events.models import MeetingRequest
from innovation import process
from innovation.models import (
    GateDecision,
    InnovationChallenge,
    Interest,
    PartnershipOpportunity,
    SolutionProposal,
)
from organisations.models import Membership
from tests.browser import log_in
from tests.factories import (
    BrokerageEventFactory,
    ChallengeFactory,
    InfrastructureFactory,
    MembershipFactory,
    MunicipalityFactory,
    OpportunityFactory,
    OrganisationFactory,
    ParticipantFactory,
    UniversityFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _as(page, live_server, email):
    context = page.context.browser.new_context(base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(60000)  # two CPUs shared by many test runs
    log_in(other, email)
    return other


def _no_serious_violations(page):
    """axe-core over the page's main content (the shared header of ``templates/base.html`` is
    not this app's: its outline buttons are reported apart, see the report of issue 16)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context="#main")
    serious = [
        v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
    ]
    assert not serious, results.generate_report()


def test_a_tto_offer_found_by_trl_and_cpv_interest_and_a_b2b_meeting(browser_page, live_server):
    tto = UniversityFactory(name="Hamburg Technology Transfer")
    officer = MembershipFactory(organisation=tto, role=Membership.Role.ADMIN).user
    company = OrganisationFactory(name="Valve Makers ApS")
    buyer = MembershipFactory(organisation=company).user
    OpportunityFactory(title="Unrelated low-TRL idea", trl=2, cpv_codes=["42131000"])
    event = BrokerageEventFactory(brokerage__published_at=timezone.now())
    ParticipantFactory(event=event, organisation=tto, user=officer)
    ParticipantFactory(event=event, organisation=company, user=buyer)

    # the TTO officer (an administrator: their review is the publication) publishes an offer
    page = browser_page
    page.set_default_timeout(60000)
    log_in(page, officer.email)
    page.goto("/innovation/opportunities/new/")
    page.locator("#id_kind").select_option(label="Technology offer")
    page.locator("#id_title").fill("Cryogenic valve for helium at 4 K")
    page.locator("#id_summary").fill("A compact valve for licensing.")
    page.locator("#id_description").fill("A cryogenic valve for helium transfer lines.")
    page.locator("#id_trl").select_option(value="6")
    page.locator("#id_cpv").fill("42131000")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Publish").click()
    assert "Published." in page.content()
    offer = PartnershipOpportunity.objects.get(title="Cryogenic valve for helium at 4 K")
    assert offer.status == PartnershipOpportunity.Status.PUBLISHED

    # a company finds it by TRL and CPV and expresses interest
    other = _as(page, live_server, buyer.email)
    other.set_viewport_size({"width": 1280, "height": 900})
    other.goto("/innovation/opportunities/")
    other.locator("#id_trl_min").select_option(value="5")
    other.locator("#id_cpv").fill("4213")
    other.get_by_role("button", name="Apply filters").click()
    other.wait_for_url(re.compile(r".*trl_min=5.*"))
    assert "Cryogenic valve for helium at 4 K" in other.content()
    assert "Unrelated low-TRL idea" not in other.content()
    _no_serious_violations(other)
    other.screenshot(path=str(SCREENSHOTS / "innovation-offer-list.png"), full_page=True)
    other.get_by_role("link", name="Cryogenic valve for helium at 4 K").click()
    other.get_by_role("link", name="Express interest").click()
    other.locator("#id_message").fill("We would license it for our valve line.")
    other.get_by_role("button", name="Send").click()
    interest = Interest.objects.get(opportunity=offer)
    assert interest.organisation == company

    # the officer answers
    page.goto(interest.get_absolute_url())
    assert "We would license it for our valve line." in page.content()
    page.locator("#id_body").fill("Gladly: let us meet at the brokerage.")
    page.get_by_role("button", name="Answer").click()
    assert Interest.objects.get(pk=interest.pk).status == Interest.Status.ANSWERED

    # the company proposes a B2B meeting at the event both attend; the officer accepts
    other.goto(interest.get_absolute_url())
    assert "Gladly: let us meet at the brokerage." in other.content()
    other.get_by_role("link", name=re.compile(r"Propose a B2B meeting with")).click()
    other.get_by_label("Message").fill("About the cryogenic valve licence.")
    other.get_by_role("button", name="Send request").click()
    page.goto(f"/events/{event.slug}/b2b/requests/")
    page.get_by_role("button", name=re.compile(r"Accept meeting with .*Valve Makers")).click()
    assert "Meeting accepted." in page.content()
    assert MeetingRequest.objects.get(event=event).status == MeetingRequest.Status.ACCEPTED
    other.context.close()
    connections.close_all()


def test_a_challenge_a_consortium_proposal_selection_and_the_next_gate(browser_page, live_server):
    city = MunicipalityFactory(name="Demo Kommune")
    city_admin = MembershipFactory(organisation=city, role=Membership.Role.ADMIN).user
    company = OrganisationFactory(name="HeatWise ApS")
    lead = MembershipFactory(organisation=company).user
    university = UniversityFactory(name="Technical University")
    scientist = MembershipFactory(organisation=university).user
    challenge = ChallengeFactory(owner=city, title="Energy-efficient school buildings")

    # a consortium of the company and the university submits a proposal
    page = browser_page
    page.set_default_timeout(60000)
    log_in(page, lead.email)
    page.goto(challenge.get_absolute_url())
    page.get_by_role("link", name="Submit a solution proposal").click()
    page.locator("#id_title").fill("Smart heating for three schools")
    page.locator("#id_summary").fill("Sensors and a control model.")
    page.locator("#id_approach").fill("We measure, learn and control.")
    page.locator("#id_partners").select_option(label="Technical University")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit the proposal").click()
    proposal = SolutionProposal.objects.get(challenge=challenge)
    assert proposal.status == SolutionProposal.Status.SUBMITTED
    partner = _as(page, live_server, scientist.email)
    partner.goto(proposal.get_absolute_url())
    assert "Smart heating for three schools" in partner.content()

    # the municipality closes the call for proposals, assesses and selects the proposal
    owner = _as(page, live_server, city_admin.email)
    process_url = f"/innovation/challenges/{challenge.slug}/process/"
    for stage, ticks, to_label in (
        ("open", ["evaluation_criteria"], "Proposals"),
        ("proposals", ["proposals_assessed"], "Selection"),
    ):
        owner.goto(process_url)
        for key in ticks:
            owner.locator(f"#id_done_{key}").check()
        owner.get_by_role("button", name="Save the checklist").click()
        owner.locator("#id_to_stage").select_option(label=to_label)
        owner.locator("#id_reasons").fill(f"Gate out of {stage}: the checklist is done.")
        owner.get_by_role("button", name="Record the decision").click()
        assert "Decision recorded" in owner.content()
    owner.goto(proposal.get_absolute_url())
    owner.get_by_role("button", name="Select this proposal").click()
    assert SolutionProposal.objects.get(pk=proposal.pk).status == SolutionProposal.Status.SELECTED

    # the next gate, with its checklist
    owner.goto(process_url)
    owner.locator("#id_to_stage").select_option(label="Pilot")
    owner.locator("#id_reasons").fill("Ready for the pilot.")
    owner.get_by_role("button", name="Record the decision").click()
    assert "The gate cannot be passed" in owner.content()  # the checklist is not done
    for key in ("data_sharing_agreement", "gdpr_security_check"):
        owner.locator(f"#id_done_{key}").check()
    owner.get_by_role("button", name="Save the checklist").click()
    owner.locator("#id_to_stage").select_option(label="Pilot")
    owner.locator("#id_reasons").fill("Agreement signed and the checks done.")
    owner.get_by_role("button", name="Record the decision").click()
    assert "Decision recorded" in owner.content()
    assert InnovationChallenge.objects.get(pk=challenge.pk).stage == process.PILOT
    assert GateDecision.objects.filter(challenge=challenge).count() == 3
    # the partner sees where the project stands
    partner.goto(process_url)
    assert "Pilot" in partner.content()
    owner.set_viewport_size({"width": 1280, "height": 900})
    owner.goto(process_url)
    _no_serious_violations(owner)
    owner.screenshot(path=str(SCREENSHOTS / "innovation-process.png"), full_page=True)
    for p in (partner, owner):
        p.context.close()
    connections.close_all()


def test_an_infrastructures_offer_targets_its_member_states_with_one_click(browser_page):
    lab = InfrastructureFactory(name="Picker Source Lab", member_states=["SE", "DK", "NO"])
    editor = MembershipFactory(organisation=lab, role=Membership.Role.ADMIN).user
    page = browser_page
    page.set_default_timeout(60000)
    log_in(page, editor.email)
    page.goto("/innovation/opportunities/new/")
    page.locator("#id_kind").select_option(label="Technology offer")
    page.locator("#id_title").fill("Neutron guide coatings")
    page.locator("#id_summary").fill("Supermirror coatings to license.")
    page.locator("#id_description").fill("A supermirror coating process for neutron guides.")

    page.get_by_role("button", name="The organisation's member states").click()
    assert page.get_by_role("checkbox", name="Sweden").is_checked()
    assert page.get_by_role("checkbox", name="Norway").is_checked()
    assert not page.get_by_role("checkbox", name="France").is_checked()
    page.get_by_label("Filter the countries").fill("swi")
    assert page.get_by_role("checkbox", name="Switzerland").is_visible()
    assert not page.get_by_role("checkbox", name="Sweden").is_visible()
    page.get_by_role("checkbox", name="Switzerland").check()
    page.get_by_label("Filter the countries").fill("")
    _no_serious_violations(page)

    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("The draft is saved").wait_for()
    offer = PartnershipOpportunity.objects.get(title="Neutron guide coatings")
    assert sorted(str(c) for c in offer.target_countries) == ["CH", "DK", "NO", "SE"]
