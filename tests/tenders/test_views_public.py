"""What everyone sees (``tenders.views.public``): the calls list page (rows, pagination, counts,
query count), a call's page, and its documents."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import CPVCode
from tenders import services
from tenders.views.public import CallListView
from tests.factories import CallDocumentFactory, ClarificationFactory, ProcurementCallFactory

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")
PDF = b"%PDF-1.4\n% technical specification\n"


def get(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response, response.content.decode()


# --- the calls list -------------------------------------------------------------------------


def test_pagination_keeps_filters_and_caps_page_size(client, buyer):
    for i in range(12):
        ProcurementCallFactory(buyer=buyer, title=f"Call {i:02d}", deadline_days=10 + i)
    response = client.get(URL + "?cpv=31&per_page=5")
    assert len(response.context["calls"]) == 5
    body = response.content.decode()
    assert "?cpv=31&amp;per_page=5&amp;page=2" in body
    assert client.get(URL + "?per_page=1000").context["per_page"] == 100


def test_invalid_filter_shows_a_message_not_an_error(client, buyer):
    ProcurementCallFactory(buyer=buyer)
    response = client.get(URL + "?stage=nonsense")
    assert response.status_code == 200
    assert "Some filters are not valid" in response.content.decode()


def test_query_count_is_constant_whatever_the_page_size(client, buyer, sme_user):
    for i in range(105):
        ProcurementCallFactory(
            buyer=buyer,
            title=f"Call {i}",
            deadline_days=10 + i % 30,
            additional_cpv=["31711424", "31630000"],
        )
    client.force_login(sme_user)
    # warm the per-process memo of the buyer filter's choices (read once per list version)
    client.get(URL + "?per_page=10&cpv=31&q=gyrotron&mine=on")
    counts = []
    for size in (10, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL + f"?per_page={size}&cpv=31&q=gyrotron&mine=on")
        assert len(response.context["calls"]) == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_a_row_shows_its_fields_and_escapes_script(client, buyer):
    buyer.acronym = "<i>F4E</i>"
    buyer.save()
    ProcurementCallFactory(
        buyer=buyer,
        title='<script>alert("x")</script> & gyrotrons',
        reference="OMF-<b>1</b>",
        main_cpv_id="31711420",
        additional_cpv=["31711424"],
        value_band="B",
        sme_friendly=True,
    )
    body = client.get(URL).content.decode()
    row = body[body.index('<li class="card mb-2 call-row">') :]
    row = row[: row.index("</div></li>")]  # the row, its code chips included
    assert "<script>" not in body and "<b>1</b>" not in row and "<i>F4E</i>" not in row
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; gyrotrons" in row
    assert "&lt;i&gt;F4E&lt;/i&gt; · OMF-&lt;b&gt;1&lt;/b&gt; · Invitation to tender" in row
    assert "band B" in row and "SME-friendly" in row and "Published" in row
    # each code with its own label (issue 18, finding 4)
    assert '<span class="code-item-code">31711420</span> <span class="code-item-label">· ' in row
    assert '<span class="code-item-code">31711424</span> <span class="code-item-label">· ' in row
    assert "Deadline: <time datetime=" in row and "(closes in 19 days" in row


def test_the_count_query_runs_only_when_needed(client, buyer):
    for i in range(3):
        ProcurementCallFactory(buyer=buyer, title=f"Cryostat {i}", deadline_days=10 + i)

    def page(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL + query)
        counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
        return response.content.decode(), [c.title for c in response.context["calls"]], counts

    body, rows, counts = page("?per_page=2")  # full: counted
    assert rows == ["Cryostat 0", "Cryostat 1"] and "3 calls" in body and "Page 1 of 2" in body
    assert len(counts) == 1
    body, rows, counts = page("?per_page=2&page=2")  # the last page: known without counting
    assert rows == ["Cryostat 2"] and "3 calls" in body and "Page 2 of 2" in body
    assert counts == []
    body, rows, counts = page("?per_page=2&page=9")  # past the end: the last page
    assert rows == ["Cryostat 2"] and "Page 2 of 2" in body
    body, rows, counts = page("?q=nothing-like-this")
    assert rows == [] and "0 calls" in body and counts == []
    # a search sorted by relevance: the rows carry the total (COUNT(*) OVER ()), one query
    body, rows, counts = page("?q=cryostat&per_page=2")
    assert len(rows) == 2 and "3 calls" in body and "Page 1 of 2" in body and counts == []
    body, rows, counts = page("?q=cryostat&per_page=2&sort=deadline")  # the index stops early
    assert rows == ["Cryostat 0", "Cryostat 1"] and "3 calls" in body and len(counts) == 1


def test_the_filter_form_renders_each_field_with_its_label_help_and_value(client, buyer):
    ProcurementCallFactory(buyer=buyer)
    _, body = get(client)
    assert '<label class="form-label" for="id_cpv">CPV code</label>' in body
    assert 'aria-describedby="id_cpv_helptext"' in body and 'id="id_cpv_helptext"' in body
    assert '<option value="market_survey">Market survey</option>' in body
    # the fields are memoised per list version and value: a chosen value shows, and is gone
    # again on a page without it
    _, body = get(client, "?stage=market_survey&cpv=4212")
    assert '<option value="market_survey" selected>Market survey</option>' in body
    assert 'value="4212"' in body and "Filtered by:" in body
    _, body = get(client, "?stage=price_enquiry")
    assert '<option value="market_survey">Market survey</option>' in body
    assert 'value="4212"' not in body


def test_a_filter_with_an_error_shows_it_next_to_the_field(client, buyer):
    _, body = get(client, "?deadline_after=not-a-date")
    assert 'aria-invalid="true"' in body and 'id="id_deadline_after_error"' in body


def test_ted_import_link_is_in_the_staff_area_not_on_the_calls_list(
    client, staff, officer, sme_user
):
    """Issue 18, finding 9a: the public calls list shows no staff tool, not even to staff; the
    staff's area (``/me/``) links the import."""
    ted = reverse("tenders:ted_upload")
    for user in (None, sme_user, officer, staff):
        if user:
            client.force_login(user)
        assert f'href="{ted}"' not in get(client)[1]
        client.logout()
    for user in (sme_user, officer):
        client.force_login(user)
        assert f'href="{ted}"' not in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(staff)
    area = client.get(reverse("core:dashboard")).content.decode()
    assert "Staff tools" in area and f'href="{ted}"' in area
    assert f'href="{reverse("tenders:harvest_list")}"' in area
    assert client.get(ted).status_code == 200


def test_count_is_capped_and_deep_pages_count_exactly(client, buyer, monkeypatch):
    monkeypatch.setattr(CallListView, "count_cap", 5)
    for i in range(8):
        ProcurementCallFactory(buyer=buyer, title=f"Call {i:02d}", deadline_days=10 + i)
    _, body = get(client, "?per_page=2")
    assert "More than 5 calls" in body
    assert "Page 1<" in body and "Page 1 of" not in body
    # a page at the cap needs the exact count: it shows the real last page and the rows
    response, body = get(client, "?per_page=2&page=3")
    assert "8 calls" in body
    assert "Page 3 of 4" in body
    assert [c.title for c in response.context["calls"]] == ["Call 04", "Call 05"]
    response, body = get(client, "?per_page=2&page=4")
    assert [c.title for c in response.context["calls"]] == ["Call 06", "Call 07"]
    # under the cap the count is exact
    _, body = get(client, "?per_page=2&q=nothing-matches-this")
    assert "0 calls" in body


# --- codes with their labels in the reader's language (issue 18, finding 4) ------------------

CODES = ["31711420", "31711424", "31630000"]


def _chips(body: str) -> dict[str, str]:
    """{code: label} of the chips of a page."""
    import re

    return dict(
        re.findall(
            r'<span class="code-item-code">(\d+)</span> <span class="code-item-label">· ([^<]*)<',
            body,
        )
    )


def _danish() -> dict[str, str]:
    return {c.code: c.labels["da"] for c in CPVCode.objects.filter(code__in=CODES)}


def test_a_row_shows_each_code_with_its_own_label_in_danish(client, buyer):
    ProcurementCallFactory(
        buyer=buyer, title="Gyrotron parts", main_cpv_id=CODES[0], additional_cpv=CODES[1:]
    )
    client.cookies["django_language"] = "da"
    body = get(client)[1]
    danish = _danish()
    assert _chips(body) == danish  # every code its own label, none shared
    assert len(set(danish.values())) == 3
    english = CPVCode.objects.get(pk=CODES[0]).label
    assert english not in body


def test_a_row_in_norwegian_shows_the_english_labels(client, buyer):
    ProcurementCallFactory(buyer=buyer, main_cpv_id=CODES[0], additional_cpv=CODES[1:2])
    client.cookies["django_language"] = "nb"
    english = dict(CPVCode.objects.filter(code__in=CODES[:2]).values_list("code", "label"))
    assert _chips(get(client)[1]) == english


def test_the_list_query_count_does_not_grow_with_the_codes_of_a_call(client, buyer, sme_user):
    calls = [
        ProcurementCallFactory(buyer=buyer, title=f"Call {i}", main_cpv_id=CODES[0])
        for i in range(10)
    ]
    client.force_login(sme_user)  # the list itself, not the visitors' page cache
    client.get(URL)  # warm the per-process memo of the buyer filter's choices

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response, body = get(client, "?per_page=10")
        assert len(response.context["calls"]) == 10
        return len(ctx.captured_queries), body

    one_code, _body = count()
    for call in calls:
        call.additional_cpv.set([*CODES[1:], "42122450", "42123000", "38000000"])
    client.get(URL)
    six_codes, body = count()
    assert len(_chips(body)) == 6  # the distinct codes of the page, each labelled
    assert six_codes == one_code


def test_a_calls_page_shows_each_code_with_its_own_label_in_danish(client, buyer):
    call = ProcurementCallFactory(buyer=buyer, main_cpv_id=CODES[0], additional_cpv=CODES[1:])
    client.cookies["django_language"] = "da"
    body = client.get(call.get_absolute_url()).content.decode()
    assert _chips(body) == _danish()
    # the main code first, then the others in code order
    assert [body.index(f">{code}<") for code in (CODES[0], CODES[2], CODES[1])] == sorted(
        body.index(f">{code}<") for code in CODES
    )


# --- a call's page --------------------------------------------------------------------------


def test_detail_shows_countdown_and_anonymous_answers(client, buyer, sme_user, officer):
    call = ProcurementCallFactory(buyer=buyer, status="published", deadline_days=3)
    q = services.clarification_ask(call=call, user=sme_user, question="Lead time for tubes?")
    services.clarification_answer(clarification=q, user=officer, answer="Twelve months.")
    ClarificationFactory(call=call, question="Unanswered one?", asked_by=sme_user)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "closes in 2 days 23 hours" in body or "closes in 3 days" in body
    assert "Lead time for tubes?" in body and "Twelve months." in body
    assert "Unanswered one?" not in body  # only answered questions are public
    assert sme_user.email not in body and sme_user.last_name not in body
    assert 'data-deadline="' in body


def test_express_interest_button_disappears_once_sent(client, buyer, sme_user, company):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    client.force_login(sme_user)
    assert "Express interest" in client.get(call.get_absolute_url()).content.decode()
    services.eoi_submit(call=call, organisation=company, user=sme_user)
    body = client.get(call.get_absolute_url()).content.decode()
    assert ">Express interest<" not in body
    assert "CryoTest ApS: Active" in body and "Withdraw" in body


# --- documents ------------------------------------------------------------------------------
# Uploaded call documents are served only through /calls/<pk>/documents/<doc_pk>/, as
# attachments, to those who may see the call (who may: ``test_permissions``).


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _attach(call, name="Technical specification.pdf", content=PDF):
    return CallDocumentFactory(call=call, url="", file=SimpleUploadedFile(name, content))


def _url(doc):
    return reverse("tenders:call_document", kwargs={"pk": doc.call_id, "doc_pk": doc.pk})


@pytest.mark.usefixtures("media")
def test_detail_page_links_documents_through_the_view(client, buyer):
    call = ProcurementCallFactory(buyer=buyer)
    doc = _attach(call)
    body = client.get(call.get_absolute_url()).content.decode()
    assert f'href="{_url(doc)}"' in body
    assert doc.file.url not in body  # never the bare media URL


@pytest.mark.usefixtures("media")
def test_a_document_is_served_as_a_private_attachment(client, buyer):
    doc = _attach(ProcurementCallFactory(buyer=buyer))
    response = client.get(_url(doc))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Technical_specification' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]  # drafts' documents stay out of shared caches


@pytest.mark.usefixtures("media")
def test_a_document_of_another_call_or_a_link_is_not_served(client, buyer, staff):
    call = ProcurementCallFactory(buyer=buyer)
    other = ProcurementCallFactory(buyer=buyer, title="Another call")
    doc = _attach(other)
    link = CallDocumentFactory(call=call, title="On the buyer's site", url="https://x.eu/")
    client.force_login(staff)
    wrong_call = reverse("tenders:call_document", kwargs={"pk": call.pk, "doc_pk": doc.pk})
    assert client.get(wrong_call).status_code == 404
    assert client.get(_url(link)).status_code == 404


@pytest.mark.usefixtures("media")
def test_a_missing_file_is_a_404_not_an_error(client, buyer):
    doc = _attach(ProcurementCallFactory(buyer=buyer))
    doc.file.storage.delete(doc.file.name)
    assert client.get(_url(doc)).status_code == 404


@pytest.mark.usefixtures("media")
def test_hostile_file_names_are_made_safe(client, buyer):
    doc = _attach(ProcurementCallFactory(buyer=buyer), name='evil"; filename=x.html\r\n.html')
    response = client.get(_url(doc))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count('filename="') == 1
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.usefixtures("media")
def test_edit_form_links_the_current_file_through_the_view(client, buyer, officer):
    call = ProcurementCallFactory(buyer=buyer, status="draft")
    doc = _attach(call)
    client.force_login(officer)
    body = client.get(reverse("tenders:call_edit", kwargs={"pk": call.pk})).content.decode()
    assert f'href="{_url(doc)}"' in body
    assert doc.file.url not in body


# --- questions as published -----------------------------------------------------------------

ASKED = "Can our NordCryo QX-1 cold box be offered?"
PUBLISHED = "Can a commercial cold box be offered?"


@pytest.fixture
def edited_question(buyer, sme_user, officer):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    q = services.clarification_ask(call=call, user=sme_user, question=ASKED)
    services.clarification_answer(
        clarification=q,
        user=officer,
        answer="Yes, meeting section 3.",
        published_question=PUBLISHED,
    )
    return q


def test_the_public_reads_the_question_as_published_never_as_asked(
    client, edited_question, plain_user, officer
):
    url = edited_question.call.get_absolute_url()
    body = client.get(url).content.decode()  # anonymous: the cached page
    assert PUBLISHED in body and "Yes, meeting section 3." in body
    assert "NordCryo" not in body
    client.force_login(plain_user)
    body = client.get(url).content.decode()
    assert PUBLISHED in body and "NordCryo" not in body and "Your questions" not in body

    # a correction of the published question reaches the visitors' cached page at once
    client.logout()
    services.clarification_answer(
        clarification=edited_question,
        user=officer,
        answer="Yes, meeting section 3.",
        published_question="May a cold box from stock be offered?",
    )
    body = client.get(url).content.decode()
    assert "May a cold box from stock be offered?" in body
    assert PUBLISHED not in body and "NordCryo" not in body


def test_the_asker_sees_their_question_as_asked_and_as_published(client, edited_question, sme_user):
    call = edited_question.call
    ClarificationFactory(call=call, question="Our second NordCryo question?", asked_by=sme_user)
    client.force_login(sme_user)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "Your questions" in body
    assert "You have 1 question waiting for an answer." in body
    mine = body[body.index("Your questions") :]
    assert f"As you asked it:</strong> {ASKED}" in mine
    assert f"As published:</strong> {PUBLISHED}" in mine
    assert "Our second NordCryo question?" in mine and "Waiting for an answer" in mine
    # the public list above still reads the published version only
    public = body[body.index("questions-heading") : body.index("Your questions")]
    assert PUBLISHED in public and "NordCryo" not in public


def test_the_officer_sees_the_waiting_questions_with_a_link_to_answer_each(
    client, buyer, officer, sme_user, plain_user
):
    call = ProcurementCallFactory(buyer=buyer, status="published")
    first = ClarificationFactory(call=call, question="Is NordCryo's cold box fine?")
    second = ClarificationFactory(call=call, question="What is the lead time?")
    ClarificationFactory(call=call, question="Answered already?", answer="Yes.")
    client.force_login(officer)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "2 questions waiting for your answer" in body
    waiting = body[body.index("waiting for your answer") : body.index("call-qa")]
    for q in (first, second):
        assert q.question.replace("'", "&#x27;") in waiting
        link = reverse("tenders:question_answer", kwargs={"pk": call.pk, "question_pk": q.pk})
        assert f'href="{link}" aria-describedby="waiting-question-{q.pk}">Answer</a>' in waiting
    assert "Answered already?" not in waiting
    # nobody else sees the waiting questions
    for user in (sme_user, plain_user):
        client.force_login(user)
        body = client.get(call.get_absolute_url()).content.decode()
        assert "waiting for your answer" not in body and "NordCryo" not in body
