"""Pages: posting and editing a call, documents and lots, the detail page, confirmations."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tenders import services
from tenders.models import Amendment, Clarification, ProcurementCall
from tenders.templatetags.tenders_tags import countdown_text

pytestmark = pytest.mark.django_db


def _form_data(buyer=None, **overrides):
    deadline = timezone.localtime(timezone.now() + timedelta(days=30))
    data = {
        "reference": "F4E-OPE-1",
        "title": "Gyrotron RF source",
        "description": "A 1 MW gyrotron.",
        "stage": "invitation_to_tender",
        "procurement_method": "open",
        "main_procurement_category": "goods",
        "main_cpv_code": "31711420-3",
        "additional_cpv_codes": "31711424, 31630000",
        "value_amount": "1000000",
        "value_currency": "EUR",
        "value_band": "B",
        "enquiry_period_end": (deadline - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "tender_period_end": deadline.strftime("%Y-%m-%dT%H:%M"),
        "language": "en",
        "country": "FR",
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "0",
        "lots-0-number": "1",
        "lots-0-title": "Tube",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "documents-0-title": "Specification",
        "documents-0-url": "https://example.org/spec.pdf",
    }
    if buyer is not None:
        data["buyer"] = buyer.pk
    data.update(overrides)
    return data


def test_officer_posts_a_draft_with_cpv_codes_lots_and_documents(client, officer, buyer):
    client.force_login(officer)
    response = client.post(reverse("tenders:call_create"), _form_data(buyer))
    call = ProcurementCall.objects.get()
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.status == "draft" and call.buyer == buyer and call.contact == officer
    assert call.main_cpv_id == "31711420"
    assert sorted(call.additional_cpv.values_list("code", flat=True)) == ["31630000", "31711424"]
    assert list(call.lots.values_list("title", flat=True)) == ["Tube"]
    assert list(call.documents.values_list("url", flat=True)) == ["https://example.org/spec.pdf"]


def test_unknown_cpv_codes_are_named_next_to_the_field(client, officer, buyer):
    client.force_login(officer)
    response = client.post(
        reverse("tenders:call_create"),
        _form_data(buyer, main_cpv_code="99999999", additional_cpv_codes="31711424 12345678 abc"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Unknown CPV code: 99999999." in body
    assert "Unknown CPV codes: abc, 12345678." in body
    assert 'aria-describedby="id_main_cpv_code_helptext id_main_cpv_code_error"' in body
    assert not ProcurementCall.objects.exists()


def test_document_upload_limits(client, officer, buyer):
    client.force_login(officer)
    exe = SimpleUploadedFile("tool.exe", b"MZ...", content_type="application/octet-stream")
    data = _form_data(buyer, **{"documents-0-url": "", "documents-0-file": exe})
    response = client.post(reverse("tenders:call_create"), data)
    assert "are not accepted" in response.content.decode()
    big = SimpleUploadedFile(
        "spec.pdf", b"0" * (10 * 1024 * 1024 + 1), content_type="application/pdf"
    )
    data = _form_data(buyer, **{"documents-0-url": "", "documents-0-file": big})
    response = client.post(reverse("tenders:call_create"), data)
    assert "larger than 10 MB" in response.content.decode()
    assert not ProcurementCall.objects.exists()


def test_document_upload_ok(client, officer, buyer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    pdf = SimpleUploadedFile("spec.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = _form_data(buyer, **{"documents-0-url": "", "documents-0-file": pdf})
    assert client.post(reverse("tenders:call_create"), data).status_code == 302
    assert ProcurementCall.objects.get().documents.get().file.name.endswith(".pdf")


def test_editing_a_published_call_lists_amendments_on_its_page(client, officer, make_call):
    call = make_call("published")
    client.force_login(officer)
    url = reverse("tenders:call_edit", kwargs={"pk": call.pk})
    data = _form_data(title="Gyrotron RF source (amended)", **{"documents-TOTAL_FORMS": "0"})
    data["lots-TOTAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Amendment.objects.filter(call=call, field="title").exists()
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Amendments" in page and "Gyrotron RF source (amended)" in page


def test_cancel_asks_for_confirmation_first(client, officer, make_call):
    call = make_call("published")
    client.force_login(officer)
    url = reverse("tenders:call_action", kwargs={"pk": call.pk, "action": "cancel"})
    page = client.get(url).content.decode()
    assert "Cancel this call?" in page and "Yes, cancel the call" in page
    call.refresh_from_db()
    assert call.status == "published"
    client.post(url, {"note": "No budget"})
    call.refresh_from_db()
    assert call.status == "cancelled"


def test_invalid_transition_shows_a_message(client, officer, make_call):
    call = make_call("draft")
    client.force_login(officer)
    url = reverse("tenders:call_action", kwargs={"pk": call.pk, "action": "close"})
    response = client.post(url, {"note": ""}, follow=True)
    assert "A call that is draft cannot be closed." in response.content.decode()


def test_award_page_records_awards(client, officer, make_call, company):
    call = make_call("closed")
    client.force_login(officer)
    data = {
        "awards-TOTAL_FORMS": "2",
        "awards-INITIAL_FORMS": "0",
        "awards-0-supplier": company.pk,
        "awards-0-value_amount": "950000",
        "awards-0-value_currency": "EUR",
        "awards-0-date": "2026-11-01",
        "awards-1-value_currency": "EUR",
        "note": "",
    }
    response = client.post(reverse("tenders:call_award", kwargs={"pk": call.pk}), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "awarded"
    assert list(call.awards.values_list("supplier_name", flat=True)) == ["CryoTest ApS"]
    assert "CryoTest ApS" in client.get(call.get_absolute_url()).content.decode()


def test_detail_shows_countdown_and_anonymous_answers(client, make_call, sme_user, officer):
    call = make_call("published", deadline_days=3)
    q = services.clarification_ask(call=call, user=sme_user, question="Lead time for tubes?")
    services.clarification_answer(clarification=q, user=officer, answer="Twelve months.")
    Clarification.objects.create(call=call, question="Unanswered one?", asked_by=sme_user)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "closes in 2 days 23 hours" in body or "closes in 3 days" in body
    assert "Lead time for tubes?" in body and "Twelve months." in body
    assert "Unanswered one?" not in body  # only answered questions are public
    assert sme_user.email not in body and sme_user.last_name not in body
    assert 'data-deadline="' in body


def test_question_after_deadline_is_refused_with_a_message(client, make_call, sme_user):
    call = make_call("published")
    ProcurementCall.objects.filter(pk=call.pk).update(
        enquiry_period_end=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(sme_user)
    response = client.post(
        reverse("tenders:question_ask", kwargs={"pk": call.pk}), {"question": "Late?"}, follow=True
    )
    assert "clarification deadline" in response.content.decode()
    assert not Clarification.objects.exists()


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(days=3, hours=4, minutes=10), "closes in 3 days 4 hours"),
        (timedelta(days=1), "closes in 1 day"),
        (timedelta(hours=5, minutes=7), "closes in 5 hours 7 minutes"),
        (timedelta(minutes=1), "closes in 1 minute"),
        (timedelta(seconds=-1), "deadline passed"),
    ],
)
def test_countdown_text(delta, text):
    now = timezone.now()
    assert countdown_text(now + delta, now) == text


def test_dashboard_parts(client, officer, sme_user, make_call, company):
    call = make_call("published")
    Clarification.objects.create(call=call, question="?", asked_by=sme_user)
    services.eoi_submit(call=call, organisation=company, user=sme_user)
    services.saved_search_create(
        user=sme_user, name="Cryo alerts", querystring="cpv=42", frequency="weekly"
    )
    client.force_login(officer)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Your calls waiting for action" in body and call.title in body
    assert "1 question waiting" in body
    client.force_login(sme_user)
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Your expressions of interest" in body and call.title in body
    assert "Cryo alerts" in body


def test_adding_a_document_to_a_published_call_is_an_amendment(client, officer, make_call):
    call = make_call("published")
    client.force_login(officer)
    data = _form_data(title=call.title, **{"documents-0-title": "Clarification note 1"})
    data["main_cpv_code"] = call.main_cpv_id
    data["additional_cpv_codes"] = ""
    data["enquiry_period_end"] = ""
    data["lots-TOTAL_FORMS"] = "0"
    data["tender_period_end"] = timezone.localtime(call.tender_period_end).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(reverse("tenders:call_edit", kwargs={"pk": call.pk}), data)
    assert response.status_code == 302
    amendment = Amendment.objects.get(call=call, field="calldocument")
    assert amendment.new_value == "Clarification note 1"
    assert "Clarification note 1" in client.get(call.get_absolute_url()).content.decode()


def test_express_interest_button_disappears_once_sent(client, make_call, sme_user, company):
    call = make_call("published")
    client.force_login(sme_user)
    assert "Express interest" in client.get(call.get_absolute_url()).content.decode()
    services.eoi_submit(call=call, organisation=company, user=sme_user)
    body = client.get(call.get_absolute_url()).content.decode()
    assert ">Express interest<" not in body
    assert "CryoTest ApS: Active" in body and "Withdraw" in body
