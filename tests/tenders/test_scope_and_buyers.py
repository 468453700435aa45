"""Imports that stay in scope (``tenders.scope``, the upload's confirmation), buyers created
pending staff's decision (approve, merge, hide), the TED link, titles per language, awards'
suppliers in OCDS."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from organisations import services as org_services
from organisations.models import Approval, Organisation
from tenders.importers import ted_file_import
from tenders.models import InterestProfileEntry, ProcurementCall
from tenders.notices import parse_notice
from tenders.scope import notice_scope
from tests.factories import (
    InfrastructureFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    StaffFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix
from tests.tenders.test_eforms_parser import CONVERTED, EFORMS_DIR, TED_DIR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CONVERTED, reason=f"no eForms notices in {EFORMS_DIR}"),
]

SDK = EFORMS_DIR / "sdk-examples"
F4E = EFORMS_DIR / "converted" / "21-077815-001-EXP.xml"  # Fusion for Energy, gyrotrons
HOSPITAL = SDK / "pin-buyer_24.xml"  # an Italian hospital's ventilator consultation, CPV 33
UPLOAD_URL = "/calls/import/ted/"


def _import(path, **kwargs):
    return ted_file_import(data=path.read_bytes(), filename=path.name, **kwargs)


def _notice(path):
    return parse_notice(path.read_bytes(), filename=path.name)


def test_big_science_notices_are_in_scope_and_a_hospitals_is_not():
    assert notice_scope(_notice(F4E)).in_scope
    scope = notice_scope(_notice(HOSPITAL))
    assert not scope.in_scope and "33157000" in scope.reason
    # staff add the medical-equipment division to the profile in the admin: now it is
    InterestProfileEntry.objects.create(kind="cpv", value="33")
    assert notice_scope(_notice(HOSPITAL)).in_scope


def test_a_profile_buyer_is_in_scope_whatever_its_cpv():
    InterestProfileEntry.objects.create(
        kind="buyer", value="IRCCS Policlinico ospedale San Martino"
    )
    scope = notice_scope(_notice(HOSPITAL))
    assert scope.in_scope and "buyer" in scope.reason


def test_an_unknown_buyer_is_created_unlisted_until_staff_decide():
    outcome = _import(HOSPITAL)
    buyer = ProcurementCall.objects.get(pk=outcome.call_id).buyer
    assert buyer.approval == Approval.PENDING
    assert not Organisation.objects.acting().filter(pk=buyer.pk).exists()
    assert "unlisted until staff approve it" in " ".join(outcome.notes)
    assert Organisation.objects.awaiting_approval().filter(pk=buyer.pk).exists()


def test_a_known_buyer_is_matched_not_created():
    f4e = InfrastructureFactory(name="Fusion for Energy", country="ES")
    outcome = _import(F4E)
    assert ProcurementCall.objects.get(pk=outcome.call_id).buyer == f4e
    assert Organisation.objects.count() == 1


def test_the_approval_page_shows_the_imported_calls_and_the_merge(client):
    outcome = _import(HOSPITAL)
    buyer = ProcurementCall.objects.get(pk=outcome.call_id).buyer
    client.force_login(StaffFactory())
    queue = client.get(reverse("organisations:approval_queue"))
    assert buyer.name in queue.content.decode()
    page = client.get(reverse("organisations:approval_decide", args=[buyer.pk])).content.decode()
    assert "Created by the import of public notices" in page
    assert reverse("tenders:buyer_merge", args=[buyer.pk]) in page


def test_staff_hide_an_imported_buyer_by_rejecting_it():
    outcome = _import(HOSPITAL)
    buyer = ProcurementCall.objects.get(pk=outcome.call_id).buyer
    org_services.organisation_reject(
        organisation=buyer, decided_by=StaffFactory(), reason="A hospital, not a Big Science buyer"
    )
    buyer.refresh_from_db()
    assert buyer.approval == Approval.REJECTED
    assert not Organisation.objects.acting().filter(pk=buyer.pk).exists()


@pytest.fixture
def world(db):
    outcome = _import(HOSPITAL)
    buyer = ProcurementCall.objects.get(pk=outcome.call_id).buyer
    target = InfrastructureFactory(name="San Martino hospital (directory)")
    officer = MembershipFactory(organisation=InfrastructureFactory()).user
    return SimpleNamespace(
        buyer=buyer,
        target=target,
        call_id=outcome.call_id,
        users={
            "anonymous": None,
            "other_org": MembershipFactory(organisation=OrganisationFactory()).user,
            "right_role": officer,
            "staff": StaffFactory(),
        },
    )


def _merged(w) -> bool:
    return ProcurementCall.objects.get(pk=w.call_id).buyer_id == w.target.pk


CASES = [
    Access(
        "merge form",
        "get",
        lambda w: reverse("tenders:buyer_merge", args=[w.buyer.pk]),
        expect(anonymous=LOGIN, other_org=404, right_role=404, staff=200),
    ),
    Access(
        "merge",
        "post",
        lambda w: reverse("tenders:buyer_merge", args=[w.buyer.pk]),
        expect(anonymous=LOGIN, other_org=404, right_role=404, staff=302),
        data=lambda w: {"into": w.target.pk},
        effect=_merged,
    ),
    Access(
        "merge an approved organisation",
        "get",
        lambda w: reverse("tenders:buyer_merge", args=[w.target.pk]),
        expect(staff=404),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES), ids=str)
def test_merge_access(client, world, case, role):
    check_access(client, world, case, role)


def test_a_merge_moves_the_calls_and_removes_the_imported_buyer(client, world):
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("tenders:buyer_merge", args=[world.buyer.pk]), {"into": world.target.pk}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=world.buyer.pk).exists()
    assert ProcurementCall.objects.get(pk=world.call_id).buyer == world.target
    # merging into nothing, or garbage, is refused with a message and nothing changes
    other = _import(SDK / "cn_23.xml")
    buyer = ProcurementCall.objects.get(pk=other.call_id).buyer
    page = client.post(reverse("tenders:buyer_merge", args=[buyer.pk]), {"into": "x<script>"})
    assert page.status_code == 200 and "<script>" not in page.content.decode()
    assert Organisation.objects.filter(pk=buyer.pk).exists()


def test_the_upload_asks_before_importing_a_notice_outside_the_profile(client):
    client.force_login(StaffFactory())

    def upload(**extra):
        files = [SimpleUploadedFile(HOSPITAL.name, HOSPITAL.read_bytes(), "text/xml")]
        return client.post(UPLOAD_URL, {"files": files, **extra}).content.decode()

    page = upload()
    assert "outside the portal&#x27;s interest profile" in page or "outside the portal" in page
    assert "Import notices outside the interest profile too" in page
    assert not ProcurementCall.objects.exists() and not Organisation.objects.exists()
    page = upload(confirm_out_of_scope="on")
    assert ProcurementCall.objects.count() == 1


def test_an_in_scope_upload_needs_no_confirmation(client):
    client.force_login(StaffFactory())
    files = [SimpleUploadedFile(F4E.name, F4E.read_bytes(), "text/xml")]
    client.post(UPLOAD_URL, {"files": files})
    assert ProcurementCall.objects.count() == 1


def test_the_call_page_links_to_the_notice_on_ted(client):
    outcome = _import(F4E)
    call = ProcurementCall.objects.get(pk=outcome.call_id)
    assert call.source_id == _notice(TED_DIR / F4E.name).notice_number
    page = client.get(call.get_absolute_url()).content.decode()
    number, year = call.source_id.split("-")
    assert f'href="https://ted.europa.eu/en/notice/-/detail/{int(number)}-{year}"' in page


def test_a_call_posted_here_has_no_ted_link(client):
    call = ProcurementCallFactory(status=ProcurementCall.Status.PUBLISHED)
    assert call.ted_url == ""
    assert "ted.europa.eu" not in client.get(call.get_absolute_url()).content.decode()


def test_the_title_is_shown_in_the_users_language_else_english(client):
    call = ProcurementCallFactory(
        status=ProcurementCall.Status.PUBLISHED,
        title="Cryogenic valves",
        titles={"en": "Cryogenic valves", "fr": "Vannes cryogéniques"},
    )
    with translation.override("fr"):
        assert call.title_in(translation.get_language()) == "Vannes cryogéniques"
    page = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<h1" in page and "Cryogenic valves" in page


def test_ocds_export_carries_the_awards_suppliers_with_country_and_identifier(client):
    outcome = _import(SDK / "can_24_maximal.xml", in_scope_only=False)
    call = ProcurementCall.objects.get(pk=outcome.call_id)
    award = call.awards.exclude(supplier_identifiers=[]).first()
    assert award is not None and award.supplier_country
    release = json.loads(client.get(reverse("tenders:call_ocds", args=[call.pk])).content)
    (party,) = [p for p in release["parties"] if p["id"] == f"supplier-{award.pk}"]
    assert party["identifier"]["id"] == award.supplier_identifiers[0]
    assert party["address"]["countryName"] == award.supplier_country.name
    assert "supplier" in party["roles"]
