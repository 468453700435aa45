"""Search in the directory and the CPV/NACE look-ups (``organisations.code_search``,
``organisations.filtersets``, ``core.search``): stemmed, in the 24 languages of the CPV labels,
the same on PostgreSQL (this suite) and on the embedded SQLite (a subprocess)."""

import pytest
from django.db import connection
from django.urls import reverse

from organisations import code_search
from organisations.models import CPVCode, Organisation
from tests.factories import OrganisationFactory
from tests.sqlite_embedded import run_on_sqlite

pytestmark = pytest.mark.django_db

#: query -> codes that must be among the first answers
CPV_EXPECTED = {
    "cryogenic": ["24111300", "24111800", "42513200", "44612000"],  # helium, LN2, refrigerating
    "Kryotechnik": ["24111300", "42513200"],
    "vakuumpumpe": ["42122450"],  # Danish/German label "Vakuumpumper"/"Vakuumpumpen"
    "vacuum pumps": ["42122450"],
    "pompes à vide": ["42122450"],  # French label, accents typed
    "Regelventile": ["42131142"],  # German label of Control valves
    "4212": ["42120000"],
}


def _codes(client, url, q):
    response = client.get(reverse(url), {"q": q})
    assert response.status_code == 200
    return [r["code"] for r in response.json()["results"]]


@pytest.mark.parametrize(("query", "codes"), CPV_EXPECTED.items())
def test_cpv_lookup_finds_codes_by_words_of_any_language(client, query, codes):
    found = _codes(client, "organisations:cpv_search", query)
    assert set(codes) <= set(found), found


def test_cpv_lookup_puts_no_unrelated_label_first(client):
    # "vakuumpumpe" is not "vakuum...": the vacuum pumps come first, no vacuum switchboards
    found = _codes(client, "organisations:cpv_search", "vakuumpumpe")
    assert found[0] == "42122450" and "32547000" not in found
    # no label says Kryotechnik: the subject's codes, no cryotherapy devices
    found = _codes(client, "organisations:cpv_search", "Kryotechnik")
    assert found[0] == "24111300" and "33165000" not in found


def test_cpv_lookup_for_cryogenic_is_not_empty_on_the_page(client):
    page = client.get(reverse("organisations:cpv_lookup"), {"q": "cryogenic"}).content.decode()
    assert "No codes match." not in page
    assert "24111300" in page  # Helium


def test_cpv_labels_of_the_24_languages_are_loaded_once():
    helium = CPVCode.objects.get(code="42122450")
    assert helium.labels["de"] == "Vakuumpumpen" and helium.labels["en"] == "Vacuum pumps"
    assert len(helium.labels) == 24
    from django.conf import settings

    from organisations import services

    report = services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)
    assert report.cpv_labels_updated == 0  # a rerun changes nothing


def test_cpv_lookup_refuses_nothing_and_answers_noise_with_nothing(client):
    for q in ["zzzz", "-", "1e", "<script>", "x" * 5000, "\r\n"]:
        assert client.get(reverse("organisations:cpv_search"), {"q": q}).status_code == 200
    assert _codes(client, "organisations:cpv_search", "zzzz") == []


def test_nace_lookup_by_english_stems_and_codes(client):
    # "ventilating" finds "... cooling and ventilation equipment" by its stem
    assert "28.25" in _codes(client, "organisations:nace_search", "ventilating")
    assert "28.25" in _codes(client, "organisations:nace_search", "Cooling")
    assert _codes(client, "organisations:nace_search", "28.2")[0] == "28.2"
    assert code_search.nace_search("Kältetechnik") == []  # English labels only (said in the docs)


@pytest.fixture
def directory(db):
    OrganisationFactory(
        name="Cryo ApS", capabilities="Helium cryostats and cryogenic transfer lines"
    )
    OrganisationFactory(name="Kryo Teknik A/S", capabilities="Kryogene ventiler til helium")
    OrganisationFactory(name="Pumps GmbH", acronym="PGH", capabilities="Vacuum pumps")
    OrganisationFactory(
        name="Hidden Cryogenics", capabilities="cryogenics", status=Organisation.Status.DRAFT
    )


def _names(client, q, **extra):
    response = client.get(reverse("organisations:organisation_list"), {"q": q, **extra})
    assert response.status_code == 200
    return [o.name for o in response.context["page_obj"]]


def test_directory_search_is_stemmed_ranked_and_keeps_visibility(client, directory):
    assert connection.vendor == "postgresql"
    assert _names(client, "cryogenics") == ["Cryo ApS"]  # the draft stays invisible
    assert _names(client, "CRYOSTAT") == ["Cryo ApS"]
    assert _names(client, "kryogen") == ["Kryo Teknik A/S"]
    assert _names(client, "pgh") == ["Pumps GmbH"]
    # both say helium in their capabilities only: the engine's tie-break (length) decides
    assert sorted(_names(client, "helium")) == ["Cryo ApS", "Kryo Teknik A/S"]
    assert _names(client, "helium", sort="-name") == ["Kryo Teknik A/S", "Cryo ApS"]
    assert _names(client, "helium -ventiler") == ["Cryo ApS"]


SQLITE_SCRIPT = """
from django.conf import settings
from organisations import services
from organisations.models import Organisation
services.reference_data_load(data_dir=settings.REFERENCE_DATA_DIR)
Organisation.objects.create(name="Cryo ApS", slug="cryo", kind="company", status="published",
    capabilities="Helium cryostats and cryogenic transfer lines")
Organisation.objects.create(name="Kryo Teknik A/S", slug="kryo", kind="company",
    status="published", capabilities="Kryogene ventiler til helium")
client = Client()
out = {"cpv": {}, "directory": {}}
for query in CPV_EXPECTED:
    response = client.get("/organisations/cpv/search/", {"q": query})
    out["cpv"][query] = [r["code"] for r in response.json()["results"]]
for query in ["cryogenics", "kryogen", "helium", "CRYOSTAT"]:
    response = client.get("/organisations/", {"q": query})
    out["directory"][query] = [o.name for o in response.context["page_obj"]]
out["nace"] = [r["code"] for r in client.get("/organisations/nace/search/",
    {"q": "ventilating"}).json()["results"]]
print("RESULT " + json.dumps(out))
"""


def test_same_answers_on_the_embedded_sqlite(tmp_path):
    result = run_on_sqlite(f"CPV_EXPECTED = {CPV_EXPECTED!r}\n" + SQLITE_SCRIPT, tmp_path)
    for query, codes in CPV_EXPECTED.items():
        assert set(codes) <= set(result["cpv"][query]), query
    assert sorted(result["directory"].pop("helium")) == ["Cryo ApS", "Kryo Teknik A/S"]
    assert result["directory"] == {
        "cryogenics": ["Cryo ApS"],
        "kryogen": ["Kryo Teknik A/S"],
        "CRYOSTAT": ["Cryo ApS"],
    }
    assert "28.25" in result["nace"]
