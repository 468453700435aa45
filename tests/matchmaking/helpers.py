"""Shorthands of the matchmaking tests over the factories: a company with its codes and
certifications by name, a call with its requirements, a member of an organisation."""

from __future__ import annotations

from organisations.models import Certification, Membership, Organisation
from tenders.models import ProcurementCall
from tests.factories import (
    CertificationFactory,
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

GYROTRON = (
    "Supply of gyrotrons: high-power RF sources at 170 GHz for electron cyclotron heating, "
    "with superconducting magnets and high-voltage power supplies."
)


def certification(name: str) -> Certification:
    return CertificationFactory(code=name.lower().replace(" ", "-").replace(":", ""), name=name)


def company(
    *,
    capabilities: str = "Precision machining of vacuum chambers.",
    cpv: tuple[str, ...] = (),
    country: str = "DK",
    certs: tuple[str, ...] = (),
    **kwargs,
) -> Organisation:
    return OrganisationFactory(
        capabilities=capabilities,
        country=country,
        cpv_codes=list(cpv),
        certifications=[certification(c) for c in certs],
        **kwargs,
    )


def call(
    *,
    buyer: Organisation | None = None,
    title: str = "Gyrotron supply",
    description: str = GYROTRON,
    main_cpv: str | None = "31670000",
    days: int = 30,
    status: str = ProcurementCall.Status.PUBLISHED,
    eligible: tuple[str, ...] = (),
    certs: tuple[str, ...] = (),
) -> ProcurementCall:
    c = ProcurementCallFactory(
        buyer=buyer or InfrastructureFactory(),
        title=title,
        description=description,
        main_cpv_id=main_cpv,
        deadline_days=days,
        status=status,
        eligible_countries=list(eligible),
    )
    if certs:
        c.required_certifications.set([certification(x) for x in certs])
    return c


def member(org: Organisation, *, role: str = Membership.Role.EDITOR, **user_kwargs):
    return MembershipFactory(organisation=org, role=role, **user_kwargs).user


def ensure_reference_data() -> None:
    """Transactional tests flush the database afterwards, reference data included: reload it."""
    from django.conf import settings

    from organisations.models import CPVCode

    if not CPVCode.objects.filter(code="31670000").exists():
        from organisations.services import reference_data_load

        reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)


def stored_rows():
    """Every stored match as comparable tuples (score, ranks, components)."""
    from matchmaking.models import Match

    return sorted(
        Match.objects.values_list(
            "company_id",
            "call_id",
            "score",
            "rank_for_call",
            "rank_for_company",
            "components",
        )
    )
