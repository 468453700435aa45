"""Demo data: real infrastructures and clusters, 300+ seeded demo companies, idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

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


# --- the demo accounts (issue 14, finding 2) -------------------------------------------------

STAFF = "staff@demo.bigscience.example"


def _log_in(client, email, password):
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code == 302 and response["Location"] != reverse("account_login")


def _accounts_output() -> str:
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    return out.getvalue()


def test_the_demo_staff_account_is_staff_with_a_group_never_a_superuser(client):
    demo.load()
    staff = get_user_model().objects.get(username=STAFF)
    assert staff.is_staff and not staff.is_superuser
    group = staff.groups.get(name=demo.PORTAL_STAFF_GROUP)
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert {"organisations.change_organisation", "tenders.change_procurementcall"} <= perms
    assert {"events.view_event", "matchmaking.view_matchrun"} <= perms
    assert not {p for p in perms if p.split(".")[0] in ("auth", "account", "sites")}
    client.force_login(staff)
    assert client.get("/admin/organisations/organisation/").status_code == 200
    assert client.get("/admin/tenders/procurementcall/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403  # no way to a superuser
    assert client.get(reverse("organisations:approval_queue")).status_code == 200


def test_an_old_superuser_demo_account_is_made_plain_staff(db):
    get_user_model().objects.create_superuser(STAFF, STAFF, demo.DEMO_PASSWORD)
    demo.load()
    staff = get_user_model().objects.get(username=STAFF)
    assert staff.is_staff and not staff.is_superuser


def test_published_password_where_the_settings_allow_it(client, settings):
    settings.DEMO_ACCOUNTS_PUBLISHED_PASSWORD = True
    out = io.StringIO()
    demo.load(stdout=out)
    assert "random password" not in out.getvalue()
    assert _log_in(client, "sme@demo.bigscience.example", demo.DEMO_PASSWORD)
    printed = _accounts_output()
    assert f"password: {demo.DEMO_PASSWORD}" in printed
    assert "staff, group Portal staff" in printed


def test_elsewhere_each_account_gets_a_random_password_printed_once(client, settings):
    """Under production settings the demo made a superuser with the published password."""
    settings.DEMO_ACCOUNTS_PUBLISHED_PASSWORD = False
    out = io.StringIO()
    demo.load(stdout=out)
    printed = dict(
        line.split()
        for line in out.getvalue().splitlines()
        if line.startswith("  ") and "@demo.bigscience.example" in line
    )
    assert set(printed) == {a.email for a in demo.DEMO_ACCOUNTS}
    assert len(set(printed.values())) == len(printed)
    assert not _log_in(client, STAFF, demo.DEMO_PASSWORD)
    assert _log_in(client, STAFF, printed[STAFF])
    staff = get_user_model().objects.get(username=STAFF)
    assert staff.is_staff and not staff.is_superuser
    # printed once: a second run keeps the passwords and prints none
    again = io.StringIO()
    demo.load(stdout=again)
    assert "random password" not in again.getvalue()
    client.logout()
    assert _log_in(client, STAFF, printed[STAFF])
    listing = _accounts_output()
    assert demo.DEMO_PASSWORD not in listing
    assert "the random one `load_demo` printed" in listing


def test_an_account_with_the_published_password_gets_a_random_one(client, settings):
    """A copy loaded with development settings, loaded again with production ones."""
    settings.DEMO_ACCOUNTS_PUBLISHED_PASSWORD = True
    demo.load()
    settings.DEMO_ACCOUNTS_PUBLISHED_PASSWORD = False
    out = io.StringIO()
    demo.load(stdout=out)
    assert STAFF in out.getvalue()
    assert not _log_in(client, STAFF, demo.DEMO_PASSWORD)


def test_demo_accounts_says_when_they_are_not_loaded(db):
    assert "not created: run `manage.py load_demo`" in _accounts_output()
