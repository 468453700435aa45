"""Demo events: a B2B brokerage in the style of the Big Science Business Forum, an F4E industry
day, a ClusterXchange visit to CERN, organised by the demo organisations, and a technology-
transfer workshop at DESY where DESY's demo technology offer (``innovation.demo``) is shown.

Idempotent: every object is found by a stable key and only created when missing; dates are
chosen (relative to the first run) only when the event is created, so a second run changes
nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from innovation.demo import DESY_OFFER_TITLE
from innovation.models import PartnershipOpportunity
from organisations.models import CPVCode, Organisation

from . import services
from .models import (
    Availability,
    BrokerageSettings,
    Event,
    EventOpportunity,
    MeetingRequest,
    MeetingSession,
    ProgrammeSession,
    Registration,
    RegistrationQuestion,
)

ORGANISERS = {
    "f4e": {
        "kind": Organisation.Kind.RESEARCH_INFRASTRUCTURE,
        "name": "Fusion for Energy",
        "acronym": "F4E",
        "country": "ES",
        "city": "Barcelona",
        "website": "https://fusionforenergy.europa.eu/",
    },
    "bigsciencedk": {
        "kind": Organisation.Kind.CLUSTER,
        "name": "BigScience.dk",
        "country": "DK",
        "city": "Aarhus",
        "website": "https://bigscience.dk/",
    },
}


def _org(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        org = Organisation.objects.create(
            slug=slug, status=Organisation.Status.PUBLISHED, **ORGANISERS[slug]
        )
    return org


def _at(days: int, hour: int, tz: str) -> datetime:
    day = (timezone.now() + timedelta(days=days)).date()
    return datetime.combine(day, time(hour, 0), tzinfo=zoneinfo.ZoneInfo(tz))


def _event(
    slug: str,
    organisers: list[Organisation],
    *,
    starts: tuple[int, int],
    ends: tuple[int, int],
    programme: list[tuple[int, int, str, str, str]],
    **fields,
) -> Event:
    """The published event of ``slug``, created when missing: ``starts`` and ``ends`` are (days
    after the first run, hour) in its ``time_zone``; ``programme`` its sessions as (minutes
    after the start, duration, room, title, speakers), each made once (found by its title)."""
    tz = fields["time_zone"]
    event, created = Event.objects.get_or_create(
        slug=slug,
        defaults={
            "starts_at": _at(*starts, tz),
            "ends_at": _at(*ends, tz),
            "status": Event.Status.PUBLISHED,
            **fields,
        },
    )
    if created:
        event.organisers.set(organisers)
    for offset, length, room, title, speakers in programme:
        start = event.starts_at + timedelta(minutes=offset)
        ProgrammeSession.objects.get_or_create(
            event=event,
            title=title,
            defaults={
                "starts_at": start,
                "ends_at": start + timedelta(minutes=length),
                "room": room,
                "speakers": speakers,
            },
        )
    return event


@transaction.atomic
def load(stdout=None) -> None:
    f4e, bigscience = _org("f4e"), _org("bigsciencedk")
    cern = Organisation.objects.filter(slug="cern").first()

    brokerage = _event(
        "demo-big-science-b2b-partnering",
        [bigscience, f4e],
        kind=Event.Kind.BROKERAGE,
        title="Big Science B2B Partnering Days (demo)",
        starts=(60, 9),
        ends=(61, 17),
        time_zone="Europe/Copenhagen",
        venue="Aarhus Congress Centre (demo)",
        venue_city="Aarhus",
        venue_country="DK",
        capacity=300,
        audience="Suppliers, industrial liaison officers and procurement officers of Big Science.",
        description=(
            "Two days of one-to-one meetings between Europe's research infrastructures and their "
            "suppliers, in the style of the Big Science Business Forum: publish what you offer "
            "and seek, request meetings, and get your personal agenda."
        ),
        programme=[
            (0, 60, "Main hall", "Opening: procurement plans of the infrastructures", "F4E, ESS"),
            (60, 240, "Meeting area", "B2B meetings, session 1", ""),
            (1440, 240, "Meeting area", "B2B meetings, session 2", ""),
        ],
    )
    BrokerageSettings.objects.get_or_create(
        event=brokerage,
        defaults={"slot_minutes": 20, "tables": 40, "max_meetings_per_participant": 10},
    )
    sessions = []
    for n, offset in enumerate((60, 1440), start=1):
        start = brokerage.starts_at + timedelta(minutes=offset)
        session, _ = MeetingSession.objects.get_or_create(
            event=brokerage,
            name=f"Session {n}",
            defaults={"starts_at": start, "ends_at": start + timedelta(hours=4)},
        )
        sessions.append(session)

    industry_day = _event(
        "demo-f4e-industry-day",
        [f4e],
        kind=Event.Kind.INDUSTRY_DAY,
        title="F4E Industry Day: ITER components and upcoming contracts (demo)",
        starts=(35, 9),
        ends=(35, 17),
        time_zone="Europe/Madrid",
        venue="F4E premises (demo)",
        venue_city="Barcelona",
        venue_country="ES",
        capacity=120,
        audience="European companies interested in ITER and fusion procurement.",
        description="The coming calls for tender of Fusion for Energy, how to bid, and Q&A.",
        programme=[
            (0, 30, "Auditorium", "Welcome and F4E procurement outlook", "F4E procurement"),
            (30, 90, "Auditorium", "Upcoming contracts: remote handling and diagnostics", ""),
            (150, 60, "Auditorium", "How to register and bid", "F4E industry liaison"),
        ],
    )
    RegistrationQuestion.objects.get_or_create(
        event=industry_day,
        text="Which ITER systems are you interested in?",
        defaults={"required": False, "order": 0},
    )

    _event(
        "demo-clusterxchange-cern-visit",
        [bigscience],
        kind=Event.Kind.CLUSTER_EXCHANGE,
        title="ClusterXchange: visit to CERN with BigScience.dk (demo)",
        host_infrastructure=cern,
        starts=(90, 9),
        ends=(91, 16),
        time_zone="Europe/Zurich",
        venue="CERN, Meyrin site",
        venue_city="Geneva",
        venue_country="CH",
        capacity=25,
        audience="Danish suppliers and cluster members.",
        description=(
            "A group visit with facility tours, a meeting with procurement officers and B2B "
            "talks with the host's industry liaison."
        ),
        programme=[
            (0, 120, "Meyrin", "Facility tour", "CERN guides"),
            (180, 90, "Meyrin", "Procurement at CERN: market surveys and tenders", ""),
        ],
    )

    _demo_participants(brokerage, sessions)
    _demo_innovation_workshop()
    if stdout:
        stdout.write("Demo events loaded.\n")


def _show(registration: Registration, title: str, kind: str, description: str, codes) -> None:
    """A participant's cooperation opportunity at the event, made once (found by its title)."""
    if EventOpportunity.objects.filter(
        registration=registration, opportunity__title=title
    ).exists():
        return
    services.opportunity_create(
        registration=registration,
        kind=kind,
        title=title,
        description=description,
        cpv_codes=list(CPVCode.objects.filter(code__in=codes)),
    )


#: the innovation workshop where DESY shows its demo technology offer (``innovation.demo``)
WORKSHOP_SLUG = "demo-technology-transfer-workshop-hamburg"


def _demo_innovation_workshop() -> None:
    """A technology-transfer workshop at DESY, in the style of the innovation workshops of the
    research infrastructures (CREMLIN's with ESS, DESY, DTU and the Kurchatov Institute): DESY's
    technology offer of the innovation demo data is shown there."""
    desy = Organisation.objects.filter(slug="desy").first()
    offer = PartnershipOpportunity.objects.filter(title=DESY_OFFER_TITLE, organisation=desy).first()
    officer = get_user_model().objects.filter(username="desy-tto@demo.bigscience.example").first()
    if desy is None or offer is None or officer is None:
        return
    workshop = _event(
        WORKSHOP_SLUG,
        [desy],
        kind=Event.Kind.WORKSHOP,
        title="Innovation workshop: technologies of research infrastructures for industry (demo)",
        starts=(45, 9),
        ends=(45, 17),
        time_zone="Europe/Berlin",
        venue="DESY campus, Hamburg-Bahrenfeld (demo)",
        venue_city="Hamburg",
        venue_country="DE",
        capacity=80,
        audience="SMEs and technology-transfer officers.",
        description=(
            "Research infrastructures and technology-transfer offices present technologies "
            "that industry can license or co-develop, followed by one-to-one talks."
        ),
        programme=[
            (0, 45, "Auditorium", "Technology transfer at research infrastructures", "DESY"),
            (45, 90, "Auditorium", "Technology offers: pitches", "DESY, ESS, Inven2"),
            (150, 120, "Foyer", "One-to-one talks", ""),
        ],
    )
    registration, _ = Registration.objects.get_or_create(
        event=workshop,
        user=officer,
        defaults={
            "organisation": desy,
            "status": Registration.Status.CONFIRMED,
            "confirmed_at": timezone.now(),
        },
    )
    EventOpportunity.objects.get_or_create(registration=registration, opportunity=offer)


def _demo_participants(event: Event, sessions: list[MeetingSession]) -> None:
    User = get_user_model()
    sme_user = User.objects.filter(username="sme@demo.bigscience.example").first()
    ilo_user = User.objects.filter(username="ilo@demo.bigscience.example").first()
    sme = Organisation.objects.filter(slug="demo-nordcryo-aps").first()
    f4e = Organisation.objects.filter(slug="f4e").first()
    if not (sme_user and ilo_user and sme and f4e):
        return
    regs = {}
    for user, org in ((sme_user, sme), (ilo_user, f4e)):
        reg, _ = Registration.objects.get_or_create(
            event=event,
            user=user,
            defaults={
                "organisation": org,
                "status": Registration.Status.CONFIRMED,
                "confirmed_at": timezone.now(),
            },
        )
        regs[org.slug] = reg
        for s in sessions:
            Availability.objects.get_or_create(registration=reg, session=s)
    _show(
        regs["demo-nordcryo-aps"],
        "Cryostats and helium transfer lines",
        PartnershipOpportunity.Kind.TECHNOLOGY_OFFER,
        "Design and manufacture of vacuum-insulated helium transfer lines, cryostats and "
        "cryogenic valves for accelerators and fusion.",
        ["42131000", "44163000"],
    )
    _show(
        regs["f4e"],
        "Cryogenic distribution components",
        PartnershipOpportunity.Kind.TECHNOLOGY_REQUEST,
        "Suppliers of cryolines and cryogenic valves for ITER test facilities.",
        ["42131000"],
    )
    MeetingRequest.objects.get_or_create(
        event=event,
        requester=regs["f4e"],
        recipient=regs["demo-nordcryo-aps"],
        defaults={"message": "We would like to hear about your transfer lines for our tests."},
    )
