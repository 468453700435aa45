"""Full recomputes on real Celery worker processes against the test PostgreSQL and Redis.

- Two worker processes share the chunks of a run; the stored rows equal a one-process run's.
- SIGKILL of the pool process running a chunk: the worker's main process gives the message
  back to Redis (``acks_late`` + ``reject_on_worker_lost``), a fresh pool process runs the chunk
  again, the run completes, and no row is duplicated or half-written (the chunk writes its
  staging row and the merge writes the results each in one transaction).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from matchmaking import services
from matchmaking.models import Match, MatchRun
from tests.factories import InfrastructureFactory

from .helpers import call, company, ensure_reference_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
CAPABILITIES = [
    "Gyrotron tubes and high-power RF sources",
    "Vacuum chambers, welding and leak testing",
    "Cryostats, helium transfer lines and cryogenic valves",
    "Superconducting magnets and coil winding",
    "Radiation-hard electronics and detector readout",
    "Precision machining of copper RF cavities",
]


@pytest.fixture
def start_worker(start_worker):
    """The shared worker launcher, with the chunk delay that lets a test kill a chunk mid-run."""

    def start(name: str, *, pool: str = "solo", chunk_delay: float = 0.0):
        return start_worker(name, pool=pool, env={"MATCHMAKING_TEST_CHUNK_DELAY": str(chunk_delay)})

    return start


@pytest.fixture
def market():
    ensure_reference_data()
    infras = [InfrastructureFactory() for _ in range(3)]
    codes = ["31600000", "42120000", "39500000", "31710000", "38000000", "45000000"]
    for i in range(40):
        company(
            capabilities=f"{CAPABILITIES[i % 6]}; series {i}",
            cpv=(codes[i % 6],),
            country=["DK", "DE", "FR", "ES"][i % 4],
            certs=("ISO 9001",) if i % 3 == 0 else (),
        )
    for j in range(12):
        call(
            buyer=infras[j % 3],
            title=f"Call {j}: {CAPABILITIES[j % 6]}",
            description=CAPABILITIES[(j + 1) % 6],
            main_cpv=codes[j % 6],
            eligible=("DK", "FR") if j % 4 == 0 else (),
            certs=("ISO 9001",) if j % 5 == 0 else (),
        )


def _rows():
    return sorted(
        Match.objects.values_list(
            "company_id", "call_id", "score", "rank_for_call", "rank_for_company", "components"
        )
    )


def _wait_ready(procs, count: int, timeout: float = 180) -> None:
    from bigscience_portal.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in procs:
            assert p.poll() is None, p.output()
        replies = app.control.inspect(timeout=1.0).ping() or {}
        if len(replies) >= count:
            return
    raise AssertionError("workers did not start")


def _dispatch_nightly(chunk_size: int) -> MatchRun:
    from bigscience_portal.celery import app
    from matchmaking.tasks import nightly_recompute

    run = services.run_create(kind=MatchRun.Kind.NIGHTLY)
    app.conf.task_always_eager = False
    try:
        nightly_recompute.apply_async(kwargs={"run_id": run.pk, "chunk_size": chunk_size})
    finally:
        app.conf.task_always_eager = True
    return run


def _wait_run(run: MatchRun, procs, timeout: float = 120) -> MatchRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in ("succeeded", "failed"):
            return run
        for p in procs:
            if p.poll() is not None:
                pytest.fail(p.output())
        time.sleep(0.2)
    pytest.fail(f"run did not finish: {run.status} {run.chunks_done}/{run.chunk_count}")


def test_two_workers_store_exactly_what_one_process_stores(market, start_worker):
    workers = [start_worker("mm-a", chunk_delay=0.5), start_worker("mm-b", chunk_delay=0.5)]
    _wait_ready(workers, 2)
    run = _wait_run(_dispatch_nightly(chunk_size=5), workers)
    assert run.status == "succeeded", run.error
    assert run.chunk_count == 8 and run.chunks_done == 8
    hosts = {h.split("@")[0] for h in run.chunks.values_list("worker", flat=True)}
    assert hosts == {"mm-a", "mm-b"}  # both processes did part of the work
    parallel = _rows()
    assert parallel

    services.recompute_all_inline(chunk_size=1000)  # one chunk, in this process
    assert _rows() == parallel


def test_killed_worker_leaves_no_duplicates_and_the_run_completes(market, start_worker):
    worker = start_worker("mm-kill", pool="prefork", chunk_delay=4)
    _wait_ready([worker], 1)
    run = _dispatch_nightly(chunk_size=20)  # two chunks
    # wait until a chunk is running (the run task counts 1 attempt, each chunk start one more)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.attempts >= 2:
            break
        time.sleep(0.1)
    assert run.attempts >= 2
    time.sleep(1.0)  # inside the chunk's 4 s: scored, not yet written
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert children, "no pool process found"
    os.kill(int(children[0]), signal.SIGKILL)

    run = _wait_run(run, [worker], timeout=120)
    assert run.status == "succeeded", run.error
    assert run.attempts >= 4  # the killed chunk ran again
    assert run.chunks.count() == 2
    after_kill = _rows()
    pairs = [(c, k) for c, k, *_ in after_kill]
    assert len(pairs) == len(set(pairs)) == Match.objects.count()

    services.recompute_all_inline(chunk_size=1000)
    assert _rows() == after_kill
