"""Uploaded call documents: served only through /calls/<pk>/documents/<doc_pk>/, as attachments,
to those who may see the call (a draft's documents only to its buyer's officers and staff)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenders.models import CallDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% technical specification\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(other_officer, sme_user, officer, staff):
    return {
        "anonymous": None,
        "other_org": other_officer,
        "sme": sme_user,
        "officer": officer,
        "staff": staff,
    }


def _attach(call, name="Technical specification.pdf", content=PDF):
    return CallDocument.objects.create(
        call=call, title="Technical specification", file=SimpleUploadedFile(name, content)
    )


def _url(doc):
    return reverse("tenders:call_document", kwargs={"pk": doc.call_id, "doc_pk": doc.pk})


PUBLISHED = {"anonymous": 200, "other_org": 200, "sme": 200, "officer": 200, "staff": 200}
DRAFT = {"anonymous": 404, "other_org": 404, "sme": 404, "officer": 200, "staff": 200}


@pytest.mark.parametrize("role", list(PUBLISHED))
@pytest.mark.parametrize("status,expected", [("published", PUBLISHED), ("draft", DRAFT)])
def test_document_download_matrix(client, users, make_call, role, status, expected):
    doc = _attach(make_call(status, title=f"A {status} call"))
    if users[role]:
        client.force_login(users[role])
    response = client.get(_url(doc))
    assert response.status_code == expected[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="Technical_specification' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
    else:
        assert PDF not in response.content


def test_detail_page_links_documents_through_the_view(client, make_call):
    call = make_call()
    doc = _attach(call)
    body = client.get(call.get_absolute_url()).content.decode()
    assert f'href="{_url(doc)}"' in body
    assert doc.file.url not in body  # never the bare media URL


def test_a_document_of_another_call_or_a_link_is_not_served(client, make_call, staff):
    call = make_call()
    other = make_call(title="Another call")
    doc = _attach(other)
    link = CallDocument.objects.create(call=call, title="On the buyer's site", url="https://x.eu/")
    client.force_login(staff)
    wrong_call = reverse("tenders:call_document", kwargs={"pk": call.pk, "doc_pk": doc.pk})
    assert client.get(wrong_call).status_code == 404
    assert client.get(_url(link)).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client, make_call):
    doc = _attach(make_call())
    doc.file.storage.delete(doc.file.name)
    assert client.get(_url(doc)).status_code == 404


def test_hostile_file_names_are_made_safe(client, make_call):
    doc = _attach(make_call(), name='evil"; filename=x.html\r\n.html')
    response = client.get(_url(doc))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('filename="') == 1
    assert response["X-Content-Type-Options"] == "nosniff"


def test_ocds_release_points_at_the_download_view(client, make_call):
    call = make_call()
    doc = _attach(call)
    release = client.get(reverse("tenders:call_ocds", kwargs={"pk": call.pk})).json()
    urls = [d["url"] for d in release["tender"]["documents"]]
    assert urls == ["http://testserver" + _url(doc)]


def test_edit_form_links_the_current_file_through_the_view(client, make_call, officer):
    call = make_call("draft")
    doc = _attach(call)
    client.force_login(officer)
    body = client.get(reverse("tenders:call_edit", kwargs={"pk": call.pk})).content.decode()
    assert f'href="{_url(doc)}"' in body
    assert doc.file.url not in body
