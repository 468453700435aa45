"""Pages (``matchmaking.views``): who may see and do what, what each page shows, bounded
queries, feedback, invitations, forwards, alert settings."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bigscience_portal.core.lists import PortalListView
from matchmaking import reasons, services, tokens, views
from matchmaking.models import (
    AlertSubscription,
    Feedback,
    Match,
    MatchForward,
    MatchRun,
    SupplierInvitation,
)
from organisations.models import Decision
from tenders.models import ProcurementCall
from tests.factories import (
    ClusterMembershipFactory,
    MatchFactory,
    MatchRunFactory,
    MembershipFactory,
)
from tests.roles import LOGIN, Access, check_access, expect, matrix, same_for

from .helpers import call, company

pytestmark = pytest.mark.django_db

#: anonymous, other organisations, the right role of each page, staff
ROLES = ("anonymous", "other_sme", "other_officer", "sme", "officer", "cluster_manager", "staff")
OK = 200
DONE = 302  # a write redirects back to its page


def _recommended(w):
    return reverse("matchmaking:recommended") + f"?company={w['gyro'].pk}"


def _suppliers(w):
    return reverse("matchmaking:call_suppliers", args=[w["call"].pk])


def _board(w):
    return reverse("matchmaking:cluster_board", args=[w["cluster"].slug])


def _invite(w):
    return reverse("matchmaking:supplier_invite", args=[w["call"].pk, w["gyro"].pk])


def _forward(w):
    return reverse(
        "matchmaking:match_forward", args=[w["cluster"].slug, w["gyro"].pk, w["call"].pk]
    )


def _unsubscribe(w):
    return reverse(
        "matchmaking:unsubscribe",
        args=[tokens.unsubscribe_token(services.subscription_for(w["users"]["sme"]))],
    )


def _draft_call(w):
    """A draft call of the buyer: it does not exist for anyone but its officers and staff."""
    if "draft" not in w:
        w["draft"] = call(
            buyer=w["infra"], title="Draft magnet", status=ProcurementCall.Status.DRAFT
        )
    return reverse("matchmaking:call_suppliers", args=[w["draft"].pk])


def _draft_company(w):
    """The recommendations of a company whose profile is a draft: only its members see it."""
    if "draft_company" not in w:
        w["draft_company"] = company(name="Hidden Cryo", capabilities="Cryostats.", status="draft")
    return reverse("matchmaking:recommended") + f"?company={w['draft_company'].pk}"


def _sme_subscription(w):
    return AlertSubscription.objects.filter(user=w["users"]["sme"]).first()


CASES = [
    Access(
        "recommended",
        "get",
        _recommended,
        expect(
            anonymous=LOGIN,
            other_sme=403,
            other_officer=403,
            officer=403,
            cluster_manager=403,
            sme=OK,
            staff=OK,
        ),
    ),
    Access(
        "suppliers",
        "get",
        _suppliers,
        expect(
            anonymous=LOGIN,
            other_officer=403,
            other_sme=403,
            sme=403,
            cluster_manager=403,
            officer=OK,
            staff=OK,
        ),
    ),
    Access(
        "suppliers of a draft call (404: it does not exist for them)",
        "get",
        _draft_call,
        expect(
            anonymous=LOGIN,
            other_officer=404,
            other_sme=404,
            sme=404,
            cluster_manager=404,
            officer=OK,
            staff=OK,
        ),
    ),
    Access(
        "recommendations of a draft company (404 for outsiders)",
        "get",
        _draft_company,
        expect(anonymous=LOGIN, other_sme=404, officer=404, cluster_manager=404, staff=OK),
    ),
    Access(
        "board (404 for those outside the cluster: another organisation's list)",
        "get",
        _board,
        expect(
            anonymous=LOGIN,
            other_sme=404,
            sme=404,
            officer=404,
            cluster_manager=OK,
            staff=OK,
        ),
    ),
    Access(
        "runs",
        "get",
        lambda w: reverse("matchmaking:run_list"),
        expect(anonymous=LOGIN, other_sme=403, sme=403, officer=403, cluster_manager=403, staff=OK),
    ),
    Access(
        "alert settings",
        "get",
        lambda w: reverse("matchmaking:alert_settings"),
        expect(anonymous=LOGIN, other_sme=OK, sme=OK, officer=OK, staff=OK),
    ),
    Access(
        "alert settings save",
        "post",
        lambda w: reverse("matchmaking:alert_settings"),
        expect(anonymous=LOGIN, other_sme=DONE, sme=DONE, staff=DONE),
        data=lambda w: {"frequency": "daily", "threshold": "0.25", "deadline_reminders": "on"},
        effect=lambda w: AlertSubscription.objects.filter(frequency="daily").exists(),
    ),
    Access(
        "feedback",
        "post",
        lambda w: reverse("matchmaking:feedback"),
        expect(
            anonymous=LOGIN,
            other_sme=403,
            officer=403,
            cluster_manager=403,
            sme=DONE,
            staff=DONE,
        ),
        data=lambda w: {"company": w["gyro"].pk, "call": w["call2"].pk, "relevant": "1"},
        effect=lambda w: Feedback.objects.filter(company=w["gyro"], call=w["call2"]).exists(),
    ),
    Access(
        "invite",
        "post",
        _invite,
        expect(
            anonymous=LOGIN,
            other_officer=403,
            other_sme=403,
            sme=403,
            officer=DONE,
            staff=DONE,
        ),
        effect=lambda w: SupplierInvitation.objects.filter(company=w["gyro"]).exists(),
    ),
    Access(
        "forward",
        "post",
        _forward,
        expect(
            anonymous=LOGIN,
            other_sme=404,
            sme=404,
            officer=404,
            cluster_manager=DONE,
            staff=DONE,
        ),
        effect=lambda w: MatchForward.objects.filter(company=w["gyro"]).exists(),
    ),
    Access("unsubscribe", "get", _unsubscribe, same_for(ROLES, OK)),
    Access(
        "unsubscribe confirm",
        "post",
        _unsubscribe,
        same_for(("anonymous", "other_sme", "staff"), OK),
        effect=lambda w: _sme_subscription(w).frequency == "off",
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES), ids=str)
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_every_list_page_is_on_the_shared_stack():
    for view in (
        views.RecommendedCallsView,
        views.SuggestedSuppliersView,
        views.ClusterBoardView,
        views.RunListView,
    ):
        assert issubclass(view, PortalListView), view


def test_unsubscribe_works_without_login_after_confirmation(client, world):
    sub = services.subscription_for(world["users"]["sme"])
    url = reverse("matchmaking:unsubscribe", args=[tokens.unsubscribe_token(sub)])
    response = client.get(url)
    assert response.status_code == 200 and b"Unsubscribe" in response.content
    sub.refresh_from_db()
    assert sub.frequency == "weekly"  # a GET changes nothing
    response = client.post(url)
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.frequency == "off"
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_recommended_page_shows_score_reasons_and_deadline(client, world):
    client.force_login(world["users"]["sme"])
    response = client.get(reverse("matchmaking:recommended"))
    html = response.content.decode()
    assert world["call"].title in html
    assert "you hold the required ISO 9001" in html
    assert "your code 31600000" in html and "covers the call&#x27;s main code 31670000" in html
    assert "Deadline" in html
    match = Match.objects.get(company=world["gyro"], call=world["call"])
    assert f"score {match.percent}% · {reasons.fit_words(match.score)}" in html
    assert "Infrastructures that need what you do" in html and "F4E" in html
    # the feedback forms: the reason is a labelled field of its card
    assert f'for="id_feedback_{world["call"].pk}_reason"' in html
    assert "Not relevant because" in html


def test_a_member_of_two_companies_chooses_which_one(client, world):
    sme = world["users"]["sme"]
    MembershipFactory(user=sme, organisation=world["rival"])
    client.force_login(sme)
    html = client.get(reverse("matchmaking:recommended")).content.decode()
    assert '<select name="company"' in html and "Rival" in html
    page = client.get(reverse("matchmaking:recommended"), {"company": world["rival"].pk})
    assert page.context["company"] == world["rival"]


def test_a_user_without_a_company_is_told_why_the_page_is_empty(client, world):
    client.force_login(world["users"]["officer"])
    html = client.get(reverse("matchmaking:recommended")).content.decode()
    assert "Recommendations are made for companies" in html


def test_not_relevant_disappears_and_stays_gone(client, world):
    client.force_login(world["users"]["sme"])
    url = _recommended(world)
    assert Match.objects.filter(company=world["gyro"], call=world["call2"]).exists()
    response = client.post(
        reverse("matchmaking:feedback"),
        {
            "company": world["gyro"].pk,
            "call": world["call2"].pk,
            "relevant": "0",
            "reason": "wrong_domain",
        },
    )
    assert response.status_code == 302
    assert Feedback.objects.get(company=world["gyro"], call=world["call2"]).reason == "wrong_domain"
    first = client.get(url).content.decode()
    assert "will not be recommended to you again" in first
    assert f'data-call="{world["call2"].pk}"' not in first
    services.recompute_all_inline()
    page = client.get(url).content.decode()
    assert f'data-call="{world["call2"].pk}"' not in page
    assert f'data-call="{world["call"].pk}"' in page


def test_not_relevant_needs_a_reason(client, world):
    client.force_login(world["users"]["sme"])
    response = client.post(
        reverse("matchmaking:feedback"),
        {"company": world["gyro"].pk, "call": world["call2"].pk, "relevant": "0"},
        follow=True,
    )
    assert not Feedback.objects.exists()
    assert "Tell us why the call is not relevant." in response.content.decode()


def test_relevant_is_thanked_and_marked(client, world):
    client.force_login(world["users"]["sme"])
    response = client.post(
        reverse("matchmaking:feedback"),
        {"company": world["gyro"].pk, "call": world["call"].pk, "relevant": "1"},
        follow=True,
    )
    html = response.content.decode()
    assert "marked relevant." in html and "Marked relevant</span>" in html


def test_invitation_is_emailed_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["users"]["officer"])
    url = _invite(world)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True).content.decode()
    assert "was invited to express interest" in first
    assert "was already invited to this call" in second
    assert SupplierInvitation.objects.count() == 1
    # one mail per recipient, sent once
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["contact@gyro.example", world["users"]["sme"].email]
    )
    assert all(world["call"].get_absolute_url() in m.body for m in mail.outbox)
    page = client.get(_suppliers(world)).content.decode()
    assert "invited" in page


def test_forward_to_member_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["users"]["cluster_manager"])
    url = _forward(world)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True).content.decode()
    assert "This call was already forwarded to GyroTech." in second
    recipients = {"contact@gyro.example", world["users"]["sme"].email}
    assert MatchForward.objects.count() == 1 and len(mail.outbox) == len(recipients)
    assert {m.to[0] for m in mail.outbox} == recipients
    # a company that is not a member of the cluster cannot be forwarded to
    bad = reverse(
        "matchmaking:match_forward",
        args=[world["cluster"].slug, world["rival"].pk, world["call"].pk],
    )
    assert client.post(bad).status_code == 404


def test_cluster_manager_cannot_forward_a_draft_call(
    client, world, django_capture_on_commit_callbacks
):
    draft = call(buyer=world["infra"], title=SECRET_TITLE, status=ProcurementCall.Status.DRAFT)
    client.force_login(world["users"]["cluster_manager"])
    url = reverse(
        "matchmaking:match_forward", args=[world["cluster"].slug, world["gyro"].pk, draft.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 404
    assert not MatchForward.objects.exists()
    assert not any(SECRET_TITLE in m.subject or SECRET_TITLE in m.body for m in mail.outbox)


SECRET_TITLE = "Secret draft gyrotron tender"


def test_feedback_on_a_draft_call_is_refused_and_does_not_reveal_its_title(client, world):
    draft = call(buyer=world["infra"], title=SECRET_TITLE, status=ProcurementCall.Status.DRAFT)
    client.force_login(world["users"]["sme"])
    response = client.post(
        reverse("matchmaking:feedback"),
        {"company": world["gyro"].pk, "call": draft.pk, "relevant": "1"},
        follow=True,
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()
    assert SECRET_TITLE not in response.content.decode()


def test_alert_settings_ask_for_a_fit_level_in_words(client, world):
    """Issue 18: the minimum score was asked as 0-1 while scores show as %; now it is asked in
    the words shown beside every score, with the percentage each level starts at."""
    client.force_login(world["users"]["sme"])
    html = client.get(reverse("matchmaking:alert_settings")).content.decode()
    for words in (
        "Strong fit only (from 40%)",
        "Good fit or better (from 25%)",
        "Possible fit or better (from 15%)",
    ):
        assert words in html
    assert '<select name="threshold"' in html and "0 to 1" not in html
    response = client.post(
        reverse("matchmaking:alert_settings"),
        {"frequency": "daily", "threshold": "0.25", "deadline_reminders": "on"},
        follow=True,
    )
    assert "Your alert settings were saved." in response.content.decode()
    assert AlertSubscription.objects.get(user=world["users"]["sme"]).fit_level == "good"


def test_alert_settings_refuse_a_threshold_that_is_no_fit_level(client, world):
    client.force_login(world["users"]["sme"])
    for bad in ("1.5", "0.3", "1e308", "<script>"):
        response = client.post(
            reverse("matchmaking:alert_settings"),
            {"frequency": "daily", "threshold": bad, "deadline_reminders": "on"},
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Select a valid choice" in html and 'href="#id_threshold"' in html, html
    assert AlertSubscription.objects.get(user=world["users"]["sme"]).frequency == "weekly"


def test_suppliers_page_shows_the_last_run_and_the_table(client, world):
    services.call_score_enqueue(call_id=world["call"].pk)  # queued, not run
    client.force_login(world["users"]["officer"])
    html = client.get(_suppliers(world)).content.decode()
    assert "Last scoring run: Queued" in html
    assert '<table class="table table-sm align-middle suppliers">' in html
    assert "Invite to express interest" in html and "GyroTech" in html


def test_runs_page_lists_runs_with_their_figures(client, world):
    client.force_login(world["users"]["staff"])
    run = MatchRun.objects.get(kind="nightly")
    html = client.get(reverse("matchmaking:run_list"), {"kind": "nightly"}).content.decode()
    assert "Full recompute" in html and f"{run.chunks_done}/{run.chunk_count}" in html
    assert "Kind: Full recompute" in html  # the active filter, removable


# --------------------------------------------------------------------------- query counts
def _bulk_matches(world, n, *, per="company"):
    for i in range(n):
        if per == "company":
            MatchFactory(
                company=world["gyro"],
                call=call(buyer=world["infra"], title=f"Call {i}"),
                score=0.9 - i / 1000,
                rank_for_company=i + 1,
            )
        else:
            org = company(name=f"Supplier {i}")
            ClusterMembershipFactory(cluster=world["cluster"], member=org, status=Decision.APPROVED)
            MatchFactory(
                company=org, call=world["call"], score=0.9 - i / 1000, rank_for_call=100 + i
            )


PAGES = {
    "recommended": ("sme", "company", lambda w: reverse("matchmaking:recommended")),
    "suppliers": ("officer", "call", _suppliers),
    "board list": ("cluster_manager", "call", lambda w: _board(w) + "?view=list"),
    "runs": ("staff", "runs", lambda w: reverse("matchmaking:run_list")),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_independent_of_page_size(client, world, page):
    role, per, url = PAGES[page]
    client.force_login(world["users"][role])
    client.get(url(world))  # the session's first reads (the profile's language) happen once
    counts = []
    done = 0
    for size in (10, 50, 100):
        if per == "runs":
            MatchRunFactory.create_batch(size - done)
        else:
            _bulk_matches(world, size - done, per=per)
        done = size
        with CaptureQueriesContext(connection) as ctx:
            path = url(world)
            response = client.get(f"{path}{'&' if '?' in path else '?'}per_page={size}")
        assert response.status_code == 200
        assert len(response.context["page_obj"].object_list) >= size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_a_cluster_awaiting_approval_cannot_use_the_board_or_forward(client, world):
    """Issue 14, finding 1: a self-declared cluster acts only once staff approved it."""
    from organisations.models import Approval

    cluster = world["cluster"]
    cluster.approval = Approval.PENDING
    cluster.save()
    client.force_login(world["users"]["cluster_manager"])
    assert client.get(_board(world)).status_code == 403  # its own manager: a refusal, no 404
    assert client.post(_forward(world)).status_code == 403
    assert not MatchForward.objects.exists()


# --------------------------------------------------------------------------- runs (issue 18, 9b)
def test_runs_page_names_and_links_what_each_run_scored(client, world):
    call_run = MatchRunFactory(kind="call", target_id=world["call"].pk, status="succeeded")
    company_run = MatchRunFactory(kind="company", target_id=world["gyro"].pk, status="failed")
    gone = MatchRunFactory(kind="call", target_id=987654, status="failed")
    client.force_login(world["users"]["staff"])
    html = client.get(reverse("matchmaking:run_list")).content.decode()
    assert f'<a href="{world["call"].get_absolute_url()}">{world["call"].title}</a>' in html
    assert f'<a href="{world["gyro"].get_absolute_url()}">GyroTech</a>' in html
    assert "#987654 (no longer exists)" in html
    # a Retry button on the failed runs only
    retry = lambda run: reverse("matchmaking:run_retry", args=[run.pk])  # noqa: E731
    assert f'action="{retry(company_run)}"' in html and f'action="{retry(gone)}"' in html
    assert f'action="{retry(call_run)}"' not in html


def test_runs_page_queries_do_not_grow_with_the_targets(client, world):
    client.force_login(world["users"]["staff"])
    counts = []
    for n in (2, 12):
        for _ in range(n):
            MatchRunFactory(kind="call", target_id=world["call"].pk, status="failed")
            MatchRunFactory(kind="company", target_id=world["gyro"].pk, status="succeeded")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("matchmaking:run_list"), {"per_page": 100}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def _failed_run(w):
    return MatchRunFactory(kind="call", target_id=w["call"].pk, status="failed")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", LOGIN), ("sme", 404), ("officer", 404), ("cluster_manager", 404)],
)
def test_only_staff_may_retry_a_run(client, world, role, status):
    run = _failed_run(world)
    before = MatchRun.objects.count()
    case = Access(
        "retry",
        "post",
        lambda w: reverse("matchmaking:run_retry", args=[run.pk]),
        {role: status},
        effect=lambda w: MatchRun.objects.count() > before,
    )
    check_access(client, world, case, role)


def test_staff_retry_a_failed_run_once_and_are_told(client, world):
    run = _failed_run(world)
    client.force_login(world["users"]["staff"])
    url = reverse("matchmaking:run_retry", args=[run.pk])
    back = reverse("matchmaking:run_list") + "?status=failed"
    response = client.post(url, {"next": back}, follow=True)
    assert response.redirect_chain[-1][0] == back
    queued = MatchRun.objects.filter(kind="call", target_id=world["call"].pk, status="queued")
    assert queued.count() == 1
    assert f"Run #{run.pk} queued again as run #{queued.get().pk}." in response.content.decode()
    again = client.post(url, follow=True).content.decode()
    assert "A run of the same target is already queued" in again
    assert queued.count() == 1
    # an unsafe next goes back to the runs page
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("matchmaking:run_list")


@pytest.mark.parametrize("status", ["queued", "running", "succeeded"])
def test_a_run_that_did_not_fail_cannot_be_retried(client, world, status):
    run = MatchRunFactory(kind="nightly", status=status)
    client.force_login(world["users"]["staff"])
    before = MatchRun.objects.count()
    html = client.post(
        reverse("matchmaking:run_retry", args=[run.pk]), follow=True
    ).content.decode()
    assert "Only a failed run can be retried" in html
    assert MatchRun.objects.count() == before
