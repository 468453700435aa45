"""The matchmaking parts of other pages (``matchmaking.templatetags.matchmaking_tags``): the
call page's suggested suppliers, the organisation page's recommendations, the user's area."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def _render(rf, template, user, **context):
    request = rf.get("/")
    request.user = user
    return render_to_string(template, context, request=request)


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("anonymous", False),
        ("other_officer", False),
        ("sme", False),
        ("officer", True),
        ("staff", True),
    ],
)
def test_call_panel_only_for_buyer_officers_and_staff(rf, world, role, visible):
    from django.contrib.auth.models import AnonymousUser

    user = world["users"][role] or AnonymousUser()
    html = _render(rf, "matchmaking/_call_detail_panel.html", user, call=world["call"])
    assert ("Suggested suppliers" in html) is visible, role
    if visible:
        assert "GyroTech" in html


@pytest.mark.parametrize(
    ("role", "visible"),
    [("other_sme", False), ("officer", False), ("sme", True), ("staff", True)],
)
def test_organisation_panel_only_for_the_company_and_staff(rf, world, role, visible):
    html = _render(
        rf, "matchmaking/_organisation_panel.html", world["users"][role], organisation=world["gyro"]
    )
    assert ("Recommended calls" in html) is visible, role
    if visible:
        assert world["call"].title in html


def test_dashboard_part_lists_recommendations(rf, world):
    html = _render(rf, "matchmaking/_dashboard.html", world["users"]["sme"])
    assert world["call"].title in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", "Suggested suppliers for your open calls"),
        ("cluster_manager", "members and open calls"),
        ("staff", "Matching:"),
    ],
)
def test_dashboard_part_per_role(rf, world, role, expected):
    assert expected in _render(rf, "matchmaking/_dashboard.html", world["users"][role])


def test_staff_read_the_runs_as_a_summary(rf, world):
    """Issue 18, finding 9c: a sentence, not the kinds of the last three runs."""
    from datetime import timedelta

    from django.utils import timezone

    from matchmaking.models import MatchRun

    MatchRun.objects.update(created_at=timezone.now() - timedelta(days=3))
    last = MatchRun.objects.create(kind="call", status="succeeded")
    MatchRun.objects.filter(pk=last.pk).update(finished_at=timezone.now() - timedelta(minutes=5))
    html = _render(rf, "matchmaking/_dashboard.html", world["users"]["staff"])
    assert (
        "Matching: The last run, 5\xa0minutes ago, succeeded; no failed run in the last day."
        in html
    )
    assert "One call against all companies" not in html
    MatchRun.objects.create(kind="company", status="failed")
    html = _render(rf, "matchmaking/_dashboard.html", world["users"]["staff"])
    assert "The last run, 0\xa0minutes ago, failed; 1 failed run in the last day." in html
    assert "?status=failed" in html and "the failed ones" in html
