"""RSS and Atom feeds of any filtered calls list (``tenders.feeds``)."""

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse

from tests.factories import ProcurementCallFactory

pytestmark = pytest.mark.django_db


def test_rss_feed_follows_the_list_filters(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Gyrotron", main_cpv_id="31711420")
    ProcurementCallFactory(buyer=buyer, title="Mirrors", main_cpv_id="38636000")
    response = client.get(reverse("tenders:call_feed_rss") + "?cpv=38")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Mirrors"]
    assert "/calls/" in items[0].findtext("link")
    assert "?cpv=38" in root.findtext("./channel/link")


def test_atom_feed(client, buyer):
    ProcurementCallFactory(buyer=buyer, title="Gyrotron")
    response = client.get(reverse("tenders:call_feed_atom") + "?q=gyrotron")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Gyrotron"
    ]
