"""Issue 14: what the calls app refuses or escapes, through the real HTTP stack."""

import json

import icalendar
import pytest
from defusedxml import ElementTree as ET
from django.core.management import CommandError, call_command
from django.urls import reverse

from bigscience_portal.core.models import MailDelivery
from organisations.models import Approval, Organisation
from tenders import permissions, services
from tenders.models import Award, ProcurementCall
from tests.factories import (
    AwardFactory,
    InfrastructureFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert('x')</script>"


# --- feeds: escaped text, never markup (finding 6) ----------------------------------------------


def test_feeds_carry_a_calls_texts_as_escaped_text(client, buyer):
    ProcurementCallFactory(buyer=buyer, title=f"Magnets {SCRIPT}", description=f"Coils {SCRIPT}")
    rss = ET.fromstring(client.get(reverse("tenders:call_feed_rss")).content)
    item = rss.find("./channel/item")
    # what a reader gets after parsing the XML is HTML in which the script is text
    assert "<script>" not in item.findtext("description")
    assert "&lt;script&gt;" in item.findtext("description")
    assert "<script>" not in item.findtext("title")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    atom = ET.fromstring(client.get(reverse("tenders:call_feed_atom")).content)
    summary = atom.find("a:entry/a:summary", ns)
    assert summary.get("type") == "html"
    assert "<script>" not in summary.text and "&lt;script&gt;" in summary.text


# --- the award form and the exports (finding 4) -------------------------------------------------


def test_the_award_form_offers_published_companies_only(client, officer, buyer):
    draft = OrganisationFactory(name="Hidden Draft Ltd", status=Organisation.Status.DRAFT)
    OrganisationFactory(name="Public Cryo ApS")
    call = ProcurementCallFactory(buyer=buyer, status=ProcurementCall.Status.CLOSED)
    client.force_login(officer)
    page = client.get(reverse("tenders:call_award", args=[call.pk])).content.decode()
    assert "Public Cryo ApS" in page and "Hidden Draft Ltd" not in page
    response = client.post(
        reverse("tenders:call_award", args=[call.pk]),
        {
            "awards-TOTAL_FORMS": "1",
            "awards-INITIAL_FORMS": "0",
            "awards-0-supplier": draft.pk,
            "awards-0-value_currency": "EUR",
            "note": "",
        },
    )
    assert response.status_code == 200  # refused, the form again with its error
    assert not Award.objects.filter(call=call).exists()


def test_no_export_shows_the_contact_point_of_an_unpublished_organisation(client, buyer):
    draft = OrganisationFactory(
        name="Draft Winner", status=Organisation.Status.DRAFT, email="secret@draft.example"
    )
    call = ProcurementCallFactory(buyer=buyer, status=ProcurementCall.Status.AWARDED)
    AwardFactory(call=call, supplier=draft, supplier_name=draft.name)
    release = client.get(reverse("tenders:call_ocds", args=[call.pk])).content.decode()
    package = client.get(reverse("tenders:calls_ocds") + "?include_closed=on").content.decode()
    for body in (release, package):
        assert "secret@draft.example" not in body
    assert "Draft Winner" in release  # the award itself is public


# --- line breaks in one-line fields (finding 7) ------------------------------------------------


def test_stored_line_breaks_never_break_a_calendar_or_a_question(client, buyer, sme_user):
    call = ProcurementCallFactory(buyer=buyer)
    ProcurementCall.objects.filter(pk=call.pk).update(title="Valves\r\nBcc: all@example.org")
    response = client.get(reverse("tenders:call_ics", args=[call.pk]))
    assert response.status_code == 200
    names = [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert names and all("\n" not in n and "\r" not in n for n in names)
    client.force_login(sme_user)
    response = client.post(reverse("tenders:question_ask", args=[call.pk]), {"question": "When?"})
    assert response.status_code == 302  # was a BadHeaderError (500) building the mail subject
    assert all("\n" not in d.subject for d in MailDelivery.objects.all())


def test_a_call_title_with_a_line_break_is_refused(client, officer, buyer):
    client.force_login(officer)
    page = client.get(reverse("tenders:call_create")).content.decode()
    assert "title" in page
    response = client.post(
        reverse("tenders:call_create"),
        {
            "buyer": buyer.pk,
            "title": "Valves\nInjected",
            "description": "x" * 10_001,
            "lots-TOTAL_FORMS": "0",
            "lots-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Write this on one line" in body
    assert "10000" in body.replace(",", "").replace("\u202f", "").replace(".", "")
    assert not ProcurementCall.objects.filter(title__startswith="Valves").exists()


# --- integers (finding 8) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/calls/?page=99999999999999999999999",
        "/calls/?page=-1",
        "/calls/ocds.json?page=99999999999999999999999",
        "/calls/99999999999999999999999/",
        "/calls/99999999999999999999999/ocds.json",
    ],
)
def test_huge_or_odd_numbers_in_urls_are_never_a_server_error(client, buyer, url):
    ProcurementCallFactory(buyer=buyer)
    assert client.get(url).status_code in (200, 400, 404)


# --- import_ocds with an amount no contract has (finding 14) ----------------------------------


def test_an_ocds_amount_beyond_reason_refuses_the_file_with_a_message(tmp_path):
    package = {
        "uri": "https://example.org/p.json",
        "publishedDate": "2024-01-01T00:00:00Z",
        "version": "1.1",
        "publisher": {"name": "Test"},
        "releases": [
            {
                "ocid": "ocds-test-1",
                "id": "1",
                "date": "2024-01-01T00:00:00Z",
                "tag": ["tender"],
                "initiationType": "tender",
                "buyer": {"id": "b", "name": "Huge Buyer"},
                "tender": {"id": "t", "title": "Huge", "value": {"amount": 1e999999999}},
            }
        ],
    }
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(package).replace("Infinity", "1e999999999"))
    # on the command line: the message and exit status 1 (Django's CommandError)
    with pytest.raises(CommandError, match=r"refused, nothing saved: .*beyond what any contract"):
        call_command("import_ocds", str(path))
    assert not ProcurementCall.objects.filter(title="Huge").exists()


# --- buyers act once approved (finding 1) -----------------------------------------------------


def test_only_approved_buyers_may_post_calls(staff):
    pending = InfrastructureFactory(name="Self-declared CERN", approval=Approval.PENDING)
    assert pending not in permissions.buyer_choices(staff)
    with pytest.raises(Exception, match="staff approved"):
        services.call_create(user=staff, buyer=pending, fields={"title": "Fake tender"})
    authority = OrganisationFactory(
        kind=Organisation.Kind.PUBLIC_AUTHORITY, name="Gladsaxe Kommune", approval=Approval.APPROVED
    )
    assert authority in permissions.buyer_choices(staff)
    call = services.call_create(
        user=staff,
        buyer=authority,
        fields={"title": "Pilot of smart heating", "main_cpv_id": "09323000"},
    )
    assert call.buyer == authority
