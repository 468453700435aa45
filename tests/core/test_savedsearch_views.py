"""Editing a saved search (``core.savedsearch_views.SavedSearchPages.edit_page``, issue 18
finding 5), the one shape behind both lists' searches: the calls' (tenders) and the
opportunities' (innovation). Name and frequency on the edit page; the filters on the list,
opened with the saved ones, where "Save changes to <name>" replaces them. The owner's only:
others get 404."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from innovation.models import OpportunitySearch
from tenders.models import SavedSearch
from tests.factories import OpportunitySearchFactory, SavedSearchFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Kind:
    name: str
    factory: type
    model: type
    list_url: str
    searches_url: str
    filter_label: str  # the list's label of the saved filter
    new_filter: str  # a querystring the list sets


KINDS = [
    Kind(
        "calls",
        SavedSearchFactory,
        SavedSearch,
        reverse("tenders:call_list"),
        reverse("tenders:saved_search_list"),
        "CPV code: 31",
        "cpv=42&q=cryostat",
    ),
    Kind(
        "opportunities",
        OpportunitySearchFactory,
        OpportunitySearch,
        reverse("innovation:opportunity_list"),
        reverse("innovation:search_list"),
        ": cryogenic",
        "q=valve&trl_min=5",
    ),
]


@pytest.fixture(params=KINDS, ids=lambda k: k.name)
def kind(request):
    return request.param


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def search(kind, owner):
    query = "cpv=31" if kind.name == "calls" else "q=cryogenic"
    return kind.factory(user=owner, name="Cryo", querystring=query, frequency="daily")


def test_the_saved_searches_list_offers_edit(client, kind, owner, search):
    client.force_login(owner)
    html = client.get(kind.searches_url).content.decode()
    assert f'href="{search.get_edit_url()}">Edit<span class="visually-hidden"> Cryo</span>' in html


def test_the_edit_page_changes_name_and_frequency(client, kind, owner, search):
    client.force_login(owner)
    response = client.get(search.get_edit_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Edit the saved search “Cryo”" in html and kind.filter_label in html
    assert f'href="{search.get_edit_filters_url()}"' in html.replace("&amp;", "&")
    response = client.post(
        search.get_edit_url(),
        {"name": "Cryogenics", "frequency": "weekly", "querystring": search.querystring},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == kind.searches_url
    assert "Search “Cryogenics” saved." in response.content.decode()
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("Cryogenics", "weekly")


def test_an_invalid_frequency_is_shown_on_the_form(client, kind, owner, search):
    client.force_login(owner)
    response = client.post(search.get_edit_url(), {"name": "X", "frequency": "hourly"})
    assert response.status_code == 400
    assert "Edit the saved search “Cryo”" in response.content.decode()
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("Cryo", "daily")


def test_the_list_opened_for_editing_saves_changed_filters(client, kind, owner, search):
    client.force_login(owner)
    url = search.get_edit_filters_url()
    html = client.get(url).content.decode()
    assert "Save changes to “Cryo”" in html
    assert '<input type="hidden" name="edit_search"' in html  # kept by the filter form
    html = client.get(f"{kind.list_url}?{kind.new_filter}&edit_search={search.pk}").content
    html = html.decode()
    assert f'name="querystring" value="{kind.new_filter.replace("&", "&amp;")}"' in html
    client.post(
        search.get_edit_url(),
        {"name": search.name, "frequency": search.frequency, "querystring": kind.new_filter},
    )
    search.refresh_from_db()
    assert search.querystring == kind.new_filter and search.name == "Cryo"
    assert kind.model.objects.count() == 1  # changed, not saved again


def test_editing_is_the_owners_only(client, kind, owner, search):
    edit = search.get_edit_url()
    response = client.get(edit)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"name": "Mine", "frequency": "weekly"}).status_code == 404
    assert client.get(search.get_edit_filters_url()).status_code == 404
    assert client.get(f"{kind.list_url}?edit_search=x").status_code == 404
    search.refresh_from_db()
    assert search.name == "Cryo"


def test_a_visitor_on_the_list_with_edit_search_sees_the_plain_list(client, kind, search):
    response = client.get(search.get_edit_filters_url())
    assert response.status_code == 200
    assert "Save changes to" not in response.content.decode()


def test_saved_filters_keep_no_page_or_edit_parameter(client, kind, owner, search):
    client.force_login(owner)
    client.post(
        search.get_edit_url(),
        {
            "name": "Cryo",
            "frequency": "daily",
            "querystring": f"{kind.new_filter}&page=3&per_page=50&edit_search={search.pk}",
        },
    )
    search.refresh_from_db()
    assert search.querystring == kind.new_filter
