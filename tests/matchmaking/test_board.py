"""The cluster board as a working tool (issue 18, finding 6): filters by member, call and
forwarded or not, rows marked "Forwarded", a note to the member with a forward; the grid of
members x calls beside the list, with the same filters."""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matchmaking import selectors
from matchmaking.limits import BOARD_GRID_COLUMNS
from matchmaking.models import MatchForward
from organisations.models import Decision, Membership
from tests.factories import ClusterFactory, ClusterMembershipFactory, MatchFactory
from tests.roles import LOGIN, Access, check_access, expect

from .helpers import call, company, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world):
    other = company(name="CryoWeld", capabilities="Gyrotron tubes and RF sources, welding.")
    ClusterMembershipFactory(cluster=world["cluster"], member=other, status=Decision.APPROVED)
    from matchmaking import services

    services.recompute_all_inline()
    world["other_member"] = other
    world["url"] = reverse("matchmaking:cluster_board", args=[world["cluster"].slug])
    world["list_url"] = world["url"] + "?view=list"
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
            {
                "note": "Line 1: talk to Anna.\r\nLine 2: <script>alert(1)</script>",
                "next": board["list_url"],
            },
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
        page = client.get(board["url"], {"view": "list", **params})
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


# --------------------------------------------------------------------------- the grid
def _grid(w, **params):
    """The board's URL (its grid: the default view) with ``params`` (filters)."""
    return w["url"] + "?" + urlencode(params)


def test_the_grid_is_members_by_the_calls_that_fit_the_most_of_them(board):
    matches = selectors.cluster_board(board["cluster"])
    pairs = {(m.company_id, m.call_id): m for m in matches}
    columns = list(selectors.board_grid_columns(matches))
    grid = selectors.board_grid(matches, columns)

    fitting = {}
    for company_id, call_id in pairs:
        fitting.setdefault(call_id, set()).add(company_id)
    assert [c.call.pk for c in grid.columns] == [c["call_id"] for c in columns]
    assert set(fitting) == {c.call.pk for c in grid.columns}
    assert [c.members for c in grid.columns] == [len(fitting[c.call.pk]) for c in grid.columns]
    assert [c.members for c in grid.columns] == sorted(
        (c.members for c in grid.columns), reverse=True
    )
    names = [row.company.name for row in grid.rows]
    assert names == sorted(names) and {row.company.pk for row in grid.rows} == {
        company_id for company_id, _ in pairs
    }
    for row in grid.rows:  # each cell is the member's match with the column's call, or empty
        for column, cell in zip(grid.columns, row.cells, strict=True):
            expected = pairs.get((row.company.pk, column.call.pk))
            assert (cell and cell.pk) == (expected and expected.pk)
    assert not selectors.board_grid(matches, [])


@pytest.fixture
def roles(board):
    other_cluster = ClusterFactory(slug="othercluster")
    board["users"]["other_cluster_manager"] = member(other_cluster, role=Membership.Role.ADMIN)
    return board


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", LOGIN),
        ("other_cluster_manager", 404),
        ("cluster_manager", 200),
        ("staff", 200),
    ],
)
def test_who_sees_the_grid(client, roles, role, status):
    check_access(client, roles, Access("grid", "get", _grid, expect(**{role: status})), role)


def test_the_grid_shows_the_fit_and_a_forward_form_per_pair(client, board):
    client.force_login(board["users"]["cluster_manager"])
    response = client.get(board["url"])
    html = response.content.decode()
    grid = response.context["matches"]
    assert grid.columns and grid.rows
    assert 'role="region" aria-label="Members and the open calls that fit them' in html
    assert '<caption class="caption-top">Members and the open calls' in html
    assert '<th scope="row"' in html and '<th scope="col"' in html
    cell = next(c for row in grid.rows for c in row.cells if c)
    assert f"{cell.percent}%" in html
    forward = reverse(
        "matchmaking:match_forward", args=[board["cluster"].slug, cell.company_id, cell.call_id]
    )
    assert f'action="{forward}"' in html
    assert 'aria-current="page" href="' + board["url"] + '"' in html  # the switch: the grid
    assert 'href="' + board["url"] + '?view=list"' in html


def test_a_forward_from_the_grid_returns_to_the_grid_as_filtered(client, board):
    client.force_login(board["users"]["cluster_manager"])
    grid_url = _grid(board, member=board["gyro"].pk)
    page = client.get(grid_url)
    assert [row.company for row in page.context["matches"].rows] == [board["gyro"]]
    response = client.post(
        reverse(
            "matchmaking:match_forward",
            args=[board["cluster"].slug, board["gyro"].pk, board["call"].pk],
        ),
        {"note": "Ask for Anna.", "next": grid_url},
    )
    assert response.status_code == 302 and response["Location"] == grid_url
    html = client.get(grid_url).content.decode()
    assert "Forwarded" in html and "✓" in html
    forwarded = MatchForward.objects.get()
    assert forwarded.note == "Ask for Anna."
    # the list says it too, and the filter "forwarded" applies to the grid
    grid = client.get(board["url"], {"forwarded": "yes"}).context["matches"]
    assert [(r.company.pk, [c and c.call_id for c in r.cells]) for r in grid.rows] == [
        (board["gyro"].pk, [board["call"].pk])
    ]


def test_a_forward_does_not_send_the_manager_to_another_site(client, board):
    client.force_login(board["users"]["cluster_manager"])
    response = client.post(
        reverse(
            "matchmaking:match_forward",
            args=[board["cluster"].slug, board["gyro"].pk, board["call"].pk],
        ),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == board["url"]


def _more_members_and_calls(w, members, calls):
    new_calls = [call(buyer=w["infra"], title=f"Magnet batch {i}") for i in range(calls)]
    for i in range(members):
        org = company(name=f"Member {i:02d}")
        ClusterMembershipFactory(cluster=w["cluster"], member=org, status=Decision.APPROVED)
        for j, c in enumerate(new_calls):
            MatchFactory(company=org, call=c, score=0.9 - (i + j) / 1000)
        MatchForward.objects.create(cluster=w["cluster"], company=org, call=new_calls[0])


def test_the_grid_reads_a_bounded_number_of_queries(client, board, django_assert_max_num_queries):
    client.force_login(board["users"]["cluster_manager"])
    _more_members_and_calls(board, members=1, calls=BOARD_GRID_COLUMNS + 1)  # a full page
    client.get(board["url"])  # the session's first reads
    with CaptureQueriesContext(connection) as small:
        assert client.get(board["url"]).status_code == 200
    assert len(small.captured_queries) <= 10
    _more_members_and_calls(board, members=10, calls=BOARD_GRID_COLUMNS + 3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(board["url"])
    grid = response.context["matches"]
    assert len(grid.columns) == BOARD_GRID_COLUMNS and len(grid.rows) >= 10
    assert response.context["page_obj"].has_next()
    second = client.get(board["url"], {"page": 2}).context["matches"]
    assert {c.call.pk for c in second.columns}.isdisjoint({c.call.pk for c in grid.columns})
    last = client.get(board["url"], {"page": "last"})
    assert not last.context["page_obj"].has_next()
    total = last.context["paginator"].count
    assert len(last.context["matches"].columns) == total - BOARD_GRID_COLUMNS * (
        last.context["page_obj"].number - 1
    )
