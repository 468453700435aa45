"""B2B brokerage meeting scheduler (pure Python, no Django, no ORM).

The organiser defines meeting sessions, a slot length, a number of tables and a
maximum number of meetings per participant.  Participants say in which
sessions they are available.  Accepted meeting requests (two participants
each) are placed into ``(slot, table)`` pairs so that:

* no participant is in two meetings in the same slot,
* no table is used twice in a slot (tables are numbered ``1..tables``),
* a meeting only goes into a session where both participants are available,
* nobody gets more than their maximum number of meetings,
* locked placements (``Problem.fixed``) stay exactly where they are,
* previous unlocked placements (``Problem.previous``) are kept when possible.

Everything that cannot be placed is returned as :class:`Unplaced` with a
machine-readable :class:`Reason` and a human message.

Algorithm (deterministic: same input -> same output, independent of
``PYTHONHASHSEED``; all internal work is done on input-order integer indices):

1. Locked placements are checked in input order and kept; a locked placement
   that can no longer hold (slot gone, table out of range, participant no
   longer available, clash with an earlier locked placement, cap exceeded) is
   *not* moved silently: the meeting is reported unplaced with
   ``Reason.LOCKED_INVALID`` so the organiser can decide.
2. Previous (unlocked) placements are re-applied when still valid.
3. Greedy, most-constrained-first: requests are taken by priority (higher
   first), then by the number of slots still free for both participants (fewest
   first, updated incrementally as the schedule fills), then by how
   over-subscribed the two participants are, then by how many pending requests
   they have (fewest first).  Priority wins over count: a higher-priority
   meeting is never given up to place lower-priority ones.  Each goes into the free slot that
   removes the fewest options from the participants' other pending requests.
4. Improvement phase on what is left: ejection chains (relocate the unlocked
   meetings that block a slot -- the participants' meetings there, or one
   meeting to free a table -- recursively, bounded depth and node budget),
   1-for-2 swaps (take out a meeting that is in the way and cannot move when the
   freed participants can then take another pending meeting) and cap swaps (when a participant is at their cap, replace one of their meetings
   by the pending one if that lets the freed partner take another pending
   meeting: +1 overall).  Budgets are counted in search nodes, never in time,
   so the result stays deterministic.
5. A final sweep guarantees the result is *maximal*: every unplaced meeting
   is really blocked, and its reason code says by what.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

__all__ = [
    "Clash",
    "ClashCode",
    "MeetingRequest",
    "Participant",
    "Placement",
    "Problem",
    "Reason",
    "ScheduleResult",
    "Session",
    "Slot",
    "Unplaced",
    "build_slots",
    "check_move",
    "schedule",
    "validate",
]


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Session:
    id: Hashable
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Slot:
    id: str
    session_id: Hashable
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Participant:
    id: Hashable
    available_session_ids: frozenset = frozenset()
    #: personal maximum; the effective cap is the smaller of this and
    #: ``Problem.max_meetings_per_person`` (``None`` = no limit from this side).
    max_meetings: int | None = None


@dataclass(frozen=True)
class MeetingRequest:
    id: Hashable
    a: Hashable
    b: Hashable
    #: higher priority requests are placed first when they compete.
    priority: int = 0


@dataclass(frozen=True)
class Placement:
    meeting_id: Hashable
    slot_id: str
    table: int  # 1..Problem.tables


@dataclass(frozen=True)
class Problem:
    sessions: Sequence[Session]
    slot_minutes: int
    tables: int
    max_meetings_per_person: int | None
    participants: Sequence[Participant]
    meetings: Sequence[MeetingRequest]
    fixed: Sequence[Placement] = ()  # locked: kept exactly (slot and table)
    previous: Sequence[Placement] = ()  # unlocked hints: kept when possible


class Reason(StrEnum):
    NO_COMMON_SESSION = "no_common_session"
    NO_SLOTS = "no_slots_in_common_sessions"
    MAX_MEETINGS = "max_meetings_reached"
    NO_FREE_SLOT = "no_common_free_slot"
    TABLES_FULL = "tables_full"
    LOCKED_INVALID = "locked_invalid"


@dataclass(frozen=True)
class Unplaced:
    meeting_id: Hashable
    reason_code: Reason
    message: str


@dataclass
class ScheduleResult:
    placements: list[Placement]
    unplaced: list[Unplaced]
    stats: dict[str, Any] = field(default_factory=dict)
    #: the problem this schedule answers (used by :func:`check_move`).
    problem: Problem | None = field(default=None, repr=False, compare=False)
    slots: list[Slot] = field(default_factory=list, repr=False, compare=False)


class ClashCode(StrEnum):
    UNKNOWN_MEETING = "unknown_meeting"
    UNKNOWN_SLOT = "unknown_slot"
    TABLE_OUT_OF_RANGE = "table_out_of_range"
    TABLE_TAKEN = "table_taken"
    PARTICIPANT_BUSY = "participant_busy"
    PARTICIPANT_UNAVAILABLE = "participant_unavailable"
    MAX_MEETINGS = "max_meetings_reached"


@dataclass(frozen=True)
class Clash:
    code: ClashCode
    message: str
    other_meeting_id: Hashable | None = None
    participant_id: Hashable | None = None


# --------------------------------------------------------------------------- slots


def build_slots(sessions: Iterable[Session], slot_minutes: int) -> list[Slot]:
    """Cut every session into consecutive slots of ``slot_minutes``.

    Slot ids are ``"<session id>:<n>"`` (n = 0, 1, ... from the session start),
    so they are stable as long as the session start and slot length are.  A
    trailing remainder shorter than a slot is not used.  Arithmetic is done in
    UTC, so a session spanning a DST change gets slots of real elapsed length.
    Slots are returned in chronological order.  Raises ``ValueError`` for naive
    datetimes, a non-positive slot length, duplicate session ids, or sessions
    that overlap in time (a person could otherwise be booked twice at once).
    """
    if not isinstance(slot_minutes, int) or slot_minutes <= 0:
        raise ValueError(f"slot_minutes must be a positive integer, got {slot_minutes!r}")
    sessions = list(sessions)
    seen: set = set()
    for s in sessions:
        if s.id in seen:
            raise ValueError(f"duplicate session id {s.id!r}")
        seen.add(s.id)
        if s.start.tzinfo is None or s.end.tzinfo is None:
            raise ValueError(f"session {s.id!r} needs timezone-aware start and end")
        if s.end < s.start:
            raise ValueError(f"session {s.id!r} ends before it starts")
    ordered = sorted(enumerate(sessions), key=lambda t: (t[1].start, t[0]))
    for (_, prev), (_, cur) in itertools.pairwise(ordered):
        if cur.start < prev.end:
            raise ValueError(f"sessions {prev.id!r} and {cur.id!r} overlap")
    step = timedelta(minutes=slot_minutes)
    slots: list[Slot] = []
    for _, s in ordered:
        tz = s.start.tzinfo
        start_utc = s.start.astimezone(UTC)
        end_utc = s.end.astimezone(UTC)
        n = 0
        while start_utc + (n + 1) * step <= end_utc:
            slots.append(
                Slot(
                    id=f"{s.id}:{n}",
                    session_id=s.id,
                    start=(start_utc + n * step).astimezone(tz),
                    end=(start_utc + (n + 1) * step).astimezone(tz),
                )
            )
            n += 1
    return slots


# --------------------------------------------------------------------------- index

_NO_CAP = 1 << 30


class _Index:
    """Integer-indexed view of a Problem (input order everywhere)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        if not isinstance(problem.tables, int) or problem.tables < 0:
            raise ValueError(f"tables must be a non-negative integer, got {problem.tables!r}")
        self.T = problem.tables
        self.slots = build_slots(problem.sessions, problem.slot_minutes)
        self.slot_pos = {s.id: i for i, s in enumerate(self.slots)}
        session_ids = [s.id for s in problem.sessions]
        sess_pos = {sid: k for k, sid in enumerate(session_ids)}
        self.slot_sess = [sess_pos[s.session_id] for s in self.slots]
        self.slots_of_sess: list[list[int]] = [[] for _ in session_ids]
        for i, k in enumerate(self.slot_sess):
            self.slots_of_sess[k].append(i)

        self.pid: list[Hashable] = []
        self.ppos: dict[Hashable, int] = {}
        self.avail: list[frozenset[int]] = []
        self.cap: list[int] = []
        gcap = problem.max_meetings_per_person
        for p in problem.participants:
            if p.id in self.ppos:
                raise ValueError(f"duplicate participant id {p.id!r}")
            self.ppos[p.id] = len(self.pid)
            self.pid.append(p.id)
            self.avail.append(
                frozenset(sess_pos[x] for x in p.available_session_ids if x in sess_pos)
            )
            caps = [c for c in (gcap, p.max_meetings) if c is not None]
            self.cap.append(max(0, min(caps)) if caps else _NO_CAP)

        self.mid: list[Hashable] = []
        self.mpos: dict[Hashable, int] = {}
        self.ma: list[int] = []
        self.mb: list[int] = []
        self.prio: list[int] = []
        self.common: list[list[int]] = []  # common session positions (sorted)
        self.feas: list[tuple[int, ...]] = []  # slots in common sessions (sorted)
        self.feas_set: list[frozenset[int]] = []
        for m in problem.meetings:
            if m.id in self.mpos:
                raise ValueError(f"duplicate meeting id {m.id!r}")
            for who in (m.a, m.b):
                if who not in self.ppos:
                    raise ValueError(f"meeting {m.id!r}: unknown participant {who!r}")
            if m.a == m.b:
                raise ValueError(f"meeting {m.id!r}: a participant cannot meet themselves")
            a, b = self.ppos[m.a], self.ppos[m.b]
            self.mpos[m.id] = len(self.mid)
            self.mid.append(m.id)
            self.ma.append(a)
            self.mb.append(b)
            self.prio.append(int(m.priority))
            common = sorted(self.avail[a] & self.avail[b])
            self.common.append(common)
            feas = tuple(sorted(s for k in common for s in self.slots_of_sess[k]))
            self.feas.append(feas)
            self.feas_set.append(frozenset(feas))
        self.meetings_of: list[list[int]] = [[] for _ in self.pid]
        for m in range(len(self.mid)):
            self.meetings_of[self.ma[m]].append(m)
            self.meetings_of[self.mb[m]].append(m)

    def check_locks(
        self,
    ) -> tuple[dict[int, tuple[int, int]], dict[int, str], int]:
        """Accepted locks ``{m: (slot, table)}``, rejected ``{m: message}``, ignored count."""
        accepted: dict[int, tuple[int, int]] = {}
        rejected: dict[int, str] = {}
        ignored = 0
        busy: dict[tuple[int, int], int] = {}
        tables: dict[tuple[int, int], int] = {}
        count = [0] * len(self.pid)
        for pl in self.problem.fixed:
            m = self.mpos.get(pl.meeting_id)
            if m is None or m in accepted or m in rejected:
                ignored += 1  # unknown meeting or duplicate lock: nothing to keep
                continue
            msg = self._lock_problem(pl, m, busy, tables, count)
            if msg:
                rejected[m] = msg
                continue
            s = self.slot_pos[pl.slot_id]
            accepted[m] = (s, pl.table)
            tables[(s, pl.table)] = m
            for p in (self.ma[m], self.mb[m]):
                busy[(p, s)] = m
                count[p] += 1
        return accepted, rejected, ignored

    def _lock_problem(self, pl, m, busy, tables, count) -> str | None:
        s = self.slot_pos.get(pl.slot_id)
        where = f"locked placement of meeting {pl.meeting_id!r} in slot {pl.slot_id!r}"
        if s is None:
            return f"{where}: the slot no longer exists"
        if not isinstance(pl.table, int) or not 1 <= pl.table <= self.T:
            return f"{where}: table {pl.table!r} is outside 1..{self.T}"
        if (s, pl.table) in tables:
            other = self.mid[tables[(s, pl.table)]]
            return f"{where}: table {pl.table} is already used by locked meeting {other!r}"
        for p in (self.ma[m], self.mb[m]):
            if self.slot_sess[s] not in self.avail[p]:
                return f"{where}: participant {self.pid[p]!r} is not available in that session"
            if (p, s) in busy:
                other = self.mid[busy[(p, s)]]
                return (
                    f"{where}: participant {self.pid[p]!r} is already in locked meeting "
                    f"{other!r} at that time"
                )
            if count[p] >= self.cap[p]:
                return (
                    f"{where}: participant {self.pid[p]!r} would exceed the maximum of "
                    f"{self.cap[p]} meetings"
                )
        return None


# --------------------------------------------------------------------------- state


class _State:
    def __init__(self, ix: _Index) -> None:
        self.ix = ix
        S = len(ix.slots)
        self.T = ix.T
        self.busy = [[-1] * S for _ in ix.pid]
        self.where = [-1] * len(ix.mid)
        self.load = [0] * S
        self.occ: list[dict[int, None]] = [{} for _ in range(S)]
        self.count = [0] * len(ix.pid)
        self.locked = [False] * len(ix.mid)
        self.banned = [False] * len(ix.mid)  # rejected locks: never placed
        self.journal: list[tuple[int, int, int]] | None = None

    def can_place(self, m: int, s: int) -> bool:
        ix = self.ix
        a, b = ix.ma[m], ix.mb[m]
        return (
            self.where[m] < 0
            and not self.banned[m]
            and s in ix.feas_set[m]
            and self.load[s] < self.T
            and self.busy[a][s] < 0
            and self.busy[b][s] < 0
            and self.count[a] < ix.cap[a]
            and self.count[b] < ix.cap[b]
        )

    def free_slots(self, m: int) -> list[int]:
        ix = self.ix
        ba, bb = self.busy[ix.ma[m]], self.busy[ix.mb[m]]
        load, T = self.load, self.T
        return [s for s in ix.feas[m] if ba[s] < 0 and bb[s] < 0 and load[s] < T]

    def under_cap(self, m: int) -> bool:
        ix = self.ix
        a, b = ix.ma[m], ix.mb[m]
        return self.count[a] < ix.cap[a] and self.count[b] < ix.cap[b]

    def place(self, m: int, s: int) -> None:
        ix = self.ix
        a, b = ix.ma[m], ix.mb[m]
        self.where[m] = s
        self.busy[a][s] = m
        self.busy[b][s] = m
        self.load[s] += 1
        self.occ[s][m] = None
        self.count[a] += 1
        self.count[b] += 1
        if self.journal is not None:
            self.journal.append((1, m, s))

    def unplace(self, m: int) -> None:
        ix = self.ix
        a, b = ix.ma[m], ix.mb[m]
        s = self.where[m]
        self.where[m] = -1
        self.busy[a][s] = -1
        self.busy[b][s] = -1
        self.load[s] -= 1
        del self.occ[s][m]
        self.count[a] -= 1
        self.count[b] -= 1
        if self.journal is not None:
            self.journal.append((0, m, s))

    def rollback(self, mark: int) -> None:
        journal = self.journal
        assert journal is not None
        saved, self.journal = journal, None
        while len(saved) > mark:
            op, m, s = saved.pop()
            if op == 1:
                self.unplace(m)
            else:
                self.place(m, s)
        self.journal = saved

    def blockers(self, m: int, s: int) -> list[int]:
        """The meetings of ``m``'s participants in slot ``s`` (none, one, or two)."""
        ix = self.ix
        out: list[int] = []
        for p in (ix.ma[m], ix.mb[m]):
            x = self.busy[p][s]
            if x >= 0 and x not in out:
                out.append(x)
        return out

    def displace(self, m: int, s: int, moved: list[int]) -> int | None:
        """Take the meetings ``moved`` out and put ``m`` in ``s``: the journal's mark to roll
        back to, or None (all rolled back) when ``m`` still cannot go there."""
        mark = len(self.journal)  # type: ignore[arg-type]
        for x in moved:
            self.unplace(x)
        if not self.can_place(m, s):
            self.rollback(mark)
            return None
        self.place(m, s)
        return mark


# --------------------------------------------------------------------------- scheduler


class _Budget:
    __slots__ = ("left",)

    def __init__(self, n: int) -> None:
        self.left = n


def schedule(
    problem: Problem,
    *,
    improve: bool = True,
    chain_depth: int = 3,
    node_budget: int = 200_000,
) -> ScheduleResult:
    """Place as many accepted meeting requests as possible.

    ``improve=False`` skips the repair phase (greedy only).  ``chain_depth`` and
    ``node_budget`` bound the repair search (counted in nodes, so deterministic).
    """
    ix = _Index(problem)
    st = _State(ix)
    M = len(ix.mid)
    accepted, rejected, ignored = ix.check_locks()
    for m, (s, _table) in accepted.items():
        st.place(m, s)
        st.locked[m] = True
    for m in rejected:
        st.banned[m] = True

    prev: dict[int, tuple[int, int]] = {}
    for pl in problem.previous:
        m = ix.mpos.get(pl.meeting_id)
        s = ix.slot_pos.get(pl.slot_id)
        if m is None or s is None or m in prev or m in accepted or m in rejected:
            continue
        prev[m] = (s, pl.table)
        if st.can_place(m, s):
            st.place(m, s)

    todo = [m for m in range(M) if st.where[m] < 0 and m not in rejected]
    pending = _greedy(st, todo)

    repaired = 0
    if improve and pending:
        repaired = _improve(st, chain_depth, _Budget(node_budget))
    # final sweep: the result is maximal (nothing left that fits directly)
    for m in range(M):
        if st.where[m] < 0 and not st.banned[m] and st.under_cap(m):
            free = st.free_slots(m)
            if free:
                st.place(m, free[0])

    return _result(ix, st, accepted, rejected, ignored, prev, repaired)


def _greedy(st: _State, todo: list[int]) -> list[int]:
    """Most-constrained-first greedy. Returns meetings left unplaced (input order)."""
    ix = st.ix
    T = st.T
    busy, load = st.busy, st.load
    active = [False] * len(ix.mid)
    fc = [0] * len(ix.mid)
    for m in todo:
        active[m] = True
        fc[m] = len(st.free_slots(m)) if st.under_cap(m) else 0

    # over-subscription of each participant: pending demand beyond remaining cap
    demand = [0] * len(ix.pid)
    for m in todo:
        demand[ix.ma[m]] += 1
        demand[ix.mb[m]] += 1

    def pressure(m: int) -> int:
        tot = 0
        for p in (ix.ma[m], ix.mb[m]):
            room = ix.cap[p] - st.count[p]
            tot += max(0, demand[p] - room)
        return tot

    def degree(m: int) -> int:  # fewer competing requests first (matching heuristic)
        return demand[ix.ma[m]] + demand[ix.mb[m]]

    heap = [(-ix.prio[m], fc[m], pressure(m), degree(m), m) for m in todo]
    heapq.heapify(heap)
    by_slot: list[list[int]] = [[] for _ in ix.slots]
    for m in todo:
        for s in ix.feas[m]:
            by_slot[s].append(m)
    left: list[int] = []

    def push(m: int) -> None:
        heapq.heappush(heap, (-ix.prio[m], fc[m], pressure(m), degree(m), m))

    while heap:
        _, key_fc, _, _, m = heapq.heappop(heap)
        if not active[m] or key_fc != fc[m]:
            continue  # stale entry
        active[m] = False
        a, b = ix.ma[m], ix.mb[m]
        demand[a] -= 1
        demand[b] -= 1
        free = st.free_slots(m) if st.under_cap(m) else []
        if not free:
            left.append(m)
            continue
        neigh = [x for x in ix.meetings_of[a] if active[x]]
        neigh += [x for x in ix.meetings_of[b] if active[x] and ix.ma[x] != a and ix.mb[x] != a]
        if len(free) == 1:
            s = free[0]
        else:
            best = None
            for s in free:
                cost = 0.0
                for x in neigh:
                    if s in ix.feas_set[x] and busy[ix.ma[x]][s] < 0 and busy[ix.mb[x]][s] < 0:
                        cost += 1.0 / fc[x] if fc[x] else 0.0
                key = (cost, load[s] + 1 == T, s)
                if best is None or key < best:
                    best = key
            assert best is not None
            s = best[2]
        # who loses slot s because a or b becomes busy there
        hit = [
            x
            for x in neigh
            if fc[x] and s in ix.feas_set[x] and busy[ix.ma[x]][s] < 0 and busy[ix.mb[x]][s] < 0
        ]
        st.place(m, s)
        for x in hit:
            fc[x] -= 1
            push(x)
        if load[s] == T:
            for x in by_slot[s]:
                if active[x] and fc[x] and busy[ix.ma[x]][s] < 0 and busy[ix.mb[x]][s] < 0:
                    fc[x] -= 1
                    push(x)
        for p in (a, b):
            if st.count[p] >= ix.cap[p]:
                for x in ix.meetings_of[p]:
                    if active[x] and fc[x]:
                        fc[x] = 0
                        push(x)
        # pressure of the neighbours changed; refresh their heap keys lazily
        for x in neigh:
            if active[x] and fc[x]:
                push(x)
    left.sort()
    return left


def _improve(st: _State, depth: int, budget: _Budget, per_meeting: int = 2_000) -> int:
    """Repair phase. Returns how many extra meetings it managed to place."""
    ix = st.ix
    st.journal = []
    gained = 0
    for _ in range(3):  # a few passes: moves can open room for earlier failures
        progress = False
        order = [m for m in range(len(ix.mid)) if st.where[m] < 0 and not st.banned[m]]
        order.sort(key=lambda m: (-ix.prio[m], m))
        for m in order:
            if st.where[m] >= 0:
                continue
            if budget.left <= 0:
                break
            if all(n >= st.T for n in st.load):
                break  # every table of every slot is used: nothing can gain a place
            local = _Budget(min(per_meeting, budget.left))
            if not st.under_cap(m):
                ok = _cap_swap(st, m, depth, local)
            elif st.free_slots(m):
                st.place(m, st.free_slots(m)[0])
                ok = True
            else:
                ok = _insert(st, m, depth, set(), local) or _swap(st, m, depth, local)
            budget.left -= min(per_meeting, budget.left) - max(local.left, 0)
            if ok:
                gained += 1
                progress = True
            st.journal.clear()
        if not progress or budget.left <= 0:
            break
    st.journal = None
    return gained


def _insert(st: _State, m: int, depth: int, chain: set[int], budget: _Budget) -> bool:
    """Place ``m``, relocating unlocked meetings that block it (ejection chain)."""
    budget.left -= 1
    if budget.left < 0:
        return False
    if st.banned[m] or not st.under_cap(m):
        return False
    free = st.free_slots(m)
    if free:
        st.place(m, free[0])
        return True
    if depth <= 0:
        return False
    chain.add(m)
    options = []
    for s in st.ix.feas[m]:
        blockers = st.blockers(m, s)
        if any(st.locked[x] or x in chain for x in blockers):
            continue
        need_table = st.load[s] - len(blockers) >= st.T
        options.append((len(blockers) + need_table, s, blockers, need_table))
    options.sort(key=lambda o: (o[0], o[1]))
    for _n, s, blockers, need_table in options:
        evictees: list[int | None] = [None]
        if need_table:
            cands = [
                x for x in st.occ[s] if not st.locked[x] and x not in chain and x not in blockers
            ]
            # prefer meetings that can move straight away
            cands.sort(key=lambda x: (-len(st.free_slots(x)), x))
            evictees = list(cands[:2])
        for ev in evictees:
            if budget.left <= 0:
                chain.discard(m)
                return False
            moved = blockers + ([ev] if ev is not None else [])
            mark = st.displace(m, s, moved)
            if mark is None:
                continue
            if all(_insert(st, x, depth - 1, chain, budget) for x in moved):
                chain.discard(m)
                return True
            st.rollback(mark)
    chain.discard(m)
    return False


def _swap(st: _State, m: int, depth: int, budget: _Budget) -> bool:
    """Put ``m`` where meetings are in its way and cannot move; keep it if the
    participants this frees take enough other pending meetings to net +1."""
    ix = st.ix
    for s in ix.feas[m]:
        blockers = st.blockers(m, s)
        if any(st.locked[x] or ix.prio[x] > ix.prio[m] for x in blockers):
            continue
        evictees: list[int | None] = [None]
        if st.load[s] - len(blockers) >= st.T:
            cands = [
                x
                for x in st.occ[s]
                if not st.locked[x] and x not in blockers and ix.prio[x] <= ix.prio[m]
            ]
            evictees = list(sorted(cands)[:3])  # lowest index first
        for ev in evictees:
            budget.left -= 1
            if budget.left <= 0:
                return False
            removed = blockers + ([ev] if ev is not None else [])
            mark = st.displace(m, s, removed)
            if mark is None:
                continue
            net = 1
            for x in removed:
                if not _insert(st, x, depth - 1, {m}, budget):
                    net -= 1
            if net <= 0:
                freed = [p for x in removed if st.where[x] < 0 for p in (ix.ma[x], ix.mb[x])]
                for p in freed:
                    for y in ix.meetings_of[p]:
                        if net > 0:
                            break
                        if (
                            st.where[y] < 0
                            and y not in removed
                            and y != m
                            and _insert(st, y, depth - 1, {m}, budget)
                        ):
                            net += 1
            if net > 0:
                return True
            st.rollback(mark)
    return False


def _cap_swap(st: _State, m: int, depth: int, budget: _Budget) -> bool:
    """``m`` is blocked by a cap: swap it for a placed meeting if that nets +1."""
    ix = st.ix
    a, b = ix.ma[m], ix.mb[m]
    at_cap = [p for p in (a, b) if st.count[p] >= ix.cap[p]]
    if len(at_cap) != 1:
        return False
    p = at_cap[0]
    for x in ix.meetings_of[p]:
        if st.where[x] < 0 or st.locked[x] or ix.prio[x] > ix.prio[m]:
            continue
        c = ix.mb[x] if ix.ma[x] == p else ix.ma[x]
        for y in ix.meetings_of[c]:
            if y in (x, m) or st.where[y] >= 0 or st.banned[y] or ix.prio[x] > ix.prio[y]:
                continue
            if p in (ix.ma[y], ix.mb[y]):
                continue
            budget.left -= 1
            if budget.left <= 0:
                return False
            mark = len(st.journal)  # type: ignore[arg-type]
            st.unplace(x)
            if _insert(st, m, depth - 1, set(), budget) and _insert(
                st, y, depth - 1, set(), budget
            ):
                return True
            st.rollback(mark)
    return False


# --------------------------------------------------------------------------- result


def _names(ix: _Index, m: int) -> tuple[str, str]:
    return repr(ix.pid[ix.ma[m]]), repr(ix.pid[ix.mb[m]])


def _reason(ix: _Index, st: _State, m: int) -> Unplaced:
    a, b = ix.ma[m], ix.mb[m]
    na, nb = _names(ix, m)
    mid = ix.mid[m]
    if not ix.common[m]:
        return Unplaced(
            mid, Reason.NO_COMMON_SESSION, f"no common available session for {na} and {nb}"
        )
    if not ix.feas[m]:
        return Unplaced(
            mid,
            Reason.NO_SLOTS,
            f"the sessions where {na} and {nb} are both available are shorter than one "
            f"{ix.problem.slot_minutes}-minute slot",
        )
    capped = [p for p in (a, b) if st.count[p] >= ix.cap[p]]
    if capped:
        msg = "; ".join(
            f"participant {ix.pid[p]!r} reached the maximum of {ix.cap[p]} meetings" for p in capped
        )
        return Unplaced(mid, Reason.MAX_MEETINGS, msg)
    both_free = [s for s in ix.feas[m] if st.busy[a][s] < 0 and st.busy[b][s] < 0]
    if both_free:
        return Unplaced(
            mid,
            Reason.TABLES_FULL,
            f"all tables full in the {len(both_free)} common free slot(s) of {na} and {nb}",
        )
    return Unplaced(mid, Reason.NO_FREE_SLOT, f"no slot where both {na} and {nb} are free")


def _result(ix, st, accepted, rejected, ignored, prev, repaired) -> ScheduleResult:
    S = len(ix.slots)
    table = [0] * len(ix.mid)
    taken: list[set[int]] = [set() for _ in range(S)]
    for m, (s, t) in accepted.items():
        table[m] = t
        taken[s].add(t)
    for m in range(len(ix.mid)):  # previous table, if still in the same slot and free
        s = st.where[m]
        if s < 0 or table[m] or m not in prev:
            continue
        ps, pt = prev[m]
        if ps == s and isinstance(pt, int) and 1 <= pt <= ix.T and pt not in taken[s]:
            table[m] = pt
            taken[s].add(pt)
    nxt = [1] * S
    for m in range(len(ix.mid)):
        s = st.where[m]
        if s < 0 or table[m]:
            continue
        t = nxt[s]
        while t in taken[s]:
            t += 1
        nxt[s] = t + 1
        table[m] = t
        taken[s].add(t)

    placed = [m for m in range(len(ix.mid)) if st.where[m] >= 0]
    placed.sort(key=lambda m: (st.where[m], table[m]))
    placements = [Placement(ix.mid[m], ix.slots[st.where[m]].id, table[m]) for m in placed]
    unplaced: list[Unplaced] = []
    for m in range(len(ix.mid)):
        if st.where[m] >= 0:
            continue
        if m in rejected:
            unplaced.append(Unplaced(ix.mid[m], Reason.LOCKED_INVALID, rejected[m]))
        else:
            unplaced.append(_reason(ix, st, m))
    by_reason: dict[str, int] = {}
    for u in unplaced:
        by_reason[str(u.reason_code)] = by_reason.get(str(u.reason_code), 0) + 1
    kept = moved = dropped = 0
    for m, (ps, pt) in prev.items():
        if st.where[m] < 0:
            dropped += 1
        elif st.where[m] == ps and table[m] == pt:
            kept += 1
        else:
            moved += 1
    stats = {
        "requested": len(ix.mid),
        "placed": len(placements),
        "unplaced": len(unplaced),
        "by_reason": by_reason,
        "slots": S,
        "tables": ix.T,
        "capacity": S * ix.T,
        "locked_kept": len(accepted),
        "locked_rejected": len(rejected),
        "locked_ignored": ignored,
        "previous_kept": kept,
        "previous_moved": moved,
        "previous_dropped": dropped,
        "placed_by_repair": repaired,
    }
    return ScheduleResult(placements, unplaced, stats, problem=ix.problem, slots=ix.slots)


# --------------------------------------------------------------------------- checks


def check_move(
    schedule: ScheduleResult,
    meeting_id: Hashable,
    slot: str,
    table: int,
    *,
    problem: Problem | None = None,
) -> list[Clash]:
    """Clashes if the organiser puts ``meeting_id`` at ``(slot, table)`` by hand.

    ``schedule`` is the current schedule (its ``placements``; the meeting's own
    current placement is ignored).  The problem is ``schedule.problem`` unless
    given.  An empty list means the move is fine.  Locked meetings may be moved
    by hand (that is what the organiser is doing); other locked meetings in the
    target slot clash like any other.
    """
    problem = problem if problem is not None else schedule.problem
    if problem is None:
        raise ValueError("check_move needs the Problem (schedule.problem or problem=...)")
    ix = _Index(problem)
    m = ix.mpos.get(meeting_id)
    if m is None:
        return [Clash(ClashCode.UNKNOWN_MEETING, f"unknown meeting {meeting_id!r}")]
    s = ix.slot_pos.get(slot)
    if s is None:
        return [Clash(ClashCode.UNKNOWN_SLOT, f"unknown slot {slot!r}")]
    clashes: list[Clash] = []
    if not isinstance(table, int) or not 1 <= table <= ix.T:
        clashes.append(Clash(ClashCode.TABLE_OUT_OF_RANGE, f"table {table!r} is outside 1..{ix.T}"))
    people = (ix.ma[m], ix.mb[m])
    locked_ids = {pl.meeting_id for pl in problem.fixed}
    currently_placed = False
    counts = [0] * len(ix.pid)
    for pl in schedule.placements:
        x = ix.mpos.get(pl.meeting_id)
        if x is None:
            continue
        if x == m:
            currently_placed = True
            continue
        counts[ix.ma[x]] += 1
        counts[ix.mb[x]] += 1
        if pl.slot_id != slot:
            continue
        lock = " (locked)" if pl.meeting_id in locked_ids else ""
        if pl.table == table:
            clashes.append(
                Clash(
                    ClashCode.TABLE_TAKEN,
                    f"table {table} in slot {slot!r} is used by meeting {pl.meeting_id!r}{lock}",
                    other_meeting_id=pl.meeting_id,
                )
            )
        for p in people:
            if p in (ix.ma[x], ix.mb[x]):
                clashes.append(
                    Clash(
                        ClashCode.PARTICIPANT_BUSY,
                        f"participant {ix.pid[p]!r} is already in meeting "
                        f"{pl.meeting_id!r}{lock} in slot {slot!r}",
                        other_meeting_id=pl.meeting_id,
                        participant_id=ix.pid[p],
                    )
                )
    for p in people:
        if ix.slot_sess[s] not in ix.avail[p]:
            clashes.append(
                Clash(
                    ClashCode.PARTICIPANT_UNAVAILABLE,
                    f"participant {ix.pid[p]!r} is not available in session "
                    f"{ix.slots[s].session_id!r}",
                    participant_id=ix.pid[p],
                )
            )
        if not currently_placed and counts[p] >= ix.cap[p]:
            clashes.append(
                Clash(
                    ClashCode.MAX_MEETINGS,
                    f"participant {ix.pid[p]!r} already has the maximum of {ix.cap[p]} meetings",
                    participant_id=ix.pid[p],
                )
            )
    return clashes


def validate(problem: Problem, schedule: ScheduleResult) -> list[str]:
    """Every invariant violation of ``schedule`` for ``problem`` (empty = valid)."""
    ix = _Index(problem)
    errors: list[str] = []
    seen: dict[int, Placement] = {}
    by_slot_person: dict[tuple[int, int], Hashable] = {}
    by_slot_table: dict[tuple[int, int], Hashable] = {}
    count = [0] * len(ix.pid)
    for pl in schedule.placements:
        m = ix.mpos.get(pl.meeting_id)
        if m is None:
            errors.append(f"placement of unknown meeting {pl.meeting_id!r}")
            continue
        if m in seen:
            errors.append(f"meeting {pl.meeting_id!r} is placed more than once")
            continue
        seen[m] = pl
        s = ix.slot_pos.get(pl.slot_id)
        if s is None:
            errors.append(f"meeting {pl.meeting_id!r} is in unknown slot {pl.slot_id!r}")
            continue
        if not isinstance(pl.table, int) or not 1 <= pl.table <= ix.T:
            errors.append(f"meeting {pl.meeting_id!r} uses table {pl.table!r} outside 1..{ix.T}")
        other = by_slot_table.setdefault((s, pl.table), pl.meeting_id)
        if other != pl.meeting_id:
            errors.append(
                f"table {pl.table} in slot {pl.slot_id!r} is used by meetings "
                f"{other!r} and {pl.meeting_id!r}"
            )
        for p in (ix.ma[m], ix.mb[m]):
            count[p] += 1
            other = by_slot_person.setdefault((s, p), pl.meeting_id)
            if other != pl.meeting_id:
                errors.append(
                    f"participant {ix.pid[p]!r} is in meetings {other!r} and "
                    f"{pl.meeting_id!r} in slot {pl.slot_id!r}"
                )
            if ix.slot_sess[s] not in ix.avail[p]:
                errors.append(
                    f"meeting {pl.meeting_id!r}: participant {ix.pid[p]!r} is not available "
                    f"in session {ix.slots[s].session_id!r}"
                )
    for p, n in enumerate(count):
        if n > ix.cap[p]:
            errors.append(
                f"participant {ix.pid[p]!r} has {n} meetings, more than the maximum {ix.cap[p]}"
            )
    unplaced: dict[int, Unplaced] = {}
    for u in schedule.unplaced:
        m = ix.mpos.get(u.meeting_id)
        if m is None:
            errors.append(f"unplaced entry for unknown meeting {u.meeting_id!r}")
            continue
        if m in unplaced:
            errors.append(f"meeting {u.meeting_id!r} is listed unplaced more than once")
        unplaced[m] = u
        if m in seen:
            errors.append(f"meeting {u.meeting_id!r} is both placed and listed unplaced")
        if u.reason_code not in set(Reason) or not u.message:
            errors.append(f"meeting {u.meeting_id!r} is unplaced without a valid reason")
    for m, mid in enumerate(ix.mid):
        if m not in seen and m not in unplaced:
            errors.append(f"meeting {mid!r} is neither placed nor listed unplaced")
    accepted, rejected, _ = ix.check_locks()
    for m, (s, t) in accepted.items():
        pl = seen.get(m)
        if pl is None or pl.slot_id != ix.slots[s].id or pl.table != t:
            errors.append(
                f"locked meeting {ix.mid[m]!r} is not kept at slot {ix.slots[s].id!r} table {t}"
            )
    for m, u in unplaced.items():
        if (u.reason_code == Reason.LOCKED_INVALID) != (m in rejected):
            errors.append(f"meeting {ix.mid[m]!r}: wrong use of reason {Reason.LOCKED_INVALID}")
    for m in rejected:
        if m in seen:
            errors.append(f"meeting {ix.mid[m]!r} had an invalid lock but was placed anyway")
    return errors
