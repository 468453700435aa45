"""What a company has done, shown where it acts (issue 18, finding 5): the marks on the
recommended calls (interest expressed, forwarded, marked relevant) read in one query, the list
of the calls it marked not relevant, and "Undo" (from that list or the message right after
dismissing) that brings a call back among the recommendations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking.models import Feedback, Match
from tests.factories import (
    ExpressionOfInterestFactory,
    FeedbackFactory,
    MatchForwardFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

DISMISSED = reverse("matchmaking:dismissed")
UNDO = reverse("matchmaking:feedback_undo")


def _recommended(world):
    return reverse("matchmaking:recommended") + f"?company={world['gyro'].pk}"


def _card(html: str, call) -> str:
    start = html.index(f'data-call="{call.pk}"')
    return html[start : html.index("</article>", start)]


def _dismiss(client, world, call, reason="too_large"):
    return client.post(
        reverse("matchmaking:feedback"),
        {"company": world["gyro"].pk, "call": call.pk, "relevant": "0", "reason": reason},
        follow=True,
    )


# --- marks on the recommended calls ---------------------------------------------------------


def test_recommendations_mark_interest_expressed_and_forwarded_calls(client, world):
    gyro = world["gyro"]
    client.force_login(world["users"]["sme"])
    card = _card(client.get(_recommended(world)).content.decode(), world["call"])
    assert "Interest expressed" not in card and "Forwarded to you" not in card
    ExpressionOfInterestFactory(call=world["call"], organisation=gyro)
    MatchForwardFactory(cluster=world["cluster"], company=gyro, call=world["call"])
    card = _card(client.get(_recommended(world)).content.decode(), world["call"])
    assert "Interest expressed</span>" in card and "Forwarded to you</span>" in card


def test_another_companys_interest_is_no_mark(client, world):
    ExpressionOfInterestFactory(call=world["call"], organisation=world["rival"])
    client.force_login(world["users"]["sme"])
    html = client.get(_recommended(world)).content.decode()
    assert "Interest expressed" not in _card(html, world["call"])


def test_a_withdrawn_interest_is_no_mark(client, world):
    ExpressionOfInterestFactory(call=world["call"], organisation=world["gyro"], status="withdrawn")
    client.force_login(world["users"]["sme"])
    html = client.get(_recommended(world)).content.decode()
    assert "Interest expressed" not in _card(html, world["call"])


def test_the_marks_of_the_page_are_one_query(client, world):
    gyro = world["gyro"]
    ExpressionOfInterestFactory(call=world["call"], organisation=gyro)
    MatchForwardFactory(cluster=world["cluster"], company=gyro, call=world["call"])
    client.force_login(world["users"]["sme"])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(_recommended(world)).content.decode()
    assert "Interest expressed" in html and "Forwarded to you" in html
    touching = [
        q["sql"]
        for q in ctx.captured_queries
        if "tenders_expressionofinterest" in q["sql"] or "matchmaking_matchforward" in q["sql"]
    ]
    assert len(touching) == 1 and "UNION" in touching[0], touching


# --- the dismissed list and undo ------------------------------------------------------------


def test_the_recommendations_link_to_the_dismissed_list(client, world):
    client.force_login(world["users"]["sme"])
    html = client.get(_recommended(world)).content.decode()
    assert f'href="{DISMISSED}?company={world["gyro"].pk}">Calls you marked not relevant' in html


def test_dismissing_says_so_with_an_undo_button_that_brings_the_call_back(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["users"]["sme"])
    with django_capture_on_commit_callbacks(execute=True):
        html = _dismiss(client, world, world["call"]).content.decode()
    assert "“Gyrotron supply” will not be recommended to you again." in html
    assert f'action="{UNDO}"' in html and ">Undo</button>" in html
    assert f'data-call="{world["call"].pk}"' not in html
    with django_capture_on_commit_callbacks(execute=True):  # the company is re-scored
        response = client.post(UNDO, {"company": world["gyro"].pk, "call": world["call"].pk})
    assert response["Location"] == _recommended(world)
    html = client.get(response["Location"]).content.decode()
    assert "is no longer marked not relevant" in html
    assert f'data-call="{world["call"].pk}"' in html
    assert not Feedback.objects.filter(company=world["gyro"], relevant=False).exists()


def test_undo_shows_a_kept_match_at_once(client, world):
    """Without a re-score: a stored match that a dismissal only hid comes back at once."""
    FeedbackFactory(company=world["gyro"], call=world["call"], reason="too_large")
    assert Match.objects.filter(company=world["gyro"], call=world["call"]).exists()
    client.force_login(world["users"]["sme"])
    assert f'data-call="{world["call"].pk}"' not in client.get(_recommended(world)).content.decode()
    client.post(UNDO, {"company": world["gyro"].pk, "call": world["call"].pk})
    assert f'data-call="{world["call"].pk}"' in client.get(_recommended(world)).content.decode()


def test_the_dismissed_list_shows_each_call_once_with_its_reason_and_undo(client, world):
    gyro = world["gyro"]
    FeedbackFactory(company=gyro, call=world["call2"], reason="wrong_domain")
    FeedbackFactory(company=gyro, call=world["call2"], reason="too_large")  # the latest
    FeedbackFactory(company=gyro, call=world["call"], relevant=True, reason="")  # not dismissed
    FeedbackFactory(company=world["rival"], call=world["call"])  # another company's
    client.force_login(world["users"]["sme"])
    response = client.get(DISMISSED, {"company": gyro.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert [c.pk for c in response.context["calls"]] == [world["call2"].pk]
    assert html.count("Vacuum vessel</a>") == 1 and "Too large for us" in html
    assert world["call"].title + "</a>" not in html
    assert f'action="{UNDO}"' in html and "Undo" in html


def test_an_empty_dismissed_list_says_so(client, world):
    client.force_login(world["users"]["sme"])
    html = client.get(DISMISSED).content.decode()
    assert "You have not marked any call not relevant." in html


def test_the_dismissed_list_is_the_company_members_own(client, world):
    url = DISMISSED + f"?company={world['gyro'].pk}"
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(world["users"]["other_sme"])
    assert client.get(url).status_code == 403  # as the recommendations of another company
    client.force_login(world["users"]["staff"])
    assert client.get(url).status_code == 200


def test_undo_is_the_company_members_own(client, world):
    FeedbackFactory(company=world["gyro"], call=world["call2"])
    data = {"company": world["gyro"].pk, "call": world["call2"].pk}
    response = client.post(UNDO, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for role in ("other_sme", "officer", "cluster_manager"):
        client.force_login(world["users"][role])
        assert client.post(UNDO, data).status_code == 404, role
    assert Feedback.objects.filter(company=world["gyro"], relevant=False).exists()
    client.force_login(world["users"]["sme"])
    assert client.get(UNDO).status_code == 405  # a change: POST only
    assert client.post(UNDO, {"company": "x", "call": "1"}).status_code == 404
    assert client.post(UNDO, data).status_code == 302
    assert not Feedback.objects.filter(company=world["gyro"], relevant=False).exists()


def test_undo_of_a_call_not_dismissed_is_refused_with_a_message(client, world):
    client.force_login(world["users"]["sme"])
    response = client.post(
        UNDO, {"company": world["gyro"].pk, "call": world["call"].pk}, follow=True
    )
    assert "was not marked not relevant" in response.content.decode()


def test_a_member_of_two_companies_sees_the_dismissals_of_the_one_chosen(client, world):
    sme = world["users"]["sme"]
    MembershipFactory(user=sme, organisation=world["rival"])
    FeedbackFactory(company=world["rival"], call=world["call"])
    client.force_login(sme)
    response = client.get(DISMISSED, {"company": world["rival"].pk})
    assert [c.pk for c in response.context["calls"]] == [world["call"].pk]
    assert '<select name="company"' in response.content.decode()
