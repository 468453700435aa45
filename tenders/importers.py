"""Import services: TED notices and OCDS release packages into procurement calls.

The pure parsers in :mod:`tenders.notices` turn bytes into dataclasses; this module matches the
buyer, compares with what is stored and writes only what changed, one transaction per file.
A second import of the same files changes no row (``updated_at`` included).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.utils import timezone

from bigscience_portal.core.mail import one_line
from bigscience_portal.core.text import MAX_TEXT_LENGTH
from organisations.models import CPVCode, Organisation
from tenders import services
from tenders.buyers import buyer_match_or_create, supplier_in_directory
from tenders.models import ProcurementCall
from tenders.notices import (
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedAward,
    TedNotice,
    iter_notice_files,
    parse_ocds_package,
    parse_ted_notice,
)
from tenders.notices.ocds import OcdsRelease
from tenders.services import NoticeCall

__all__ = [
    "ImportOutcome",
    "buyer_match_or_create",
    "ocds_package_import",
    "ted_file_import",
    "ted_files_import",
    "ted_notice_import",
    "ted_uploads_import",
]

BRUSSELS = ZoneInfo("Europe/Brussels")
#: A notice without a submission deadline counts as current this long after publication.
UNDATED_NOTICE_CURRENT_FOR = dt.timedelta(days=183)
CENT = Decimal("0.01")

Status = ProcurementCall.Status
Stage = ProcurementCall.Stage


@dataclass
class ImportOutcome:
    """What happened to one file (TED) or one release (OCDS)."""

    filename: str
    action: str  # created | updated | unchanged | refused
    source_id: str = ""
    call_id: int | None = None
    reason: str = ""  # why it was refused
    code: str = ""  # NoticeRejected.code when refused
    notes: list[str] = field(default_factory=list)  # e.g. unknown CPV codes skipped
    became_published: bool = False

    @property
    def ok(self) -> bool:
        return self.action != "refused"

    def line(self) -> str:
        """One line for the command's output and the upload report."""
        if self.action == "refused":
            return f"{self.filename}: refused: {self.reason}"
        where = f" (call {self.call_id})" if self.call_id else ""
        notes = f" [{'; '.join(self.notes)}]" if self.notes else ""
        verb = "imported" if self.action == "created" else self.action
        return f"{self.filename}: {verb} {self.source_id}{where}{notes}"


# --------------------------------------------------------------------------- helpers


def _money(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value if abs(value) < Decimal("1e14") else None


def value_band_for(amount: Decimal | None, currency: str | None) -> str:
    """CERN's value band of an amount in CHF or EUR (EUR taken at par: bands are orders of size)."""
    if amount is None or (currency or "EUR").upper() not in ("EUR", "CHF"):
        return ""
    if amount < 750_000:
        return "A"
    if amount < 5_000_000:
        return "B"
    if amount <= 10_000_000:
        return "C"
    return "D"


def _known_cpv(codes: Iterable[str | None]) -> tuple[list[str], list[str]]:
    codes = [c for c in dict.fromkeys(codes) if c]
    known = set(CPVCode.objects.filter(code__in=codes).values_list("code", flat=True))
    return [c for c in codes if c in known], [c for c in codes if c not in known]


def _call_values(
    *,
    buyer: Organisation,
    reference: str | None,
    title: str | None,
    description: str | None,
    procedure: str | None,
    category: str | None,
    value: Decimal | None,
    currency: str | None,
    deadline: dt.datetime | None,
    language: str | None,
    published: dt.datetime | None,
) -> dict[str, Any]:
    """The call's fields that every notice format gives, cut to the model's lengths."""
    amount = _money(value)
    currency = (currency or "EUR").upper()[:3]
    return {
        "buyer_id": buyer.pk,
        "reference": one_line(reference or "", 100),
        "title": one_line(title or "", 400),
        "description": (description or "")[:MAX_TEXT_LENGTH],
        "procurement_method": procedure or ProcurementCall.Procedure.OTHER,
        "main_procurement_category": category or ProcurementCall.MainCategory.GOODS,
        "value_amount": amount,
        "value_currency": currency,
        "value_band": value_band_for(amount, currency),
        "tender_period_end": deadline,
        "language": (language or "en")[:8],
        "published_at": published,
    }


def _status_for(*, deadline: dt.datetime | None, published: dt.datetime | None) -> str:
    now = timezone.now()
    if deadline is not None:
        return Status.PUBLISHED if deadline > now else Status.CLOSED
    if published is not None and published + UNDATED_NOTICE_CURRENT_FOR > now:
        return Status.PUBLISHED
    return Status.CLOSED


def _award_rows(awards: Iterable[TedAward], default_currency: str | None) -> list[dict[str, Any]]:
    rows = []
    for award in awards:
        if not award.awarded:
            continue
        names = [s.name for s in award.suppliers if s.name]
        supplier = None
        if len(award.suppliers) == 1:
            supplier = supplier_in_directory(award.suppliers[0].name, award.suppliers[0].country)
        rows.append(
            {
                "lot_number": (award.lot_number or "")[:20],
                "contract_number": (award.contract_number or "")[:100],
                "supplier_name": ("; ".join(names) or "(not published)")[:255],
                "supplier_country": next((s.country for s in award.suppliers if s.country), "")
                or "",
                "supplier_id": supplier,
                "value_amount": _money(
                    award.value if award.value is not None else award.value_high
                ),
                "value_currency": (award.currency or default_currency or "EUR")[:3],
                "date": award.date_concluded,
            }
        )
    return rows


# --------------------------------------------------------------------------- TED


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
                buyer=buyer,
                reference=notice.reference_number,
                title=notice.title,
                description=notice.description,
                procedure=notice.procedure,
                category=notice.main_category,
                value=notice.estimated_value,
                currency=notice.currency,
                deadline=notice.submission_deadline,
                language=notice.language,
                published=published,
            ),
            "stage": stage,
            "country": notice.country or "",
            "notice_type": notice.notice_type[:80],
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
    return (
        ProcurementCall.objects.select_for_update()
        .filter(source=ProcurementCall.Source.TED, source_id=number)
        .first()
    )


@transaction.atomic
def ted_notice_import(*, notice: TedNotice) -> ImportOutcome:
    """Store one parsed TED notice as a call (created, updated or unchanged), through the
    services (``services.call_import``): the one way a parsed notice, whatever its format,
    becomes a call.

    Award notices that follow a contract notice already imported add their awards to that call;
    corrigenda of an imported notice move its submission deadline. Otherwise the notice is a call
    of its own, keyed by its publication number.
    """
    outcome = ImportOutcome(
        filename=notice.filename, action="unchanged", source_id=notice.notice_number
    )
    own = (
        ProcurementCall.objects.select_for_update()
        .filter(source=ProcurementCall.Source.TED, source_id=notice.notice_number)
        .first()
    )
    original = None if own is not None else _original_call(notice)
    if original is not None and notice.notice_kind in ("award", "corrigendum", "modification"):
        outcome.notes.append(f"follows up notice {original.source_id}")
        result = services.call_import(call=original, notice=_follow_up(notice, original))
    else:
        buyer, created_buyer = buyer_match_or_create(buyer=notice.buyer)
        if created_buyer:
            outcome.notes.append(f"new buyer {buyer.name!r}")
        lot_cpvs = [c for lot in notice.lots for c in lot.cpv_codes]
        known, unknown = _known_cpv([notice.cpv_main, *notice.cpv_additional, *lot_cpvs])
        if unknown:
            outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
        result = services.call_import(call=own, notice=_ted_call(notice, buyer, set(known)))
    outcome.notes += result.notes
    outcome.call_id, outcome.action = result.call.pk, result.action
    outcome.became_published = result.became_published
    if outcome.became_published:
        services.calls_announce(call_ids=[outcome.call_id])
    return outcome


def ted_file_import(*, data: bytes, filename: str) -> ImportOutcome:
    """Parse and store one TED file; a refused file saves nothing and says why."""
    try:
        notice = parse_ted_notice(data, filename=filename)
    except NoticeRejected as exc:
        return ImportOutcome(filename=filename, action="refused", reason=exc.reason, code=exc.code)
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


def ted_uploads_import(*, uploads: Iterable) -> list[ImportOutcome]:
    r"""Import uploaded files (Django ``UploadedFile``\ s), each in its own transaction."""
    outcomes = []
    for upload in uploads:
        if upload.size > MAX_NOTICE_BYTES:
            outcomes.append(_too_large(upload.name, upload.size, MAX_NOTICE_BYTES))
        else:
            outcomes.append(ted_file_import(data=upload.read(), filename=upload.name))
    return outcomes


# --------------------------------------------------------------------------- OCDS


def _ocds_buyer(release: OcdsRelease) -> Organisation:
    from django_countries import countries

    country = None
    if release.buyer_country:
        value = release.buyer_country.strip()
        if len(value) == 2 and value.upper() in dict(countries):
            country = value.upper()
        else:
            country = countries.by_name(value) or None
    buyer, _ = buyer_match_or_create(name=release.buyer_name or "", country=country)
    return buyer


def _ocds_call(release: OcdsRelease, buyer: Organisation, known: list[str]) -> NoticeCall:
    """What one OCDS release says about its call."""
    reference = release.reference or ""
    if release.ocid.endswith(f"-{reference}"):
        reference = ""  # tender.id only repeats the ocid: no reference of the buyer's own
    status = release.status
    deadline = release.submission_deadline
    if status == Status.PUBLISHED and deadline is not None and deadline <= timezone.now():
        status = Status.CLOSED  # OCDS keeps a tender "active" after its deadline
    values = _call_values(
        buyer=buyer,
        reference=reference,
        title=release.title,
        description=release.description,
        procedure=release.procedure,
        category=release.main_category,
        value=release.value,
        currency=release.currency,
        deadline=deadline,
        language=release.language,
        published=release.published_at or release.date,
    )
    values["enquiry_period_end"] = release.clarification_deadline
    if release.eligibility_criteria:
        values["selection_criteria"] = release.eligibility_criteria
    return NoticeCall(
        source=ProcurementCall.Source.OCDS,
        source_id=release.ocid[:100],
        status=status,
        note=f"OCDS release {release.id or release.ocid}"[:2000],
        values=values,
        main_cpv=known[0] if known else None,
        additional_cpv=list(known[1:]),
        lots=[
            {
                "number": lot.id[:20],
                "title": one_line(lot.title or "", 400),
                "description": lot.description or "",
                "value_amount": _money(lot.value),
                "cpv_codes": [],
            }
            for lot in release.lots
        ],
        awards=[
            {
                "lot_number": (a.lot_ids[0] if a.lot_ids else "")[:20],
                "contract_number": a.id[:100],
                "supplier_name": ("; ".join(n for _, n in a.suppliers if n) or "(not published)")[
                    :255
                ],
                "supplier_country": "",
                "supplier_id": None,
                "value_amount": _money(a.value),
                "value_currency": (a.currency or values["value_currency"])[:3],
                "date": a.date.date() if a.date else None,
            }
            for a in release.awards
            if a.status in (None, "active")
        ],
    )


@transaction.atomic
def ocds_package_import(*, data: bytes, filename: str) -> list[ImportOutcome]:
    """Create or update calls (source "ocds", keyed by ocid) from an OCDS release package.

    All or nothing: a package that is not valid OCDS 1.1 is refused as a whole (NoticeRejected).
    Releases of one ocid are applied oldest first, so the newest state wins.
    """
    releases = parse_ocds_package(data, filename=filename, strict=True)
    for i, release in enumerate(releases):
        if not release.title:
            raise NoticeRejected(
                filename, f"release {i} ({release.ocid}) has no tender title", "invalid_release"
            )
        if not release.buyer_name:
            raise NoticeRejected(
                filename, f"release {i} ({release.ocid}) names no buyer", "invalid_release"
            )
    ordered = sorted(releases, key=lambda r: r.date or dt.datetime.min.replace(tzinfo=dt.UTC))
    outcomes: dict[str, ImportOutcome] = {}
    for release in ordered:
        buyer = _ocds_buyer(release)
        known, unknown = _known_cpv(release.cpv_codes)
        notice = _ocds_call(release, buyer, known)
        own = (
            ProcurementCall.objects.select_for_update()
            .filter(source=ProcurementCall.Source.OCDS, source_id=notice.source_id)
            .first()
        )
        result = services.call_import(call=own, notice=notice)
        action, became = result.action, result.became_published
        previous = outcomes.get(release.ocid)
        if previous is not None:
            if previous.action == "created" or action == "unchanged":
                action = previous.action
            became = became or previous.became_published
        outcome = ImportOutcome(
            filename=filename,
            action=action,
            source_id=release.ocid,
            call_id=result.call.pk,
            became_published=became,
            notes=result.notes,
        )
        if unknown:
            outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
        outcomes[release.ocid] = outcome
    announced = set(
        services.calls_announce(
            call_ids=[o.call_id for o in outcomes.values() if o.became_published]
        )
    )
    for outcome in outcomes.values():
        outcome.became_published = outcome.call_id in announced
    return list(outcomes.values())
