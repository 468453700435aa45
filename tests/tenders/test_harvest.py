"""TED harvesting (``tenders.harvest``) against the local fake TED server (tests/tenders/
fake_ted.py, loopback only): two recorded pages, in- and out-of-scope notices, a second run, a
run that meets 503 and a dropped connection, the staff's pages of harvests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tenders.beat import BEAT_SCHEDULE
from tenders.harvest import harvest_now, harvest_start
from tenders.models import HarvestRun, ImportedNotice, ProcurementCall
from tenders.notices import parse_notice
from tenders.scope import interest_profile, notice_scope
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory
from tests.roles import LOGIN, Access, check_access, expect, matrix
from tests.tenders.fake_ted import FakeTed
from tests.tenders.test_eforms_parser import CONVERTED, EFORMS_DIR

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CONVERTED, reason=f"no eForms notices in {EFORMS_DIR}"),
]

Status = HarvestRun.Status


def _pick():
    """Five in-scope contract notices (not follow-ups) and two out of scope, from converted/."""
    inside, outside = [], []
    profile = interest_profile()
    for path in CONVERTED:
        notice = parse_notice(path.read_bytes(), filename=path.name)
        if notice.previous_notice_number or notice.notice_kind not in ("tender", "planning"):
            continue
        (inside if notice_scope(notice, profile).in_scope else outside).append(path)
    assert len(inside) >= 5 and len(outside) >= 2
    return inside[:5], outside[:2]


@pytest.fixture
def ted(settings):
    inside, outside = _pick()
    pages = [[*inside[:3], outside[0]], [*inside[3:], outside[1]]]
    with FakeTed(pages) as fake:
        settings.TED_API_URL = fake.url
        settings.TED_HARVEST_PAGE_SIZE = 4
        settings.TED_HARVEST_BACKOFF_SECONDS = 0
        settings.TED_HARVEST_RETRIES = 2
        fake.inside = [parse_notice(p.read_bytes(), filename=p.name).notice_number for p in inside]
        fake.outside = [
            parse_notice(p.read_bytes(), filename=p.name).notice_number for p in outside
        ]
        yield fake


def _imported_numbers() -> set[str]:
    return set(ImportedNotice.objects.values_list("notice_number", flat=True))


def test_a_first_run_imports_the_in_scope_notices_of_two_pages_and_skips_the_others(ted):
    run = harvest_now()
    assert run.status == Status.SUCCEEDED, run.error
    assert (run.pages, run.found, run.imported, run.out_of_scope, run.refused) == (2, 7, 5, 2, 0)
    assert run.query.startswith("publication-date>=") and "classification-cpv IN (" in run.query
    assert _imported_numbers() == set(ted.inside)
    assert not set(ted.outside) & _imported_numbers()
    assert "outside the interest profile" in run.log
    # the search asked TED's v3 way
    first = ted.searches[0]
    assert first["paginationMode"] == "PAGE_NUMBER" and first["page"] == 1
    assert first["limit"] == 4 and "links" in first["fields"] and first["query"] == run.query
    assert [s["page"] for s in ted.searches] == [1, 2]


def test_a_second_run_imports_nothing(ted):
    first = harvest_now()
    calls = ProcurementCall.objects.count()
    second = harvest_now()
    assert second.status == Status.SUCCEEDED
    assert (second.imported, second.unchanged, second.out_of_scope) == (0, 5, 2)
    assert ProcurementCall.objects.count() == calls
    assert second.since == first.started_at.date()


def test_a_run_that_meets_503_then_a_dropped_connection_is_resumed_without_duplicates(ted):
    ted.failures[2] = ["503", "drop", "drop"]
    failed = harvest_now()
    assert failed.status == Status.FAILED
    assert "HTTP 503" in failed.error and "unreachable" in failed.error
    assert (failed.pages, failed.next_page, failed.imported) == (1, 2, 3)
    assert "failed:" in failed.log
    resumed = harvest_now()
    assert resumed.status == Status.SUCCEEDED, resumed.error
    assert resumed.resumed_from == failed and resumed.since == failed.since
    assert [s["page"] for s in ted.searches] == [1, 2, 2, 2, 2]
    assert resumed.imported == 2 and resumed.out_of_scope == 1
    assert _imported_numbers() == set(ted.inside)
    assert ImportedNotice.objects.count() == 5
    assert f"resumes harvest {failed.pk} at page 2" in resumed.log


def test_a_malformed_page_and_a_429_are_recorded(ted):
    ted.failures[1] = ["429", "garbage"]
    run = harvest_now()
    assert run.status == Status.FAILED and "not JSON" in run.error
    assert not ImportedNotice.objects.exists()


def test_ted_unreachable_is_recorded(settings):
    settings.TED_API_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.TED_HARVEST_BACKOFF_SECONDS = 0
    settings.TED_HARVEST_RETRIES = 1
    run = harvest_now()
    assert run.status == Status.FAILED and "unreachable" in run.error


def test_the_command_says_how_the_harvest_ended(ted, capsys):
    call_command("harvest_ted")
    out = capsys.readouterr().out
    assert "succeeded: 2 pages, 7 notices found, 5 imported" in out
    ted.failures[1] = ["503", "503", "503"]
    with pytest.raises(CommandError, match="HTTP 503"):
        call_command("harvest_ted")


def test_beat_queues_a_harvest_and_a_second_start_finds_it(ted):
    assert BEAT_SCHEDULE["tenders-ted-harvest"]["task"] == "tenders.start_ted_harvest"
    run = harvest_start(dispatch=False)
    assert run.status == Status.QUEUED
    assert harvest_start(dispatch=False) == run


@pytest.fixture
def world(db):
    run = HarvestRun.objects.create(query="publication-date>=20260101", log="page 1: 0 notices")
    return SimpleNamespace(
        run=run,
        users={
            "anonymous": None,
            "other_org": MembershipFactory(organisation=OrganisationFactory()).user,
            "right_role": StaffFactory(),
            "staff": StaffFactory(),
        },
    )


CASES = [
    Access(
        "harvest list",
        "get",
        lambda w: reverse("tenders:harvest_list"),
        expect(anonymous=LOGIN, other_org=404, staff=200),
    ),
    Access(
        "harvest detail",
        "get",
        lambda w: reverse("tenders:harvest_detail", args=[w.run.pk]),
        expect(anonymous=LOGIN, other_org=404, staff=200),
    ),
]


@pytest.mark.parametrize(("case", "role"), matrix(CASES), ids=str)
def test_harvest_pages_access(client, world, case, role):
    check_access(client, world, case, role)


def test_staff_see_each_harvest_with_its_log(client, ted):
    failed_first = ted.failures.setdefault(2, ["503", "drop", "drop"])
    assert failed_first
    run = harvest_now()
    client.force_login(StaffFactory())
    listing = client.get(reverse("tenders:harvest_list")).content.decode()
    assert reverse("tenders:harvest_detail", args=[run.pk]) in listing and "HTTP 503" in listing
    page = client.get(run.get_absolute_url()).content.decode()
    assert "page 1: 4 notices" in page and "classification-cpv IN (" in page


def test_the_harvest_list_needs_no_more_queries_with_more_runs(
    client, django_assert_max_num_queries
):
    client.force_login(StaffFactory())
    HarvestRun.objects.bulk_create([HarvestRun(query="q") for _ in range(30)])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("tenders:harvest_list"))
    HarvestRun.objects.bulk_create([HarvestRun(query="q") for _ in range(60)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("tenders:harvest_list"))
