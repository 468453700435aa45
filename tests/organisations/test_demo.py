"""Demo data: real infrastructures and clusters, 300+ seeded demo companies, idempotent."""

import pytest

from organisations import demo
from organisations.models import (
    ClusterMembership,
    ContractReference,
    CPVCode,
    Membership,
    NACECode,
    Organisation,
)

pytestmark = pytest.mark.django_db


def counts() -> dict:
    return {
        "organisations": Organisation.objects.count(),
        "demo": Organisation.objects.filter(is_demo=True).count(),
        "cluster_memberships": ClusterMembership.objects.count(),
        "references": ContractReference.objects.count(),
        "memberships": Membership.objects.count(),
        "cpv_links": Organisation.cpv_codes.through.objects.count(),
        "nace_links": Organisation.nace_codes.through.objects.count(),
        "updated": list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True)),
    }


def test_loading_twice_gives_the_same_data_and_writes_nothing():
    demo.load()
    first = counts()
    demo.load()
    assert counts() == first
    assert first["demo"] >= 300


def test_generator_is_deterministic_and_covers_every_domain():
    a, b = demo.generate_companies(), demo.generate_companies()
    assert [c.slug for c in a] == [c.slug for c in b]
    assert [c.fields["capabilities"] for c in a] == [c.fields["capabilities"] for c in b]
    assert len({c.slug for c in a}) == len(a) >= 300
    present = {d for c in a for d in c.domains}
    assert present == {d.slug for d in demo.DOMAINS}
    assert len({c.fields["capabilities"] for c in a}) > 290  # varied texts


def test_every_demo_code_exists_in_the_reference_tables():
    cpv = {code for d in demo.DOMAINS for code in d.cpv}
    nace = {code for d in demo.DOMAINS for code in d.nace}
    assert CPVCode.objects.filter(code__in=cpv).count() == len(cpv)
    assert NACECode.objects.filter(code__in=nace).count() == len(nace)


def test_loaded_demo_data_is_marked_complete_and_real_where_it_should_be():
    demo.load()
    _real_infrastructures_and_clusters_with_public_facts()
    _demo_accounts_have_their_roles()
    companies = Organisation.objects.filter(is_demo=True)
    assert all(c.name.endswith("(demo)") for c in companies)
    assert all(c.website.endswith(".demo.example/") for c in companies)
    assert not companies.filter(cpv_codes__isnull=True).exists()
    assert companies.filter(verified_at__isnull=False).count() > 20
    assert ContractReference.objects.filter(organisation__is_demo=True).count() > 50
    for slug in demo.CLUSTER_BY_COUNTRY.values():
        assert ClusterMembership.objects.filter(cluster__slug=slug, status="approved").exists()


def _real_infrastructures_and_clusters_with_public_facts():
    cern = Organisation.objects.get(slug="cern")
    assert cern.kind == Organisation.Kind.RESEARCH_INFRASTRUCTURE and not cern.is_demo
    assert len(cern.member_states) == 25 and str(cern.country) == "CH"
    assert len(Organisation.objects.get(slug="esa").member_states) == 23
    assert len(Organisation.objects.get(slug="ess").member_states) == 13
    assert len(Organisation.objects.get(slug="european-xfel").member_states) == 12
    for slug in ("iter", "f4e", "esrf", "desy", "eso", "embl", "eli-eric", "fair", "ill"):
        assert Organisation.objects.filter(slug=slug, status="published").exists()
    for slug in ("bigsciencedk", "ineustar", "litek", "its-owl", "dimecc"):
        assert Organisation.objects.get(slug=slug).kind == Organisation.Kind.CLUSTER
    assert (
        Organisation.objects.get(slug="inven2").kind == Organisation.Kind.TECHNOLOGY_TRANSFER_OFFICE
    )
    assert (
        Organisation.objects.get(slug="innotech-taskforce").kind
        == Organisation.Kind.PUBLIC_AUTHORITY
    )


def _demo_accounts_have_their_roles():
    manager = Membership.objects.get(user__email="cluster@demo.bigscience.example")
    assert manager.organisation.slug == "bigsciencedk" and manager.role == "admin"
    sme = Membership.objects.get(user__email="sme@demo.bigscience.example")
    assert sme.organisation.slug == "demo-nordcryo-aps"
