"""Import services: TED notices and OCDS release packages into procurement calls.

The pure parsers in :mod:`tenders.notices` turn bytes into dataclasses; this module matches the
buyer, compares with what is stored and writes only what changed, one transaction per file.
A second import of the same files changes no row (``updated_at`` included).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from organisations.models import CPVCode, Organisation
from tenders.models import Award, Lot, ProcurementCall
from tenders.notices import (
    NoticeRejected,
    TedAward,
    TedNotice,
    TedOrganisation,
    parse_ocds_package,
    parse_ted_notice,
)
from tenders.notices.ocds import OcdsRelease
from tenders.signals import call_published

__all__ = [
    "ImportOutcome",
    "buyer_match_or_create",
    "ocds_package_import",
    "ted_file_import",
    "ted_files_import",
    "ted_notice_import",
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


# --------------------------------------------------------------------------- buyers

_LEGAL_WORDS = {
    "joint",
    "undertaking",
    "the",
    "ltd",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s",
    "a",
    "spa",
    "p",
    "hf",
    "asbl",
    "eig",
    "eric",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _name_variants(*names: str | None) -> set[str]:
    """Normalised forms of a name: whole, without brackets, bracketed parts, no legal words."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        pieces = [name, re.sub(r"\([^)]*\)", " ", name)]
        pieces += re.findall(r"\(([^)]*)\)", name)
        for piece in pieces:
            folded = _fold(piece)
            if len(folded) >= 2:
                out.add(folded)
                core = " ".join(w for w in folded.split() if w not in _LEGAL_WORDS)
                if len(core) >= 3:
                    out.add(core)
    return out


_RESEARCH_RE = re.compile(
    r"research|laborator|observator|synchrotron|fusion|nuclear|cern|esrf|desy|space agency"
    r"|telescope|accelerator|institut|universit|forschung|recherche|joint research",
    re.IGNORECASE,
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "buyer"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _website(url: str | None) -> str:
    if not url:
        return ""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        url = "http://" + url
    return url[:200] if " " not in url else ""


def buyer_match_or_create(
    *,
    buyer: TedOrganisation | None = None,
    name: str = "",
    country: str | None = None,
    town: str | None = None,
    url: str | None = None,
) -> tuple[Organisation, bool]:
    """The directory organisation for a notice's buyer, created (published) when none matches.

    Matched on the normalised name, acronym or legal name (bracketed parts and legal-form words
    such as "Joint Undertaking" or "plc" set aside), in the same country when both say one.
    """
    if buyer is not None:
        name, country, town, url = buyer.official_name, buyer.country, buyer.town, buyer.url
    name = (name or "").strip()
    if not name:
        raise ValueError("the buyer has no name")
    wanted = _name_variants(name)
    candidates = Organisation.objects.only("id", "name", "acronym", "legal_name", "country")
    if country:
        candidates = candidates.filter(country__in=[country, ""])
    best = None
    for org in candidates.order_by("id"):
        theirs = _name_variants(org.name, org.legal_name)
        if org.acronym and len(org.acronym) >= 2:
            theirs.add(_fold(org.acronym))
        if wanted & theirs:
            if org.country and country and org.country.code != country:
                continue
            best = org
            break
    if best is not None:
        return Organisation.objects.get(pk=best.pk), False
    kind = (
        Organisation.Kind.RESEARCH_INFRASTRUCTURE
        if _RESEARCH_RE.search(name)
        else Organisation.Kind.PUBLIC_AUTHORITY
    )
    org = Organisation.objects.create(
        kind=kind,
        name=name[:200],
        slug=_unique_slug(name),
        legal_name=name[:255] if len(name) > 200 else "",
        country=country or "",
        city=(town or "")[:120],
        website=_website(url),
        status=Organisation.Status.PUBLISHED,
    )
    return org, True


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


def _comparable(call: ProcurementCall, name: str) -> Any:
    value = getattr(call, name)
    if name == "country":
        return value.code if value else ""
    return value


def _apply(call: ProcurementCall, values: dict[str, Any]) -> list[str]:
    """Set the fields that differ; return their names."""
    changed = []
    for name, value in values.items():
        if _comparable(call, name) != value:
            setattr(call, name, value)
            changed.append(name)
    return changed


def _set_m2m(manager, wanted: Iterable[str]) -> bool:
    wanted = set(wanted)
    current = set(manager.values_list("pk", flat=True))
    if wanted == current:
        return False
    manager.set(list(wanted))
    return True


def _status_for(*, deadline: dt.datetime | None, published: dt.datetime | None) -> str:
    now = timezone.now()
    if deadline is not None:
        return Status.PUBLISHED if deadline > now else Status.CLOSED
    if published is not None and published + UNDATED_NOTICE_CURRENT_FOR > now:
        return Status.PUBLISHED
    return Status.CLOSED


def _save_call(
    call: ProcurementCall | None,
    values: dict[str, Any],
    *,
    cpv_main: str | None,
    cpv_additional: list[str],
) -> tuple[ProcurementCall, str, bool]:
    """Create or update a call from ``values``; (call, action, became_published)."""
    if call is None:
        call = ProcurementCall.objects.create(**values, main_cpv_id=cpv_main)
        call.additional_cpv.set(cpv_additional)
        return call, "created", call.status == Status.PUBLISHED
    was_published = call.status == Status.PUBLISHED
    changed = _apply(call, {**values, "main_cpv_id": cpv_main})
    m2m = _set_m2m(call.additional_cpv, cpv_additional)
    if changed:
        call.save(update_fields=[*changed, "updated_at"])
    elif m2m:
        call.save(update_fields=["updated_at"])
    action = "updated" if (changed or m2m) else "unchanged"
    return call, action, call.status == Status.PUBLISHED and not was_published


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
        if lot is None:
            lot = Lot.objects.create(call=call, number=number, **data)
            lot.cpv_codes.set(cpvs)
            changed = True
            continue
        fields = [k for k, v in data.items() if getattr(lot, k) != v]
        for k in fields:
            setattr(lot, k, data[k])
        if fields:
            lot.save(update_fields=fields)
            changed = True
        if {c.pk for c in lot.cpv_codes.all()} != set(cpvs):
            lot.cpv_codes.set(cpvs)
            changed = True
    stale = [lot.pk for number, lot in existing.items() if number not in wanted_numbers]
    if stale:
        Lot.objects.filter(pk__in=stale).delete()
        changed = True
    return changed


def _award_rows(awards: Iterable[TedAward], default_currency: str | None) -> list[dict[str, Any]]:
    rows = []
    for award in awards:
        if not award.awarded:
            continue
        names = [s.name for s in award.suppliers if s.name]
        supplier = None
        if len(award.suppliers) == 1:
            supplier = _supplier_in_directory(award.suppliers[0].name, award.suppliers[0].country)
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


def _supplier_in_directory(name: str, country: str | None) -> int | None:
    wanted = _name_variants(name)
    if not wanted:
        return None
    qs = Organisation.objects.filter(kind__in=Organisation.COMPANY_KINDS)
    if country:
        qs = qs.filter(country=country)
    for pk, org_name, legal in qs.values_list("pk", "name", "legal_name"):
        if wanted & _name_variants(org_name, legal):
            return pk
    return None


def _sync_awards(call: ProcurementCall, rows: list[dict[str, Any]]) -> bool:
    """Add or update the award rows (keyed by lot, contract number and supplier); never delete."""
    changed = False
    existing = {(a.lot_number, a.contract_number, a.supplier_name): a for a in call.awards.all()}
    for row in rows:
        key = (row["lot_number"], row["contract_number"], row["supplier_name"])
        award = existing.get(key)
        if award is None:
            Award.objects.create(call=call, **row)
            changed = True
            continue
        fields = []
        for k, v in row.items():
            current = getattr(award, k)
            if k == "supplier_country":
                current = current.code if current else ""
            if current != v:
                setattr(award, k, v)
                fields.append(k)
        if fields:
            award.save(update_fields=fields)
            changed = True
    return changed


# --------------------------------------------------------------------------- TED


def _ted_values(notice: TedNotice, buyer: Organisation) -> dict[str, Any]:
    published = (
        dt.datetime.combine(notice.publication_date, dt.time(0, 0), tzinfo=BRUSSELS)
        if notice.publication_date
        else None
    )
    if notice.is_award:
        stage, status = Stage.INVITATION_TO_TENDER, Status.AWARDED
        if notice.awards and not any(a.awarded for a in notice.awards):
            discontinued = all(a.no_award_reason == "discontinued" for a in notice.awards)
            status = Status.CANCELLED if discontinued else Status.CLOSED
    else:
        stage = (
            Stage.ADVANCE_NOTICE
            if notice.notice_kind == "planning"
            else (Stage.INVITATION_TO_TENDER)
        )
        status = _status_for(deadline=notice.submission_deadline, published=published)
    amount = _money(notice.estimated_value)
    currency = (notice.currency or "EUR").upper()[:3]
    return {
        "buyer_id": buyer.pk,
        "reference": (notice.reference_number or "")[:100],
        "title": notice.title[:400],
        "description": notice.description or "",
        "stage": stage,
        "procurement_method": notice.procedure or ProcurementCall.Procedure.OTHER,
        "main_procurement_category": notice.main_category or ProcurementCall.MainCategory.GOODS,
        "value_amount": amount,
        "value_currency": currency,
        "value_band": value_band_for(amount, currency),
        "tender_period_end": notice.submission_deadline,
        "country": notice.country or "",
        "language": (notice.language or "en")[:8],
        "status": status,
        "source": ProcurementCall.Source.TED,
        "source_id": notice.notice_number,
        "notice_type": notice.notice_type[:80],
        "published_at": published,
    }


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
    """Store one parsed TED notice as a call (created, updated or unchanged).

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
        changed: list[str] = []
        was_published = original.status == Status.PUBLISHED
        if notice.is_award:
            rows = _award_rows(notice.awards, notice.currency)
            awards_changed = _sync_awards(original, rows)
            if rows:
                changed += _apply(original, {"status": Status.AWARDED})
            if awards_changed and not changed:
                original.save(update_fields=["updated_at"])
            if changed:
                original.save(update_fields=[*changed, "updated_at"])
            changed += ["awards"] if awards_changed else []
        else:
            new_deadline = next(
                (
                    c.new_datetime
                    for c in notice.changes
                    if c.new_datetime and (c.section or "").startswith("IV.2.2")
                ),
                None,
            )
            if new_deadline is not None:
                values = {"tender_period_end": new_deadline}
                if original.status in (Status.PUBLISHED, Status.CLOSED):
                    values["status"] = _status_for(deadline=new_deadline, published=None)
                changed = _apply(original, values)
                if changed:
                    original.save(update_fields=[*changed, "updated_at"])
        outcome.call_id = original.pk
        outcome.action = "updated" if changed else "unchanged"
        if original.status == Status.PUBLISHED and not was_published:
            outcome.became_published = True
    else:
        buyer, created_buyer = buyer_match_or_create(buyer=notice.buyer)
        if created_buyer:
            outcome.notes.append(f"new buyer {buyer.name!r}")
        lot_cpvs = [c for lot in notice.lots for c in lot.cpv_codes]
        known, unknown = _known_cpv([notice.cpv_main, *notice.cpv_additional, *lot_cpvs])
        known_set = set(known)
        if unknown:
            outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
        values = _ted_values(notice, buyer)
        if own is not None and own.status == Status.CANCELLED and not notice.is_award:
            values["status"] = own.status  # a call staff cancelled stays cancelled
        main = notice.cpv_main if notice.cpv_main in known_set else None
        additional = [c for c in notice.cpv_additional if c in known_set and c != main]
        call, action, became = _save_call(own, values, cpv_main=main, cpv_additional=additional)
        lots = []
        for i, lot in enumerate(notice.lots, start=1):
            lots.append(
                {
                    "number": (lot.number or str(i))[:20],
                    "title": (lot.title or "")[:400],
                    "description": lot.description or "",
                    "value_amount": _money(lot.estimated_value),
                    "cpv_codes": [c for c in lot.cpv_codes if c in known_set],
                }
            )
        extra = _sync_lots(call, lots)
        if notice.is_award:
            extra = _sync_awards(call, _award_rows(notice.awards, notice.currency)) or extra
        if extra and action == "unchanged":
            call.save(update_fields=["updated_at"])
            action = "updated"
        outcome.call_id, outcome.action, outcome.became_published = call.pk, action, became
    if outcome.became_published:
        call_published.send(sender=ProcurementCall, call_id=outcome.call_id)
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


def ted_files_import(
    *, paths: Iterable[str | Path], max_bytes: int | None = None
) -> list[ImportOutcome]:
    """Import files (folders expand to their ``*.xml``); each file in its own transaction."""
    from tenders.notices import MAX_NOTICE_BYTES, iter_notice_files

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
            outcomes.append(
                ImportOutcome(
                    filename=path.name,
                    action="refused",
                    reason=f"file is {size:,} bytes, above the limit of {limit:,} bytes",
                    code="too_large",
                )
            )
            continue
        outcomes.append(ted_file_import(data=path.read_bytes(), filename=path.name))
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
        main = known[0] if known else None
        amount = _money(release.value)
        currency = (release.currency or "EUR").upper()[:3]
        reference = release.reference or ""
        if release.ocid.endswith(f"-{reference}"):
            reference = ""  # tender.id only repeats the ocid: no reference of the buyer's own
        status = release.status
        deadline = release.submission_deadline
        if status == Status.PUBLISHED and deadline is not None and deadline <= timezone.now():
            status = Status.CLOSED  # OCDS keeps a tender "active" after its deadline
        values = {
            "buyer_id": buyer.pk,
            "reference": reference[:100],
            "title": (release.title or "")[:400],
            "description": release.description or "",
            "procurement_method": release.procedure or ProcurementCall.Procedure.OTHER,
            "main_procurement_category": release.main_category
            or ProcurementCall.MainCategory.GOODS,
            "value_amount": amount,
            "value_currency": currency,
            "value_band": value_band_for(amount, currency),
            "tender_period_end": release.submission_deadline,
            "enquiry_period_end": release.clarification_deadline,
            "language": (release.language or "en")[:8],
            "status": status,
            "source": ProcurementCall.Source.OCDS,
            "source_id": release.ocid[:100],
            "published_at": release.published_at or release.date,
        }
        if release.eligibility_criteria:
            values["selection_criteria"] = release.eligibility_criteria
        own = (
            ProcurementCall.objects.select_for_update()
            .filter(source=ProcurementCall.Source.OCDS, source_id=values["source_id"])
            .first()
        )
        call, action, became = _save_call(
            own, values, cpv_main=main, cpv_additional=list(known[1:])
        )
        lots = [
            {
                "number": lot.id[:20],
                "title": (lot.title or "")[:400],
                "description": lot.description or "",
                "value_amount": _money(lot.value),
                "cpv_codes": [],
            }
            for lot in release.lots
        ]
        extra = _sync_lots(call, lots)
        rows = [
            {
                "lot_number": (a.lot_ids[0] if a.lot_ids else "")[:20],
                "contract_number": a.id[:100],
                "supplier_name": ("; ".join(n for _, n in a.suppliers if n) or "(not published)")[
                    :255
                ],
                "supplier_country": "",
                "supplier_id": None,
                "value_amount": _money(a.value),
                "value_currency": (a.currency or currency)[:3],
                "date": a.date.date() if a.date else None,
            }
            for a in release.awards
            if a.status in (None, "active")
        ]
        extra = _sync_awards(call, rows) or extra
        if extra and action == "unchanged":
            call.save(update_fields=["updated_at"])
            action = "updated"
        previous = outcomes.get(release.ocid)
        if previous is not None:
            if previous.action == "created" or action == "unchanged":
                action = previous.action
            became = became or previous.became_published
        outcome = ImportOutcome(
            filename=filename,
            action=action,
            source_id=release.ocid,
            call_id=call.pk,
            became_published=became,
        )
        if unknown:
            outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
        outcomes[release.ocid] = outcome
    candidates = [o.call_id for o in outcomes.values() if o.became_published]
    published = set(
        ProcurementCall.objects.filter(pk__in=candidates, status=Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    for outcome in outcomes.values():
        outcome.became_published = outcome.call_id in published
        if outcome.became_published:
            call_published.send(sender=ProcurementCall, call_id=outcome.call_id)
    return list(outcomes.values())
