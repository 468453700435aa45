"""The calls list's FilterSet (``tenders.filtersets``): CPV, country, stage and other filters,
PostgreSQL full-text search (and its SQLite fallback), sorting, open calls by default, and a buyer
filter that names published infrastructures only."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from tenders import services
from tenders.models import ProcurementCall
from tests.factories import InfrastructureFactory, MembershipFactory, ProcurementCallFactory

from .conftest import expire

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")


def titles(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return [c.title for c in response.context["calls"]]


def test_cpv_division_returns_descendants_in_main_or_additional(client, buyer):
    ProcurementCallFactory(
        buyer=buyer, title="Gyrotron", main_cpv_id="31711420"
    )  # 31: electrical machinery
    ProcurementCallFactory(
        buyer=buyer, title="Vacuum pumps", main_cpv_id="42122450", additional_cpv=["31711424"]
    )
    ProcurementCallFactory(buyer=buyer, title="Mirrors", main_cpv_id="38636000")
    assert sorted(titles(client, "?cpv=31")) == ["Gyrotron", "Vacuum pumps"]
    assert titles(client, "?cpv=42000000-3") == ["Vacuum pumps"]  # a division's full code
    # 31711424 (klystrons) lies beneath 31711420 (microwave tubes): both match the latter
    assert sorted(titles(client, "?cpv=31711420")) == ["Gyrotron", "Vacuum pumps"]
    assert titles(client, "?cpv=31711424") == ["Vacuum pumps"]
    assert titles(client, "?cpv=38636000") == ["Mirrors"]
    assert titles(client, "?cpv=4512") == []


def test_cpv_filter_does_not_duplicate_rows_with_several_matching_codes(client, buyer):
    ProcurementCallFactory(
        buyer=buyer, title="Tubes", main_cpv_id="31711420", additional_cpv=["31711424", "31630000"]
    )
    assert titles(client, "?cpv=31") == ["Tubes"]


def test_open_only_by_default_and_include_closed(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Open call")
    expire(ProcurementCallFactory(buyer=buyer, title="Deadline passed"))
    ProcurementCallFactory(buyer=buyer, status="closed", title="Closed call")
    ProcurementCallFactory(buyer=buyer, status="awarded", title="Awarded call")
    assert titles(client) == ["Open call"]
    assert sorted(titles(client, "?include_closed=on")) == [
        "Awarded call",
        "Closed call",
        "Deadline passed",
        "Open call",
    ]
    assert titles(client, "?status=awarded") == ["Awarded call"]


def test_eligible_country_param_and_my_country(client, buyer, sme_user):
    ProcurementCallFactory(buyer=buyer, title="Any country")
    ProcurementCallFactory(
        buyer=buyer, title="CERN member states", eligible_countries=["CH", "DK", "FR"]
    )
    ProcurementCallFactory(buyer=buyer, title="Spain only", eligible_countries=["ES"])
    assert sorted(titles(client, "?country=DK")) == ["Any country", "CERN member states"]
    assert sorted(titles(client, "?country=ES")) == ["Any country", "Spain only"]
    client.force_login(sme_user)  # their company is in DK
    assert sorted(titles(client, "?mine=on")) == ["Any country", "CERN member states"]


def test_other_filters(client, buyer):
    other = InfrastructureFactory(name="Other Lab", slug="other-lab")
    MembershipFactory(organisation=other)
    now = timezone.now()
    ProcurementCallFactory(
        buyer=buyer,
        title="A",
        stage="market_survey",
        procurement_method="restricted",
        value_band="C",
        language="fr",
        deadline_days=10,
    )
    ProcurementCallFactory(title="B", deadline_days=40, buyer=other)
    assert titles(client, "?stage=market_survey") == ["A"]
    assert titles(client, "?procedure=restricted") == ["A"]
    assert titles(client, "?value_band=C") == ["A"]
    assert titles(client, "?language=fr") == ["A"]
    assert titles(client, "?buyer=other-lab") == ["B"]
    after = (now + timedelta(days=20)).date().isoformat()
    assert titles(client, f"?deadline_after={after}") == ["B"]
    assert titles(client, f"?deadline_before={after}") == ["A"]


def test_search_uses_postgres_full_text_and_ranks(client, buyer):
    assert connection.vendor == "postgresql"
    ProcurementCallFactory(
        buyer=buyer, title="Cryogenic transfer lines", description="Helium lines with shields."
    )
    ProcurementCallFactory(
        buyer=buyer, title="Gyrotrons", description="RF sources; cryogenic magnet included."
    )
    ProcurementCallFactory(buyer=buyer, title="Mirrors", description="X-ray optics.")
    call = ProcurementCall.objects.get(title="Gyrotrons")
    assert call.search_vector  # kept by the database trigger
    # stemming: "cryogenics" finds "cryogenic"; the title match ranks first
    assert titles(client, "?q=cryogenics") == ["Cryogenic transfer lines", "Gyrotrons"]
    assert titles(client, "?q=helium+line") == ["Cryogenic transfer lines"]
    assert titles(client, "?q=optics") == ["Mirrors"]
    assert titles(client, "?q=-optics+x-ray") == []


def test_search_vector_follows_edits(client, buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, title="Vacuum chambers")
    services.call_update(call=call, user=officer, fields={"title": "Beam pipes"})
    assert titles(client, "?q=vacuum") == []
    assert titles(client, "?q=pipes") == ["Beam pipes"]


def test_search_gin_index_exists():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'tenders_procurementcall'"
        )
        defs = [row[0] for row in cursor.fetchall()]
    assert any("USING gin (search_vector)" in d for d in defs)


def test_sorting(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Late", deadline_days=50)
    ProcurementCallFactory(buyer=buyer, title="Soon", deadline_days=5)
    ProcurementCallFactory(buyer=buyer, title="Middle", deadline_days=20)
    assert titles(client) == ["Soon", "Middle", "Late"]
    assert titles(client, "?sort=newest") == ["Middle", "Soon", "Late"]


def test_buyer_filter_lists_published_infrastructures_only(client):
    InfrastructureFactory(name="Public Light Source", slug="public-light")
    InfrastructureFactory(
        name="Unannounced Secret Facility", slug="secret-facility", status=Organisation.Status.DRAFT
    )
    page = client.get(reverse("tenders:call_list")).content.decode()
    assert "Public Light Source" in page
    assert "Unannounced Secret Facility" not in page
    assert "secret-facility" not in page


def test_search_ignores_case_and_needs_every_word(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Cryogenic transfer lines", description="Helium.")
    ProcurementCallFactory(buyer=buyer, title="Mirrors", description="X-ray optics")
    # the same search on the embedded SQLite: tests/tenders/test_search.py
    response = client.get(reverse("tenders:call_list") + "?q=HELIUM+transfer&sort=relevance")
    assert [c.title for c in response.context["calls"]] == ["Cryogenic transfer lines"]
