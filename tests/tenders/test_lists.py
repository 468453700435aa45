"""The calls list: filters, PostgreSQL full-text search, sorting, pagination, query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tenders.models import ProcurementCall
from tests.factories import InfrastructureFactory, MembershipFactory

from .conftest import expire

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")


def titles(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return [c.title for c in response.context["calls"]]


def test_cpv_division_returns_descendants_in_main_or_additional(client, make_call):
    make_call(title="Gyrotron", main_cpv="31711420")  # 31: electrical machinery
    make_call(title="Vacuum pumps", main_cpv="42122450", extra_cpv=["31711424"])
    make_call(title="Mirrors", main_cpv="38636000")
    assert sorted(titles(client, "?cpv=31")) == ["Gyrotron", "Vacuum pumps"]
    assert titles(client, "?cpv=42000000-3") == ["Vacuum pumps"]  # a division's full code
    # 31711424 (klystrons) lies beneath 31711420 (microwave tubes): both match the latter
    assert sorted(titles(client, "?cpv=31711420")) == ["Gyrotron", "Vacuum pumps"]
    assert titles(client, "?cpv=31711424") == ["Vacuum pumps"]
    assert titles(client, "?cpv=38636000") == ["Mirrors"]
    assert titles(client, "?cpv=4512") == []


def test_cpv_filter_does_not_duplicate_rows_with_several_matching_codes(client, make_call):
    make_call(title="Tubes", main_cpv="31711420", extra_cpv=["31711424", "31630000"])
    assert titles(client, "?cpv=31") == ["Tubes"]


def test_open_only_by_default_and_include_closed(client, make_call):
    make_call(title="Open call")
    expire(make_call(title="Deadline passed"))
    make_call("closed", title="Closed call")
    make_call("awarded", title="Awarded call")
    assert titles(client) == ["Open call"]
    assert sorted(titles(client, "?include_closed=on")) == [
        "Awarded call",
        "Closed call",
        "Deadline passed",
        "Open call",
    ]
    assert titles(client, "?status=awarded") == ["Awarded call"]


def test_eligible_country_param_and_my_country(client, make_call, sme_user):
    make_call(title="Any country")
    make_call(title="CERN member states", eligible_countries=["CH", "DK", "FR"])
    make_call(title="Spain only", eligible_countries=["ES"])
    assert sorted(titles(client, "?country=DK")) == ["Any country", "CERN member states"]
    assert sorted(titles(client, "?country=ES")) == ["Any country", "Spain only"]
    client.force_login(sme_user)  # their company is in DK
    assert sorted(titles(client, "?mine=on")) == ["Any country", "CERN member states"]


def test_other_filters(client, make_call):
    other = InfrastructureFactory(name="Other Lab", slug="other-lab")
    MembershipFactory(organisation=other)
    now = timezone.now()
    make_call(
        title="A",
        stage="market_survey",
        procurement_method="restricted",
        value_band="C",
        language="fr",
        deadline_days=10,
    )
    make_call(title="B", deadline_days=40, buyer=other)
    assert titles(client, "?stage=market_survey") == ["A"]
    assert titles(client, "?procedure=restricted") == ["A"]
    assert titles(client, "?value_band=C") == ["A"]
    assert titles(client, "?language=fr") == ["A"]
    assert titles(client, "?buyer=other-lab") == ["B"]
    after = (now + timedelta(days=20)).date().isoformat()
    assert titles(client, f"?deadline_after={after}") == ["B"]
    assert titles(client, f"?deadline_before={after}") == ["A"]


def test_search_uses_postgres_full_text_and_ranks(client, make_call):
    assert connection.vendor == "postgresql"
    make_call(title="Cryogenic transfer lines", description="Helium lines with shields.")
    make_call(title="Gyrotrons", description="RF sources; cryogenic magnet included.")
    make_call(title="Mirrors", description="X-ray optics.")
    call = ProcurementCall.objects.get(title="Gyrotrons")
    assert call.search_vector  # kept by the database trigger
    # stemming: "cryogenics" finds "cryogenic"; the title match ranks first
    assert titles(client, "?q=cryogenics") == ["Cryogenic transfer lines", "Gyrotrons"]
    assert titles(client, "?q=helium+line") == ["Cryogenic transfer lines"]
    assert titles(client, "?q=optics") == ["Mirrors"]
    assert titles(client, "?q=-optics+x-ray") == []


def test_search_vector_follows_edits(client, make_call, officer):
    from tenders import services

    call = make_call(title="Vacuum chambers")
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


def test_sorting(client, make_call):
    make_call(title="Late", deadline_days=50)
    make_call(title="Soon", deadline_days=5)
    make_call(title="Middle", deadline_days=20)
    assert titles(client) == ["Soon", "Middle", "Late"]
    assert titles(client, "?sort=newest") == ["Middle", "Soon", "Late"]


def test_pagination_keeps_filters_and_caps_page_size(client, make_call):
    for i in range(12):
        make_call(title=f"Call {i:02d}", deadline_days=10 + i)
    response = client.get(URL + "?cpv=31&per_page=5")
    assert len(response.context["calls"]) == 5
    body = response.content.decode()
    assert "?cpv=31&amp;per_page=5&amp;page=2" in body
    assert client.get(URL + "?per_page=1000").context["per_page"] == 100


def test_invalid_filter_shows_a_message_not_an_error(client, make_call):
    make_call()
    response = client.get(URL + "?stage=nonsense")
    assert response.status_code == 200
    assert "Some filters are not valid" in response.content.decode()


def test_query_count_is_constant_whatever_the_page_size(client, make_call, sme_user):
    for i in range(105):
        make_call(title=f"Call {i}", deadline_days=10 + i % 30, extra_cpv=["31711424", "31630000"])
    client.force_login(sme_user)
    # warm the per-process memo of the buyer filter's choices (read once per list version)
    client.get(URL + "?per_page=10&cpv=31&q=gyrotron&mine=on")
    counts = []
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL + f"?per_page={size}&cpv=31&q=gyrotron&mine=on")
        assert len(response.context["calls"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_a_row_shows_its_fields_and_escapes_script(client, make_call, buyer):
    buyer.acronym = "<i>F4E</i>"
    buyer.save()
    make_call(
        title='<script>alert("x")</script> & gyrotrons',
        reference="OMF-<b>1</b>",
        main_cpv="31711420",
        extra_cpv=["31711424"],
        value_band="B",
        sme_friendly=True,
    )
    body = client.get(URL).content.decode()
    row = body[body.index('<li class="card mb-2 call-row">') :]
    row = row[: row.index("</li>")]
    assert "<script>" not in body and "<b>1</b>" not in row and "<i>F4E</i>" not in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; gyrotrons" in row
    assert "&lt;i&gt;F4E&lt;/i&gt; · OMF-&lt;b&gt;1&lt;/b&gt; · Invitation to tender" in row
    assert "band B" in row and "SME-friendly" in row and "Published" in row
    assert (
        'CPV: <span class="cpv-code">31711420</span>, <span class="cpv-code">31711424</span>' in row
    )
    assert "Deadline: <time datetime=" in row and "(closes in 19 days" in row


def test_the_count_query_runs_only_when_needed(client, make_call):
    for i in range(3):
        make_call(title=f"Cryostat {i}", deadline_days=10 + i)

    def page(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL + query)
        counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
        return response.content.decode(), [c.title for c in response.context["calls"]], counts

    body, rows, counts = page("?per_page=2")  # full: counted
    assert rows == ["Cryostat 0", "Cryostat 1"] and "3 calls" in body and "Page 1 of 2" in body
    assert len(counts) == 1
    body, rows, counts = page("?per_page=2&page=2")  # the last page: known without counting
    assert rows == ["Cryostat 2"] and "3 calls" in body and "Page 2 of 2" in body
    assert counts == []
    body, rows, counts = page("?per_page=2&page=9")  # past the end: the last page
    assert rows == ["Cryostat 2"] and "Page 2 of 2" in body
    body, rows, counts = page("?q=nothing-like-this")
    assert rows == [] and "0 calls" in body and counts == []
    # a search sorted by relevance: the rows carry the total (COUNT(*) OVER ()), one query
    body, rows, counts = page("?q=cryostat&per_page=2")
    assert len(rows) == 2 and "3 calls" in body and "Page 1 of 2" in body and counts == []
    body, rows, counts = page("?q=cryostat&per_page=2&sort=deadline")  # the index stops early
    assert rows == ["Cryostat 0", "Cryostat 1"] and "3 calls" in body and len(counts) == 1
