"""The two data sets of the matchmaking tests: a small market (scoring, alerts) and a world of
the people who use the pages (views, panels)."""

import pytest

from matchmaking import services
from organisations.models import Decision, Membership
from tests.factories import (
    ClusterFactory,
    ClusterMembershipFactory,
    InfrastructureFactory,
    StaffFactory,
)

from .helpers import call, company, member


@pytest.fixture
def market():
    """F4E with two open calls; three companies, one of them in a country the first excludes."""
    infra = InfrastructureFactory(name="F4E")
    gyro = company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources; superconducting magnets.",
        cpv=("31600000",),
        certs=("ISO 9001",),
    )
    vacuum = company(
        name="VacuumWorks",
        capabilities="Vacuum chambers, welding of stainless steel, leak testing.",
        cpv=("42120000",),
    )
    german = company(
        name="GermanGyro",
        capabilities="Gyrotron tubes and high-power RF sources.",
        cpv=("31600000",),
        country="DE",
    )
    c = call(buyer=infra, eligible=("DK", "FR"), certs=("ISO 9001",))
    other = call(
        buyer=infra,
        title="Vacuum vessel sectors",
        description="Welding and leak testing of stainless steel vacuum chambers.",
        main_cpv="42120000",
    )
    return {
        "infra": infra,
        "gyro": gyro,
        "vacuum": vacuum,
        "german": german,
        "call": c,
        "other": other,
    }


@pytest.fixture
def world():
    """Scored matches and one user per role: the SME member, the buyer's liaison officer, the
    cluster manager, staff, and people of other organisations."""
    infra = InfrastructureFactory(name="F4E")
    other_infra = InfrastructureFactory(name="ESS")
    gyro = company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources.",
        cpv=("31600000",),
        certs=("ISO 9001",),
        email="contact@gyro.example",
    )
    rival = company(name="Rival", capabilities="Vacuum chambers and welding.", cpv=("42120000",))
    cluster = ClusterFactory(slug="bigsciencedk")
    ClusterMembershipFactory(cluster=cluster, member=gyro, status=Decision.APPROVED)
    c = call(buyer=infra, certs=("ISO 9001",))
    c2 = call(
        buyer=infra,
        title="Vacuum vessel",
        description="Vacuum chambers, welding of stainless steel.",
        main_cpv="42120000",
    )
    services.recompute_all_inline()
    users = {
        "anonymous": None,
        "sme": member(gyro, role=Membership.Role.ADMIN),
        "other_sme": member(rival),
        "officer": member(infra),
        "other_officer": member(other_infra),
        "cluster_manager": member(cluster, role=Membership.Role.ADMIN),
        "staff": StaffFactory(),
    }
    return {
        "infra": infra,
        "gyro": gyro,
        "rival": rival,
        "cluster": cluster,
        "call": c,
        "call2": c2,
        "users": users,
    }


@pytest.fixture
def demo_data():
    """Two companies and two calls of the kind the demo data set has."""
    infra = InfrastructureFactory(name="Fusion for Energy")
    company(name="GyroTech", capabilities="Gyrotron tubes and RF sources.", cpv=("31600000",))
    company(name="CryoWorks", capabilities="Cryostats and helium valves.", cpv=("42131142",))
    call(buyer=infra, title="Gyrotron supply")
    call(
        buyer=infra,
        title="Cryogenic control valves",
        description="Valves for helium.",
        main_cpv="42131142",
    )
