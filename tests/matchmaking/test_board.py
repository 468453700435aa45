"""The cluster board as a working tool (issue 18, finding 6): filters by member, call and
forwarded or not, rows marked "Forwarded", a note to the member with a forward."""

import pytest
from django.core import mail
from django.urls import reverse

from matchmaking.models import MatchForward
from organisations.models import Decision, Membership
from tests.factories import ClusterMembershipFactory

from .helpers import company, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world):
    other = company(name="CryoWeld", capabilities="Gyrotron tubes and RF sources, welding.")
    ClusterMembershipFactory(cluster=world["cluster"], member=other, status=Decision.APPROVED)
    from matchmaking import services

    services.recompute_all_inline()
    world["other_member"] = other
    world["url"] = reverse("matchmaking:cluster_board", args=[world["cluster"].slug])
    return world


def _forward_url(w, company_, call_):
    return reverse("matchmaking:match_forward", args=[w["cluster"].slug, company_.pk, call_.pk])


def test_a_forward_with_a_note_marks_the_row_and_reaches_the_member(
    client, board, django_capture_on_commit_callbacks
):
    manager = board["users"]["cluster_manager"]
    member_user = member(board["gyro"], role=Membership.Role.EDITOR)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _forward_url(board, board["gyro"], board["call"]),
            {"note": "Line 1: talk to Anna.\r\nLine 2: <script>alert(1)</script>"},
            follow=True,
        )
    page = response.content.decode()
    assert f"Forwarded to {board['gyro'].name}." in page
    assert '<span class="badge text-bg-success">Forwarded</span>' in page
    [sent] = [m for m in mail.outbox if member_user.email in m.to]
    assert "Line 1: talk to Anna." in sent.body and "A note from" in sent.body

    client.force_login(member_user)
    call_page = client.get(board["call"].get_absolute_url()).content.decode()
    assert "Line 1: talk to Anna.<br>Line 2: &lt;script&gt;" in call_page
    assert "<script>alert(1)</script>" not in call_page


def test_the_board_filters_by_member_call_and_forwarded(client, board):
    MatchForward.objects.create(
        cluster=board["cluster"], company=board["gyro"], call=board["call"], recipients=[]
    )
    client.force_login(board["users"]["cluster_manager"])

    def rows(**params):
        page = client.get(board["url"], params)
        assert page.status_code == 200
        return {(m.company_id, m.call_id) for m in page.context["matches"]}

    everything = rows()
    assert {c for c, _ in everything} == {board["gyro"].pk, board["other_member"].pk}
    assert {c for c, _ in rows(member=board["other_member"].pk)} == {board["other_member"].pk}
    assert {k for _, k in rows(call="vacuum vessel")} == {board["call2"].pk}
    assert rows(forwarded="yes") == {(board["gyro"].pk, board["call"].pk)}
    assert (board["gyro"].pk, board["call"].pk) not in rows(forwarded="no")
    # a member of another cluster is not a choice: the filter is refused, not a 500
    assert client.get(board["url"], {"member": board["rival"].pk}).status_code == 200


def test_a_note_too_long_or_with_a_null_byte_is_refused_and_nothing_is_sent(client, board):
    client.force_login(board["users"]["cluster_manager"])
    url = _forward_url(board, board["gyro"], board["call"])
    for note in ("x" * 1001, "bad\x00note"):
        response = client.post(url, {"note": note}, follow=True)
        assert response.status_code == 200
        assert "alert-danger" in response.content.decode()
    assert not MatchForward.objects.exists()
    assert mail.outbox == []
