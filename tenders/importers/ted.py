"""TED notices, R2.0.9 and eForms through one path: the format detected per file, identity by
publication number (``ImportedNotice``), change notices amending their call, awards following
their procedure; files refused or skipped each with its message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.db import DatabaseError, transaction

from bigscience_portal.core.mail import one_line
from bigscience_portal.core.text import MAX_TEXT_LENGTH
from organisations.models import Organisation
from tenders import services
from tenders.buyers import _name_variants, buyer_match_or_create
from tenders.models import ImportedNotice, ProcurementCall
from tenders.notices import (
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedNotice,
    iter_notice_files,
)
from tenders.notices.formats import EFORMS, parse_notice
from tenders.scope import InterestProfile, interest_profile, notice_scope
from tenders.services import NoticeCall
from tenders.services.lifecycle import ContentSnapshot

from .common import (
    BRUSSELS,
    FOLLOW_UP_KINDS,
    PLACEHOLDER_NOTICE_IDS,
    PLACEHOLDER_PROCEDURE_IDS,
    ImportOutcome,
    Stage,
    Status,
    _award_rows,
    _call_values,
    _known_cpv,
    _money,
    _status_for,
)


def _ted_status(notice: TedNotice, published: dt.datetime | None) -> str:
    if not notice.is_award:
        return _status_for(deadline=notice.submission_deadline, published=published)
    if notice.awards and not any(a.awarded for a in notice.awards):
        discontinued = all(a.no_award_reason == "discontinued" for a in notice.awards)
        return Status.CANCELLED if discontinued else Status.CLOSED
    return Status.AWARDED


def _ted_call(notice: TedNotice, buyer: Organisation, known: set[str]) -> NoticeCall:
    """What a notice of its own (not a follow-up) says about its call."""
    published = (
        dt.datetime.combine(notice.publication_date, dt.time(0, 0), tzinfo=BRUSSELS)
        if notice.publication_date
        else None
    )
    if notice.is_award or notice.notice_kind != "planning":
        stage = Stage.INVITATION_TO_TENDER
    else:
        stage = Stage.ADVANCE_NOTICE
    main = notice.cpv_main if notice.cpv_main in known else None
    return NoticeCall(
        source=ProcurementCall.Source.TED,
        source_id=notice.notice_number,
        status=_ted_status(notice, published),
        note=f"TED notice {notice.notice_number}",
        values={
            **_call_values(
                notice,
                buyer=buyer,
                reference=notice.reference_number,
                value=notice.estimated_value,
                published=published,
            ),
            "stage": stage,
            "country": notice.country or "",
            "notice_type": notice.notice_type[:80],
            "enquiry_period_end": notice.clarification_deadline,
            "titles": {k[:8]: one_line(v, 400) for k, v in sorted(notice.titles.items()) if v},
            "descriptions": {
                k[:8]: v[:MAX_TEXT_LENGTH] for k, v in sorted(notice.descriptions.items()) if v
            },
        },
        main_cpv=main,
        additional_cpv=[c for c in notice.cpv_additional if c in known and c != main],
        lots=[
            {
                "number": (lot.number or str(i))[:20],
                "title": one_line(lot.title or "", 400),
                "description": lot.description or "",
                "value_amount": _money(lot.estimated_value),
                "cpv_codes": [c for c in lot.cpv_codes if c in known],
            }
            for i, lot in enumerate(notice.lots, start=1)
        ],
        awards=_award_rows(notice.awards, notice.currency) if notice.is_award else [],
    )


def _follow_up(notice: TedNotice, original: ProcurementCall) -> NoticeCall:
    """What an award notice or a corrigendum says about the call of the notice it follows:
    its awards (and so its status), or its new submission deadline."""
    follow = NoticeCall(
        source=original.source,
        source_id=original.source_id,
        status=original.status,
        note=f"TED notice {notice.notice_number}",
    )
    if notice.is_award:
        follow.awards = _award_rows(notice.awards, notice.currency)
        if follow.awards:
            follow.status = Status.AWARDED
        return follow
    new_deadline = next(
        (
            c.new_datetime
            for c in notice.changes
            if c.new_datetime and (c.section or "").startswith("IV.2.2")
        ),
        None,
    )
    if new_deadline is not None:
        follow.values = {"tender_period_end": new_deadline}
        if original.status in (Status.PUBLISHED, Status.CLOSED):
            follow.status = _status_for(deadline=new_deadline, published=None)
    return follow


def _original_call(notice: TedNotice) -> ProcurementCall | None:
    number = notice.previous_notice_number
    if not number or number == notice.notice_number:
        return None
    return _call_by_number(number)


def _locked(pk: int) -> ProcurementCall:
    return ProcurementCall.objects.select_for_update().get(pk=pk)


def _call_by_number(number: str) -> ProcurementCall | None:
    """The call a notice of this publication number went to (its own, or the one it followed)."""
    call = (
        ProcurementCall.objects.select_for_update()
        .filter(source=ProcurementCall.Source.TED, source_id=number)
        .first()
    )
    if call is None:
        record = ImportedNotice.objects.filter(notice_number=number).order_by("id").first()
        call = _locked(record.call_id) if record is not None else None
    return call


def _eforms_key(notice: TedNotice) -> str:
    if notice.notice_format != EFORMS or not notice.notice_id or not notice.notice_version:
        return ""
    if notice.notice_id.lower() in PLACEHOLDER_NOTICE_IDS:
        return ""
    return f"{notice.notice_id}-{notice.notice_version}"[:100]


def _changed_key(notice: TedNotice) -> str:
    """The eForms notice (id-version) a change or modification notice names, unless a placeholder."""
    key = (notice.changed_notice_id or "").strip()
    if not key or any(key.lower().startswith(p) for p in PLACEHOLDER_NOTICE_IDS):
        return ""
    return key[:100]


def _procedure_id(notice: TedNotice) -> str:
    pid = (notice.procedure_id or "").strip()
    return "" if pid.lower() in PLACEHOLDER_PROCEDURE_IDS else pid[:100]


def _record(notice: TedNotice, call: ProcurementCall) -> None:
    """Remember that ``notice`` went to ``call`` (once per format and number)."""
    changes = _changed_key(notice) if notice.notice_kind in FOLLOW_UP_KINDS else ""
    ImportedNotice.objects.get_or_create(
        notice_format=notice.notice_format,
        notice_number=notice.notice_number[:100],
        defaults={
            "call": call,
            "eforms_key": _eforms_key(notice),
            "changes_key": (changes or "")[:100],
            "procedure_id": _procedure_id(notice),
            "notice_kind": notice.notice_kind[:20],
        },
    )


def _same_buyer(call: ProcurementCall, notice: TedNotice) -> bool:
    return bool(_name_variants(notice.buyer.official_name) & _name_variants(call.buyer.name))


def _followed_call(notice: TedNotice) -> ProcurementCall | None:
    """The call of the notice that ``notice`` (a change, modification or award) follows up: the
    eForms notice it names, the publication number it names, or (awards) its procedure."""
    if _changed_key(notice):
        record = ImportedNotice.objects.filter(eforms_key=_changed_key(notice)).first()
        if record is not None:
            return _locked(record.call_id)
    original = _original_call(notice)
    if original is not None:
        return original
    pid = _procedure_id(notice)
    if notice.notice_format == EFORMS and pid:
        for record in ImportedNotice.objects.filter(procedure_id=pid).select_related("call__buyer"):
            if _same_buyer(record.call, notice):
                return _locked(record.call_id)
    return None


def _eforms_follow_up(
    notice: TedNotice, original: ProcurementCall, known: set[str], buyer: Organisation
) -> NoticeCall:
    """An eForms change notice carries the whole notice as it now is: the call takes its
    content (each difference an amendment); a cancelling change cancels the call. Award and
    modification notices add their awards."""
    if notice.notice_kind != "corrigendum":
        return _follow_up(notice, original)
    whole = _ted_call(notice, buyer, known)
    whole.source, whole.source_id = original.source, original.source_id
    whole.values.pop("notice_type", None)  # the call stays a contract notice, amended
    whole.values["buyer_id"] = original.buyer_id
    if notice.change_reason_code == "cancel":
        whole.status = Status.CANCELLED
    return whole


def _amend_from_original(call: ProcurementCall, original: NoticeCall) -> int:
    """A notice arriving after the change notice that changed it: the call keeps the change
    and lists, as amendments, what the change changed from this original."""
    values = {k: v for k, v in original.values.items() if k != "buyer_id"}
    before = ProcurementCall(
        **values, buyer_id=call.buyer_id, main_cpv_id=original.main_cpv, status=call.status
    )
    snapshot = ContentSnapshot(before, additional_cpv=original.additional_cpv or [])
    return len(snapshot.amendments(call, user=None))


def _superseded(notice: TedNotice, record: ImportedNotice) -> bool:
    """A notice imported before whose call has since taken a later notice (or its change)."""
    later = ImportedNotice.objects.filter(call_id=record.call_id, id__gt=record.id).exclude(
        notice_number=record.notice_number
    )
    key = _eforms_key(notice)
    changed = bool(key) and ImportedNotice.objects.filter(changes_key=key).exists()
    return changed or later.exists()


def _finish(outcome: ImportOutcome, result) -> ImportOutcome:
    outcome.notes += result.notes
    outcome.call_id, outcome.action = result.call.pk, result.action
    outcome.became_published = result.became_published
    if outcome.became_published:
        services.calls_announce(call_ids=[outcome.call_id])
    return outcome


@transaction.atomic
def ted_notice_import(*, notice: TedNotice) -> ImportOutcome:
    """Store one parsed TED notice, R2.0.9 or eForms, as a call (created, updated or
    unchanged), through the services (``services.call_import``): the one way a parsed notice,
    whatever its format, becomes a call.

    Identity is the publication number (eForms notices not yet published: id and version): a
    notice imported before, in either format, goes to the same call, and its twin in the other
    format changes nothing. Award notices that follow a notice already imported add their awards
    to its call; R2.0.9 corrigenda move its submission deadline; eForms change notices give it
    their content, each difference an amendment (and when the change arrives first, its original
    lists the same amendments). Otherwise the notice is a call of its own.
    """
    outcome = ImportOutcome(
        filename=notice.filename, action="unchanged", source_id=notice.notice_number
    )
    records = list(ImportedNotice.objects.filter(notice_number=notice.notice_number[:100]))
    mine = next((r for r in records if r.notice_format == notice.notice_format), None)
    if mine is None and records:
        twin = records[0]
        _record(notice, _locked(twin.call_id))
        outcome.call_id = twin.call_id
        outcome.notes.append(f"the same notice was imported as {twin.get_notice_format_display()}")
        return outcome
    if mine is not None and _superseded(notice, mine):
        outcome.call_id = mine.call_id
        outcome.notes.append("a later notice of this call was imported since")
        return outcome

    buyer, created_buyer = None, False
    lot_cpvs = [c for lot in notice.lots for c in lot.cpv_codes]
    known, unknown = _known_cpv([notice.cpv_main, *notice.cpv_additional, *lot_cpvs])
    own = (
        ProcurementCall.objects.select_for_update()
        .filter(source=ProcurementCall.Source.TED, source_id=notice.notice_number)
        .first()
    )
    if own is None and mine is not None:
        own = _locked(mine.call_id)
    followed = None
    if own is None and notice.notice_kind in FOLLOW_UP_KINDS:
        followed = _followed_call(notice)
    elif own is not None and own.source_id != notice.notice_number:
        followed, own = own, None
    if followed is not None:
        outcome.notes.append(f"follows up notice {followed.source_id}")
        if notice.notice_format == EFORMS:
            follow = _eforms_follow_up(notice, followed, set(known), followed.buyer)
        else:
            follow = _follow_up(notice, followed)
        result = services.call_import(call=followed, notice=follow)
        _record(notice, result.call)
        return _finish(outcome, result)

    key = _eforms_key(notice)
    change = (
        ImportedNotice.objects.filter(changes_key=key).order_by("id").first()
        if key and own is None
        else None
    )
    buyer, created_buyer = buyer_match_or_create(buyer=notice.buyer)
    if created_buyer:
        outcome.notes.append(f"new buyer {buyer.name!r}, unlisted until staff approve it")
    if unknown:
        outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
    data = _ted_call(notice, buyer, set(known))
    if change is not None:
        call = _locked(change.call_id)
        amended = _amend_from_original(call, data)
        _record(notice, call)
        outcome.call_id = call.pk
        outcome.action = "updated" if amended else "unchanged"
        outcome.notes.append(f"changed since by notice {change.notice_number}")
        return outcome
    result = services.call_import(call=own, notice=data)
    _record(notice, result.call)
    return _finish(outcome, result)


def _known_to_portal(notice: TedNotice) -> bool:
    """The notice, or the notice it follows up, was imported before: its call is here already."""
    numbers = [n for n in (notice.notice_number, notice.previous_notice_number) if n]
    if ImportedNotice.objects.filter(notice_number__in=numbers).exists():
        return True
    calls = ProcurementCall.objects.filter(source=ProcurementCall.Source.TED, source_id__in=numbers)
    if calls.exists():
        return True
    keys = [k for k in (_changed_key(notice), _eforms_key(notice)) if k]
    return bool(keys) and (
        ImportedNotice.objects.filter(eforms_key__in=keys).exists()
        or ImportedNotice.objects.filter(changes_key__in=keys).exists()
    )


def ted_file_import(
    *,
    data: bytes,
    filename: str,
    in_scope_only: bool = False,
    profile: InterestProfile | None = None,
) -> ImportOutcome:
    """Parse (R2.0.9 or eForms) and store one TED file; a refused file saves nothing and says
    why; a notice family the portal does not import is skipped, which is not an error.

    ``in_scope_only``: a notice outside the interest profile (:mod:`tenders.scope`) whose call
    the portal does not have is not imported (action ``out_of_scope``, with the reason).
    ``profile``: the interest profile to judge by, read once by a caller importing many files
    (else read for this file).
    """
    try:
        notice = parse_notice(data, filename=filename)
    except NoticeRejected as exc:
        action = "skipped" if exc.code == "family_skipped" else "refused"
        return ImportOutcome(filename=filename, action=action, reason=exc.reason, code=exc.code)
    if in_scope_only and not _known_to_portal(notice):
        scope = notice_scope(notice, profile)
        if not scope.in_scope:
            return ImportOutcome(
                filename=filename,
                action="out_of_scope",
                source_id=notice.notice_number,
                reason=scope.reason,
                code="out_of_scope",
            )
    try:
        return ted_notice_import(notice=notice)
    except (DatabaseError, ValueError) as exc:
        # The notice parsed but does not fit the database (e.g. an over-long value); its
        # transaction rolled back, so nothing of it is saved.
        return ImportOutcome(
            filename=filename,
            action="refused",
            source_id=notice.notice_number,
            reason=f"notice {notice.notice_number} could not be stored ({exc})",
            code="not_stored",
        )


def _too_large(filename: str, size: int, limit: int) -> ImportOutcome:
    return ImportOutcome(
        filename=filename,
        action="refused",
        reason=f"file is {size:,} bytes, above the limit of {limit:,} bytes",
        code="too_large",
    )


def ted_files_import(
    *, paths: Iterable[str | Path], max_bytes: int | None = None
) -> list[ImportOutcome]:
    """Import files (folders expand to their ``*.xml``); each file in its own transaction."""
    limit = max_bytes or MAX_NOTICE_BYTES
    outcomes = []
    for path in iter_notice_files(paths):
        try:
            size = path.stat().st_size
        except OSError as exc:
            outcomes.append(
                ImportOutcome(
                    filename=str(path),
                    action="refused",
                    reason=f"cannot read ({exc.strerror})",
                    code="unreadable",
                )
            )
            continue
        if size > limit:
            outcomes.append(_too_large(path.name, size, limit))
            continue
        outcomes.append(ted_file_import(data=path.read_bytes(), filename=path.name))
    return outcomes


def ted_uploads_import(
    *, uploads: Iterable, confirm_out_of_scope: bool = False
) -> list[ImportOutcome]:
    r"""Import uploaded files (Django ``UploadedFile``\ s), each in its own transaction; the
    notices outside the interest profile only when staff confirmed them."""
    profile = None if confirm_out_of_scope else interest_profile()
    outcomes = []
    for upload in uploads:
        if upload.size > MAX_NOTICE_BYTES:
            outcomes.append(_too_large(upload.name, upload.size, MAX_NOTICE_BYTES))
        else:
            outcomes.append(
                ted_file_import(
                    data=upload.read(),
                    filename=upload.name,
                    in_scope_only=not confirm_out_of_scope,
                    profile=profile,
                )
            )
    return outcomes
