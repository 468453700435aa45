"""Security review: draft calls and unpublished clusters never leak through matchmaking."""

import pytest
from django.core import mail
from django.urls import reverse

from matchmaking.models import Feedback, MatchForward
from organisations.models import ClusterMembership, Decision, Membership, Organisation
from tenders.models import ProcurementCall
from tests.factories import ClusterFactory, InfrastructureFactory

from .helpers import call, company, member

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret draft gyrotron tender"


@pytest.fixture
def draft_world():
    infra = InfrastructureFactory(name="F4E")
    gyro = company(name="GyroTech", email="contact@gyro.example")
    cluster = ClusterFactory(slug="bigsciencedk")
    ClusterMembership.objects.create(cluster=cluster, member=gyro, status=Decision.APPROVED)
    draft = call(buyer=infra, title=SECRET_TITLE, status=ProcurementCall.Status.DRAFT)
    return {
        "gyro": gyro,
        "cluster": cluster,
        "draft": draft,
        "sme": member(gyro, role=Membership.Role.ADMIN),
        "manager": member(cluster, role=Membership.Role.ADMIN),
    }


def test_cluster_manager_cannot_forward_a_draft_call(client, draft_world):
    w = draft_world
    client.force_login(w["manager"])
    mail.outbox.clear()
    url = reverse(
        "matchmaking:match_forward", args=[w["cluster"].slug, w["gyro"].pk, w["draft"].pk]
    )
    response = client.post(url)
    assert response.status_code == 404
    assert not MatchForward.objects.exists()
    assert not any(SECRET_TITLE in m.subject or SECRET_TITLE in m.body for m in mail.outbox)


def test_feedback_on_a_draft_call_is_refused_and_does_not_reveal_its_title(client, draft_world):
    w = draft_world
    client.force_login(w["sme"])
    response = client.post(
        reverse("matchmaking:feedback"),
        {"company": w["gyro"].pk, "call": w["draft"].pk, "relevant": "1"},
        follow=True,
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()
    assert SECRET_TITLE not in response.content.decode()


def test_supplier_cluster_filter_does_not_name_unpublished_clusters(client, draft_world):
    w = draft_world
    published = call(buyer=w["draft"].buyer, title="Published tender")
    ClusterFactory(name="Unpublished Stealth Cluster", status=Organisation.Status.DRAFT)
    officer = member(w["draft"].buyer)
    client.force_login(officer)
    page = client.get(reverse("matchmaking:call_suppliers", args=[published.pk])).content.decode()
    assert w["cluster"].name in page
    assert "Unpublished Stealth Cluster" not in page
