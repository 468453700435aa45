"""Every call page and action x (anonymous, another organisation's officer, an SME member, the
buyer's liaison officer, staff), checked with the role-matrix helper: who gets the page, who is
refused, and that a refused action changes nothing while an allowed one happens.

The right role is the buyer's officer for the buyer's pages, the company's member for interest.
"""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations import permissions as org_perms
from tenders import services
from tenders.models import Clarification, ExpressionOfInterest, ProcurementCall
from tests.factories import (
    CallDocumentFactory,
    ClarificationFactory,
    MembershipFactory,
    OrganisationFactory,
    ProcurementCallFactory,
    SavedSearchFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix, same_for

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "other_org", "sme", "officer", "staff")
PDF = b"%PDF-1.4\n% technical specification\n"


@pytest.fixture
def world(other_officer, sme_user, officer, staff, buyer, company, settings, tmp_path):
    """A published call with a question, an EoI and an uploaded document; a draft and a closed
    call with documents of their own; a saved search of the SME member."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call = ProcurementCallFactory(buyer=buyer)
    draft = ProcurementCallFactory(buyer=buyer, status="draft", title="Draft call")
    closed = ProcurementCallFactory(buyer=buyer, status="closed", title="Closed call")

    def upload(of):
        return CallDocumentFactory(
            call=of, url="", file=SimpleUploadedFile("Technical specification.pdf", PDF)
        )

    return SimpleNamespace(
        users={
            "anonymous": None,
            "other_org": other_officer,
            "sme": sme_user,
            "officer": officer,
            "staff": staff,
        },
        call=call,
        draft=draft,
        closed=closed,
        question=ClarificationFactory(call=call, question="Magnet?", asked_by=sme_user),
        eoi=services.eoi_submit(call=call, organisation=company, user=sme_user, message="Yes"),
        document=upload(call),
        draft_document=upload(draft),
        search=SavedSearchFactory(user=sme_user),
    )


def url(name, which="call", **kwargs):
    def build(w):
        return reverse(f"tenders:{name}", kwargs={"pk": getattr(w, which).pk, **kwargs})

    return build


def action(name, which="call"):
    return lambda w: reverse(
        "tenders:call_action", kwargs={"pk": getattr(w, which).pk, "action": name}
    )


def status_is(which, status):
    def effect(w):
        call = getattr(w, which)
        call.refresh_from_db()
        return call.status == status

    return effect


def edit_data(w):
    call = w.call
    return {
        "title": "Edited title",
        "stage": call.stage,
        "procurement_method": call.procurement_method,
        "main_procurement_category": call.main_procurement_category,
        "main_cpv_code": call.main_cpv_id,
        "value_currency": "EUR",
        "tender_period_end": call.tender_period_end.strftime("%Y-%m-%dT%H:%M"),
        "language": "en",
        "lots-TOTAL_FORMS": "0",
        "lots-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }


AWARD = {
    "awards-TOTAL_FORMS": "1",
    "awards-INITIAL_FORMS": "0",
    "awards-0-supplier_name": "Winner GmbH",
    "awards-0-value_currency": "EUR",
    "note": "",
}

EVERYONE = same_for(ROLES, 200)
MANAGE = expect(anonymous=LOGIN, other_org=403, sme=403, officer=200, staff=200)
MANAGE_POST = expect(anonymous=LOGIN, other_org=403, sme=403, officer=302, staff=302)
DRAFT_VIEW = expect(anonymous=404, other_org=404, sme=404, officer=200, staff=200)
DRAFT_MANAGE = expect(anonymous=LOGIN, other_org=404, sme=404, officer=200, staff=200)
DRAFT_POST = expect(anonymous=LOGIN, other_org=404, sme=404, officer=302, staff=302)
SME_ONLY = expect(anonymous=LOGIN, other_org=403, sme=200, officer=403, staff=403)
SIGNED_IN_POST = expect(anonymous=LOGIN, other_org=302, sme=302, officer=302, staff=302)
OFFICERS_AND_STAFF = expect(anonymous=LOGIN, other_org=200, sme=403, officer=200, staff=200)
STAFF_ONLY = expect(anonymous=LOGIN, other_org=403, sme=403, officer=403, staff=200)
SIGNED_IN = expect(anonymous=LOGIN, other_org=200, sme=200, officer=200, staff=200)

CASES = [
    # everyone sees a published call, its calendar, its document; drafts only their buyers
    Access("call_detail", "get", url("call_detail"), EVERYONE),
    Access("call_ics", "get", url("call_ics"), EVERYONE),
    Access("call_document", "get", lambda w: _document_url(w.document), EVERYONE),
    Access("call_detail draft", "get", url("call_detail", "draft"), DRAFT_VIEW),
    Access("call_ics draft", "get", url("call_ics", "draft"), DRAFT_VIEW),
    Access("call_document draft", "get", lambda w: _document_url(w.draft_document), DRAFT_VIEW),
    Access("call_ocds draft", "get", url("call_ocds", "draft"), same_for(ROLES, 404)),
    Access("call_ocds", "get", url("call_ocds"), EVERYONE),
    # the buyer's officers manage the call
    Access("call_edit", "get", url("call_edit"), MANAGE),
    Access("publish", "get", action("publish"), MANAGE),
    Access("close", "get", action("close"), MANAGE),
    Access("cancel", "get", action("cancel"), MANAGE),
    Access(
        "close post",
        "post",
        action("close"),
        MANAGE_POST,
        data=lambda w: {"note": ""},
        effect=status_is("call", "closed"),
    ),
    Access(
        "cancel post",
        "post",
        action("cancel"),
        MANAGE_POST,
        data=lambda w: {"note": ""},
        effect=status_is("call", "cancelled"),
    ),
    Access("call_award", "get", url("call_award"), MANAGE),
    Access("call_questions", "get", url("call_questions"), MANAGE),
    Access(
        "question_answer",
        "get",
        lambda w: reverse(
            "tenders:question_answer", kwargs={"pk": w.call.pk, "question_pk": w.question.pk}
        ),
        MANAGE,
    ),
    Access(
        "question_answer post",
        "post",
        lambda w: reverse(
            "tenders:question_answer", kwargs={"pk": w.call.pk, "question_pk": w.question.pk}
        ),
        MANAGE_POST,
        data=lambda w: {"answer": "Included."},
        effect=lambda w: Clarification.objects.filter(answered_at__isnull=False).count() == 1,
    ),
    Access("eoi_list", "get", url("eoi_list"), MANAGE),
    Access("eoi_export", "get", url("eoi_export"), MANAGE),
    Access(
        "call_edit post",
        "post",
        url("call_edit"),
        MANAGE_POST,
        data=edit_data,
        effect=lambda w: ProcurementCall.objects.get(pk=w.call.pk).title == "Edited title",
    ),
    Access(
        "call_award post",
        "post",
        url("call_award", "closed"),
        MANAGE_POST,
        data=lambda w: AWARD,
        effect=lambda w: status_is("closed", "awarded")(w) and w.closed.awards.exists(),
    ),
    Access("call_edit draft", "get", url("call_edit", "draft"), DRAFT_MANAGE),
    Access("publish draft", "get", action("publish", "draft"), DRAFT_MANAGE),
    Access(
        "publish draft post",
        "post",
        action("publish", "draft"),
        DRAFT_POST,
        data=lambda w: {"note": ""},
        effect=status_is("draft", "published"),
    ),
    Access("eoi_list draft", "get", url("eoi_list", "draft"), DRAFT_MANAGE),
    Access("call_create", "get", lambda w: reverse("tenders:call_create"), OFFICERS_AND_STAFF),
    Access("my_calls", "get", lambda w: reverse("tenders:my_calls"), OFFICERS_AND_STAFF),
    # members ask, express interest, save searches
    Access(
        "question_ask post",
        "post",
        url("question_ask"),
        SIGNED_IN_POST,
        data=lambda w: {"question": "Lead time?"},
        effect=lambda w: Clarification.objects.count() == 2,
    ),
    Access("eoi_create", "get", url("eoi_create"), SME_ONLY),
    Access(
        "eoi_withdraw",
        "get",
        lambda w: reverse("tenders:eoi_withdraw", kwargs={"pk": w.call.pk, "eoi_pk": w.eoi.pk}),
        SME_ONLY,
    ),
    Access(
        "eoi_withdraw post",
        "post",
        lambda w: reverse("tenders:eoi_withdraw", kwargs={"pk": w.call.pk, "eoi_pk": w.eoi.pk}),
        {**SME_ONLY, "sme": 302},
        effect=lambda w: ExpressionOfInterest.objects.get(pk=w.eoi.pk).status == "withdrawn",
    ),
    Access("saved_search_list", "get", lambda w: reverse("tenders:saved_search_list"), SIGNED_IN),
    Access(
        "saved_search_delete post",
        "post",
        lambda w: reverse("tenders:saved_search_delete", kwargs={"search_pk": w.search.pk}),
        expect(anonymous=LOGIN, other_org=404, sme=302, officer=404, staff=404),
        effect=lambda w: not type(w.search).objects.filter(pk=w.search.pk).exists(),
    ),
    # staff import notices
    Access("ted_upload", "get", lambda w: reverse("tenders:ted_upload"), STAFF_ONLY),
    Access(
        "ted_upload post",
        "post",
        lambda w: reverse("tenders:ted_upload"),
        {**STAFF_ONLY, "staff": 200},
        data=lambda w: {},
    ),
]


def _document_url(document):
    return reverse("tenders:call_document", kwargs={"pk": document.call_id, "doc_pk": document.pk})


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES), ids=str)
def test_access(client, world, case, role):
    response = check_access(client, world, case, role)
    if case.name.startswith("call_document") and response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
    elif case.name.startswith("call_document"):
        assert PDF not in response.content


def test_my_calls_lists_the_officers_calls_only(client, world, officer, other_officer):
    client.force_login(officer)
    body = client.get(reverse("tenders:my_calls")).content.decode()
    assert world.call.title in body and "Draft call" in body
    eois = reverse("tenders:eoi_list", kwargs={"pk": world.call.pk})
    questions = reverse("tenders:call_questions", kwargs={"pk": world.call.pk})
    assert f'<a href="{eois}">1</a>' in body  # one expression of interest
    assert f'href="{questions}">1</a>' in body  # one question waiting
    client.force_login(other_officer)
    assert world.call.title not in client.get(reverse("tenders:my_calls")).content.decode()


def test_draft_never_listed_for_the_public(client, buyer, other_officer):
    ProcurementCallFactory(buyer=buyer, status="draft", title="Secret draft gyrotron")
    ProcurementCallFactory(buyer=buyer, title="Public gyrotron")
    for user in (None, other_officer):
        if user:
            client.force_login(user)
        for url in (
            reverse("tenders:call_list") + "?include_closed=on",
            reverse("tenders:call_feed_rss") + "?include_closed=on",
            reverse("tenders:calls_ocds") + "?include_closed=on",
        ):
            body = client.get(url).content.decode()
            assert "Public gyrotron" in body
            assert "Secret draft gyrotron" not in body


def test_officer_cannot_post_a_call_for_another_infrastructure(client, officer, other_officer):
    foreign = org_perms.liaison_infrastructures(other_officer).get()
    client.force_login(officer)
    response = client.post(
        reverse("tenders:call_create"),
        {"buyer": foreign.pk, "title": "Hijack", "main_cpv_code": "31711420"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ProcurementCall.objects.filter(title="Hijack").exists()


def test_interest_only_for_own_company(client, world):
    """Another company's member cannot withdraw this company's interest."""
    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(stranger)
    url = reverse("tenders:eoi_withdraw", kwargs={"pk": world.call.pk, "eoi_pk": world.eoi.pk})
    assert client.post(url).status_code == 403
    world.eoi.refresh_from_db()
    assert world.eoi.status == ExpressionOfInterest.Status.ACTIVE
