"""Every outcomes page and export as anonymous, another organisation, the company, its cluster
manager, another cluster's manager, the buyer's liaison officer and staff (tests/roles.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import AwardLink, FunnelStep
from tests.factories import AwardFactory, EventFactory
from tests.roles import LOGIN, Access, check_access, expect, matrix

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "other_org",
    "company",
    "cluster_manager",
    "other_cluster_manager",
    "officer",
    "staff",
)


def company_sees(**more):
    return expect(
        anonymous=LOGIN,
        other_org=404,
        company=200,
        cluster_manager=200,
        other_cluster_manager=404,
        officer=404,
        staff=200,
        **more,
    )


def only(role_status: dict):
    statuses = dict.fromkeys(ROLES, 404)
    statuses["anonymous"] = LOGIN
    statuses.update(role_status)
    return statuses


def _new_bid(w):
    return {
        "kind": "lost",
        "occurred_on": timezone.localdate().isoformat(),
        "value": "",
        "currency": "EUR",
        "note": "Price too high",
    }


def _unlinked(w):
    if not hasattr(w, "unlinked"):
        w.unlinked = AwardFactory(
            call=w.past, supplier=None, supplier_name="Nord Vac", supplier_country="DK"
        )
    return w.unlinked


CASES = [
    Access(
        "pipeline",
        "get",
        lambda w: reverse("outcomes:company_pipeline", args=[w.company.slug]),
        company_sees(),
    ),
    Access(
        "pipeline of an unknown company",
        "get",
        lambda w: reverse("outcomes:company_pipeline", args=["no-such-company"]),
        only({}),
    ),
    Access(
        "call steps",
        "get",
        lambda w: reverse("outcomes:call_steps", args=[w.company.slug, w.call.pk]),
        company_sees(),
    ),
    Access(
        "record a loss",
        "post",
        lambda w: reverse("outcomes:call_steps", args=[w.company.slug, w.call.pk]),
        only({"company": 302}),
        data=_new_bid,
        effect=lambda w: FunnelStep.objects.filter(company=w.company, kind="lost").exists(),
    ),
    Access(
        "correct a bid",
        "post",
        lambda w: reverse("outcomes:step_edit", args=[w.bid.pk]),
        only({"company": 302}),
        data=lambda w: {
            "occurred_on": w.bid.occurred_at.date().isoformat(),
            "value": "130000",
            "currency": "EUR",
            "note": "corrected",
        },
        effect=lambda w: FunnelStep.objects.get(pk=w.bid.pk).note == "corrected",
    ),
    Access(
        "retract a bid",
        "post",
        lambda w: reverse("outcomes:step_retract", args=[w.bid.pk]),
        only({"company": 302}),
        data=lambda w: {"note": "recorded on the wrong call"},
        effect=lambda w: FunnelStep.objects.get(pk=w.bid.pk).retracted_at is not None,
    ),
    Access(
        "cluster dashboard",
        "get",
        lambda w: reverse("outcomes:cluster_dashboard", args=[w.cluster.slug]),
        only({"cluster_manager": 200, "staff": 200}),
    ),
    Access(
        "cluster CSV",
        "get",
        lambda w: reverse("outcomes:cluster_export", args=[w.cluster.slug, "csv"]),
        only({"cluster_manager": 200, "staff": 200}),
    ),
    Access(
        "cluster Excel",
        "get",
        lambda w: reverse("outcomes:cluster_export", args=[w.cluster.slug, "xlsx"]),
        only({"cluster_manager": 200, "staff": 200}),
    ),
    Access(
        "infrastructure dashboard",
        "get",
        lambda w: reverse("outcomes:infrastructure_dashboard", args=[w.buyer.slug]),
        only({"officer": 200, "staff": 200}),
    ),
    Access(
        "industrial return",
        "get",
        lambda w: reverse("outcomes:industrial_return", args=[w.buyer.slug]),
        only({"officer": 200, "staff": 200}),
    ),
    Access(
        "return CSV",
        "get",
        lambda w: reverse("outcomes:return_export", args=[w.buyer.slug, "csv"]),
        only({"officer": 200, "staff": 200}),
    ),
    Access(
        "return Excel",
        "get",
        lambda w: reverse("outcomes:return_export", args=[w.buyer.slug, "xlsx"]),
        only({"officer": 200, "staff": 200}),
    ),
    Access(
        "event charts",
        "get",
        lambda w: reverse("outcomes:event_outcomes", args=[w.event.slug]),
        only({"cluster_manager": 200, "staff": 200}),
    ),
    Access(
        "portal health", "get", lambda w: reverse("outcomes:portal_health"), only({"staff": 200})
    ),
    Access(
        "awards to link",
        "get",
        lambda w: reverse("outcomes:award_links"),
        only({"staff": 200}),
        setup=_unlinked,
    ),
    Access(
        "link an award",
        "post",
        lambda w: reverse("outcomes:award_link", args=[_unlinked(w).pk]),
        only({"staff": 302}),
        data=lambda w: {"organisation": w.company.pk},
        effect=lambda w: AwardLink.objects.filter(
            award=_unlinked(w), organisation=w.company
        ).exists(),
    ),
    Access(
        "import figures",
        "get",
        lambda w: reverse("outcomes:figures_import"),
        only({"staff": 200}),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
def test_access(client, world, case, role):
    check_access(client, world, case, role)


def test_an_unknown_export_format_is_404(client, world):
    client.force_login(world.users["cluster_manager"])
    assert (
        client.get(reverse("outcomes:cluster_export", args=[world.cluster.slug, "pdf"])).status_code
        == 404
    )


def test_a_bid_value_is_the_companys_unless_shared(client, world):
    url = reverse("outcomes:call_steps", args=[world.company.slug, world.call.pk])
    client.force_login(world.users["company"])
    assert "125,000.00" in client.get(url).content.decode()
    client.force_login(world.users["cluster_manager"])
    page = client.get(url).content.decode()
    assert "125,000.00" not in page and "not shared" in page
    FunnelStep.objects.filter(pk=world.bid.pk).update(value_shared=True)
    assert "125,000.00" in client.get(url).content.decode()


def test_a_cluster_manager_sees_only_members_that_accepted(client, world):
    from organisations.models import ClusterMembership, Decision
    from tests.factories import OrganisationFactory

    pending = OrganisationFactory(name="Pending Member ApS")
    ClusterMembership.objects.create(cluster=world.cluster, member=pending, status=Decision.PENDING)
    client.force_login(world.users["cluster_manager"])
    page = client.get(
        reverse("outcomes:cluster_dashboard", args=[world.cluster.slug])
    ).content.decode()
    assert world.company.name in page
    assert "Pending Member ApS" not in page
    assert client.get(reverse("outcomes:company_pipeline", args=[pending.slug])).status_code == 404


def test_the_cluster_exports_hold_the_members_figures(client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.users["cluster_manager"])
    csv_text = client.get(
        reverse("outcomes:cluster_export", args=[world.cluster.slug, "csv"])
    ).content.decode("utf-8-sig")
    assert "Member,Country,Open recommendations" in csv_text
    assert world.company.name in csv_text
    xlsx = client.get(reverse("outcomes:cluster_export", args=[world.cluster.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Member", "Country"]
    assert sheet.cell(row=2, column=1).value == world.company.name


def test_the_user_area_links_the_outcomes_of_any_event_with_b2b_meetings(client, world):
    """A workshop that switched B2B meetings on has its meeting outcomes like a brokerage."""
    workshop = EventFactory(title="Cryo workshop with B2B", organisers=[world.cluster])
    plain = EventFactory(title="Cryo workshop without B2B", organisers=[world.cluster])
    workshop.b2b_meetings = True
    workshop.save()
    client.force_login(world.users["cluster_manager"])
    page = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("outcomes:event_outcomes", args=[workshop.slug]) in page
    assert reverse("outcomes:event_outcomes", args=[world.event.slug]) in page
    assert reverse("outcomes:event_outcomes", args=[plain.slug]) not in page
