"""Calls written from public notices (TED, OCDS): created, updated with amendments, moved.

``tenders.importers`` reads a notice into a :class:`NoticeCall` (plain values: what the notice
says about one call); :func:`call_import` writes it like any other change of a call: the fields
that differ and nothing else (a second import of the same notice changes no row, ``updated_at``
included), an amendment for each change of a published or closed call's content, every status
move through the transition table and recorded. A notice cannot do what an officer could not:
a cancelled or awarded call stays so whatever a later notice says (the outcome notes why), with
one move of its own: a corrigendum that moves a passed deadline into the future opens the closed
call again (:data:`NOTICE_TRANSITIONS`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .. import signals
from ..models import Award, CallStatusChange, Lot, ProcurementCall
from .lifecycle import TRANSITIONS, ContentSnapshot, move

Status = ProcurementCall.Status

#: The moves a notice may make: an officer's, and the reopening of a closed call whose deadline
#: a corrigendum moved into the future.
NOTICE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    **TRANSITIONS,
    Status.CLOSED: (*TRANSITIONS[Status.CLOSED], Status.PUBLISHED),
}


@dataclass
class NoticeCall:
    """What a notice says about one call (model field values; CPV codes by code).

    ``main_cpv``/``additional_cpv``/``lots`` left ``None`` leave the stored ones alone (a
    notice that follows up another one speaks of its deadline or awards only); ``awards`` are
    added or updated, never deleted (keyed by lot, contract number and supplier).
    """

    source: str
    source_id: str
    status: str
    values: dict[str, Any] = field(default_factory=dict)
    main_cpv: str | None = None
    additional_cpv: list[str] | None = None
    lots: list[dict[str, Any]] | None = None
    awards: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""


@dataclass
class ImportedCall:
    call: ProcurementCall
    action: str  # created | updated | unchanged
    became_published: bool = False
    notes: list[str] = field(default_factory=list)


def _comparable(call: ProcurementCall, name: str) -> Any:
    value = getattr(call, name)
    if name in ("country", "supplier_country"):
        return value.code if value else ""
    return value


def _apply(obj, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = []
    for name, value in values.items():
        if _comparable(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _set_m2m(manager, wanted: Iterable[str]) -> bool:
    wanted = set(wanted)
    if wanted == set(manager.values_list("pk", flat=True)):
        return False
    manager.set(list(wanted))
    return True


def _write(model, obj, *, call: ProcurementCall, data: dict[str, Any]):
    """``obj`` brought up to ``data`` (only the fields that differ saved), or a new one of
    ``model`` for ``call``; (the object, whether anything was written)."""
    if obj is None:
        return model.objects.create(call=call, **data), True
    fields = _apply(obj, data)
    if fields:
        obj.save(update_fields=fields)
    return obj, bool(fields)


def _sync_lots(call: ProcurementCall, lots: list[dict[str, Any]]) -> bool:
    """Make the call's lots exactly ``lots`` (by number); True when something changed."""
    changed = False
    existing = {lot.number: lot for lot in call.lots.prefetch_related("cpv_codes")}
    wanted_numbers = set()
    for data in lots:
        data = dict(data)
        number = data.pop("number")
        cpvs = data.pop("cpv_codes")
        if number in wanted_numbers:
            continue  # a notice that repeats a lot number: the first one stands
        wanted_numbers.add(number)
        lot = existing.get(number)
        lot, written = _write(Lot, lot, call=call, data={"number": number, **data})
        changed = changed or written
        if {c.pk for c in lot.cpv_codes.all()} != set(cpvs):
            lot.cpv_codes.set(cpvs)
            changed = True
    stale = [lot.pk for number, lot in existing.items() if number not in wanted_numbers]
    if stale:
        Lot.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def _sync_awards(call: ProcurementCall, rows: list[dict[str, Any]]) -> bool:
    """Add or update the award rows (keyed by lot, contract number and supplier); never delete."""
    changed = False
    existing = {(a.lot_number, a.contract_number, a.supplier_name): a for a in call.awards.all()}
    for row in rows:
        award = existing.get((row["lot_number"], row["contract_number"], row["supplier_name"]))
        changed = _write(Award, award, call=call, data=row)[1] or changed
    return changed


def _path(current: str, wanted: str) -> list[str] | None:
    """The moves from ``current`` to ``wanted`` a notice may make (shortest), None if none."""
    if current == wanted:
        return []
    queue = deque([(current, [])])
    seen = {current}
    while queue:
        status, steps = queue.popleft()
        for following in NOTICE_TRANSITIONS[status]:
            if following == wanted:
                return [*steps, following]
            if following not in seen:
                seen.add(following)
                queue.append((following, [*steps, following]))
    return None


def _create(notice: NoticeCall) -> ImportedCall:
    call = ProcurementCall.objects.create(
        **notice.values,
        source=notice.source,
        source_id=notice.source_id,
        status=notice.status,
        main_cpv_id=notice.main_cpv,
    )
    call.additional_cpv.set(notice.additional_cpv or [])
    CallStatusChange.objects.create(
        call=call, from_status="", to_status=notice.status, note=notice.note
    )
    _sync_lots(call, notice.lots or [])
    _sync_awards(call, notice.awards)
    return ImportedCall(call, "created", became_published=call.status == Status.PUBLISHED)


def _update(call: ProcurementCall, notice: NoticeCall) -> ImportedCall:
    was = call.status
    before = ContentSnapshot(call)
    values = dict(notice.values)
    if notice.main_cpv is not None or notice.additional_cpv is not None:
        values["main_cpv_id"] = notice.main_cpv
    changed = _apply(call, values)
    m2m = notice.additional_cpv is not None and _set_m2m(call.additional_cpv, notice.additional_cpv)
    if changed:
        call.save(update_fields=[*changed, "updated_at"])
    before.amendments(call, user=None)
    result = ImportedCall(call, "unchanged")
    path = _path(call.status, notice.status)
    if path is None:
        result.notes.append(
            f"the call stays {call.status} (the notice says {Status(notice.status).value})"
        )
    for step in path or []:
        move(call, to_status=step, user=None, note=notice.note, allowed=NOTICE_TRANSITIONS)
    extra = notice.lots is not None and _sync_lots(call, notice.lots)
    extra = _sync_awards(call, notice.awards) or extra
    if (m2m or extra) and not changed and not path:
        call.save(update_fields=["updated_at"])
    if changed or m2m or extra or path:
        result.action = "updated"
    if call.status != was and call.status != Status.PUBLISHED:
        signals.call_status_changed.send(
            sender=ProcurementCall, call_id=call.pk, status=str(call.status)
        )
    result.became_published = call.status == Status.PUBLISHED and was != Status.PUBLISHED
    return result


@transaction.atomic
def call_import(*, call: ProcurementCall | None, notice: NoticeCall) -> ImportedCall:
    """Create ``call`` from ``notice`` (None: a new call) or bring it up to what the notice
    says. The caller announces the calls that became published (:func:`calls_announce`) once
    all of its notices are written."""
    if call is None:
        return _create(notice)
    return _update(call, notice)


def calls_announce(*, call_ids: Iterable[int]) -> list[int]:
    """Tell the apps above of imported calls that became published and still are (a package
    that publishes and closes a call in two releases announces nothing)."""
    published = list(
        ProcurementCall.objects.filter(pk__in=list(call_ids), status=Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in published:
        signals.call_published.send(sender=ProcurementCall, call_id=pk)
    return published
