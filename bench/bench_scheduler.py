"""Benchmark of the B2B meeting scheduler (events/scheduler.py).

``run()`` returns a Markdown section; ``python bench/bench_scheduler.py`` prints it.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from events.scheduler import (
    MeetingRequest,
    Participant,
    Placement,
    Problem,
    ScheduleResult,
    Session,
    build_slots,
    schedule,
    validate,
)

SEED = 20240611
PARTICIPANTS = 500
MEETINGS = 3000
TABLES = 40
MAX_MEETINGS = 12
SLOT_MINUTES = 20
RUNS = 5
TARGET_S = 10.0


def make_problem(seed: int = SEED, tables: int = TABLES) -> Problem:
    rng = random.Random(seed)
    day = datetime(2025, 3, 12, 8, 0, tzinfo=UTC)
    sessions = [
        Session("morning", day + timedelta(hours=1), day + timedelta(hours=5)),
        Session("afternoon", day + timedelta(hours=6), day + timedelta(hours=10)),
    ]
    participants = []
    for i in range(PARTICIPANTS):
        r = rng.random()
        avail = (
            {"morning", "afternoon"} if r < 0.5 else ({"morning"} if r < 0.75 else {"afternoon"})
        )
        participants.append(Participant(f"p{i}", frozenset(avail), None))
    pairs: set[tuple[int, int]] = set()
    meetings = []
    while len(meetings) < MEETINGS:
        a, b = rng.sample(range(PARTICIPANTS), 2)
        key = (min(a, b), max(a, b))
        if key in pairs:
            continue
        pairs.add(key)
        meetings.append(MeetingRequest(f"m{len(meetings)}", f"p{a}", f"p{b}"))
    return Problem(
        sessions=sessions,
        slot_minutes=SLOT_MINUTES,
        tables=tables,
        max_meetings_per_person=MAX_MEETINGS,
        participants=participants,
        meetings=meetings,
    )


def naive_first_fit(problem: Problem) -> ScheduleResult:
    """Baseline: request order, first slot/table that fits, no ordering, no repair."""
    slots = build_slots(problem.sessions, problem.slot_minutes)
    part = {p.id: p for p in problem.participants}
    cap = problem.max_meetings_per_person
    busy: set[tuple[object, str]] = set()
    load: dict[str, int] = {s.id: 0 for s in slots}
    count: dict[object, int] = {}
    placements = []
    for m in problem.meetings:
        if cap is not None and (count.get(m.a, 0) >= cap or count.get(m.b, 0) >= cap):
            continue
        for s in slots:
            if (
                s.session_id in part[m.a].available_session_ids
                and s.session_id in part[m.b].available_session_ids
                and (m.a, s.id) not in busy
                and (m.b, s.id) not in busy
                and load[s.id] < problem.tables
            ):
                load[s.id] += 1
                busy.add((m.a, s.id))
                busy.add((m.b, s.id))
                count[m.a] = count.get(m.a, 0) + 1
                count[m.b] = count.get(m.b, 0) + 1
                placements.append(Placement(m.id, s.id, load[s.id]))
                break
    return ScheduleResult(placements, [], {})


def upper_bound(problem: Problem) -> int:
    """A simple bound on what any schedule can place (tables and per-person limits)."""
    slots = build_slots(problem.sessions, problem.slot_minutes)
    per_session = {}
    for s in slots:
        per_session[s.session_id] = per_session.get(s.session_id, 0) + 1
    part = {p.id: p for p in problem.participants}
    deg: dict[object, int] = {}
    for m in problem.meetings:
        if part[m.a].available_session_ids & part[m.b].available_session_ids:
            deg[m.a] = deg.get(m.a, 0) + 1
            deg[m.b] = deg.get(m.b, 0) + 1
    person = 0
    for pid, d in deg.items():
        own = sum(per_session.get(x, 0) for x in part[pid].available_session_ids)
        person += min(d, own, problem.max_meetings_per_person or d)
    return min(len(slots) * problem.tables, person // 2)


def _timed(fn, problem: Problem, runs: int) -> tuple[float, ScheduleResult]:
    times = []
    result = None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn(problem)
        times.append(time.perf_counter() - t0)
    assert result is not None
    return statistics.median(times), result


def _section(problem: Problem, title: str, runs: int) -> list[str]:
    t_sched, res = _timed(schedule, problem, runs)
    t_greedy, greedy = _timed(lambda p: schedule(p, improve=False), problem, runs)
    t_naive, naive = _timed(naive_first_fit, problem, runs)
    errors = validate(problem, res)
    bound = upper_bound(problem)
    n = len(problem.meetings)
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(res.stats["by_reason"].items())) or "none"
    verdict = "met" if t_sched < TARGET_S else "NOT met"
    return [
        f"### {title}",
        "",
        f"- Shape: {len(problem.participants)} participants, {n} requested meetings, "
        f"{len(problem.sessions)} sessions x 4 h, {problem.slot_minutes}-min slots "
        f"({res.stats['slots']} slots), {problem.tables} tables "
        f"(capacity {res.stats['capacity']} meetings), max {problem.max_meetings_per_person} "
        f"meetings each, availability 1 or 2 sessions, seed {SEED}.",
        f"- Time to schedule (median of {runs}): **{t_sched:.3f} s** "
        f"(target < {TARGET_S:.0f} s: {verdict}).",
        f"- Placed: **{len(res.placements)} / {n}** (upper bound {bound}); "
        f"placed by the repair phase: {res.stats['placed_by_repair']}; "
        f"invariant violations: {len(errors)}.",
        f"- Unplaced by reason: {reasons}.",
        f"- Greedy only (no repair): {len(greedy.placements)} placed in {t_greedy:.3f} s.",
        f"- Naive baseline (first fit in request order, no ordering/repair): "
        f"{len(naive.placements)} placed in {t_naive:.3f} s.",
        "",
    ]


def run() -> str:
    lines = ["## Meeting scheduler benchmark", ""]
    lines += _section(make_problem(), f"Spec instance ({TABLES} tables)", RUNS)
    lines += [
        "With 40 tables the 24 x 40 = 960 table-slots are the binding limit, so every "
        "sensible method fills them; the variant below has enough tables for the "
        "participants' own time and caps to bind, which is where ordering and repair matter.",
        "",
    ]
    lines += _section(make_problem(tables=250), "Variant: 250 tables (same requests)", 3)
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
