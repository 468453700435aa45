"""Data exchange views: the staff TED upload and the OCDS release and package endpoints."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership
from tenders.models import Award, CallDocument, Lot, ProcurementCall
from tenders.notices import default_notice_dir, validate_package, validate_release
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

NOTICE_DIR = default_notice_dir()
F4E_NOTICE = NOTICE_DIR / "21-077815-001-EXP.xml"
needs_notices = pytest.mark.skipif(not F4E_NOTICE.is_file(), reason="no TED notices")
UPLOAD_URL = "/calls/import/ted/"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<TED_EXPORT>&lol2;</TED_EXPORT>"""

Status = ProcurementCall.Status


def make_call(buyer, **kwargs) -> ProcurementCall:
    now = timezone.now()
    defaults = {
        "title": "Supply of a 1.8 K helium cold box",
        "description": "Design, manufacture and test of a superfluid helium refrigerator.",
        "status": Status.PUBLISHED,
        "main_cpv_id": "42512000",
        "value_amount": Decimal("2500000.00"),
        "value_currency": "EUR",
        "tender_period_end": now + dt.timedelta(days=30),
        "enquiry_period_end": now + dt.timedelta(days=20),
        "published_at": now - dt.timedelta(days=1),
        "reference": "ITT-0001",
    }
    defaults.update(kwargs)
    return ProcurementCall.objects.create(buyer=buyer, **defaults)


@pytest.fixture
def buyer():
    return InfrastructureFactory(name="European Spallation Source", acronym="ESS", country="SE")


@pytest.fixture
def people(buyer):
    """anonymous, a user of another organisation, the buyer's liaison officer, staff."""
    other = MembershipFactory(organisation=OrganisationFactory()).user
    officer = MembershipFactory(organisation=buyer, role=Membership.Role.EDITOR).user
    return {"anonymous": None, "other": other, "officer": officer, "staff": StaffFactory()}


# --------------------------------------------------------------------------- TED upload


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 302), ("other", 403), ("officer", 403), ("staff", 200)]
)
def test_upload_form_is_for_staff_only(client, people, who, expected):
    if people[who]:
        client.force_login(people[who])
    response = client.get(UPLOAD_URL)
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    if expected == 200:
        assert b'type="file"' in response.content and b"multiple" in response.content


@pytest.mark.parametrize("who", ["anonymous", "other", "officer"])
def test_nobody_but_staff_can_post_notices(client, people, who):
    if people[who]:
        client.force_login(people[who])
    upload = SimpleUploadedFile("notice.xml", b"<TED_EXPORT/>", content_type="text/xml")
    response = client.post(UPLOAD_URL, {"files": [upload]})
    assert response.status_code in (302, 403)
    assert not ProcurementCall.objects.exists()


@needs_notices
def test_staff_upload_reports_each_file(client, people):
    client.force_login(people["staff"])
    files = [
        SimpleUploadedFile(F4E_NOTICE.name, F4E_NOTICE.read_bytes(), content_type="text/xml"),
        SimpleUploadedFile("bomb.xml", BOMB, content_type="text/xml"),
        SimpleUploadedFile("huge.xml", b"<a>" + b" " * (5 * 1024 * 1024 + 1) + b"</a>"),
    ]
    response = client.post(UPLOAD_URL, {"files": files})
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 files:" in text and "1 imported" in text and "2 refused" in text
    assert F4E_NOTICE.name in text and "089010-2021" in text
    assert "entity expansion" in text
    assert "above the limit of 5,242,880 bytes" in text
    call = ProcurementCall.objects.get()
    assert call.source_id == "089010-2021"
    assert f'href="/calls/{call.pk}/"' in text
    assert f'href="/calls/{call.pk}/ocds.json"' in text

    again = client.post(
        UPLOAD_URL,
        {"files": [SimpleUploadedFile(F4E_NOTICE.name, F4E_NOTICE.read_bytes())]},
    )
    assert "1 unchanged" in again.content.decode()
    assert ProcurementCall.objects.count() == 1


def test_upload_without_files_shows_the_error_next_to_the_field(client, people):
    client.force_login(people["staff"])
    response = client.post(UPLOAD_URL, {})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="invalid-feedback" id="id_files-errors"' in text
    assert 'aria-describedby="id_files-help id_files-errors"' in text


# --------------------------------------------------------------------------- OCDS release


def _full_call(buyer) -> ProcurementCall:
    call = make_call(buyer, status=Status.AWARDED)
    call.additional_cpv.set(["42513200", "24111500"])
    lot = Lot.objects.create(call=call, number="1", title="Cold box", value_amount=Decimal("1e6"))
    lot.cpv_codes.set(["42513200"])
    Lot.objects.create(call=call, number="2", title="Transfer lines")
    supplier = OrganisationFactory(name="NordCryo ApS", country="DK")
    Award.objects.create(
        call=call,
        lot_number="1",
        supplier=supplier,
        supplier_name=supplier.name,
        value_amount=Decimal("950000.00"),
        date=dt.date(2025, 3, 1),
    )
    Award.objects.create(call=call, lot_number="2", supplier_name="Cryo Lines GmbH")
    CallDocument.objects.create(call=call, title="Technical specification", url="https://e.x/s")
    return call


def test_release_of_a_call_validates_and_says_what_the_page_says(client, buyer):
    call = _full_call(buyer)
    response = client.get(f"/calls/{call.pk}/ocds.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    release = response.json()
    assert validate_release(release) == []
    assert release["ocid"].endswith(f"-{call.pk}")
    assert release["buyer"]["name"] == "European Spallation Source"
    tender = release["tender"]
    assert tender["title"] == call.title
    assert tender["status"] == "complete"
    assert tender["value"] == {"amount": 2500000, "currency": "EUR"}
    assert dt.datetime.fromisoformat(tender["tenderPeriod"]["endDate"]) == call.tender_period_end
    cpvs = [i["classification"]["id"] for i in tender["items"]]
    assert cpvs[0] == "42512000" and set(cpvs[1:3]) == {"42513200", "24111500"}
    assert [lot["id"] for lot in tender["lots"]] == ["1", "2"]
    assert tender["documents"][0]["url"] == "https://e.x/s"
    suppliers = {a["suppliers"][0]["name"]: a for a in release["awards"]}
    assert suppliers["NordCryo ApS"]["value"]["amount"] == 950000
    assert suppliers["NordCryo ApS"]["relatedLots"] == ["1"]
    assert "Cryo Lines GmbH" in suppliers
    assert release["tag"] == ["tender", "award"]


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED, Status.CANCELLED])
def test_every_public_status_is_exported_and_valid(client, buyer, status):
    call = make_call(buyer, status=status)
    release = client.get(f"/calls/{call.pk}/ocds.json").json()
    assert validate_release(release) == []
    assert release["tender"]["status"] == {"published": "active", "closed": "active"}.get(
        status, "cancelled"
    )


@pytest.mark.parametrize("who", ["anonymous", "other", "officer", "staff"])
def test_a_draft_is_not_exposed_to_anyone(client, people, buyer, who):
    draft = make_call(buyer, status=Status.DRAFT, title="Secret draft")
    published = make_call(buyer, title="Published call")
    if people[who]:
        client.force_login(people[who])
    assert client.get(f"/calls/{draft.pk}/ocds.json").status_code == 404
    assert client.get(f"/calls/{published.pk}/ocds.json").status_code == 200
    package = client.get("/calls/ocds.json?include_closed=on").json()
    titles = [r["tender"]["title"] for r in package["releases"]]
    assert titles == ["Published call"]


def test_unknown_call_is_404(client):
    assert client.get("/calls/999999/ocds.json").status_code == 404


# --------------------------------------------------------------------------- OCDS package


def test_package_of_a_filtered_list_holds_exactly_the_filtered_calls(client, buyer):
    other_buyer = InfrastructureFactory(name="CERN", slug="cern", country="CH")
    now = timezone.now()
    wanted = [
        make_call(buyer, title="Cryostat", stage="invitation_to_tender"),
        make_call(buyer, title="Cold box", stage="invitation_to_tender", main_cpv_id="42513200"),
        make_call(
            buyer,
            title="Old cryoline",
            status=Status.CLOSED,
            tender_period_end=now - dt.timedelta(days=3),
        ),
    ]
    make_call(buyer, title="Survey", stage="market_survey")
    make_call(buyer, title="Draft", status=Status.DRAFT)
    make_call(other_buyer, title="Magnet")

    # Default list: open calls only, like the list page.
    default = client.get("/calls/ocds.json").json()
    assert validate_package(default) == []
    assert {r["tender"]["title"] for r in default["releases"]} == {
        "Cryostat",
        "Cold box",
        "Survey",
        "Magnet",
    }

    response = client.get(
        "/calls/ocds.json",
        {"buyer": buyer.slug, "stage": "invitation_to_tender", "include_closed": "on"},
    )
    assert response.status_code == 200
    package = response.json()
    assert validate_package(package) == []
    assert sorted(r["tender"]["title"] for r in package["releases"]) == sorted(
        c.title for c in wanted
    )
    assert package["uri"].endswith("stage=invitation_to_tender&include_closed=on")


def test_package_filters_by_cpv_like_the_list(client, buyer):
    make_call(buyer, title="Cryostat")
    make_call(buyer, title="Cold box", main_cpv_id="42513200")
    cpv = client.get("/calls/ocds.json", {"cpv": "425132"}).json()
    assert validate_package(cpv) == []
    assert [r["tender"]["title"] for r in cpv["releases"]] == ["Cold box"]


def test_invalid_filters_are_a_400(client):
    response = client.get("/calls/ocds.json", {"stage": "no-such-stage"})
    assert response.status_code == 400


def _package_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/calls/ocds.json")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_package_query_count_does_not_grow_with_the_number_of_calls(client, buyer):
    for _ in range(3):
        call = _full_call(buyer)
        ProcurementCall.objects.filter(pk=call.pk).update(status=Status.PUBLISHED)
    few = _package_queries(client)
    for _ in range(12):
        call = _full_call(buyer)
        ProcurementCall.objects.filter(pk=call.pk).update(status=Status.PUBLISHED)
    many = _package_queries(client)
    assert len(client.get("/calls/ocds.json").json()["releases"]) == 15
    assert few == many


@needs_notices
def test_every_imported_ted_notice_exports_as_a_valid_release(client):
    call_command("import_ted", str(NOTICE_DIR), stdout=io.StringIO())
    package = client.get("/calls/ocds.json", {"include_closed": "on"}).json()
    assert len(package["releases"]) == 72
    assert validate_package(package) == []
    for release in package["releases"]:
        assert validate_release(release) == []
