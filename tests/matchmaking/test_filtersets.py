"""The suggested suppliers' filters (``matchmaking.filtersets``), through the page that uses
them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from tests.factories import ClusterFactory

from .helpers import call, member

pytestmark = pytest.mark.django_db


def _suppliers(client, world, **params):
    client.force_login(world["users"]["officer"])
    url = reverse("matchmaking:call_suppliers", args=[world["call2"].pk])
    return client.get(url, params).content.decode()


def test_supplier_filters(client, world):
    page = _suppliers(client, world)
    assert "Rival" in page and "GyroTech" in page
    page = _suppliers(client, world, cluster=world["cluster"].pk)
    assert "GyroTech" in page and "Rival" not in page


def test_verified_filter(client, world):
    world["rival"].verified_at = timezone.now()
    world["rival"].save()
    page = _suppliers(client, world, verified="yes")
    assert "Rival" in page and "GyroTech" not in page
    page = _suppliers(client, world, verified="no")
    assert "GyroTech" in page and "Rival" not in page


def test_an_invalid_filter_keeps_the_others(client, world):
    page = _suppliers(client, world, cluster=world["cluster"].pk, verified="perhaps")
    assert "GyroTech" in page and "Rival" not in page


def test_supplier_cluster_filter_does_not_name_unpublished_clusters(client, world):
    published = call(buyer=world["infra"], title="Published tender")
    ClusterFactory(name="Unpublished Stealth Cluster", status=Organisation.Status.DRAFT)
    client.force_login(member(world["infra"]))
    page = client.get(reverse("matchmaking:call_suppliers", args=[published.pk])).content.decode()
    assert world["cluster"].name in page
    assert "Unpublished Stealth Cluster" not in page


@pytest.mark.django_db
def test_suppliers_from_favoured_member_states_through_the_hook(client, world):
    """Industrial return (issue 15) plugs in through matchmaking.hooks: with a hook that says
    the buyer favours Danish firms, the filter keeps only Danish companies."""
    from django.urls import reverse

    from matchmaking import hooks

    world["gyro"].country = "DE"
    world["gyro"].save()
    registered = list(hooks.favoured_countries)  # the apps above registered theirs
    hooks.favoured_countries.clear()
    hooks.register_favoured_countries(lambda call: {"DK"})
    try:
        client.force_login(world["users"]["officer"])
        url = reverse("matchmaking:call_suppliers", args=[world["call"].pk])
        everyone = client.get(url).content.decode()
        favoured = client.get(url + "?favoured=on").content.decode()
    finally:
        hooks.favoured_countries[:] = registered
    assert "GyroTech" in everyone
    assert "GyroTech" not in favoured


def test_the_minimum_fit_is_asked_in_the_words_of_the_fit_levels(client, world):
    """Issue 18: the minimum score was asked as 0-1 while scores show as %."""
    from matchmaking.models import Match

    Match.objects.filter(call=world["call2"], company=world["rival"]).update(score=0.45)
    Match.objects.filter(call=world["call2"], company=world["gyro"]).update(score=0.2)
    page = _suppliers(client, world)
    assert "Good fit or better (from 25%)" in page and "0 to 1" not in page
    assert "Rival" in page and "GyroTech" in page
    page = _suppliers(client, world, min_fit="strong")
    assert "Rival" in page and "GyroTech" not in page
    page = _suppliers(client, world, min_fit="possible")
    assert "Rival" in page and "GyroTech" in page
    # the recommendations page asks the same way
    client.force_login(world["users"]["sme"])
    url = reverse("matchmaking:recommended")
    html = client.get(url).content.decode()
    assert "Strong fit only (from 40%)" in html and "Vacuum vessel" in html
    html = client.get(url, {"min_fit": "strong"}).content.decode()
    assert "Vacuum vessel" not in html


@pytest.mark.parametrize("bad", ["0.5", "1e308", "<script>", "strong\r\nfit"])
def test_a_minimum_fit_that_is_no_level_is_a_message_not_a_500(client, world, bad):
    client.force_login(world["users"]["officer"])
    url = reverse("matchmaking:call_suppliers", args=[world["call2"].pk])
    response = client.get(url, {"min_fit": bad})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "<script>" not in response.content.decode().split("</header>")[-1]
