"""Suggested CPV codes on the forms (issue 12): organisations' endpoint
(``organisations:cpv_suggest``) answered by matchmaking's engine (registered from
``MatchmakingConfig.ready``), as JSON for ``static/js/organisations.js`` and as a page for the
forms' button without JavaScript; the markup on the profile and call forms."""

import json

import pytest
from django.urls import reverse

from organisations.forms import SUGGEST_MAX_TEXT
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("organisations:cpv_suggest")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def user(client):
    u = UserFactory()
    client.force_login(u)
    return u


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(URL, {"text": "valves"}), client.post(URL, {"text": "valves"})):
        assert response.status_code == 302 and "/login" in response["Location"]


def test_json_suggestions_name_the_codes_with_why(client, user):
    response = client.post(URL, {"text": "Cryogenic control valves for helium"}, **JSON)
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    codes = [r["code"] for r in results]
    assert "42131142" in codes[:5]
    valves = next(r for r in results if r["code"] == "42131142")
    assert valves["label"] == "Control valves"
    assert "valves" in valves["why"] and "control" in valves["why"]


def test_a_german_text_gets_german_labels(client, user):
    response = client.post(URL, {"text": "Wir fertigen Kryostate und Vakuumpumpen"}, **JSON)
    results = json.loads(response.content)["results"]
    first = results[0]
    assert (first["code"], first["label"]) == ("42122450", "Vakuumpumpen")
    assert "vakuumpumpen" in first["why"]


def test_without_javascript_the_profile_forms_button_gets_a_page(client, user):
    """The profile form's button posts the whole form with suggest_from=capabilities."""
    response = client.post(
        URL,
        {
            "suggest_from": "capabilities",
            "capabilities": "We build vacuum pumps and cryostats.",
            "name": "ignored",
            "cpv_codes": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "CPV codes that fit your text" in html
    assert "<code>42122450</code>" in html and "Vacuum pumps" in html
    assert "the text names" in html
    # the text is kept in the page's own form, to refine and ask again
    assert "We build vacuum pumps and cryostats." in html


def test_a_text_that_names_no_code_says_so(client, user):
    response = client.post(URL, {"text": "lorem ipsum dolor"}, **JSON)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["results"] == [] and body["message"] == "No code fits this text yet."
    html = client.post(URL, {"text": "lorem ipsum dolor"}).content.decode()
    assert "No code fits this text yet." in html


@pytest.mark.parametrize(
    "text",
    [
        "x" * (SUGGEST_MAX_TEXT + 1),
        "valves\x00\x0b<script>alert(1)</script>",
    ],
)
def test_hostile_text_is_refused_with_a_message_never_a_500(client, user, text):
    response = client.post(URL, {"text": text}, **JSON)
    if len(text) > SUGGEST_MAX_TEXT:
        assert response.status_code == 400
        assert "at most" in json.loads(response.content)["error"]
        page = client.post(URL, {"text": text})
        assert page.status_code == 400 and "at most" in page.content.decode()
    else:
        assert response.status_code in (200, 400)
        body = json.loads(response.content)
        assert "<script>" not in json.dumps(body.get("results"))
        page = client.post(URL, {"text": text}).content.decode()
        assert "<script>alert(1)</script>" not in page


def test_the_profile_and_call_forms_offer_suggestions(client):
    from organisations.models import Membership

    company = OrganisationFactory()
    editor = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    client.force_login(editor)
    html = client.get(
        reverse("organisations:organisation_edit", args=[company.slug])
    ).content.decode()
    assert 'data-cpv-suggest data-suggest-url="/organisations/cpv/suggest/"' in html
    assert 'data-suggest-from="capabilities" data-suggest-into="cpv_codes"' in html
    ilo = MembershipFactory(organisation=InfrastructureFactory(), role=Membership.Role.ADMIN).user
    client.force_login(ilo)
    call_form = client.get(reverse("tenders:call_create")).content.decode()
    assert 'data-suggest-from="title description"' in call_form
    assert 'data-suggest-into="main_cpv_code additional_cpv_codes"' in call_form
    assert "Suggest CPV codes from the title and description" in call_form
