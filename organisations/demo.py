"""Demo data for the directory: real infrastructures and clusters, fictional demo companies.

Idempotent: every object is looked up by a stable key and only created or updated.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Membership, Organisation

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 -- printed by make run on purpose; demo only


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    name: str
    organisation_slug: str | None
    membership_role: str | None
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "SME member", "sme@demo.bigscience.example", "Sofie Demo", "demo-nordcryo-aps", "admin"
    ),
    DemoAccount(
        "Cluster manager", "cluster@demo.bigscience.example", "Carlos Demo", "bigsciencedk", "admin"
    ),
    DemoAccount(
        "Infrastructure liaison officer",
        "ilo@demo.bigscience.example",
        "Ines Demo",
        "f4e",
        "editor",
    ),
    DemoAccount("Staff", "staff@demo.bigscience.example", "Stefan Demo", None, None, is_staff=True),
]

ORGANISATIONS = [
    {
        "slug": "f4e",
        "kind": Organisation.Kind.RESEARCH_INFRASTRUCTURE,
        "name": "Fusion for Energy",
        "acronym": "F4E",
        "country": "ES",
        "city": "Barcelona",
        "website": "https://fusionforenergy.europa.eu/",
        "description": "The EU organisation managing Europe's contribution to ITER.",
    },
    {
        "slug": "bigsciencedk",
        "kind": Organisation.Kind.CLUSTER,
        "name": "BigScience.dk",
        "acronym": "",
        "country": "DK",
        "city": "Aarhus",
        "website": "https://bigscience.dk/",
        "description": "The Danish industrial liaison and cluster for Big Science suppliers.",
    },
    {
        "slug": "demo-nordcryo-aps",
        "kind": Organisation.Kind.SME,
        "name": "NordCryo ApS (demo)",
        "acronym": "",
        "country": "DK",
        "city": "Aarhus",
        "website": "https://nordcryo.demo.example/",
        "description": "Fictional demo company.",
        "is_demo": True,
        "size_class": Organisation.SizeClass.SMALL,
        "capabilities": "Cryostats, helium transfer lines and cryogenic valves for accelerators.",
    },
]


@transaction.atomic
def load(stdout=None) -> None:
    for data in ORGANISATIONS:
        data = dict(data)
        slug = data.pop("slug")
        Organisation.objects.update_or_create(
            slug=slug, defaults={**data, "status": Organisation.Status.PUBLISHED}
        )
    load_accounts()


def load_accounts() -> None:
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, _, last = account.name.partition(" ")
        user, created = User.objects.get_or_create(
            username=account.email,
            defaults={"email": account.email, "first_name": first, "last_name": last},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = account.is_staff
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.organisation_slug:
            Membership.objects.get_or_create(
                user=user,
                organisation=Organisation.objects.get(slug=account.organisation_slug),
                defaults={"role": account.membership_role},
            )
