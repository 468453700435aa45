"""The one CPV/NACE code picker (``organisations.pickers``): the look-up answering in the
reader's language, and the chosen codes listed with their labels by the server, so that a page
without JavaScript, or a failed save, names what was typed."""

import pytest
from django.urls import reverse
from django.utils import translation

from organisations.models import CPVCode
from organisations.pickers import chosen_codes, code_tokens
from tests.factories import InfrastructureFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _chips(body: str, field_id: str) -> str:
    start = body.index(f'data-code-chips-for="{field_id}"')
    return body[start : body.index("</ul>", start)]


def test_code_tokens_split_dedupe_and_drop_check_digits():
    assert code_tokens("42131142-1, 42131142;31711420 \n 31630000") == [
        "42131142",
        "31711420",
        "31630000",
    ]
    assert code_tokens("c 28.25", upper=True) == ["C", "28.25"]
    assert code_tokens(None) == []


def test_cpv_lookup_answers_in_the_language_cookie(client):
    client.cookies["django_language"] = "da"
    response = client.get(reverse("organisations:cpv_search"), {"q": "42131142"})
    assert response.status_code == 200
    assert response.json()["results"][0] == {
        "code": "42131142",
        "label": "Reguleringsventiler",
        "level": 8,
    }


def test_cpv_lookup_by_words_answers_in_the_language_and_english_without_one(client):
    client.cookies["django_language"] = "da"
    danish = client.get(reverse("organisations:cpv_search"), {"q": "cryogenic"}).json()
    assert danish["results"]
    labels = {
        c.code: c.labels
        for c in CPVCode.objects.filter(code__in=[r["code"] for r in danish["results"]])
    }
    assert all(r["label"] == labels[r["code"]]["da"] for r in danish["results"])

    client.cookies["django_language"] = "nb"  # CPV has no official Norwegian labels
    norwegian = client.get(reverse("organisations:cpv_search"), {"q": "42131142"}).json()
    assert norwegian["results"][0]["label"] == "Control valves"


def test_the_no_javascript_lookup_page_shows_labels_in_the_language(client):
    client.cookies["django_language"] = "de"
    response = client.get(reverse("organisations:cpv_lookup"), {"q": "42131142"})
    assert "42131142" in response.content.decode()
    assert CPVCode.objects.get(pk="42131142").labels["de"] in response.content.decode()


def test_chosen_codes_name_known_codes_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1), translation.override("en"):
        assert chosen_codes(CPVCode, "42131142 99999999 317") == [
            {"code": "42131142", "label": "Control valves"},
            {"code": "99999999", "label": ""},
            {"code": "317", "label": ""},
        ]
    with django_assert_num_queries(0):
        assert chosen_codes(CPVCode, "") == []
    with translation.override("sv"):
        assert (
            chosen_codes(CPVCode, "42131142")[0]["label"]
            == (CPVCode.objects.get(pk="42131142").labels["sv"])
        )


def test_a_failed_save_of_the_call_form_lists_the_codes_with_their_labels(client):
    buyer = InfrastructureFactory(name="Picker Lab", slug="picker-lab")
    officer = MembershipFactory(organisation=buyer).user
    client.force_login(officer)
    client.cookies["django_language"] = "da"
    response = client.post(
        reverse("tenders:call_create"),
        {
            "buyer": buyer.pk,
            "title": "",  # required: the save fails
            "main_cpv_code": "42131142",
            "additional_cpv_codes": "42131140 99999999",
            "lots-TOTAL_FORMS": "0",
            "lots-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    main = _chips(body, "id_main_cpv_code")
    assert 'data-code="42131142"' in main and "Reguleringsventiler" in main
    extra = _chips(body, "id_additional_cpv_codes")
    assert "Trykregulerings-, kontrol-, kontra- eller sikkerhedsventiler" in extra
    assert 'data-code="99999999"' in extra  # what was typed stays listed, unnamed
    # the input itself still holds the codes as typed: the form works without JavaScript
    assert 'value="42131140 99999999"' in body
    assert 'data-code-picker="cpv"' in body and "js/organisations.js" in body


def test_the_profile_form_lists_its_codes_with_labels(client):
    company = OrganisationFactory(name="Valve Works", slug="valve-works", cpv_codes=["42131142"])
    editor = MembershipFactory(organisation=company, role="admin").user
    client.force_login(editor)
    response = client.get(reverse("organisations:organisation_edit", args=[company.slug]))
    assert response.status_code == 200
    assert "Control valves" in _chips(response.content.decode(), "id_cpv_codes")


@pytest.mark.parametrize(
    ("url", "field_id"),
    [
        ("tenders:call_list", "id_cpv"),
        ("organisations:organisation_list", "id_cpv"),
    ],
)
def test_code_filters_have_the_picker_with_the_label(client, url, field_id):
    client.cookies["django_language"] = "da"
    response = client.get(reverse(url), {"cpv": "42131142"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reguleringsventiler" in _chips(body, field_id)
    assert 'data-code-single="true"' in body and "js/organisations.js" in body
