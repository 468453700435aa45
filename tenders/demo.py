"""Demo calls: realistic portal-posted needs of real infrastructures (the calls are illustrative).

Idempotent: each call is keyed by (buyer, reference); an existing one is left as it is, so a
second run changes nothing. Deadlines are computed from the first run's date.
"""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organisations import demo as org_demo
from organisations.models import CPVCode, Organisation

from . import services
from .models import Clarification, ExpressionOfInterest, ProcurementCall

#: The buyers of the demo calls, as the directory's demo describes them (created here only when
#: organisations/demo.py did not run).
_BUYERS = ("f4e", "cern", "ess", "esrf", "european-xfel")
_FACTS = ("name", "acronym", "country", "city", "website", "description")
INFRASTRUCTURES = {
    org["slug"]: {fact: org[fact] for fact in _FACTS}
    for org in org_demo.INFRASTRUCTURES
    if org["slug"] in _BUYERS
}

#: Each buyer's zone: its calls' deadlines are noon there.
BUYER_ZONES = {
    "f4e": "Europe/Madrid",
    "cern": "Europe/Zurich",
    "ess": "Europe/Stockholm",
    "esrf": "Europe/Paris",
    "european-xfel": "Europe/Berlin",
}

CERN_MEMBER_STATES = [
    "AT", "BE", "BG", "CH", "CZ", "DE", "DK", "ES", "FI", "FR", "GB", "GR",
    "HU", "IL", "IT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SK",
]  # fmt: skip

S = ProcurementCall.Stage
P = ProcurementCall.Procedure
C = ProcurementCall.MainCategory

CALLS = [
    {
        "buyer": "f4e",
        "reference": "F4E-DEMO-OPE-1201",
        "title": "170 GHz gyrotron RF source for ECRH: industrial prototype",
        "description": (
            "Design, manufacture and factory testing of a 1 MW, 170 GHz continuous-wave gyrotron "
            "for the electron cyclotron resonance heating system, with its superconducting "
            "magnet, collector and diamond output window. Co-development with the F4E RF team "
            "over the prototype phase."
        ),
        "stage": S.INVITATION_TO_TENDER,
        "procurement_method": P.COMPETITIVE_DIALOGUE,
        "main_procurement_category": C.GOODS,
        "main_cpv": "31711420",
        "additional_cpv": ["31711424", "31630000"],
        "value_amount": Decimal("12500000"),
        "value_band": "D",
        "days": 45,
        "selection_criteria": "Experience with high-power microwave tubes; ISO 9001.",
        "award_criteria": "Best price-quality ratio: technical 60 %, price 40 %.",
    },
    {
        "buyer": "f4e",
        "reference": "F4E-DEMO-OMF-1207",
        "title": "Cryogenic control valves for the ITER cryodistribution system",
        "description": (
            "Supply of 40 cryogenic control and safety valves for supercritical helium at 4.5 K, "
            "with extended bonnets, bellows seals and leak rates below 1e-9 Pa m3/s."
        ),
        "stage": S.MARKET_SURVEY,
        "procurement_method": P.RESTRICTED,
        "main_procurement_category": C.GOODS,
        "main_cpv": "42131142",
        "additional_cpv": ["42131147", "24111300"],
        "value_amount": Decimal("2400000"),
        "value_band": "B",
        "days": 30,
        "sme_friendly": True,
    },
    {
        "buyer": "f4e",
        "reference": "F4E-DEMO-RH-1210",
        "title": "Remote-handling tooling for divertor cassette maintenance",
        "description": (
            "Co-development of radiation-tolerant end effectors and tooling for the remote "
            "exchange of divertor cassettes, including mock-up testing."
        ),
        "stage": S.CO_DEVELOPMENT,
        "procurement_method": P.INNOVATION_PARTNERSHIP,
        "main_procurement_category": C.SERVICES,
        "main_cpv": "42990000",
        "additional_cpv": ["38540000"],
        "value_band": "C",
        "days": 60,
    },
    {
        "buyer": "cern",
        "reference": "MS-DEMO-4471/TE",
        "title": "Vacuum-insulated cryogenic transfer lines for HL-LHC",
        "description": (
            "Market survey for the design, manufacture, installation and testing of "
            "vacuum-insulated helium transfer lines (4.5 K to 20 K) with thermal shields for the "
            "High-Luminosity LHC upgrade. Qualified firms will be invited to tender."
        ),
        "stage": S.MARKET_SURVEY,
        "procurement_method": P.RESTRICTED,
        "main_procurement_category": C.GOODS,
        "main_cpv": "44163000",
        "additional_cpv": ["42513200", "24111300"],
        "value_amount": Decimal("8000000"),
        "value_currency": "CHF",
        "value_band": "C",
        "days": 21,
        "eligible": CERN_MEMBER_STATES,
        "sme_friendly": True,
    },
    {
        "buyer": "cern",
        "reference": "IT-DEMO-4502/TE",
        "title": "Winding and impregnation of Nb3Sn superconducting magnet coils",
        "description": (
            "Invitation to tender for winding, reaction heat treatment and vacuum impregnation "
            "of Nb3Sn coils for 11 T dipole magnets, following CERN's procedures and tooling."
        ),
        "stage": S.INVITATION_TO_TENDER,
        "procurement_method": P.OPEN,
        "main_procurement_category": C.GOODS,
        "main_cpv": "31630000",
        "additional_cpv": ["31643000"],
        "value_amount": Decimal("4200000"),
        "value_currency": "CHF",
        "value_band": "B",
        "days": 35,
        "eligible": CERN_MEMBER_STATES,
    },
    {
        "buyer": "cern",
        "reference": "DO-DEMO-9911/BE",
        "title": "Beam position monitor read-out electronics (price enquiry)",
        "description": "Price enquiry for 120 channels of BPM front-end electronics.",
        "stage": S.PRICE_ENQUIRY,
        "procurement_method": P.OPEN,
        "main_procurement_category": C.GOODS,
        "main_cpv": "38430000",
        "additional_cpv": ["31710000"],
        "value_amount": Decimal("180000"),
        "value_currency": "CHF",
        "value_band": "A",
        "days": 14,
        "eligible": CERN_MEMBER_STATES,
        "sme_friendly": True,
    },
    {
        "buyer": "ess",
        "reference": "ESS-DEMO-2231",
        "title": "Ultra-high vacuum pumps and gauges for the superconducting linac",
        "description": (
            "Supply of ion pumps, NEG cartridges, turbomolecular pumping stations and "
            "cold-cathode gauges for the ESS linac beam vacuum, with cleaning for UHV."
        ),
        "stage": S.INVITATION_TO_TENDER,
        "procurement_method": P.OPEN,
        "main_procurement_category": C.GOODS,
        "main_cpv": "42122450",
        "additional_cpv": ["42124320"],
        "value_amount": Decimal("1900000"),
        "value_band": "B",
        "days": 28,
    },
    {
        "buyer": "ess",
        "reference": "ESS-DEMO-2240",
        "title": "Boron-10 neutron detector modules: co-development",
        "description": (
            "Co-development and small-series production of boron-10 thin-film neutron "
            "detector modules for the instrument suite."
        ),
        "stage": S.CO_DEVELOPMENT,
        "procurement_method": P.INNOVATION_PARTNERSHIP,
        "main_procurement_category": C.GOODS,
        "main_cpv": "38341000",
        "additional_cpv": ["38430000"],
        "value_band": "B",
        "days": 50,
        "sme_friendly": True,
    },
    {
        "buyer": "ess",
        "reference": "ESS-DEMO-2255",
        "title": "EPICS control software integration services",
        "description": (
            "Advance notice: framework agreement for EPICS device support, IOC integration and "
            "operator interfaces for accelerator and target systems."
        ),
        "stage": S.ADVANCE_NOTICE,
        "procurement_method": P.NEGOTIATED,
        "main_procurement_category": C.SERVICES,
        "main_cpv": "72212150",
        "additional_cpv": [],
        "value_band": "B",
        "days": 75,
    },
    {
        "buyer": "esrf",
        "reference": "ESRF-DEMO-0412",
        "title": "X-ray mirrors with sub-nanometre figure error for the EBS beamlines",
        "description": (
            "Polished and coated silicon mirrors up to 1 m long with slope errors below "
            "100 nrad, metrology reports included."
        ),
        "stage": S.INVITATION_TO_TENDER,
        "procurement_method": P.NEGOTIATED,
        "main_procurement_category": C.GOODS,
        "main_cpv": "38636000",
        "additional_cpv": [],
        "value_amount": Decimal("950000"),
        "value_band": "B",
        "days": 40,
        "language": "en",
    },
    {
        "buyer": "esrf",
        "reference": "ESRF-DEMO-0419",
        "title": "Cryogenically cooled monochromator crystal assemblies",
        "description": (
            "Liquid-nitrogen cooled double-crystal monochromator assemblies with vibration "
            "below 10 nrad RMS."
        ),
        "stage": S.EXPRESSION_OF_INTEREST,
        "procurement_method": P.OPEN,
        "main_procurement_category": C.GOODS,
        "main_cpv": "38636000",
        "additional_cpv": ["42513200"],
        "value_band": "A",
        "days": 25,
        "sme_friendly": True,
    },
    {
        "buyer": "european-xfel",
        "reference": "XFEL-DEMO-7730",
        "title": "Read-out ASIC for a megapixel 2D X-ray detector",
        "description": (
            "Call for expression of interest: design and production of a radiation-hard "
            "read-out ASIC for a 4.5 MHz burst-mode 2D detector."
        ),
        "stage": S.EXPRESSION_OF_INTEREST,
        "procurement_method": P.COMPETITIVE_DIALOGUE,
        "main_procurement_category": C.GOODS,
        "main_cpv": "38430000",
        "additional_cpv": ["31710000"],
        "value_band": "C",
        "days": 33,
    },
    {
        "buyer": "european-xfel",
        "reference": "XFEL-DEMO-7741",
        "title": "Karabo device servers for photon diagnostics (software services)",
        "description": "Development of Karabo control-system device servers for diagnostics.",
        "stage": S.PRICE_ENQUIRY,
        "procurement_method": P.OPEN,
        "main_procurement_category": C.SERVICES,
        "main_cpv": "72212150",
        "additional_cpv": [],
        "value_amount": Decimal("120000"),
        "value_band": "A",
        "days": 18,
        "language": "de",
    },
]

QUESTIONS = [
    (
        "F4E-DEMO-OMF-1207",
        "Are valves with a cold-box mounted actuator acceptable, or must the actuator be warm?",
        "Warm actuators on extended bonnets are required; see section 3.2 of the specification.",
    ),
    (
        "MS-DEMO-4471/TE",
        "May a consortium of two SMEs from different member states answer the market survey?",
        "Yes. Consortia are welcome; name the lead firm and each partner's share.",
    ),
    (
        "F4E-DEMO-OPE-1201",
        "Is the superconducting magnet part of the supply or provided by F4E?",
        "",  # waiting for the officer: shows on the ILO's dashboard
    ),
]


def _infrastructure(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        org = Organisation.objects.create(
            slug=slug,
            kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE,
            status=Organisation.Status.PUBLISHED,
            **INFRASTRUCTURES[slug],
        )
    return org


@transaction.atomic
def load(stdout=None) -> None:
    User = get_user_model()
    officer = User.objects.filter(email="ilo@demo.bigscience.example").first()
    sme_user = User.objects.filter(email="sme@demo.bigscience.example").first()
    now = timezone.now()
    created = 0
    calls: dict[str, ProcurementCall] = {}
    for data in CALLS:
        buyer = _infrastructure(data["buyer"])
        existing = ProcurementCall.objects.filter(buyer=buyer, reference=data["reference"]).first()
        if existing:
            calls[data["reference"]] = existing
            continue
        cpv = {
            c.code: c
            for c in CPVCode.objects.filter(code__in=[data["main_cpv"], *data["additional_cpv"]])
        }
        zone = BUYER_ZONES.get(data["buyer"], settings.TIME_ZONE)
        deadline = timezone.localtime(
            now + timedelta(days=data["days"]), zoneinfo.ZoneInfo(zone)
        ).replace(hour=12, minute=0, second=0, microsecond=0)
        fields = {
            "reference": data["reference"],
            "title": data["title"],
            "description": data["description"],
            "stage": data["stage"],
            "procurement_method": data["procurement_method"],
            "main_procurement_category": data["main_procurement_category"],
            "main_cpv": cpv.get(data["main_cpv"]),
            "value_amount": data.get("value_amount"),
            "value_currency": data.get("value_currency", "EUR"),
            "value_band": data.get("value_band", ""),
            "enquiry_period_end": deadline - timedelta(days=min(7, data["days"] // 2)),
            "tender_period_end": deadline,
            "time_zone": zone,
            "eligible_countries": data.get("eligible", []),
            "sme_friendly": data.get("sme_friendly", False),
            "selection_criteria": data.get("selection_criteria", ""),
            "award_criteria": data.get("award_criteria", ""),
            "language": data.get("language", "en"),
            "country": buyer.country,
        }
        user = officer if data["buyer"] == "f4e" else None
        call = services.call_create(
            user=user,
            buyer=buyer,
            fields=fields,
            additional_cpv=[cpv[c] for c in data["additional_cpv"] if c in cpv],
        )
        if call.main_cpv_id:
            services.call_publish(call=call, user=user, note="Demo data")
        calls[data["reference"]] = call
        created += 1

    # Questions (written directly: the demo should not send e-mails) and one EoI.
    for reference, question, answer in QUESTIONS:
        call = calls.get(reference)
        if call is None or call.clarifications.filter(question=question).exists():
            continue
        Clarification.objects.create(
            call=call,
            question=question,
            asked_by=sme_user,
            answer=answer,
            answered_by=officer if answer else None,
            answered_at=now if answer else None,
        )
    company = Organisation.objects.filter(slug="demo-nordcryo-aps").first()
    valves = calls.get("F4E-DEMO-OMF-1207")
    if company and valves and valves.is_open:
        ExpressionOfInterest.objects.get_or_create(
            call=valves,
            organisation=company,
            defaults={
                "submitted_by": sme_user,
                "message": "We build cryogenic valves for 4.5 K helium service (demo).",
                "partners": "",
            },
        )
    if stdout is not None:
        stdout.write(f"Calls: {created} created, {len(CALLS) - created} already present.\n")
