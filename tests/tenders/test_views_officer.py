"""The buyer's liaison officers' pages (``tenders.views.officer``): posting and editing a call
with its lots and documents, lifecycle confirmations, awards, questions and interest lists."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tenders import services
from tenders.models import Amendment, ProcurementCall
from tests.factories import ClarificationFactory, ProcurementCallFactory

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


def test_editing_a_published_call_lists_amendments_on_its_page(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    client.force_login(officer)
    url = reverse("tenders:call_edit", kwargs={"pk": call.pk})
    data = _form_data(title="Gyrotron RF source (amended)", **{"documents-TOTAL_FORMS": "0"})
    data["lots-TOTAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302
    assert Amendment.objects.filter(call=call, field="title").exists()
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Amendments" in page and "Gyrotron RF source (amended)" in page


def test_adding_a_document_to_a_published_call_is_an_amendment(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer, status="published")
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


def test_cancel_asks_for_confirmation_first(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    client.force_login(officer)
    url = reverse("tenders:call_action", kwargs={"pk": call.pk, "action": "cancel"})
    page = client.get(url).content.decode()
    assert "Cancel this call?" in page and "Yes, cancel the call" in page
    call.refresh_from_db()
    assert call.status == "published"
    client.post(url, {"note": "No budget"})
    call.refresh_from_db()
    assert call.status == "cancelled"


def test_invalid_transition_shows_a_message(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer, status="draft")
    client.force_login(officer)
    url = reverse("tenders:call_action", kwargs={"pk": call.pk, "action": "close"})
    response = client.post(url, {"note": ""}, follow=True)
    assert "A call that is draft cannot be closed." in response.content.decode()


def test_award_page_records_awards(client, officer, buyer, company):
    call = ProcurementCallFactory(buyer=buyer, status="closed")
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


def test_a_refused_edit_shows_the_reason_in_the_form(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer)
    client.force_login(officer)
    data = _form_data(enquiry_period_end="", **{"documents-TOTAL_FORMS": "0"})
    data["lots-TOTAL_FORMS"] = "0"
    data["tender_period_end"] = "2020-01-01T10:00"
    data["reference"] = "x" * 101  # over the field's length: refused by the model's rules
    response = client.post(reverse("tenders:call_edit", kwargs={"pk": call.pk}), data)
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()
    call.refresh_from_db()
    assert call.reference != data["reference"]


def test_the_questions_page_lists_every_question_with_its_answer_link(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer)
    waiting = ClarificationFactory(call=call, question="Cryostat size?")
    ClarificationFactory(call=call, question="Lead time?", answer="Twelve months.")
    client.force_login(officer)
    body = client.get(reverse("tenders:call_questions", kwargs={"pk": call.pk})).content.decode()
    assert "Cryostat size?" in body and "Waiting" in body
    assert "Lead time?" in body and "Twelve months." in body and "Edit question or answer" in body
    answer = reverse("tenders:question_answer", kwargs={"pk": call.pk, "question_pk": waiting.pk})
    assert f'href="{answer}">Answer</a>' in body


def test_the_interest_page_lists_companies_with_who_sent_it(
    client, officer, buyer, company, sme_user
):
    call = ProcurementCallFactory(buyer=buyer)
    services.eoi_submit(
        call=call, organisation=company, user=sme_user, message="We can", partners="P1\nP2"
    )
    client.force_login(officer)
    body = client.get(reverse("tenders:eoi_list", kwargs={"pk": call.pk})).content.decode()
    assert "CryoTest ApS" in body and sme_user.email in body
    assert "We can" in body and "P1<br>P2" in body and "Active" in body
    assert reverse("tenders:eoi_export", kwargs={"pk": call.pk}) in body


# --- the question as published ----------------------------------------------------------------

ASKED = "Can our NordCryo QX-1 cold box be offered?"


def _answer_url(q):
    return reverse("tenders:question_answer", kwargs={"pk": q.call_id, "question_pk": q.pk})


def test_the_answer_page_shows_the_question_as_asked_and_prefills_the_published_one(
    client, officer, buyer
):
    q = ClarificationFactory(call=ProcurementCallFactory(buyer=buyer), question=ASKED)
    client.force_login(officer)
    response = client.get(_answer_url(q))
    body = response.content.decode()
    assert "Question as asked" in body and ASKED in body
    assert response.context["form"]["published_question"].value() == ASKED
    assert "Question as published" in body
    assert "Remove anything that identifies the asker" in body


def test_the_officer_answers_with_an_edited_question_and_corrects_it_later(client, officer, buyer):
    call = ProcurementCallFactory(buyer=buyer)
    q = ClarificationFactory(call=call, question=ASKED)
    client.force_login(officer)
    response = client.post(
        _answer_url(q),
        {"published_question": "Can a commercial cold box be offered?", "answer": "Yes."},
        follow=True,
    )
    assert "Answer published." in response.content.decode()
    q.refresh_from_db()
    assert q.public_question == "Can a commercial cold box be offered?" and q.question == ASKED

    # the already answered question: its published version is prefilled and can be corrected
    body = client.get(_answer_url(q)).content.decode()
    assert "Edit a published question" in body and "last edited by" in body
    response = client.post(
        _answer_url(q),
        {"published_question": "May a cold box from stock be offered?", "answer": "Yes."},
        follow=True,
    )
    assert "Correction published." in response.content.decode()
    q.refresh_from_db()
    assert q.public_question == "May a cold box from stock be offered?"
    questions = client.get(reverse("tenders:call_questions", kwargs={"pk": call.pk}))
    body = questions.content.decode()
    assert "May a cold box from stock be offered?" in body and ASKED in body  # both, for officers


@pytest.mark.parametrize("who", ["anonymous", "other_officer", "asker"])
def test_only_the_buyers_officers_edit_the_published_question(
    client, buyer, other_officer, sme_user, who
):
    q = ClarificationFactory(
        call=ProcurementCallFactory(buyer=buyer), question=ASKED, asked_by=sme_user, answer="Yes."
    )
    user = {"anonymous": None, "other_officer": other_officer, "asker": sme_user}[who]
    if user:
        client.force_login(user)
    get = client.get(_answer_url(q))
    post = client.post(_answer_url(q), {"published_question": "Edited", "answer": "No."})
    if who == "anonymous":
        assert get.status_code == post.status_code == 302
        assert post["Location"].startswith(reverse("account_login"))
    else:
        # the call is public, its management is not (the app's rule for a visible call)
        assert get.status_code == post.status_code == 403
        assert ASKED not in get.content.decode()
    q.refresh_from_db()
    assert q.published_question == "" and q.answer == "Yes."


# --- the preview before publishing ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 404),
        ("other_officer", 404),
        ("sme_user", 404),
        ("officer", 200),
        ("staff", 200),
    ],
)
def test_the_preview_is_for_the_buyers_officers_and_staff(client, request, buyer, role, status):
    call = ProcurementCallFactory(buyer=buyer, status="draft", main_cpv_id=None)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("tenders:call_preview", args=[call.pk]))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Preview before publishing" in text
        assert "The call cannot be published without: main CPV code." in text
        assert reverse("tenders:call_action", args=[call.pk, "publish"]) not in text


def test_a_ready_preview_offers_publish_and_the_call_page_links_to_it(client, officer, buyer):
    from decimal import Decimal

    call = ProcurementCallFactory(
        buyer=buyer,
        status="draft",
        value_amount=Decimal("2000000"),
        value_currency="EUR",
        value_band="B",
    )
    client.force_login(officer)
    page = client.get(call.get_absolute_url()).content.decode()
    assert reverse("tenders:call_preview", args=[call.pk]) in page
    assert "Preview and publish" in page
    preview = client.get(reverse("tenders:call_preview", args=[call.pk])).content.decode()
    assert reverse("tenders:call_action", args=[call.pk, "publish"]) in preview
    assert "EUR 2,000,000 (band B: 0.75 to 5 MCHF)" in preview
    response = client.post(reverse("tenders:call_action", args=[call.pk, "publish"]), {"note": ""})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == "published"


def test_a_contradicting_band_is_shown_next_to_its_field(client, officer, buyer):
    client.force_login(officer)
    response = client.post(
        reverse("tenders:call_create"), _form_data(buyer, value_amount="1000000", value_band="D")
    )
    assert response.status_code == 200
    assert "is in band B, not D" in response.content.decode()
    assert not ProcurementCall.objects.exists()


def test_a_preset_chosen_without_javascript_fills_the_countries(client, officer, buyer):
    client.force_login(officer)
    data = _form_data(buyer, eligible_countries=["US"], eligible_countries_preset="eea")
    client.post(reverse("tenders:call_create"), data)
    call = ProcurementCall.objects.get()
    assert len(call.eligible_countries) == 30
    assert "NO" in [str(c) for c in call.eligible_countries]


def test_the_form_lists_countries_as_checkboxes_with_the_buyers_preset(client, officer, buyer):
    buyer.member_states = ["FR", "ES"]
    buyer.save()
    client.force_login(officer)
    page = client.get(reverse("tenders:call_create")).content.decode()
    assert 'name="eligible_countries" value="FR"' in page
    assert 'name="eligible_countries_preset"' in page
    assert "The buyer&#x27;s member states" in page
