"""Tests of the pure-Python B2B meeting scheduler (events/scheduler.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.scheduler import (
    ClashCode,
    MeetingRequest,
    Participant,
    Placement,
    Problem,
    Reason,
    ScheduleResult,
    Session,
    Unplaced,
    build_slots,
    check_move,
    schedule,
    validate,
)

T0 = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def sessions(*lengths_in_slots: int, slot_minutes: int = 30) -> list[Session]:
    """Consecutive sessions ``s0, s1, ...`` one hour apart, each N slots long."""
    out, start = [], T0
    for i, n in enumerate(lengths_in_slots):
        end = start + timedelta(minutes=n * slot_minutes)
        out.append(Session(f"s{i}", start, end))
        start = end + timedelta(hours=1)
    return out


def problem(
    meetings,
    *,
    people=None,
    n_slots=(1,),
    tables=5,
    cap=None,
    fixed=(),
    previous=(),
) -> Problem:
    sess = sessions(*n_slots)
    all_sessions = frozenset(s.id for s in sess)
    if people is None:
        names = sorted({p for m in meetings for p in (m[1], m[2])})
        people = [Participant(n, all_sessions) for n in names]
    return Problem(
        sessions=sess,
        slot_minutes=30,
        tables=tables,
        max_meetings_per_person=cap,
        participants=people,
        meetings=[MeetingRequest(*m) for m in meetings],
        fixed=list(fixed),
        previous=list(previous),
    )


def placed_ids(result: ScheduleResult) -> set:
    return {p.meeting_id for p in result.placements}


def unplaced_by_id(result: ScheduleResult) -> dict:
    return {u.meeting_id: u for u in result.unplaced}


# --------------------------------------------------------------------------- slots


def test_build_slots_cuts_sessions_into_stable_aware_slots():
    sess = [
        Session("pm", T0 + timedelta(hours=5), T0 + timedelta(hours=6, minutes=50)),
        Session("am", T0, T0 + timedelta(hours=1)),
    ]
    slots = build_slots(sess, 20)
    # chronological, remainder shorter than a slot (10 min of "pm") is dropped
    assert [s.id for s in slots] == ["am:0", "am:1", "am:2", "pm:0", "pm:1", "pm:2", "pm:3", "pm:4"]
    assert slots[0].session_id == "am" and slots[3].session_id == "pm"
    assert slots[1].start == T0 + timedelta(minutes=20)
    assert slots[1].end == T0 + timedelta(minutes=40)
    assert all(s.start.tzinfo is not None and s.end.tzinfo is not None for s in slots)
    assert build_slots(sess, 20) == slots  # same input, same ids


def test_build_slots_uses_real_elapsed_time_across_a_dst_change():
    madrid = ZoneInfo("Europe/Madrid")  # clocks go 02:00 -> 03:00 on 2025-03-30
    sess = [
        Session(
            "night",
            datetime(2025, 3, 30, 1, 0, tzinfo=madrid),
            datetime(2025, 3, 30, 4, 0, tzinfo=madrid),
        )
    ]
    slots = build_slots(sess, 60)
    assert len(slots) == 2  # only two real hours
    assert [s.start.hour for s in slots] == [1, 3]
    # (same-tzinfo subtraction is wall-clock in Python, so compare in UTC)
    assert all(s.end.astimezone(UTC) - s.start.astimezone(UTC) == timedelta(hours=1) for s in slots)
    assert slots[0].end == slots[1].start


@pytest.mark.parametrize(
    ("sess", "minutes", "message"),
    [
        ([Session("a", datetime(2025, 1, 1, 9), datetime(2025, 1, 1, 10))], 30, "timezone"),
        ([Session("a", T0, T0 + timedelta(hours=1))], 0, "positive"),
        (
            [
                Session("a", T0, T0 + timedelta(hours=2)),
                Session("b", T0 + timedelta(hours=1), T0 + timedelta(hours=3)),
            ],
            30,
            "overlap",
        ),
    ],
)
def test_build_slots_rejects_bad_sessions(sess, minutes, message):
    with pytest.raises(ValueError, match=message):
        build_slots(sess, minutes)


def test_schedule_rejects_malformed_problems():
    with pytest.raises(ValueError, match="duplicate meeting"):
        schedule(problem([("m1", "A", "B"), ("m1", "A", "C")]))
    with pytest.raises(ValueError, match="unknown participant"):
        schedule(problem([("m1", "A", "B")], people=[Participant("A", frozenset({"s0"}))]))
    with pytest.raises(ValueError, match="themselves"):
        schedule(problem([("m1", "A", "A")]))


# --------------------------------------------------------------------------- hand-made cases


def test_person_requested_twice_with_one_slot_gets_one_meeting():
    prob = problem([("m1", "A", "B"), ("m2", "A", "C")], n_slots=(1,), tables=5)
    result = schedule(prob)
    assert [p.meeting_id for p in result.placements] == ["m1"]
    assert result.placements[0] == Placement("m1", "s0:0", 1)
    (u,) = result.unplaced
    assert u.meeting_id == "m2"
    assert u.reason_code == Reason.NO_FREE_SLOT
    assert u.message == "no slot where both 'A' and 'C' are free"
    assert validate(prob, result) == []


def test_one_table_one_slot_leaves_second_meeting_with_tables_full():
    prob = problem([("m1", "A", "B"), ("m2", "C", "D")], n_slots=(1,), tables=1)
    result = schedule(prob)
    assert placed_ids(result) == {"m1"}
    u = unplaced_by_id(result)["m2"]
    assert u.reason_code == Reason.TABLES_FULL
    assert "all tables full" in u.message
    assert validate(prob, result) == []


def test_participant_not_available_in_the_only_session():
    people = [Participant("A", frozenset({"s0"})), Participant("B", frozenset())]
    prob = problem([("m1", "A", "B")], people=people)
    result = schedule(prob)
    assert result.placements == []
    assert result.unplaced == [
        Unplaced("m1", Reason.NO_COMMON_SESSION, "no common available session for 'A' and 'B'")
    ]


def test_session_shorter_than_a_slot_is_reported_as_such():
    sess = [Session("s0", T0, T0 + timedelta(minutes=20))]
    prob = Problem(
        sess,
        30,
        3,
        None,
        [Participant("A", frozenset({"s0"})), Participant("B", frozenset({"s0"}))],
        [MeetingRequest("m1", "A", "B")],
    )
    (u,) = schedule(prob).unplaced
    assert u.reason_code == Reason.NO_SLOTS


def test_cap_of_two_with_three_requests_leaves_one_with_cap_reason():
    prob = problem([("m1", "A", "B"), ("m2", "A", "C"), ("m3", "A", "D")], n_slots=(5,), cap=2)
    result = schedule(prob)
    assert len(result.placements) == 2
    (u,) = result.unplaced
    assert u.reason_code == Reason.MAX_MEETINGS
    assert u.message == "participant 'A' reached the maximum of 2 meetings"
    assert validate(prob, result) == []


def test_personal_cap_is_lower_than_the_event_cap():
    people = [Participant("A", frozenset({"s0"}), max_meetings=1)] + [
        Participant(x, frozenset({"s0"})) for x in "BC"
    ]
    prob = problem([("m1", "A", "B"), ("m2", "A", "C")], people=people, n_slots=(4,), cap=5)
    result = schedule(prob)
    assert len(result.placements) == 1
    assert result.unplaced[0].message == "participant 'A' reached the maximum of 1 meetings"


def test_higher_priority_wins_a_contested_slot():
    prob = problem([("low", "A", "B", 0), ("high", "A", "C", 5)], n_slots=(1,))
    result = schedule(prob)
    assert placed_ids(result) == {"high"}


def test_locked_placements_are_kept_exactly_on_rerun():
    meetings = [("m1", "A", "B"), ("m2", "C", "D"), ("m3", "A", "C"), ("m4", "B", "D")]
    prob = problem(meetings, n_slots=(3,), tables=3)
    first = schedule(prob)
    assert len(first.placements) == 4
    # the organiser locks m1 somewhere the scheduler would not have put it
    lock = Placement("m1", "s0:2", 3)
    assert lock not in first.placements
    rerun = problem(meetings, n_slots=(3,), tables=3, fixed=[lock], previous=first.placements)
    second = schedule(rerun)
    assert lock in second.placements
    assert len(second.placements) == 4
    assert second.stats["locked_kept"] == 1
    assert validate(rerun, second) == []


def test_unlocked_previous_placements_are_kept_when_still_valid():
    meetings = [("m1", "A", "B"), ("m2", "C", "D"), ("m3", "A", "C")]
    previous = [Placement("m1", "s0:2", 2), Placement("m2", "s0:1", 1), Placement("m3", "s0:0", 3)]
    prob = problem([*meetings, ("m4", "B", "D")], n_slots=(3,), tables=3, previous=previous)
    result = schedule(prob)
    assert set(previous) <= set(result.placements)
    assert result.stats["previous_kept"] == 3
    assert "m4" in placed_ids(result)


def test_repair_relocates_an_unlocked_previous_meeting_to_make_room():
    # C is only available in s0 (one slot). m1 sits there from a previous run but
    # A and B could also meet in s1, so the repair phase moves it.
    people = [
        Participant("A", frozenset({"s0", "s1"})),
        Participant("B", frozenset({"s0", "s1"})),
        Participant("C", frozenset({"s0"})),
    ]
    previous = [Placement("m1", "s0:0", 1)]
    prob = problem(
        [("m1", "A", "B"), ("m2", "A", "C")], people=people, n_slots=(1, 1), previous=previous
    )
    result = schedule(prob)
    assert set(result.placements) == {Placement("m1", "s1:0", 1), Placement("m2", "s0:0", 1)}
    assert result.stats["previous_moved"] == 1
    # the same situation with m1 locked: m2 cannot be placed and says why
    locked = problem(
        [("m1", "A", "B"), ("m2", "A", "C")], people=people, n_slots=(1, 1), fixed=previous
    )
    result = schedule(locked)
    assert result.placements == [Placement("m1", "s0:0", 1)]
    assert unplaced_by_id(result)["m2"].reason_code == Reason.NO_FREE_SLOT


def test_repair_frees_a_table_by_moving_another_meeting():
    # one table; m1 (C, D free in both slots) was put in s0:0 before; m2's
    # participants are only available in s0, so m1 must move to s1.
    people = [Participant("A", frozenset({"s0"})), Participant("B", frozenset({"s0"}))] + [
        Participant(x, frozenset({"s0", "s1"})) for x in "CD"
    ]
    prob = problem(
        [("m1", "C", "D"), ("m2", "A", "B")],
        people=people,
        n_slots=(1, 1),
        tables=1,
        previous=[Placement("m1", "s0:0", 1)],
    )
    result = schedule(prob)
    assert set(result.placements) == {Placement("m1", "s1:0", 1), Placement("m2", "s0:0", 1)}


def test_cap_swap_trades_one_meeting_for_two():
    # cap 1: the previous run placed A-C, which blocks both A-B and C-D.
    # Swapping it for A-B and C-D places two meetings instead of one.
    prob = problem(
        [("x", "A", "C"), ("m", "A", "B"), ("y", "C", "D")],
        n_slots=(2,),
        cap=1,
        previous=[Placement("x", "s0:0", 1)],
    )
    result = schedule(prob)
    assert placed_ids(result) == {"m", "y"}
    assert unplaced_by_id(result)["x"].reason_code == Reason.MAX_MEETINGS


def test_invalid_locks_are_reported_not_moved():
    prob = problem(
        [("m1", "A", "B"), ("m2", "A", "C"), ("m3", "D", "E")],
        n_slots=(2,),
        tables=2,
        fixed=[
            Placement("m1", "s0:0", 1),
            Placement("m2", "s0:0", 2),  # A is already in m1 then
            Placement("m3", "s0:1", 7),  # no table 7
            Placement("gone", "s0:1", 1),  # meeting no longer exists: ignored
        ],
    )
    result = schedule(prob)
    assert result.placements == [Placement("m1", "s0:0", 1)]
    reasons = unplaced_by_id(result)
    assert reasons["m2"].reason_code == Reason.LOCKED_INVALID
    assert "'A' is already in locked meeting 'm1'" in reasons["m2"].message
    assert reasons["m3"].reason_code == Reason.LOCKED_INVALID
    assert "table 7 is outside 1..2" in reasons["m3"].message
    assert result.stats["locked_ignored"] == 1
    assert validate(prob, result) == []


# --------------------------------------------------------------------------- manual moves


def test_check_move_reports_each_kind_of_clash():
    people = [Participant(x, frozenset({"s0", "s1"})) for x in "ABCD"] + [
        Participant("E", frozenset({"s1"}))
    ]
    prob = problem(
        [("m1", "A", "B"), ("m2", "C", "D"), ("m3", "A", "C"), ("m4", "D", "E")],
        people=people,
        n_slots=(2, 1),
        tables=2,
        fixed=[Placement("m1", "s0:0", 1)],
    )
    result = schedule(prob)
    assert len(result.placements) == 4
    where = {p.meeting_id: p for p in result.placements}
    # staying put is fine; so is a free table in a slot where both are free
    assert check_move(result, "m2", where["m2"].slot_id, where["m2"].table) == []
    # m3 (A, C) into m1's slot and table: A busy there and the table is taken
    clashes = check_move(result, "m3", "s0:0", 1)
    codes = {(c.code, c.other_meeting_id) for c in clashes}
    assert (ClashCode.TABLE_TAKEN, "m1") in codes
    assert (ClashCode.PARTICIPANT_BUSY, "m1") in codes
    assert any("(locked)" in c.message for c in clashes)
    # m4 (D, E) into session s0: E is not available there
    clashes = check_move(result, "m4", "s0:1", 2)
    unavailable = [c for c in clashes if c.code == ClashCode.PARTICIPANT_UNAVAILABLE]
    assert [c.participant_id for c in unavailable] == ["E"]
    own = where["m2"].slot_id
    assert [c.code for c in check_move(result, "m2", own, 3)] == [ClashCode.TABLE_OUT_OF_RANGE]
    assert [c.code for c in check_move(result, "nope", "s0:1", 1)] == [ClashCode.UNKNOWN_MEETING]
    assert [c.code for c in check_move(result, "m2", "s9:0", 1)] == [ClashCode.UNKNOWN_SLOT]


def test_check_move_of_an_unplaced_meeting_respects_the_cap():
    prob = problem([("m1", "A", "B"), ("m2", "A", "C")], n_slots=(3,), cap=1)
    result = schedule(prob)
    (u,) = result.unplaced
    free_slot = next(f"s0:{i}" for i in range(3) if f"s0:{i}" != result.placements[0].slot_id)
    clashes = check_move(result, u.meeting_id, free_slot, 1)
    assert [(c.code, c.participant_id) for c in clashes] == [(ClashCode.MAX_MEETINGS, "A")]


def test_check_move_needs_the_problem():
    with pytest.raises(ValueError, match="needs the Problem"):
        check_move(ScheduleResult([], []), "m1", "s0:0", 1)


# --------------------------------------------------------------------------- validate


def test_validate_reports_every_kind_of_violation():
    people = [Participant(x, frozenset({"s0"})) for x in "ABCD"] + [Participant("E", frozenset())]
    prob = problem(
        [("m1", "A", "B"), ("m2", "A", "C"), ("m3", "C", "D"), ("m4", "D", "E"), ("m5", "B", "D")],
        people=people,
        n_slots=(2,),
        tables=2,
        cap=1,
        fixed=[Placement("m5", "s0:1", 2)],
    )
    bad = ScheduleResult(
        placements=[
            Placement("m1", "s0:0", 1),
            Placement("m2", "s0:0", 1),  # A twice in s0:0, table 1 twice
            Placement("m3", "s0:1", 3),  # table out of range
            Placement("m4", "s0:1", 1),  # E not available; D twice in s0:1
        ],
        unplaced=[Unplaced("m1", Reason.TABLES_FULL, "x")],  # m1 also placed; m5 lost
    )
    errors = "\n".join(validate(prob, bad))
    for expected in [
        "table 1 in slot 's0:0' is used by meetings 'm1' and 'm2'",
        "participant 'A' is in meetings 'm1' and 'm2' in slot 's0:0'",
        "table 3 outside 1..2",
        "participant 'E' is not available",
        "participant 'D' is in meetings 'm3' and 'm4'",
        "participant 'A' has 2 meetings, more than the maximum 1",
        "'m1' is both placed and listed unplaced",
        "'m5' is neither placed nor listed unplaced",
        "locked meeting 'm5' is not kept",
    ]:
        assert expected in errors


# --------------------------------------------------------------------------- properties


@st.composite
def problems(draw, max_people=7, max_meetings=10, max_slots=3):
    n_sess = draw(st.integers(1, 2))
    lengths = [draw(st.integers(0, max_slots)) for _ in range(n_sess)]
    sess = sessions(*lengths)
    sess_ids = [s.id for s in sess]
    n_people = draw(st.integers(2, max_people))
    people = [
        Participant(
            f"p{i}",
            frozenset(draw(st.sets(st.sampled_from(sess_ids)))),
            draw(st.none() | st.integers(0, 3)),
        )
        for i in range(n_people)
    ]
    pair = st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(
        lambda t: t[0] != t[1]
    )
    pairs = draw(st.lists(pair, max_size=max_meetings))
    meetings = [
        MeetingRequest(f"m{k}", f"p{a}", f"p{b}", draw(st.integers(0, 1)))
        for k, (a, b) in enumerate(pairs)
    ]
    slot_ids = [s.id for s in build_slots(sess, 30)] + ["gone:0"]
    hint = st.builds(
        Placement,
        st.sampled_from([m.id for m in meetings] or ["none"]),
        st.sampled_from(slot_ids),
        st.integers(0, 4),
    )
    return Problem(
        sessions=sess,
        slot_minutes=30,
        tables=draw(st.integers(0, 3)),
        max_meetings_per_person=draw(st.none() | st.integers(1, 4)),
        participants=people,
        meetings=meetings,
        fixed=draw(st.lists(hint, max_size=2)),
        previous=draw(st.lists(hint, max_size=4)),
    )


def assert_reasons_truthful(prob: Problem, result: ScheduleResult) -> None:
    """Each reason given is true of the returned schedule (so the result is maximal)."""
    slots = build_slots(prob.sessions, prob.slot_minutes)
    people = {p.id: p for p in prob.participants}
    meetings = {m.id: m for m in prob.meetings}
    busy = {
        (pid, pl.slot_id)
        for pl in result.placements
        for pid in (meetings[pl.meeting_id].a, meetings[pl.meeting_id].b)
    }
    load = {s.id: 0 for s in slots}
    count = dict.fromkeys(people, 0)
    for pl in result.placements:
        load[pl.slot_id] += 1
        count[meetings[pl.meeting_id].a] += 1
        count[meetings[pl.meeting_id].b] += 1

    def cap(pid):
        caps = [
            c for c in (prob.max_meetings_per_person, people[pid].max_meetings) if c is not None
        ]
        return min(caps) if caps else 10**9

    for u in result.unplaced:
        m = meetings[u.meeting_id]
        common = people[m.a].available_session_ids & people[m.b].available_session_ids
        common_slots = [s for s in slots if s.session_id in common]
        both_free = [s for s in common_slots if (m.a, s.id) not in busy and (m.b, s.id) not in busy]
        if u.reason_code == Reason.NO_COMMON_SESSION:
            assert not common
        elif u.reason_code == Reason.NO_SLOTS:
            assert common and not common_slots
        elif u.reason_code == Reason.MAX_MEETINGS:
            assert count[m.a] >= cap(m.a) or count[m.b] >= cap(m.b)
        elif u.reason_code == Reason.NO_FREE_SLOT:
            assert common_slots and not both_free
        elif u.reason_code == Reason.TABLES_FULL:
            assert both_free and all(load[s.id] >= prob.tables for s in both_free)
        else:
            assert u.reason_code == Reason.LOCKED_INVALID
            assert any(f.meeting_id == u.meeting_id for f in prob.fixed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_random_instances_satisfy_every_invariant(prob):
    result = schedule(prob)
    assert validate(prob, result) == []
    assert_reasons_truthful(prob, result)
    assert len(result.placements) + len(result.unplaced) == len(prob.meetings)
    assert all(1 <= p.table <= prob.tables for p in result.placements)
    # same input -> same output
    again = schedule(prob)
    assert again.placements == result.placements
    assert again.unplaced == result.unplaced
    assert again.stats == result.stats


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_rerun_keeps_locked_placements_exactly(prob, data):
    first = schedule(prob)
    locks = (
        data.draw(st.lists(st.sampled_from(first.placements), unique=True))
        if first.placements
        else []
    )
    rerun = Problem(
        prob.sessions,
        prob.slot_minutes,
        prob.tables,
        prob.max_meetings_per_person,
        prob.participants,
        prob.meetings,
        fixed=locks,
        previous=first.placements,
    )
    second = schedule(rerun)
    assert set(locks) <= set(second.placements)
    assert validate(rerun, second) == []
    # keeping a valid schedule's placements never costs placements
    assert len(second.placements) >= len(first.placements)


def brute_force_max(prob: Problem) -> int:
    """Largest number of meetings any valid schedule can place (exhaustive search)."""
    slots = build_slots(prob.sessions, prob.slot_minutes)
    people = {p.id: p for p in prob.participants}
    caps = {}
    for pid, p in people.items():
        c = [x for x in (prob.max_meetings_per_person, p.max_meetings) if x is not None]
        caps[pid] = min(c) if c else 10**9
    options = []
    for m in prob.meetings:
        common = people[m.a].available_session_ids & people[m.b].available_session_ids
        options.append((m, [s.id for s in slots if s.session_id in common]))
    best = 0

    def go(i, placed, busy, load, count):
        nonlocal best
        if placed + (len(options) - i) <= best:
            return
        if i == len(options):
            best = placed
            return
        m, opts = options[i]
        if count[m.a] < caps[m.a] and count[m.b] < caps[m.b]:
            for s in opts:
                if load[s] < prob.tables and (m.a, s) not in busy and (m.b, s) not in busy:
                    load[s] += 1
                    count[m.a] += 1
                    count[m.b] += 1
                    go(i + 1, placed + 1, busy | {(m.a, s), (m.b, s)}, load, count)
                    load[s] -= 1
                    count[m.a] -= 1
                    count[m.b] -= 1
        go(i + 1, placed, busy, load, count)

    go(0, 0, frozenset(), {s.id: 0 for s in slots}, dict.fromkeys(people, 0))
    return best


@settings(max_examples=400, deadline=None)
@given(problems(max_people=7, max_meetings=10, max_slots=3))
def test_tiny_instances_place_the_brute_force_optimum(prob):
    # No locks, hints or priorities: priority deliberately wins over count (a
    # high-priority meeting is not traded for two ordinary ones), and the brute
    # force knows nothing of priority.
    prob = Problem(
        prob.sessions,
        prob.slot_minutes,
        prob.tables,
        prob.max_meetings_per_person,
        prob.participants,
        [MeetingRequest(m.id, m.a, m.b) for m in prob.meetings],
    )
    assert len(schedule(prob).placements) == brute_force_max(prob)


def test_brute_force_helper_finds_a_known_optimum():
    # triangle with cap 1 and plenty of room: only one of A-B, B-C, A-C fits per person
    prob = problem(
        [("m1", "A", "B"), ("m2", "B", "C"), ("m3", "A", "C"), ("m4", "C", "D")],
        n_slots=(3,),
        cap=1,
    )
    assert brute_force_max(prob) == 2
    assert len(schedule(prob).placements) == 2


_SUBPROCESS = """
import json, sys
sys.path.insert(0, {root!r})
from datetime import UTC, datetime, timedelta
from events.scheduler import MeetingRequest, Participant, Problem, Session, schedule
import random
rng = random.Random(7)
t0 = datetime(2025, 1, 1, 9, tzinfo=UTC)
sess = [Session("am", t0, t0 + timedelta(hours=2)), Session("pm", t0 + timedelta(hours=3),
        t0 + timedelta(hours=5))]
people = [Participant(f"org-{{i}}", frozenset(rng.sample(["am", "pm"], rng.randint(1, 2))))
          for i in range(40)]
meetings = []
for k in range(150):
    a, b = rng.sample(range(40), 2)
    meetings.append(MeetingRequest(f"req-{{k}}", f"org-{{a}}", f"org-{{b}}", rng.randint(0, 1)))
res = schedule(Problem(sess, 20, 4, 5, people, meetings))
print(json.dumps([[p.meeting_id, p.slot_id, p.table] for p in res.placements]
                 + [[u.meeting_id, str(u.reason_code)] for u in res.unplaced]))
"""


def test_result_does_not_depend_on_the_hash_seed():
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", _SUBPROCESS.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(json.loads(proc.stdout))
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) == 150


def test_benchmark_sized_instance_is_fast_and_valid():
    sys.path.insert(0, str(ROOT))
    from bench.bench_scheduler import make_problem, naive_first_fit

    prob = make_problem(tables=120)
    result = schedule(prob)
    assert validate(prob, result) == []
    assert len(result.placements) >= len(naive_first_fit(prob).placements)
    assert result.stats["placed"] == len(result.placements)
    assert sum(result.stats["by_reason"].values()) == len(result.unplaced)


def test_bench_instance_has_the_specified_shape():
    sys.path.insert(0, str(ROOT))
    from bench.bench_scheduler import make_problem

    prob = make_problem()
    pairs = {frozenset((m.a, m.b)) for m in prob.meetings}
    assert len(prob.meetings) == 3000 and len(prob.participants) == 500
    assert len(pairs) == 3000
    assert prob.tables == 40 and prob.max_meetings_per_person == 12
    assert len(build_slots(prob.sessions, prob.slot_minutes)) == 24
    assert {len(p.available_session_ids) for p in prob.participants} == {1, 2}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_check_move_agrees_with_validate(prob, data):
    """A hand move that check_move accepts gives a valid schedule; one it refuses does not."""
    prob = Problem(
        prob.sessions,
        prob.slot_minutes,
        prob.tables,
        prob.max_meetings_per_person,
        prob.participants,
        prob.meetings,
    )
    if not prob.meetings:
        return
    result = schedule(prob)
    slots = build_slots(prob.sessions, prob.slot_minutes)
    if not slots:
        return
    mid = data.draw(st.sampled_from([m.id for m in prob.meetings]))
    slot = data.draw(st.sampled_from([s.id for s in slots]))
    table = data.draw(st.integers(0, prob.tables + 1))
    clashes = check_move(result, mid, slot, table)
    moved = ScheduleResult(
        placements=[p for p in result.placements if p.meeting_id != mid]
        + [Placement(mid, slot, table)],
        unplaced=[u for u in result.unplaced if u.meeting_id != mid],
    )
    errors = validate(prob, moved)
    assert (clashes == []) == (errors == []), (clashes, errors)
