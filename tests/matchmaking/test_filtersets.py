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
    hooks.register_favoured_countries(lambda call: {"DK"})
    try:
        client.force_login(world["users"]["officer"])
        url = reverse("matchmaking:call_suppliers", args=[world["call"].pk])
        everyone = client.get(url).content.decode()
        favoured = client.get(url + "?favoured=on").content.decode()
    finally:
        hooks.favoured_countries.clear()
    assert "GyroTech" in everyone
    assert "GyroTech" not in favoured
