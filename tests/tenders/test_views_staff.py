"""The staff's upload of TED notices (``tenders.views.staff``): a report per file, nothing of a
refused one saved (who may upload: ``test_permissions``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tenders.models import ProcurementCall
from tenders.notices import default_notice_dir
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOTICE_DIR = default_notice_dir()
F4E_NOTICE = NOTICE_DIR / "21-077815-001-EXP.xml"
needs_notices = pytest.mark.skipif(not F4E_NOTICE.is_file(), reason="no TED notices")
UPLOAD_URL = "/calls/import/ted/"
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<TED_EXPORT>&lol2;</TED_EXPORT>"""


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_upload_form_takes_several_xml_files(staff_client):
    response = staff_client.get(UPLOAD_URL)
    assert b'type="file"' in response.content and b"multiple" in response.content
    assert b'accept=".xml,application/xml,text/xml"' in response.content


def test_nobody_but_staff_can_post_notices(client, officer):
    for user in (None, MembershipFactory(organisation=OrganisationFactory()).user, officer):
        if user:
            client.force_login(user)
        upload = SimpleUploadedFile("notice.xml", b"<TED_EXPORT/>", content_type="text/xml")
        response = client.post(UPLOAD_URL, {"files": [upload]})
        assert response.status_code in (302, 403)
        client.logout()
    assert not ProcurementCall.objects.exists()


@needs_notices
def test_staff_upload_reports_each_file(staff_client):
    client = staff_client
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


def test_upload_without_files_shows_the_error_next_to_the_field(staff_client):
    response = staff_client.post(UPLOAD_URL, {})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="invalid-feedback d-block" id="id_files_error"' in text
    assert 'aria-describedby="id_files_helptext id_files_error"' in text
    assert "Choose at least one file." in text or "This field is required." in text
