"""Demo technology transfer and innovation: the seed stories, with real organisations and their
public facts, and fictional offers, challenges, proposals and companies marked "(demo)".

* DESY (Deutsches Elektronen-Synchrotron, Hamburg; a research centre of the Helmholtz
  Association that develops MicroTCA.4 electronics for accelerators with industry, see
  https://techlab.desy.de/ and https://www.desy.de/) offers a fictional low-level RF control
  technology for licence or co-development; ``events.demo`` shows it at a technology-transfer
  workshop in Hamburg.
* Inven2 (the technology-transfer office of the University of Oslo and Oslo University Hospital,
  https://www.inven2.com/) offers a fictional licence from a University of Oslo group.
* Albertslund Kommune (a municipality west of Copenhagen and a partner of Gate 21, the Danish
  partnership of municipalities, companies and universities for the green transition,
  https://www.gate21.dk/) posts a fictional challenge on energy-efficient buildings, facilitated
  by Gate 21; two consortia answer; the one of a demo company with DTU (Technical University of
  Denmark, https://www.dtu.dk/) is selected and its pilot is half-way through.

Idempotent: every object is found by a stable key (slug or title) and only created when missing;
dates are chosen relative to the first run. The demo accounts of this module get the published
demo password where ``organisations.demo`` gives it, an unusable one elsewhere.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from organisations.models import CPVCode, Membership, Organisation

from . import process
from .models import (
    REFERENCE_PREFIX,
    ChallengeDeliverable,
    GateDecision,
    InnovationChallenge,
    IPRStatus,
    PartnershipOpportunity,
    ProposalPartner,
    SolutionProposal,
    Stage,
)
from .services import matching

Kind = PartnershipOpportunity.Kind

DESY_OFFER_TITLE = "Licence and co-development: MicroTCA.4 low-level RF control (demo)"
INVEN2_OFFER_TITLE = (
    "Licence: self-calibrating optical gas sensor from the University of Oslo (demo)"
)
CHALLENGE_SLUG = "demo-albertslund-energy-efficient-school-buildings"

#: real organisations this module adds (public facts from their own web sites)
ORGANISATIONS = [
    {
        "slug": "gate-21",
        "kind": Organisation.Kind.CLUSTER,
        "name": "Gate 21",
        "country": "DK",
        "city": "Albertslund",
        "website": "https://www.gate21.dk/",
        "description": "Danish non-profit partnership of municipalities, regions, companies and "
        "universities that develops and tests solutions for the green transition.",
    },
    {
        "slug": "albertslund-kommune",
        "kind": Organisation.Kind.PUBLIC_AUTHORITY,
        "name": "Albertslund Kommune",
        "country": "DK",
        "city": "Albertslund",
        "website": "https://albertslund.dk/",
        "description": "Municipality in the Capital Region of Denmark, a partner of Gate 21.",
    },
    {
        "slug": "university-of-oslo",
        "kind": Organisation.Kind.UNIVERSITY,
        "name": "University of Oslo",
        "country": "NO",
        "city": "Oslo",
        "website": "https://www.uio.no/",
        "description": "Norway's oldest university (1811); its technology transfer is done by "
        "Inven2.",
    },
    {
        "slug": "dtu",
        "kind": Organisation.Kind.UNIVERSITY,
        "name": "Technical University of Denmark (DTU)",
        "country": "DK",
        "city": "Kongens Lyngby",
        "website": "https://www.dtu.dk/",
        "description": "Technical university with research in energy, buildings and "
        "accelerator technology.",
    },
]

#: fictional companies of the challenge story
COMPANIES = [
    {
        "slug": "demo-heatwise-analytics-aps",
        "kind": Organisation.Kind.SME,
        "name": "HeatWise Analytics ApS (demo)",
        "country": "DK",
        "city": "Copenhagen",
        "size_class": Organisation.SizeClass.SMALL,
        "capabilities": "Sensors, data platforms and model-predictive control of heating in "
        "public buildings; energy monitoring dashboards.",
        "description": "Fictional demo company generated for the portal's demo data.",
        "status": Organisation.Status.PUBLISHED,
        "is_demo": True,
    },
    {
        "slug": "demo-klimabyg-as",
        "kind": Organisation.Kind.SME,
        "name": "KlimaByg A/S (demo)",
        "country": "DK",
        "city": "Roskilde",
        "size_class": Organisation.SizeClass.MEDIUM,
        "capabilities": "Energy renovation of buildings: insulation, ventilation with heat "
        "recovery and heat pumps.",
        "description": "Fictional demo company generated for the portal's demo data.",
        "status": Organisation.Status.PUBLISHED,
        "is_demo": True,
    },
]

#: (e-mail, first and last name, organisation slug, role)
ACCOUNTS = [
    ("desy-tto@demo.bigscience.example", "Dana", "Demo", "desy", Membership.Role.ADMIN),
    ("inven2@demo.bigscience.example", "Ivar", "Demo", "inven2", Membership.Role.ADMIN),
    (
        "albertslund@demo.bigscience.example",
        "Astrid",
        "Demo",
        "albertslund-kommune",
        Membership.Role.ADMIN,
    ),
    (
        "heatwise@demo.bigscience.example",
        "Henrik",
        "Demo",
        "demo-heatwise-analytics-aps",
        Membership.Role.ADMIN,
    ),
    ("dtu@demo.bigscience.example", "Dorte", "Demo", "dtu", Membership.Role.EDITOR),
]


#: the technology offers, by the slug of the organisation that makes them (its demo account is
#: their contact)
OFFERS = {
    "desy": {
        "title": DESY_OFFER_TITLE,
        "kind": Kind.TECHNOLOGY_OFFER,
        "summary": "FPGA-based low-level RF control on MicroTCA.4 boards for accelerator "
        "cavities: field regulation, piezo tuning and fast feedback, ready for industrial "
        "production.",
        "description": "A low-level RF (LLRF) control system on MicroTCA.4: digital "
        "down-conversion, FPGA feedback loops for cavity field regulation, piezo "
        "tuner control and exception handling. DESY seeks companies that manufacture RF "
        "electronics, solid-state amplifiers or control hardware to license the design, "
        "co-develop a product line and supply accelerators and light sources.",
        "trl": 6,
        "stage": Stage.PROTOTYPE,
        "ipr_status": IPRStatus.KNOW_HOW,
        "ipr_details": "Demo: design documentation and firmware under DESY licence.",
        "partnership_types": "licence,co_development",
        "target_countries": ["DE", "DK", "SE", "FI", "PL", "ES"],
        "cpv": ("31711400", "32500000", "31682210", "31670000"),
    },
    "inven2": {
        "title": INVEN2_OFFER_TITLE,
        "kind": Kind.TECHNOLOGY_OFFER,
        "summary": "An infrared gas sensor that calibrates itself against a reference cell: "
        "for process monitoring, building ventilation and medical devices.",
        "description": "A research group at the University of Oslo developed a "
        "non-dispersive infrared gas sensor with a built-in reference path that removes "
        "drift. Inven2, the university's technology-transfer office, offers a licence to "
        "manufacturers of sensors and instruments.",
        "trl": 4,
        "stage": Stage.DEVELOPMENT,
        "ipr_status": IPRStatus.PATENT_APPLIED,
        "partnership_types": "licence",
        "target_countries": ["NO", "SE", "DK", "FI", "DE"],
        "cpv": ("38000000", "38400000"),
    },
}


def _organisations() -> dict[str, Organisation]:
    found = {}
    for data in [*ORGANISATIONS, *COMPANIES]:
        values = {k: v for k, v in data.items() if k != "slug"}
        org = Organisation.objects.filter(slug=data["slug"]).first()
        if org is None:
            org = Organisation.objects.create(slug=data["slug"], **values)
        found[data["slug"]] = org
    for slug in ("desy", "inven2"):
        org = Organisation.objects.filter(slug=slug).first()
        if org is not None:
            found[slug] = org
    return found


def _accounts(orgs: dict[str, Organisation]) -> dict[str, object]:
    from organisations.demo import demo_person

    users = {}
    for email, first, last, slug, role in ACCOUNTS:
        if slug not in orgs:
            continue
        user = demo_person(email, first, last)
        Membership.objects.get_or_create(
            user=user, organisation=orgs[slug], defaults={"role": role}
        )
        users[slug] = user
    return users


def _codes(*codes: str):
    return list(CPVCode.objects.filter(code__in=codes))


def _offer(org, user, title: str, **fields) -> PartnershipOpportunity:
    offer = PartnershipOpportunity.objects.filter(organisation=org, title=title).first()
    if offer is not None:
        return offer
    cpv = fields.pop("cpv", ())
    today = timezone.localdate()
    offer = PartnershipOpportunity.objects.create(
        organisation=org,
        contact=user,
        created_by=user,
        title=title,
        status=PartnershipOpportunity.Status.PUBLISHED,
        visibility=PartnershipOpportunity.Visibility.PUBLIC,
        published_at=timezone.now(),
        expires_on=today + timedelta(days=365),
        is_demo=True,
        **fields,
    )
    # an EEN-style reference, numbered by the row (a demo has no day's counter)
    prefix = REFERENCE_PREFIX[offer.kind]
    offer.reference = f"{prefix}{str(org.country)[:2]}{today:%Y%m%d}{offer.pk % 1000:03d}"
    offer.save(update_fields=["reference"])
    offer.cpv_codes.set(_codes(*cpv))
    transaction.on_commit(lambda pk=offer.pk: matching.opportunity_match_enqueue(opportunity_id=pk))
    return offer


def _offers(orgs, users) -> None:
    for slug, fields in OFFERS.items():
        if slug in orgs and slug in users:
            _offer(orgs[slug], users[slug], **fields)


def _challenge(orgs, users) -> None:
    owner, facilitator = orgs.get("albertslund-kommune"), orgs.get("gate-21")
    lead, second = orgs.get("demo-heatwise-analytics-aps"), orgs.get("demo-klimabyg-as")
    if InnovationChallenge.objects.filter(slug=CHALLENGE_SLUG).exists() or owner is None:
        return
    now = timezone.now()
    author = users.get("albertslund-kommune")
    challenge = InnovationChallenge.objects.create(
        owner=owner,
        slug=CHALLENGE_SLUG,
        title="Energy-efficient school buildings: data-driven heating control (demo)",
        summary="Cut the heat demand of the municipality's schools by 20% without new boilers, "
        "with sensors and smarter control, facilitated by Gate 21.",
        need="The municipality's schools from the 1960s and 1970s use too much district heat; "
        "heating runs on fixed schedules whatever the weather and the occupancy. The climate "
        "plan asks for a 20% cut by 2030.",
        goal="energy_efficiency",
        goal_detail="Green transition of public buildings (the municipality's climate plan).",
        data_available="Hourly district-heating meter data of 12 schools for five years; room "
        "booking calendars.",
        constraints="Occupancy data is personal data (GDPR): only aggregated counts leave the "
        "school. Building-management systems are on the municipal network (cyber-security "
        "review). Open standards (BACnet) required.",
        personal_data=True,
        budget_amount=1_500_000,
        budget_currency="DKK",
        timeline="Proposals in two months; a pilot of one heating season in three schools; "
        "evaluation and a decision on scale-up or procurement after that.",
        answer_kinds="solution,pilot",
        proposals_deadline=now - timedelta(days=120),
        stage=process.PILOT,
        stage_entered_at=now - timedelta(days=60),
        published_at=now - timedelta(days=200),
        is_demo=True,
        created_by=author,
    )
    if facilitator is not None:
        challenge.constraints += f" Facilitated by {facilitator.name}."
        challenge.save(update_fields=["constraints"])
    challenge.cpv_codes.set(_codes("38550000", "71314200"))
    selected = SolutionProposal.objects.create(
        challenge=challenge,
        lead=lead,
        title="Model-predictive heating control for three schools (demo)",
        summary="Wireless room sensors and a control model that learns each building.",
        approach="We install room sensors, learn each building's thermal response from the "
        "meter data with DTU, and control the heating curve through BACnet. Three schools for "
        "one heating season; we measure heat demand against the weather-corrected baseline.",
        budget_amount=1_200_000,
        status=SolutionProposal.Status.SELECTED,
        submitted_at=now - timedelta(days=130),
        decided_at=now - timedelta(days=60),
        is_demo=True,
    )
    if "dtu" in orgs:
        ProposalPartner.objects.create(
            proposal=selected, organisation=orgs["dtu"], role="Building physics and models"
        )
    if second is not None:
        SolutionProposal.objects.create(
            challenge=challenge,
            lead=second,
            title="Insulation and heat pumps, school by school (demo)",
            summary="A renovation programme with heat pumps.",
            approach="We renovate the envelopes and replace the district-heating exchangers "
            "by heat pumps, one school per summer.",
            budget_amount=9_000_000,
            status=SolutionProposal.Status.NOT_SELECTED,
            submitted_at=now - timedelta(days=125),
            decided_at=now - timedelta(days=60),
            is_demo=True,
        )
    # the path so far: each gate passed with its checklist done, half of the pilot's done
    reasons = {
        process.NEED: "The need and the climate-plan target are clear; the budget is approved.",
        process.OPEN: "The challenge was published with its criteria and a market dialogue.",
        process.PROPOSALS: "Two proposals received and assessed against the criteria.",
        process.SELECTION: "HeatWise and DTU selected: lowest cost per kWh saved; the "
        "data-sharing agreement and the GDPR and cyber-security check are done.",
    }
    days_ago = {process.NEED: 200, process.OPEN: 120, process.PROPOSALS: 90, process.SELECTION: 60}
    for stage in (process.NEED, process.OPEN, process.PROPOSALS, process.SELECTION):
        when = now - timedelta(days=days_ago[stage] + 5)
        done = []
        for item in process.checklist(stage):
            if not item.computed:
                ChallengeDeliverable.objects.create(
                    challenge=challenge, key=item.key, stage=stage, done_by=author, done_at=when
                )
            done.append({"key": item.key, "required": item.required, "done": True})
        GateDecision.objects.create(
            challenge=challenge,
            from_stage=stage,
            to_stage=process.NEXT[stage][0],
            decision=process.GO,
            reasons=reasons[stage],
            checklist=done,
            decided_by=author,
            decided_at=now - timedelta(days=days_ago[stage]),
        )
    for key in ("standards_architecture", "pilot_plan"):
        ChallengeDeliverable.objects.create(
            challenge=challenge,
            key=key,
            stage=process.PILOT,
            done_by=users.get("demo-heatwise-analytics-aps") or author,
            done_at=now - timedelta(days=50),
        )


@transaction.atomic
def load(stdout=None) -> None:
    orgs = _organisations()
    users = _accounts(orgs)
    _offers(orgs, users)
    _challenge(orgs, users)
    if stdout:
        stdout.write("Demo innovation loaded.\n")
