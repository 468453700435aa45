"""Calls as OCDS 1.1 (``tenders.ocds_export``, served by ``call_release`` and
``calls_package``): releases that validate and say what the page says, packages of a filtered
list, drafts never exposed, a query count that does not grow with the package."""

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

from tenders import services
from tenders.models import ProcurementCall
from tenders.notices import (
    ENQUIRY_EXTENSION,
    default_notice_dir,
    validate_package,
    validate_release,
)
from tests.factories import (
    AwardFactory,
    CallDocumentFactory,
    ClarificationFactory,
    InfrastructureFactory,
    LotFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = pytest.mark.django_db

NOTICE_DIR = default_notice_dir()
F4E_NOTICE = NOTICE_DIR / "21-077815-001-EXP.xml"
needs_notices = pytest.mark.skipif(not F4E_NOTICE.is_file(), reason="no TED notices")

Status = ProcurementCall.Status


def _call(buyer, **kwargs) -> ProcurementCall:
    defaults = {
        "title": "Supply of a 1.8 K helium cold box",
        "description": "Design, manufacture and test of a superfluid helium refrigerator.",
        "main_cpv_id": "42512000",
        "value_amount": Decimal("2500000.00"),
        "value_currency": "EUR",
        "deadline_days": 30,
        "reference": "ITT-0001",
    }
    return ProcurementCallFactory(buyer=buyer, **{**defaults, **kwargs})


@pytest.fixture
def buyer():
    return InfrastructureFactory(name="European Spallation Source", acronym="ESS", country="SE")


def _full_call(buyer) -> ProcurementCall:
    call = _call(buyer, status=Status.AWARDED, additional_cpv=["42513200", "24111500"])
    lot = LotFactory(call=call, number="1", title="Cold box", value_amount=Decimal("1e6"))
    lot.cpv_codes.set(["42513200"])
    LotFactory(call=call, number="2", title="Transfer lines")
    supplier = OrganisationFactory(name="NordCryo ApS", country="DK")
    AwardFactory(
        call=call,
        lot_number="1",
        supplier=supplier,
        supplier_name=supplier.name,
        value_amount=Decimal("950000.00"),
        date=dt.date(2025, 3, 1),
    )
    AwardFactory(call=call, lot_number="2", supplier_name="Cryo Lines GmbH")
    CallDocumentFactory(call=call, title="Technical specification", url="https://e.x/s")
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
    call = _call(buyer, status=status)
    release = client.get(f"/calls/{call.pk}/ocds.json").json()
    assert validate_release(release) == []
    assert release["tender"]["status"] == {"published": "active", "closed": "active"}.get(
        status, "cancelled"
    )


def test_a_draft_is_not_in_a_package(client, buyer, staff):
    draft = _call(buyer, status=Status.DRAFT, title="Secret draft")
    published = _call(buyer, title="Published call")
    client.force_login(staff)  # not even for staff (the release of a draft: test_permissions)
    assert client.get(f"/calls/{draft.pk}/ocds.json").status_code == 404
    assert client.get(f"/calls/{published.pk}/ocds.json").status_code == 200
    package = client.get("/calls/ocds.json?include_closed=on").json()
    titles = [r["tender"]["title"] for r in package["releases"]]
    assert titles == ["Published call"]


def test_unknown_call_is_404(client):
    assert client.get("/calls/999999/ocds.json").status_code == 404


def test_package_of_a_filtered_list_holds_exactly_the_filtered_calls(client, buyer):
    other_buyer = InfrastructureFactory(name="CERN", slug="cern", country="CH")
    now = timezone.now()
    wanted = [
        _call(buyer, title="Cryostat", stage="invitation_to_tender"),
        _call(buyer, title="Cold box", stage="invitation_to_tender", main_cpv_id="42513200"),
        _call(
            buyer,
            title="Old cryoline",
            status=Status.CLOSED,
            tender_period_end=now - dt.timedelta(days=3),
        ),
    ]
    _call(buyer, title="Survey", stage="market_survey")
    _call(buyer, title="Draft", status=Status.DRAFT)
    _call(other_buyer, title="Magnet")

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
    _call(buyer, title="Cryostat")
    _call(buyer, title="Cold box", main_cpv_id="42513200")
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


def test_a_release_points_at_the_download_view(client, buyer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call = ProcurementCallFactory(buyer=buyer)
    doc = CallDocumentFactory(call=call, url="", file=SimpleUploadedFile("spec.pdf", b"%PDF"))
    release = client.get(reverse("tenders:call_ocds", kwargs={"pk": call.pk})).json()
    urls = [d["url"] for d in release["tender"]["documents"]]
    assert urls == [
        "http://testserver"
        + reverse("tenders:call_document", kwargs={"pk": call.pk, "doc_pk": doc.pk})
    ]


def test_enquiries_are_exported_as_published_never_as_asked(client, buyer):
    call = _call(buyer, status=Status.PUBLISHED)
    officer = MembershipFactory(organisation=buyer).user
    asked = ClarificationFactory(call=call, question="Can our NordCryo QX-1 be offered?")
    services.clarification_answer(
        clarification=asked,
        user=officer,
        answer="Yes, any cold box meeting section 3.",
        published_question="Can a commercial cold box be offered?",
    )
    ClarificationFactory(call=call, question="Waiting NordCryo question?")  # not answered

    release = client.get(f"/calls/{call.pk}/ocds.json").json()
    assert validate_release(release) == []
    [enquiry] = release["tender"]["enquiries"]
    assert enquiry["description"] == "Can a commercial cold box be offered?"
    assert enquiry["answer"] == "Yes, any cold box meeting section 3."
    assert "author" not in enquiry and "dateAnswered" in enquiry
    package = client.get(reverse("tenders:calls_ocds")).json()
    assert ENQUIRY_EXTENSION in package["extensions"]
    assert validate_package(package) == []
    assert "NordCryo" not in str(package) and "NordCryo" not in str(release)
