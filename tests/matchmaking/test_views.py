"""Pages: permission matrix for every view, bounded queries, feedback, invitations, forwards."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matchmaking import services
from matchmaking.models import Feedback, Match, MatchForward, MatchRun, SupplierInvitation
from organisations.models import ClusterMembership, Decision, Membership
from tests.factories import ClusterFactory, InfrastructureFactory, StaffFactory

from .helpers import call, company, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    infra = InfrastructureFactory(name="F4E")
    other_infra = InfrastructureFactory(name="ESS")
    gyro = company(
        name="GyroTech",
        capabilities="Gyrotron tubes and high-power RF sources.",
        cpv=("31600000",),
        certs=("ISO 9001",),
        email="contact@gyro.example",
    )
    rival = company(name="Rival", capabilities="Vacuum chambers and welding.", cpv=("42120000",))
    cluster = ClusterFactory(slug="bigsciencedk")
    ClusterMembership.objects.create(cluster=cluster, member=gyro, status=Decision.APPROVED)
    c = call(buyer=infra, certs=("ISO 9001",))
    c2 = call(
        buyer=infra,
        title="Vacuum vessel",
        description="Vacuum chambers, welding of stainless steel.",
        main_cpv="42120000",
    )
    services.recompute_all_inline()
    users = {
        "anonymous": None,
        "sme": member(gyro, role=Membership.Role.ADMIN),
        "other_sme": member(rival),
        "liaison": member(infra),
        "other_liaison": member(other_infra),
        "cluster": member(cluster, role=Membership.Role.ADMIN),
        "staff": StaffFactory(),
    }
    return {
        "infra": infra,
        "gyro": gyro,
        "rival": rival,
        "cluster": cluster,
        "call": c,
        "call2": c2,
        "users": users,
    }


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


VIEWS = {
    "recommended": (
        "get",
        lambda w: reverse("matchmaking:recommended") + f"?company={w['gyro'].pk}",
        {"anonymous": 302, "other_sme": 403, "liaison": 403, "sme": 200, "staff": 200},
    ),
    "suppliers": (
        "get",
        lambda w: reverse("matchmaking:call_suppliers", args=[w["call"].pk]),
        {"anonymous": 302, "other_liaison": 403, "sme": 403, "liaison": 200, "staff": 200},
    ),
    "board": (
        "get",
        lambda w: reverse("matchmaking:cluster_board", args=[w["cluster"].slug]),
        {"anonymous": 302, "sme": 403, "liaison": 403, "cluster": 200, "staff": 200},
    ),
    "runs": (
        "get",
        lambda w: reverse("matchmaking:run_list"),
        {"anonymous": 302, "sme": 403, "liaison": 403, "staff": 200},
    ),
    "alerts": (
        "get",
        lambda w: reverse("matchmaking:alert_settings"),
        {"anonymous": 302, "other_sme": 200, "sme": 200, "staff": 200},
    ),
    "feedback": (
        "post",
        lambda w: reverse("matchmaking:feedback"),
        {"anonymous": 302, "other_sme": 403, "liaison": 403, "sme": 302, "staff": 302},
    ),
    "invite": (
        "post",
        lambda w: reverse("matchmaking:supplier_invite", args=[w["call"].pk, w["gyro"].pk]),
        {"anonymous": 302, "other_liaison": 403, "sme": 403, "liaison": 302, "staff": 302},
    ),
    "forward": (
        "post",
        lambda w: reverse(
            "matchmaking:match_forward", args=[w["cluster"].slug, w["gyro"].pk, w["call"].pk]
        ),
        {"anonymous": 302, "sme": 403, "liaison": 403, "cluster": 302, "staff": 302},
    ),
}
MATRIX = [
    (view, role, code) for view, (_, _, codes) in VIEWS.items() for role, code in codes.items()
]


@pytest.mark.parametrize(("view", "role", "expected"), MATRIX)
def test_permission_matrix(client, world, view, role, expected):
    method, url, _ = VIEWS[view]
    c = _client(client, world["users"][role])
    data = {}
    if view == "feedback":
        data = {"company": world["gyro"].pk, "call": world["call2"].pk, "relevant": "1"}
    response = getattr(c, method)(url(world), data)
    assert response.status_code == expected
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_unsubscribe_works_without_login_after_confirmation(client, world):
    sub = services.subscription_for(world["users"]["sme"])
    url = reverse("matchmaking:unsubscribe", args=[services.unsubscribe_token(sub)])
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
    assert "your ISO 9001 meets the requirement" in html
    assert "matches your code 31600000" in html
    assert "Deadline" in html
    assert "Infrastructures that need what you do" in html and "F4E" in html


def test_not_relevant_disappears_and_stays_gone(client, world):
    client.force_login(world["users"]["sme"])
    url = reverse("matchmaking:recommended") + f"?company={world['gyro'].pk}"
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
    client.post(
        reverse("matchmaking:feedback"),
        {"company": world["gyro"].pk, "call": world["call2"].pk, "relevant": "0"},
    )
    assert not Feedback.objects.exists()


def test_invitation_is_emailed_once(client, world):
    client.force_login(world["users"]["liaison"])
    url = reverse("matchmaking:supplier_invite", args=[world["call"].pk, world["gyro"].pk])
    mail.outbox.clear()
    client.post(url)
    client.post(url)
    assert SupplierInvitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"contact@gyro.example", world["users"]["sme"].email}
    assert world["call"].get_absolute_url() in mail.outbox[0].body
    page = client.get(
        reverse("matchmaking:call_suppliers", args=[world["call"].pk])
    ).content.decode()
    assert "invited" in page


def test_forward_to_member_once(client, world):
    client.force_login(world["users"]["cluster"])
    url = reverse(
        "matchmaking:match_forward",
        args=[world["cluster"].slug, world["gyro"].pk, world["call"].pk],
    )
    mail.outbox.clear()
    client.post(url)
    client.post(url)
    assert MatchForward.objects.count() == 1 and len(mail.outbox) == 1
    # a company that is not a member of the cluster cannot be forwarded to
    bad = reverse(
        "matchmaking:match_forward",
        args=[world["cluster"].slug, world["rival"].pk, world["call"].pk],
    )
    assert client.post(bad).status_code == 404


def test_supplier_filters(client, world):
    client.force_login(world["users"]["liaison"])
    url = reverse("matchmaking:call_suppliers", args=[world["call2"].pk])
    page = client.get(url).content.decode()
    assert "Rival" in page and "GyroTech" in page
    page = client.get(url, {"cluster": world["cluster"].pk}).content.decode()
    assert "GyroTech" in page and "Rival" not in page


def test_call_panel_only_for_buyer_officers_and_staff(rf, world):
    from django.template.loader import render_to_string

    for role, visible in [
        ("liaison", True),
        ("staff", True),
        ("sme", False),
        ("other_liaison", False),
    ]:
        request = rf.get("/")
        request.user = world["users"][role]
        html = render_to_string(
            "matchmaking/_call_detail_panel.html", {"call": world["call"]}, request=request
        )
        assert ("Suggested suppliers" in html) is visible, role


def test_dashboard_part_lists_recommendations(rf, world):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world["users"]["sme"]
    html = render_to_string("matchmaking/_dashboard.html", {}, request=request)
    assert world["call"].title in html


# --------------------------------------------------------------------------- query counts
def _bulk_matches(world, n, *, per="company"):
    now = timezone.now()
    rows = []
    for i in range(n):
        if per == "company":
            c = call(buyer=world["infra"], title=f"Call {i}")
            rows.append(
                Match(
                    company=world["gyro"],
                    call=c,
                    score=0.9 - i / 1000,
                    reasons=["r"],
                    engine_version="t",
                    rank_for_company=i + 1,
                    computed_at=now,
                )
            )
        else:
            org = company(name=f"Supplier {i}")
            ClusterMembership.objects.create(
                cluster=world["cluster"], member=org, status=Decision.APPROVED
            )
            rows.append(
                Match(
                    company=org,
                    call=world["call"],
                    score=0.9 - i / 1000,
                    reasons=["r"],
                    engine_version="t",
                    rank_for_call=100 + i,
                    computed_at=now,
                )
            )
    Match.objects.bulk_create(rows)


PAGES = {
    "recommended": ("sme", "company", lambda w: reverse("matchmaking:recommended")),
    "suppliers": (
        "liaison",
        "call",
        lambda w: reverse("matchmaking:call_suppliers", args=[w["call"].pk]),
    ),
    "board": (
        "cluster",
        "call",
        lambda w: reverse("matchmaking:cluster_board", args=[w["cluster"].slug]),
    ),
    "runs": ("staff", "runs", lambda w: reverse("matchmaking:run_list")),
}


@pytest.mark.parametrize("page", PAGES)
def test_query_count_independent_of_page_size(client, world, page):
    role, per, url = PAGES[page]
    client.force_login(world["users"][role])
    counts = []
    done = 0
    for size in (10, 50, 100):
        if per == "runs":
            MatchRun.objects.bulk_create([MatchRun(kind="call") for _ in range(size - done)])
        else:
            _bulk_matches(world, size - done, per=per)
        done = size
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(world), {"per_page": size})
        assert response.status_code == 200
        assert len(response.context["object_list"]) >= size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("liaison", "Suggested suppliers for your open calls"),
        ("cluster", "members and open calls"),
        ("staff", "Matching runs"),
    ],
)
def test_dashboard_part_per_role(rf, world, role, expected):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = world["users"][role]
    assert expected in render_to_string("matchmaking/_dashboard.html", {}, request=request)


def test_runs_are_in_the_admin_for_staff(client, world):
    client.force_login(world["users"]["staff"])
    response = client.get(reverse("admin:matchmaking_matchrun_changelist"))
    assert response.status_code == 200
    assert "Full recompute" in response.content.decode()
    client.force_login(world["users"]["sme"])
    assert client.get(reverse("admin:matchmaking_matchrun_changelist")).status_code == 302


def test_verified_filter(client, world):
    world["rival"].verified_at = timezone.now()
    world["rival"].save()
    client.force_login(world["users"]["liaison"])
    url = reverse("matchmaking:call_suppliers", args=[world["call2"].pk])
    page = client.get(url, {"verified": "yes"}).content.decode()
    assert "Rival" in page and "GyroTech" not in page
    page = client.get(url, {"verified": "no"}).content.decode()
    assert "GyroTech" in page and "Rival" not in page
