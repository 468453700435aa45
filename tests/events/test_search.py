"""Search of the events list (``events.filtersets`` + ``core.search``): stemmed, ranked,
accent-insensitive, drafts stay invisible; the same on the embedded SQLite."""

import pytest
from django.db import connection
from django.urls import reverse

from events.models import Event
from tests.factories import EventFactory
from tests.sqlite_embedded import run_on_sqlite

pytestmark = pytest.mark.django_db
URL = reverse("events:event_list")


@pytest.fixture
def events(db):
    EventFactory(title="Cryogenics industry day", description="Helium plants.")
    EventFactory(title="Vacuum workshop", description="Pumps; a talk on cryogenic pumping.")
    EventFactory(title="Kryoteknik-dag i Aarhus", description="Kryogene ventiler.")
    EventFactory(title="Secret cryogenics", status=Event.Status.DRAFT)


def _titles(client, q, **extra):
    response = client.get(URL, {"q": q, **extra})
    assert response.status_code == 200
    return [e.title for e in response.context["events"]]


def test_event_search_is_stemmed_and_ranked(client, events):
    assert connection.vendor == "postgresql"
    assert _titles(client, "cryogenic") == ["Cryogenics industry day", "Vacuum workshop"]
    assert _titles(client, "KRYOGEN") == ["Kryoteknik-dag i Aarhus"]
    assert _titles(client, "pump") == ["Vacuum workshop"]
    assert _titles(client, "cryogenic -helium") == ["Vacuum workshop"]
    assert _titles(client, "zzzz") == []
    assert _titles(client, "<script>") == []


SQLITE_SCRIPT = """
from datetime import timedelta
from django.utils import timezone
from events.models import Event
start = timezone.now() + timedelta(days=30)
for i, (title, description) in enumerate([
    ("Cryogenics industry day", "Helium plants."),
    ("Vacuum workshop", "Pumps; a talk on cryogenic pumping."),
    ("Kryoteknik-dag i Aarhus", "Kryogene ventiler."),
]):
    Event.objects.create(kind="workshop", title=title, slug=f"e{i}", description=description,
        starts_at=start, ends_at=start + timedelta(hours=8), time_zone="Europe/Copenhagen",
        venue_country="DK", status="published")
client = Client()
out = {}
for q in ["cryogenic", "KRYOGEN", "pump", "cryogenic -helium"]:
    out[q] = [e.title for e in client.get("/events/", {"q": q}).context["events"]]
print("RESULT " + json.dumps(out))
"""


def test_same_answers_on_the_embedded_sqlite(tmp_path):
    assert run_on_sqlite(SQLITE_SCRIPT, tmp_path) == {
        "cryogenic": ["Cryogenics industry day", "Vacuum workshop"],
        "KRYOGEN": ["Kryoteknik-dag i Aarhus"],
        "pump": ["Vacuum workshop"],
        "cryogenic -helium": ["Vacuum workshop"],
    }
