"""Search of the calls list (``tenders.filtersets`` + ``core.search``): stemmed, ranked,
accent- and case-insensitive, in the call's language; the same answers on PostgreSQL (this
suite) and on the embedded SQLite of ``make run`` (a subprocess on the local settings)."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ProcurementCallFactory
from tests.sqlite_embedded import run_on_sqlite

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")

CALLS = [
    ("Cryogenic valves", "Control valves for the helium plant.", "en"),
    ("Cryogenic transfer lines", "Vacuum-insulated lines.", "en"),
    ("Gyrotron", "RF source with a cryogenic magnet.", "en"),
    ("Lieferung von kryogenen Ventilen", "Regelventile für die Heliumanlage.", "de"),
    ("Kryogene Transferleitungen", "Vakuumisolierte Leitungen für flüssiges Helium.", "de"),
    ("Mirrors", "X-ray optics.", "en"),
]
#: (query, titles found, best first when the order is given by rank)
EXPECTED = {
    "cryogenic": ["Cryogenic transfer lines", "Cryogenic valves", "Gyrotron"],
    "cryogenics": ["Cryogenic transfer lines", "Cryogenic valves", "Gyrotron"],
    "CRYOGÉNIC": ["Cryogenic transfer lines", "Cryogenic valves", "Gyrotron"],
    "kryogen": ["Kryogene Transferleitungen", "Lieferung von kryogenen Ventilen"],
    "optic": ["Mirrors"],
    "-optics x-ray": [],
    "valves -helium": [],
    "zzzz": [],
}


def _titles(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [c.title for c in response.context["calls"]]


@pytest.fixture
def calls(buyer):
    return [
        ProcurementCallFactory(buyer=buyer, title=t, description=d, language=lang)
        for t, d, lang in CALLS
    ]


@pytest.mark.parametrize(("query", "found"), EXPECTED.items())
def test_search_on_postgres(client, calls, query, found):
    assert connection.vendor == "postgresql"
    titles = _titles(client, query)
    assert sorted(titles) == sorted(found)


def test_title_matches_rank_first(client, calls):
    titles = _titles(client, "cryogenic")
    assert titles[-1] == "Gyrotron"  # only its description says cryogenic


def test_edits_and_bulk_loads_are_searchable(client, buyer, calls):
    call = calls[0]
    call.title = "Beam pipes"
    call.save()
    assert "Beam pipes" in _titles(client, "pipe")
    from tenders.models import ProcurementCall

    ProcurementCall.objects.bulk_create(
        [
            ProcurementCall(
                buyer=buyer, title="Kryostat für Magnettests", language="de", status="published"
            )
        ]
    )
    assert _titles(client, "Kryostaten") == ["Kryostat für Magnettests"]


def test_ranked_search_is_one_query_with_its_count(client, buyer, django_assert_max_num_queries):
    for i in range(3):
        ProcurementCallFactory(buyer=buyer, title=f"Cryostat {i}")
    with django_assert_max_num_queries(40) as few:
        client.get(URL, {"q": "cryostat"})
    for i in range(3, 30):
        ProcurementCallFactory(buyer=buyer, title=f"Cryostat {i}")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(URL, {"q": "cryostat"})
    assert response.context["page_obj"].paginator.count == 30
    searches = [q["sql"] for q in many.captured_queries if "@@" in q["sql"]]
    assert len(searches) == 1 and "OVER ()" in searches[0]  # rows and count in one query


def test_hostile_queries_are_answered(client, calls):
    for q in ["'; DROP TABLE x; --", '"unbalanced', "a" * 5000, "NEAR(a b)", "\r\nX: y", "*"]:
        assert client.get(URL, {"q": q}).status_code == 200


SQLITE_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from organisations.models import Organisation
from tenders.models import ProcurementCall
buyer = Organisation.objects.create(
    name="Lab", slug="lab", kind="research_infrastructure", status="published"
)
end = timezone.now() + timedelta(days=30)
for title, description, language in CALLS:
    ProcurementCall.objects.create(buyer=buyer, title=title, description=description,
        language=language, status="published", tender_period_end=end)
client = Client()
out = {}
for query in EXPECTED:
    response = client.get("/calls/", {"q": query})
    out[query] = [response.status_code, [c.title for c in response.context["calls"]]]
print("RESULT " + json.dumps(out))
"""


def test_same_answers_on_the_embedded_sqlite(tmp_path):
    script = f"CALLS = {CALLS!r}\nEXPECTED = {EXPECTED!r}\n" + SQLITE_SCRIPT
    pages = run_on_sqlite(script, tmp_path)
    for query, found in EXPECTED.items():
        status, titles = pages[query]
        assert status == 200
        assert sorted(titles) == sorted(found), query
    assert pages["cryogenic"][1][-1] == "Gyrotron"  # ranked by bm25 there


def test_a_notice_translation_is_searched_in_its_own_language(client, buyer):
    """A TED notice carries its title in other languages (``titles``): each is indexed with
    its language's stems, so the German words find the English call."""
    ProcurementCallFactory(
        buyer=buyer,
        title="Supply of cryostats",
        description="Bath cryostats for magnet tests.",
        language="en",
        titles={"en": "Supply of cryostats", "de": "Lieferung von Kryostaten"},
        descriptions={"de": "Badkryostate für Magnetprüfungen."},
    )
    ProcurementCallFactory(buyer=buyer, title="Mirrors", language="en")
    assert _titles(client, "Lieferungen Kryostaten") == ["Supply of cryostats"]
    assert _titles(client, "magnetprüfung") == ["Supply of cryostats"]
    assert _titles(client, "Kryostaten Mirrors") == []
