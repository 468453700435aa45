"""Every call view and action x (anonymous, another organisation's user, SME member, the buyer's
liaison officer, staff): who gets the page, who is refused, and that refused actions change nothing.
"""

import pytest
from django.urls import reverse

from tenders import services
from tenders.models import Clarification, ExpressionOfInterest, ProcurementCall

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_org", "sme", "officer", "staff"]
LOGIN = "login"  # expected: redirected to the login page


@pytest.fixture
def users(other_officer, sme_user, officer, staff):
    return {
        "anonymous": None,
        "other_org": other_officer,
        "sme": sme_user,
        "officer": officer,
        "staff": staff,
    }


@pytest.fixture
def setup(make_call, company, sme_user):
    """A published call with a question and an EoI, and a draft call."""
    call = make_call("published")
    question = Clarification.objects.create(call=call, question="Magnet?", asked_by=sme_user)
    eoi = services.eoi_submit(call=call, organisation=company, user=sme_user, message="Yes")
    draft = make_call("draft", title="Draft call")
    closed = make_call("closed", title="Closed call")
    return {"call": call, "draft": draft, "closed": closed, "question": question, "eoi": eoi}


def _url(name, setup, which="call"):
    obj = setup[which]
    args = {
        "question_answer": {"pk": setup["call"].pk, "question_pk": setup["question"].pk},
        "eoi_withdraw": {"pk": setup["call"].pk, "eoi_pk": setup["eoi"].pk},
    }.get(name, {"pk": obj.pk})
    if name.startswith("action:"):
        return reverse("tenders:call_action", kwargs={"pk": obj.pk, "action": name[7:]})
    return reverse(f"tenders:{name}", kwargs=args)


MANAGE = {"anonymous": LOGIN, "other_org": 403, "sme": 403, "officer": 200, "staff": 200}
MANAGE_POST = {"anonymous": LOGIN, "other_org": 403, "sme": 403, "officer": 302, "staff": 302}
EVERYONE = dict.fromkeys(ROLES, 200)
DRAFT_VIEW = {"anonymous": 404, "other_org": 404, "sme": 404, "officer": 200, "staff": 200}
DRAFT_MANAGE = {"anonymous": LOGIN, "other_org": 404, "sme": 404, "officer": 200, "staff": 200}
DRAFT_POST = {"anonymous": LOGIN, "other_org": 404, "sme": 404, "officer": 302, "staff": 302}
SME_ONLY = {"anonymous": LOGIN, "other_org": 403, "sme": 200, "officer": 403, "staff": 403}
LOGGED_IN_POST = {"anonymous": LOGIN, "other_org": 302, "sme": 302, "officer": 302, "staff": 302}

CASES = [
    # (view, which call, method, data, expected)
    ("call_detail", "call", "get", None, EVERYONE),
    ("call_ics", "call", "get", None, EVERYONE),
    ("call_edit", "call", "get", None, MANAGE),
    ("action:publish", "call", "get", None, MANAGE),
    ("action:close", "call", "get", None, MANAGE),
    ("action:cancel", "call", "get", None, MANAGE),
    ("action:close", "call", "post", {"note": ""}, MANAGE_POST),
    ("action:cancel", "call", "post", {"note": ""}, MANAGE_POST),
    ("call_award", "call", "get", None, MANAGE),
    ("call_questions", "call", "get", None, MANAGE),
    ("question_answer", "call", "get", None, MANAGE),
    ("question_answer", "call", "post", {"answer": "Included."}, MANAGE_POST),
    ("eoi_list", "call", "get", None, MANAGE),
    ("eoi_export", "call", "get", None, MANAGE),
    ("question_ask", "call", "post", {"question": "Lead time?"}, LOGGED_IN_POST),
    ("eoi_create", "call", "get", None, SME_ONLY),
    ("eoi_withdraw", "call", "get", None, SME_ONLY),
    ("eoi_withdraw", "call", "post", {}, {**SME_ONLY, "sme": 302}),
    ("call_edit", "call", "post", "EDIT", MANAGE_POST),
    ("call_award", "closed", "post", "AWARD", MANAGE_POST),
    ("call_detail", "draft", "get", None, DRAFT_VIEW),
    ("call_ics", "draft", "get", None, DRAFT_VIEW),
    ("call_edit", "draft", "get", None, DRAFT_MANAGE),
    ("action:publish", "draft", "get", None, DRAFT_MANAGE),
    ("action:publish", "draft", "post", {"note": ""}, DRAFT_POST),
    ("eoi_list", "draft", "get", None, DRAFT_MANAGE),
]


def _edit_data(call):
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


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("view", "which", "method", "data", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES],
)
def test_permission_matrix(client, users, setup, role, view, which, method, data, expected):
    user = users[role]
    if user is not None:
        client.force_login(user)
    target = setup[which]
    before_status = target.status
    before_answered = Clarification.objects.filter(answered_at__isnull=False).count()
    before_questions = Clarification.objects.count()
    before_eoi = setup["eoi"].status

    url = _url(view, setup, which)
    if data == "EDIT":
        data = _edit_data(target)
    elif data == "AWARD":
        data = {
            "awards-TOTAL_FORMS": "1",
            "awards-INITIAL_FORMS": "0",
            "awards-0-supplier_name": "Winner GmbH",
            "awards-0-value_currency": "EUR",
            "note": "",
        }
    response = client.get(url) if method == "get" else client.post(url, data or {})
    _check(response, expected[role])

    target.refresh_from_db()
    setup["eoi"].refresh_from_db()
    allowed = expected[role] in (200, 302)
    if method == "post" and view.startswith("action:"):
        wanted = {"close": "closed", "cancel": "cancelled", "publish": "published"}[view[7:]]
        assert target.status == (wanted if allowed else before_status)
    if view == "question_answer" and method == "post":
        answered = Clarification.objects.filter(answered_at__isnull=False).count()
        assert answered == before_answered + (1 if allowed else 0)
    if view == "question_ask":
        assert Clarification.objects.count() == before_questions + (1 if allowed else 0)
    if view == "call_edit" and method == "post":
        assert (target.title == "Edited title") is allowed
    if view == "call_award" and method == "post":
        assert target.status == ("awarded" if allowed else "closed")
        assert target.awards.exists() is allowed
    if view == "eoi_withdraw" and method == "post":
        assert setup["eoi"].status == ("withdrawn" if allowed else before_eoi)


def test_draft_never_listed_for_the_public(client, make_call, other_officer):
    make_call("draft", title="Secret draft gyrotron")
    make_call("published", title="Public gyrotron")
    for user in (None, other_officer):
        if user:
            client.force_login(user)
        for url in (
            reverse("tenders:call_list") + "?include_closed=on",
            reverse("tenders:call_feed_rss") + "?include_closed=on",
        ):
            body = client.get(url).content.decode()
            assert "Public gyrotron" in body
            assert "Secret draft gyrotron" not in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("other_org", 200), ("sme", 403), ("officer", 200), ("staff", 200)],
)
def test_call_create_page(client, users, role, expected):
    if users[role]:
        client.force_login(users[role])
    _check(client.get(reverse("tenders:call_create")), expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("other_org", 200), ("sme", 403), ("officer", 200), ("staff", 200)],
)
def test_my_calls_page(client, users, setup, role, expected):
    if users[role]:
        client.force_login(users[role])
    response = client.get(reverse("tenders:my_calls"))
    _check(response, expected)
    if role == "officer":
        body = response.content.decode()
        assert setup["call"].title in body and "Draft call" in body
        row = response.context["calls"].get(pk=setup["call"].pk)
        assert (row.eoi_count, row.unanswered_count) == (1, 1)
    if role == "other_org":
        assert setup["call"].title not in response.content.decode()


def test_officer_cannot_post_a_call_for_another_infrastructure(client, officer, other_officer):
    from organisations import permissions as org_perms

    foreign = org_perms.liaison_infrastructures(other_officer).get()
    client.force_login(officer)
    response = client.post(
        reverse("tenders:call_create"),
        {"buyer": foreign.pk, "title": "Hijack", "main_cpv_code": "31711420"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ProcurementCall.objects.filter(title="Hijack").exists()


def test_interest_only_for_own_company(client, setup, company):
    """Another company's member cannot withdraw this company's interest."""
    from tests.factories import MembershipFactory, OrganisationFactory

    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(stranger)
    url = reverse(
        "tenders:eoi_withdraw", kwargs={"pk": setup["call"].pk, "eoi_pk": setup["eoi"].pk}
    )
    assert client.post(url).status_code == 403
    setup["eoi"].refresh_from_db()
    assert setup["eoi"].status == ExpressionOfInterest.Status.ACTIVE
