"""Demo exchanges: a 360 Xchange to the European Spallation Source (ESS, Lund, Sweden: a
research facility built around a pulsed neutron source, https://ess.eu/) hosted by
BigScience.dk (the Danish Big Science cluster, https://bigscience.dk/) with LITEK (the
Lithuanian cluster) as partner: a facility visit, a conference and a B2B session in one
programme, open to LITEK's members in Lithuania.

The clusters and ESS are the real organisations of ``organisations.demo`` with their public
facts; the events, the programme, the LITEK manager and the member company "Baltic Neutron
Optics UAB (demo)" (``is_demo``, a ``.demo.example`` site) are fictional. Idempotent: every
object is found by a stable key and only created when missing; dates are chosen relative to the
first run.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from events import services as event_services
from events.models import Event, MeetingSession
from organisations.models import ClusterMembership, Decision, Membership, Organisation

from . import services
from .models import AgendaItem, Application, Exchange, Partnership

EXCHANGE_SLUG = "demo-360-xchange-ess-lund"
TZ = "Europe/Stockholm"

COMPANY = {
    "slug": "demo-baltic-neutron-optics-uab",
    "kind": Organisation.Kind.SME,
    "name": "Baltic Neutron Optics UAB (demo)",
    "country": "LT",
    "city": "Vilnius",
    "website": "https://baltic-neutron-optics.demo.example/",
    "email": "contact@baltic-neutron-optics.demo.example",
    "status": Organisation.Status.PUBLISHED,
    "size_class": Organisation.SizeClass.SMALL,
    "capabilities": "Neutron guide coatings and precision optical mounts (demo company).",
    "is_demo": True,
}

#: (e-mail, first name, last name, organisation slug, role)
ACCOUNTS = [
    ("litek@demo.bigscience.example", "Lina", "Demo", "litek", Membership.Role.ADMIN),
    ("litek-member@demo.bigscience.example", "Jonas", "Demo", COMPANY["slug"], "admin"),
]


def _user(email, first, last):
    from organisations.demo import demo_person

    return demo_person(email, first, last)


def _at(day, hour: int, minute: int = 0):
    import zoneinfo

    return datetime.combine(day, time(hour, minute), tzinfo=zoneinfo.ZoneInfo(TZ))


def _event(slug, organisers, user, **fields) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = event_services.event_save(
            event=Event(slug=slug, status=Event.Status.PUBLISHED, time_zone=TZ, **fields),
            organisers=organisers,
            user=user,
        )
    return event


@transaction.atomic
def load(stdout=None) -> None:
    orgs = {
        o.slug: o for o in Organisation.objects.filter(slug__in=["bigsciencedk", "litek", "ess"])
    }
    manager = get_user_model().objects.filter(username="cluster@demo.bigscience.example").first()
    if len(orgs) < 3 or manager is None:
        if stdout is not None:
            stdout.write("exchanges demo: BigScience.dk, LITEK or ESS missing; skipped.")
        return
    host, litek, ess = orgs["bigsciencedk"], orgs["litek"], orgs["ess"]
    company = Organisation.objects.filter(slug=COMPANY["slug"]).first()
    if company is None:
        company = Organisation.objects.create(**COMPANY)
    ClusterMembership.objects.get_or_create(
        cluster=litek, member=company, defaults={"status": Decision.APPROVED}
    )
    by_org = {"litek": litek, COMPANY["slug"]: company}
    users = {}
    for email, first, last, slug, role in ACCOUNTS:
        users[slug] = _user(email, first, last)
        Membership.objects.get_or_create(
            user=users[slug], organisation=by_org[slug], defaults={"role": role}
        )
    litek_manager, member = users["litek"], users[COMPANY["slug"]]

    if not Partnership.objects.filter(proposer=host, partner=litek).exists():
        partnership = services.partnership_propose(
            proposer=host,
            partner=litek,
            user=manager,
            goals="Joint Danish-Lithuanian visits to ESS and shared B2B sessions for the two "
            "clusters' suppliers (demo).",
            starts_on=timezone.localdate(),
        )
        services.partnership_decide(partnership=partnership, user=litek_manager, accept=True)

    exchange = Exchange.objects.filter(slug=EXCHANGE_SLUG).first()
    if exchange is None:
        first = timezone.localdate() + timedelta(days=60)
        exchange = services.exchange_save(
            exchange=Exchange(
                slug=EXCHANGE_SLUG,
                kind=Exchange.Kind.XCHANGE_360,
                title="360 Xchange to ESS in Lund (demo)",
                host_cluster=host,
                theme="Neutron science instrumentation and the ESS supply chain",
                description="BigScience.dk and LITEK take Danish and Lithuanian suppliers to "
                "the European Spallation Source: a facility visit, a conference day and a B2B "
                "session with the ESS in-kind and procurement teams (demo programme).",
                starts_on=first,
                ends_on=first + timedelta(days=1),
                time_zone=TZ,
                applications_close_on=first - timedelta(days=14),
                places=12,
                facilities="The ESS site in Lund (demo programme).",
                covered="Train Copenhagen-Lund and one night's accommodation (demo).",
                eligible_countries=["LT"],
                status=Exchange.Status.PUBLISHED,
            ),
            user=manager,
            host_organisations=[ess],
            eligible_clusters=[litek],
        )
        day1, day2 = first, first + timedelta(days=1)
        organisers = [host, litek]
        visit = _event(
            "demo-ess-facility-visit-360-xchange",
            organisers,
            manager,
            kind=Event.Kind.FACILITY_VISIT,
            title="ESS facility visit (demo)",
            host_infrastructure=ess,
            starts_at=_at(day1, 10),
            ends_at=_at(day1, 15),
            venue="European Spallation Source",
            venue_city="Lund",
            venue_country="SE",
            capacity=40,
            description="A guided visit of the ESS site for the 360 Xchange (demo).",
        )
        conference = _event(
            "demo-ess-supplier-conference-360-xchange",
            organisers,
            manager,
            kind=Event.Kind.CONFERENCE,
            title="ESS supplier conference (demo)",
            starts_at=_at(day2, 9),
            ends_at=_at(day2, 13),
            venue_city="Lund",
            venue_country="SE",
            description="Talks on upcoming ESS needs (demo).",
        )
        b2b = _event(
            "demo-ess-b2b-session-360-xchange",
            organisers,
            manager,
            kind=Event.Kind.CONFERENCE,
            b2b_meetings=True,
            title="B2B session with ESS teams (demo)",
            starts_at=_at(day2, 14),
            ends_at=_at(day2, 17),
            venue_city="Lund",
            venue_country="SE",
            description="One-to-one meetings between suppliers and ESS teams (demo).",
        )
        MeetingSession.objects.get_or_create(
            event=b2b,
            name="Afternoon",
            defaults={"starts_at": b2b.starts_at, "ends_at": b2b.ends_at},
        )
        AgendaItem.objects.create(
            exchange=exchange,
            title="Train from Copenhagen to Lund",
            starts_at=_at(day1, 8),
            ends_at=_at(day1, 9),
            place="Copenhagen Central Station",
        )
        for event in (visit, conference, b2b):
            services.agenda_item_add(exchange=exchange, user=manager, event=event)

    if not Application.objects.filter(exchange=exchange, applicant=member).exists():
        application = services.application_create(
            exchange=exchange,
            user=member,
            organisation=company,
            motivation="We coat neutron guides and want to meet the ESS instrument teams (demo).",
        )
        services.application_decide(application=application, user=manager, accept=True)
    if stdout is not None:
        stdout.write("Demo exchanges: a 360 Xchange to ESS (BigScience.dk with LITEK).")
