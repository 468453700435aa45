"""organisations/views/directory.py: the directory list (filters, search, sorting, pagination,
bounded queries), an organisation's page with the panels of the apps above, the code search."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.code_labels import forget_labels
from organisations.models import CPVCode, Decision, NACECode, Organisation
from tests.factories import (
    CertificationFactory,
    ClusterFactory,
    ClusterMembershipFactory,
    ContractReferenceFactory,
    InfrastructureFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("organisations:organisation_list")


def names(response) -> list[str]:
    return [o.name for o in response.context["page_obj"]]


@pytest.fixture
def directory(db):
    iso = CertificationFactory(code="iso-9001", name="ISO 9001")
    cluster = ClusterFactory(name="Cluster Nord", slug="cluster-nord")
    cryo = OrganisationFactory(
        name="Cryo ApS",
        country="DK",
        capabilities="Helium cryostats and transfer lines",
        cpv_codes=["42123300"],  # compressors for refrigerating equipment (under 42)
        nace_codes=["28.25"],
        certifications=[iso],
    )
    pumps = OrganisationFactory(
        name="Pumps GmbH",
        country="DE",
        acronym="PGH",
        size_class=Organisation.SizeClass.MEDIUM,
        capabilities="Vacuum pumps",
        cpv_codes=["42122450"],
        nace_codes=["28.13"],
    )
    build = OrganisationFactory(
        name="Build SL",
        country="ES",
        capabilities="Tunnels",
        cpv_codes=["45000000"],
        nace_codes=["42.99"],
    )
    draft = OrganisationFactory(
        name="Hidden Draft",
        country="DK",
        status=Organisation.Status.DRAFT,
        cpv_codes=["42123000"],
    )
    ClusterMembershipFactory(cluster=cluster, member=cryo, status=Decision.APPROVED)
    ClusterMembershipFactory(cluster=cluster, member=pumps, status=Decision.PENDING)
    cryo.verified_at = cryo.created_at
    cryo.verified_by_cluster = cluster
    cryo.save()
    return {"cryo": cryo, "pumps": pumps, "build": build, "draft": draft, "cluster": cluster}


def test_anonymous_users_see_only_published_profiles(client, directory):
    response = client.get(LIST)
    assert "Hidden Draft" not in names(response)
    assert {"Cryo ApS", "Pumps GmbH", "Build SL"} <= set(names(response))
    assert client.get(directory["draft"].get_absolute_url()).status_code == 404


def test_cpv_division_filter_returns_companies_coded_anywhere_beneath_it(client, directory):
    assert sorted(names(client.get(LIST, {"cpv": "42000000"}))) == ["Cryo ApS", "Pumps GmbH"]
    assert names(client.get(LIST, {"cpv": "42122000"})) == ["Pumps GmbH"]
    assert names(client.get(LIST, {"cpv": "42123000-7"})) == ["Cryo ApS"]
    assert names(client.get(LIST, {"cpv": "45000000"})) == ["Build SL"]
    assert names(client.get(LIST, {"cpv": "31000000"})) == []


def test_nace_filter_includes_descendants(client, directory):
    assert sorted(names(client.get(LIST, {"nace": "C"}))) == ["Cryo ApS", "Pumps GmbH"]
    assert names(client.get(LIST, {"nace": "28.2"})) == ["Cryo ApS"]
    assert names(client.get(LIST, {"nace": "F"})) == ["Build SL"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "DE"}, ["Pumps GmbH"]),
        ({"kind": "cluster"}, ["Cluster Nord"]),
        ({"cluster": "cluster-nord"}, ["Cryo ApS"]),  # pending members are not listed
        ({"certification": "iso-9001"}, ["Cryo ApS"]),
        ({"size_class": "medium"}, ["Pumps GmbH"]),
        ({"verified": "true"}, ["Cryo ApS"]),
        ({"q": "cryostats"}, ["Cryo ApS"]),
        ({"q": "PGH"}, ["Pumps GmbH"]),
        ({"q": "vacuum", "country": "DK"}, []),
    ],
)
def test_filters(client, directory, params, expected):
    assert names(client.get(LIST, params)) == expected


def test_sorting_by_country_descending(client, directory):
    assert names(client.get(LIST, {"kind": "sme", "sort": "-country"})) == [
        "Build SL",  # ES
        "Cryo ApS",  # DK
        "Pumps GmbH",  # DE
    ]
    assert names(client.get(LIST, {"kind": "sme", "sort": "name"}))[0] == "Build SL"


def test_page_size_is_capped_and_pagination_links_keep_the_filters(client, db):
    for i in range(105):
        OrganisationFactory(name=f"Bulk {i:03d}", country="FI")
    response = client.get(LIST, {"country": "FI", "per_page": "500"})
    assert len(response.context["page_obj"]) == 100
    html = response.content.decode()
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "country=FI" in link and "per_page=500" in link
    second = client.get(LIST + link)
    assert [o.name for o in second.context["page_obj"]] == [
        "Bulk 100",
        "Bulk 101",
        "Bulk 102",
        "Bulk 103",
        "Bulk 104",
    ]


def _make_rich_directory(n: int):
    iso = CertificationFactory(code="iso-14001", name="ISO 14001")
    cluster = ClusterFactory(slug="bulk-cluster")
    for i in range(n):
        org = OrganisationFactory(
            name=f"Rich {i:03d}",
            country="SE",
            cpv_codes=["42123000", "42122450", "38000000"],
            certifications=[iso],
        )
        ClusterMembershipFactory(cluster=cluster, member=org, status=Decision.APPROVED)


@pytest.mark.parametrize("logged_in", [False, True])
def test_query_count_does_not_grow_with_page_size(client, world, logged_in):
    _make_rich_directory(110)
    if logged_in:
        client.force_login(world.editor)
    counts = {}
    for size in (10, 50, 100):
        cache.clear()  # each size from cold: the memoised filter choices would hide queries
        forget_labels()  # and so would the memoised code labels
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LIST, {"country": "SE", "per_page": size, "cpv": "42000000"})
        assert len(response.context["page_obj"]) == size
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[50] == counts[100], counts


def test_detail_shows_badge_codes_references_and_clusters(client, directory):
    cryo = directory["cryo"]
    ContractReferenceFactory(
        organisation=cryo, client_name="CERN", year=2021, value_band="A", description="Cryostat"
    )
    response = client.get(cryo.get_absolute_url())
    page = response.content.decode()
    assert "Verified" in page and "Cluster Nord" in page
    assert "42123300" in page and "28.25" in page
    assert "CERN" in page and "Cryostat" in page
    assert "<td>A: below 750 kCHF</td>" in page  # the references are a table of the stack
    assert '<th scope="col">Client</th>' in page


def test_a_cluster_page_lists_its_published_members_only(client, directory):
    page = client.get(directory["cluster"].get_absolute_url()).content.decode()
    assert "Cryo ApS" in page  # approved
    assert "Pumps GmbH" not in page  # pending


def test_an_infrastructure_page_shows_the_calls_panel_with_published_calls_only(client, db):
    """The calls are a panel that tenders registers on organisations.panels.organisation_page."""
    from tenders.models import ProcurementCall

    buyer = InfrastructureFactory(name="Big Lab")
    ProcurementCall.objects.create(buyer=buyer, title="Helium plant", status="published")
    ProcurementCall.objects.create(buyer=buyer, title="Secret draft call", status="draft")
    response = client.get(buyer.get_absolute_url())
    assert "calls" in [panel.name for panel in response.context["panels"]]
    lab = response.content.decode()
    assert "Helium plant" in lab and "Secret draft call" not in lab
    # a company posts no calls: its page has no calls panel at all
    company = client.get(OrganisationFactory().get_absolute_url())
    assert "calls" not in [panel.name for panel in company.context["panels"]]


def test_an_organisers_page_lists_the_events_it_organises_not_those_it_hosts(client, db):
    """The events panel (registered by events) lists the events an organisation organises; the
    infrastructure that only hosts an event does not list it (the old foreign-key look-up did)."""
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

    cluster = ClusterFactory(name="Event Cluster")
    host = InfrastructureFactory(name="Host Lab")
    starts = timezone.now() + timedelta(days=30)
    event = Event.objects.create(
        kind=Event.Kind.INDUSTRY_DAY,
        title="Cryogenics industry day",
        slug="cryogenics-industry-day",
        host_infrastructure=host,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        status=Event.Status.PUBLISHED,
    )
    event.organisers.set([cluster])
    organiser = client.get(cluster.get_absolute_url())
    assert "events" in [panel.name for panel in organiser.context["panels"]]
    assert "Cryogenics industry day" in organiser.content.decode()
    hosting = client.get(host.get_absolute_url())
    assert "events" not in [panel.name for panel in hosting.context["panels"]]
    assert "Cryogenics industry day" not in hosting.content.decode()


def test_directory_cluster_filter_does_not_name_unpublished_clusters(client, db):
    ClusterFactory(name="Open Nordic Cluster", slug="open-nordic")
    ClusterFactory(
        name="Stealth Cluster In Draft", slug="stealth", status=Organisation.Status.DRAFT
    )
    page = client.get(reverse("organisations:organisation_list")).content.decode()
    assert "Open Nordic Cluster" in page
    assert "Stealth Cluster In Draft" not in page


def test_the_directory_is_on_the_shared_list_stack(client, directory):
    """Filters through core/_filters.html (with the page size), the active filters summary."""
    from bigscience_portal.core.lists import PortalListView
    from organisations.views.directory import OrganisationListView

    assert issubclass(OrganisationListView, PortalListView)
    response = client.get(LIST, {"country": "DE"})
    page = response.content.decode()
    assert 'name="per_page"' in page
    assert "Filtered by:" in page and "Country: Germany" in page
    assert "1 organisation" in page
    row = response.context["rows"][0]
    assert (row.name, row.place, row.cpv) == (
        "Pumps GmbH (PGH)",
        "Germany",
        [("42122450", "Vacuum pumps")],
    )


def test_cpv_search_json_by_word_and_by_code(client, db):
    data = client.get(reverse("organisations:cpv_search"), {"q": "vacuum"}).json()
    codes = {r["code"] for r in data["results"]}
    assert "42122450" in codes  # Vacuum pumps
    data = client.get(reverse("organisations:cpv_search"), {"q": "4212"}).json()
    assert data["results"][0]["code"] == "42120000"
    assert all(r["code"].startswith("4212") for r in data["results"])
    assert client.get(reverse("organisations:cpv_search"), {"q": ""}).json() == {"results": []}


def test_code_lookup_pages_work_without_javascript(client, db):
    page = client.get(reverse("organisations:cpv_lookup"), {"q": "vacuum pumps"}).content.decode()
    assert "42122450" in page
    assert '<span class="org-code">42122450</span>' in page  # a table of the stack
    page = client.get(reverse("organisations:cpv_lookup"), {"q": "zzzz"}).content.decode()
    assert "No codes match." in page
    page = client.get(reverse("organisations:nace_lookup"), {"q": "28.2"}).content.decode()
    assert "28.25" in page
    assert {"28.25"} <= {
        r["code"]
        for r in client.get(reverse("organisations:nace_search"), {"q": "cooling"}).json()[
            "results"
        ]
    }


# --- what the directory says (issue 18, findings 2 and 4) --------------------------------------


def test_directory_filters_say_any_instead_of_dashes(client, directory):
    page = client.get(LIST).content.decode()
    assert "---------" not in page
    for label in (
        "Any kind",
        "Any country",
        "Any cluster",
        "Any certification",
        "Any size",
        "Verified or not",
        "Best match, then name",
    ):
        assert f'<option value="">{label}</option>' in page or f"selected>{label}<" in page, label


def test_a_card_names_the_verifying_cluster_once_and_labels_each_code(client, directory):
    cryo = directory["cryo"]
    cryo.cpv_codes.add("42122450", "45000000", "42123000", "42000000")
    other = ClusterFactory(name="Cluster Syd", slug="cluster-syd")
    ClusterMembershipFactory(cluster=other, member=cryo, status=Decision.APPROVED)
    page = client.get(LIST, {"q": "cryostats"}).content.decode()
    card = page[page.index(">Cryo ApS<") :]
    card = card[: card.index("</section>")]  # the one result's card
    assert card.count("Cluster Nord") == 1  # in "Verified by Cluster Nord", not again
    assert "Verified by Cluster Nord" in card
    assert "Member of" in card and "Cluster Syd" in card
    # every code shown has its own label; the rest are counted
    assert '<span class="code-item-code">42123300</span> <span class="code-item-label">· ' in card
    assert card.count('<span class="code-item-code">') == 4
    assert card.count('<span class="code-item-label">') == 4
    assert "and 1 more code" in card


def _chips(body: str) -> dict[str, str]:
    """{code: label} of the code chips of a page (``{% codes %}``)."""
    return dict(
        re.findall(
            r'class="code-item-code"[^>]*>([\w.]+)</(?:a|span)> '
            r'<span class="code-item-label">· ([^<]*)<',
            body,
        )
    )


def test_an_infrastructure_page_shows_each_code_with_its_label_in_danish(client, db):
    codes = ["31711420", "31711424", "38000000"]
    lab = InfrastructureFactory(name="Danish Lab", cpv_codes=codes, nace_codes=["28.25"])
    client.cookies["django_language"] = "da"
    page = client.get(lab.get_absolute_url()).content.decode()
    danish = {c.code: c.labels["da"] for c in CPVCode.objects.filter(code__in=codes)}
    assert _chips(page) == {**danish, "28.25": NACECode.objects.get(pk="28.25").label}
    assert f'href="{LIST}?cpv=31711420"' in page  # a code links to the directory filtered by it
    client.cookies["django_language"] = "nb"  # no official Norwegian CPV labels: English
    page = client.get(lab.get_absolute_url()).content.decode()
    assert _chips(page)["31711420"] == CPVCode.objects.get(pk="31711420").label


def test_a_card_shows_its_codes_labels_in_danish(client, directory):
    directory["cryo"].cpv_codes.add("42122450")
    client.cookies["django_language"] = "da"
    page = client.get(LIST, {"q": "cryostats"}).content.decode()
    codes = ["42123300", "42122450"]
    assert _chips(page) == {c.code: c.labels["da"] for c in CPVCode.objects.filter(code__in=codes)}


def test_an_infrastructure_page_hides_empty_facts_and_shows_its_contact(client, db):
    lab = InfrastructureFactory(
        name="Contact Lab", email="procurement@lab.example", website="https://lab.example"
    )
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "None given." not in page and "CPV codes" not in page
    assert '<h2 class="h5" id="org-contact-heading">Contact</h2>' in page
    assert 'href="mailto:procurement@lab.example"' in page
    assert 'href="https://lab.example"' in page
    bare = client.get(InfrastructureFactory(name="Bare Lab").get_absolute_url()).content.decode()
    assert "org-contact-heading" not in bare and "None given." not in bare
