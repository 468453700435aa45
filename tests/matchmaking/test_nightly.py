"""The full recompute in chunks (``services.nightly``): chunked equals one chunk, a rerun
changes nothing, the staging is emptied by the one merge."""

import pytest

from matchmaking import services
from matchmaking.models import MatchRun

from .helpers import company, stored_rows

pytestmark = pytest.mark.django_db


def test_chunked_recompute_equals_single_chunk_and_rerun_changes_nothing(market):
    for i in range(7):
        company(capabilities=f"Cryogenic valves and RF loads, model {i}", cpv=("31600000",))
    services.recompute_all_inline(chunk_size=100)
    single = stored_rows()
    services.recompute_all_inline(chunk_size=2)
    chunked = stored_rows()
    assert chunked == single and len(single) > 5
    run = MatchRun.objects.filter(kind="nightly").first()
    assert run.chunk_count == 5 and run.status == "succeeded" and run.chunks_done == 5
    assert run.chunks.count() == 5
    assert all(ch.payload == {} for ch in run.chunks.all())  # staging emptied by the merge


def test_a_chunk_delivered_twice_is_staged_once_and_merged_once(market):
    run = services.recompute_all_inline(chunk_size=2)
    stored = stored_rows()
    first, last = run.chunk_plan[0][1:]
    services.chunk_score(run_id=run.pk, chunk_no=0, first_id=first, last_id=last)
    run.refresh_from_db()
    assert run.chunks.count() == run.chunk_count and run.status == "succeeded"
    assert stored_rows() == stored


def test_the_plan_is_fixed_once_per_run(market):
    run = services.run_create(kind=MatchRun.Kind.NIGHTLY)
    plan = services.nightly_plan(run=run, chunk_size=1)
    assert len(plan) == 3  # three companies
    run.refresh_from_db()
    assert services.nightly_plan(run=run, chunk_size=100) == plan
    assert run.scored_at is not None
