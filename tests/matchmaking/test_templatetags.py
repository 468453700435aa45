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
        ("staff", "Matching runs"),
    ],
)
def test_dashboard_part_per_role(rf, world, role, expected):
    assert expected in _render(rf, "matchmaking/_dashboard.html", world["users"][role])
