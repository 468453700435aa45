"""Feeds of a filtered list, the deadlines calendar, the EoI export, the SQLite search fallback."""

import csv
import datetime as dt
import io
from types import SimpleNamespace

import icalendar
import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse

from bigscience_portal.core.spreadsheets import escape_cell as csv_safe
from tenders import filtersets, services

pytestmark = pytest.mark.django_db


def test_rss_feed_follows_the_list_filters(client, make_call):
    make_call(title="Gyrotron", main_cpv="31711420")
    make_call(title="Mirrors", main_cpv="38636000")
    response = client.get(reverse("tenders:call_feed_rss") + "?cpv=38")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    items = root.findall("./channel/item")
    assert [i.findtext("title") for i in items] == ["Mirrors"]
    assert "/calls/" in items[0].findtext("link")
    assert "?cpv=38" in root.findtext("./channel/link")


def test_atom_feed(client, make_call):
    make_call(title="Gyrotron")
    response = client.get(reverse("tenders:call_feed_atom") + "?q=gyrotron")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    assert [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)] == [
        "Gyrotron"
    ]


def test_ics_has_both_deadlines_in_utc(client, make_call):
    call = make_call(title="Gyrotron")
    response = client.get(reverse("tenders:call_ics", kwargs={"pk": call.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    events = {str(e["summary"]).split(":")[0]: e for e in cal.walk("VEVENT")}
    assert set(events) == {"Clarification deadline", "Submission deadline"}
    submission = events["Submission deadline"]["dtstart"].dt
    assert submission.utcoffset() == dt.timedelta(0)
    assert submission == call.tender_period_end.replace(microsecond=0)
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content
    clarification = events["Clarification deadline"]["dtstart"].dt
    assert clarification == call.enquiry_period_end.replace(microsecond=0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Normal text", "Normal text"),
        (None, ""),
    ],
)
def test_csv_cells_are_protected_against_formulas(value, expected):
    assert csv_safe(value) == expected


def test_eoi_export_rows(client, make_call, company, sme_user, officer):
    call = make_call()
    services.eoi_submit(
        call=call,
        organisation=company,
        user=sme_user,
        message="=cmd|'/C calc'!A0",
        partners="Partner One\nPartner Two",
    )
    client.force_login(officer)
    response = client.get(reverse("tenders:eoi_export", kwargs={"pk": call.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Company", "Country", "Submitted by"]
    assert rows[1][0] == "CryoTest ApS"
    assert rows[1][1] == "DK"
    assert rows[1][3] == sme_user.email
    assert rows[1][4] == "'=cmd|'/C calc'!A0"
    assert rows[1][5] == "Partner One; Partner Two"
    assert rows[1][6] == "Active"


def test_sqlite_fallback_search_uses_icontains(client, make_call, monkeypatch):
    make_call(title="Cryogenic transfer lines", description="Helium.")
    make_call(title="Mirrors", description="X-ray optics")
    # the search's fallback branch (the embedded SQLite runs the whole page for real:
    # test_sqlite_list.py)
    monkeypatch.setattr(filtersets, "connection", SimpleNamespace(vendor="sqlite"))
    response = client.get(reverse("tenders:call_list") + "?q=HELIUM+transfer&sort=relevance")
    assert [c.title for c in response.context["calls"]] == ["Cryogenic transfer lines"]
