"""Parse Tenders Electronic Daily (TED) notices in the XML schema R2.0.9 (forms F01-F25).

Bytes in, plain dataclasses out: no Django, no ORM. Hostile or foreign input is refused with
:class:`NoticeRejected`, whose ``code`` tells the kind of refusal apart. The dataclasses are shared
with the eForms parser (:mod:`tenders.notices.eforms`): a notice gives the same fields whichever of
the two formats it comes in; ``notice_format`` says which one it was.

The notice identifier is the TED publication number (``TED_EXPORT/@DOC_ID``, e.g. ``089010-2021``):
TED assigns it once at publication, it names the notice in every TED URL, and it does not depend
on the language or the file name. The Official Journal number (``NO_DOC_OJS``, e.g.
``2021/S 036-089010``) and the eSender reception id (``RECEPTION_ID``, the file name stem) are kept
beside it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError
from zoneinfo import ZoneInfo

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

__all__ = [
    "MAX_NOTICE_BYTES",
    "NoticeRejected",
    "TedAward",
    "TedChange",
    "TedLot",
    "TedNotice",
    "TedOrganisation",
    "TedSupplier",
    "default_notice_dir",
    "iter_notice_files",
    "ojs_to_notice_number",
    "parse_ted_notice",
    "parse_ted_root",
]

#: Files above this size are refused before any parsing (the largest real notice is ~2.8 MB).
MAX_NOTICE_BYTES = 5 * 1024 * 1024

#: TED gives dates and times in Brussels local time.
BRUSSELS = ZoneInfo("Europe/Brussels")


class NoticeRejected(Exception):
    """A notice file that is refused; ``code`` is a stable machine-readable reason.

    Codes: ``too_large``, ``not_xml``, ``malformed``, ``dtd_forbidden``, ``entity_expansion``,
    ``external_entity`` (any XML); ``not_ted`` (TED XML R2.0.9); ``not_eforms``, ``incomplete``,
    ``family_skipped`` (eForms: the last one is a notice family the portal does not import, to be
    reported as skipped rather than as an error); ``unknown_format`` (neither of the two);
    ``not_json``, ``not_package``, ``invalid_release`` (OCDS JSON).
    """

    def __init__(self, filename: str, reason: str, code: str = "rejected") -> None:
        self.filename = filename
        self.reason = reason
        self.code = code
        super().__init__(f"{filename}: refused ({code}): {reason}")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True)
class TedOrganisation:
    official_name: str
    national_id: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    town: str | None = None
    url: str | None = None
    email: str | None = None
    #: Every registration number given (R2.0.9 NATIONALID; eForms BT-501 CompanyID), first is
    #: ``national_id``.
    identifiers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TedSupplier:
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    town: str | None = None
    national_id: str | None = None
    is_sme: bool | None = None
    identifiers: list[str] = field(default_factory=list)  # as TedOrganisation.identifiers


@dataclass(frozen=True)
class TedLot:
    number: str | None  # R2.0.9 LOT_NO; eForms "LOT-0002" as "2"
    title: str | None
    description: str | None
    #: R2.0.9: the lot's CPV_ADDITIONAL codes; eForms: the lot's main code, then its additional ones.
    cpv_codes: list[str] = field(default_factory=list)
    estimated_value: Decimal | None = None
    currency: str | None = None
    lot_id: str | None = None  # eForms BT-137 as written ("LOT-0002", "PAR-0001"); R2.0.9: None
    cpv_main: str | None = None  # eForms lot main CPV (R2.0.9 lots have none)
    #: Aware datetimes; R2.0.9 has one deadline per notice, repeated on each lot.
    submission_deadline: dt.datetime | None = None
    clarification_deadline: dt.datetime | None = None  # eForms BT-13 (R2.0.9: none)


@dataclass(frozen=True)
class TedAward:
    lot_number: str | None
    contract_number: str | None
    title: str | None
    awarded: bool  # False for "no contract awarded"
    #: "unsuccessful" | "discontinued" when not awarded; eForms also "pending" (open-nw: the
    #: winner is not chosen yet and the competition goes on).
    no_award_reason: str | None = None
    suppliers: list[TedSupplier] = field(default_factory=list)
    value: Decimal | None = None
    currency: str | None = None
    value_low: Decimal | None = None  # VAL_RANGE_TOTAL, when only a range is given
    value_high: Decimal | None = None
    date_concluded: dt.date | None = None  # DATE_CONCLUSION_CONTRACT / DATE_DECISION_JURY
    lot_id: str | None = None  # eForms lot identifier as written, see TedLot.lot_id


@dataclass(frozen=True)
class TedChange:
    """One change of a corrigendum (F14): where, and old/new text or date."""

    section: str | None
    label: str | None
    old_text: str | None
    new_text: str | None
    old_date: dt.date | None
    new_date: dt.date | None
    new_datetime: dt.datetime | None


@dataclass(frozen=True)
class TedNotice:
    filename: str
    notice_number: str  # TED publication number, DOC_ID, e.g. "089010-2021"
    ojs_number: str | None  # NO_DOC_OJS, e.g. "2021/S 036-089010"
    reception_id: str | None  # RECEPTION_ID, e.g. "21-077815-001"
    form_type: str  # "F02"
    notice_type: str  # "contract notice"
    notice_kind: str  # planning | tender | award | corrigendum | modification | other
    language: str  # original language (ISO 639-1, lower case)
    languages: list[str]  # all original languages (multilingual originals occur)
    buyer: TedOrganisation
    title: str  # English when available, else the original
    title_original: str | None
    description: str | None  # English when available, else the original
    description_original: str | None
    reference_number: str | None
    cpv_main: str | None  # 8 digits
    cpv_additional: list[str]  # 8 digits, deduplicated, without the main code
    procedure: str | None  # open | restricted | negotiated | competitive_dialogue | ...
    procedure_code: str | None  # the TED element, e.g. "PT_OPEN"
    main_category: str | None  # goods | works | services
    estimated_value: Decimal | None  # VAL_ESTIMATED_TOTAL, else VAL_TOTAL, else range high
    currency: str | None
    total_value: Decimal | None  # VAL_TOTAL (final total value of award notices)
    value_low: Decimal | None
    value_high: Decimal | None
    submission_deadline: dt.datetime | None  # aware, Europe/Brussels
    dispatch_date: dt.date | None
    publication_date: dt.date | None
    country: str | None  # buyer's country, ISO 3166-1 alpha-2
    url: str | None  # TED page of the notice (English when listed)
    documents_url: str | None  # URL_DOCUMENT
    lots: list[TedLot] = field(default_factory=list)
    awards: list[TedAward] = field(default_factory=list)
    changes: list[TedChange] = field(default_factory=list)
    #: The Official Journal number of the notice this one follows up (PROCEDURE/NOTICE_NUMBER_OJ
    #: of award notices, COMPLEMENTARY_INFO/NOTICE_NUMBER_OJ of corrigenda), e.g. "2020/S 222-542947".
    previous_ojs_number: str | None = None
    # Fields below came with eForms; R2.0.9 fills them where it has the information.
    notice_format: str = "ted-r2.0.9"  # "ted-r2.0.9" | "eforms"
    notice_id: str | None = None  # eForms BT-701 notice identifier (a UUID)
    notice_version: str | None = None  # eForms BT-757, "01" for a first version
    procedure_id: str | None = None  # eForms BT-04 ContractFolderID, one per procedure
    subtype: str | None = None  # eForms OPP-070 notice subtype ("16", "E3", ...)
    #: Every language's text, keyed by ISO 639-1 code (R2.0.9: each form's, then ML_TITLES).
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    clarification_deadline: dt.datetime | None = None  # eForms BT-13, aware (R2.0.9: none)
    performance_countries: list[str] = field(default_factory=list)  # alpha-2, from codes and NUTS
    performance_nuts: list[str] = field(default_factory=list)
    #: eForms: the publication number (BT-125 / OPP-090) of the notice this one follows up, in the
    #: form of ``notice_number``; R2.0.9 gives ``previous_ojs_number`` instead.
    previous_publication_number: str | None = None
    changed_notice_id: str | None = None  # eForms change/modification: "<notice id>-<version>"
    change_reason_code: str | None = None  # eForms BT-140 ("cancel", "update-add", ...)
    change_reason: str | None = None  # eForms BT-762 (English when given)

    @property
    def previous_notice_number(self) -> str | None:
        """The publication number of the notice followed up ("2020/S 222-542947" -> "542947-2020")."""
        return self.previous_publication_number or ojs_to_notice_number(self.previous_ojs_number)

    @property
    def is_award(self) -> bool:
        return self.notice_kind == "award"

    @property
    def is_change(self) -> bool:
        """A corrigendum (R2.0.9 F14) or an eForms change notice (``efac:Changes``)."""
        return self.notice_kind == "corrigendum"


# --------------------------------------------------------------------------- tables

FORM_NAMES: dict[str, tuple[str, str]] = {
    "F01": ("prior information notice", "planning"),
    "F02": ("contract notice", "tender"),
    "F03": ("contract award notice", "award"),
    "F04": ("periodic indicative notice - utilities", "planning"),
    "F05": ("contract notice - utilities", "tender"),
    "F06": ("contract award notice - utilities", "award"),
    "F07": ("qualification system - utilities", "tender"),
    "F08": ("buyer profile notice", "other"),
    "F12": ("design contest notice", "tender"),
    "F13": ("results of design contest", "award"),
    "F14": ("corrigendum", "corrigendum"),
    "F15": ("voluntary ex ante transparency notice", "award"),
    "F16": ("prior information notice - defence", "planning"),
    "F17": ("contract notice - defence", "tender"),
    "F18": ("contract award notice - defence", "award"),
    "F19": ("subcontract notice - defence", "tender"),
    "F20": ("modification notice", "modification"),
    "F21": ("social and other specific services - public contracts", "other"),
    "F22": ("social and other specific services - utilities", "other"),
    "F23": ("social and other specific services - concessions", "other"),
    "F24": ("concession notice", "tender"),
    "F25": ("concession award notice", "award"),
}

# F21-F23 carry NOTICE/@TYPE that tells what the notice is.
NOTICE_TYPE_KINDS: dict[str, tuple[str, str]] = {
    "AWARD_CONTRACT": ("contract award notice", "award"),
    "CONTRACT": ("contract notice", "tender"),
    "PRI_ONLY": ("prior information notice", "planning"),
    "PRI_CALL_COMPETITION": ("prior information notice (call for competition)", "tender"),
    "PER_ONLY": ("periodic indicative notice", "planning"),
    "PER_CALL_COMPETITION": ("periodic indicative notice (call for competition)", "tender"),
    "PER_REDUCING_TIME_LIMITS": ("periodic indicative notice (reducing time limits)", "planning"),
    "QSU_ONLY": ("qualification system", "planning"),
    "QSU_CALL_COMPETITION": ("qualification system (call for competition)", "tender"),
    "CONCESSION": ("concession notice", "tender"),
    "AWARD_CONCESSION": ("concession award notice", "award"),
}

CONTRACT_TYPES = {"SUPPLIES": "goods", "WORKS": "works", "SERVICES": "services"}
# CODIF_DATA/NC_CONTRACT_NATURE codes, used when a form has no TYPE_CONTRACT (design contests).
CONTRACT_NATURE_CODES = {"1": "works", "2": "goods", "4": "services"}

# TED's country codes are ISO 3166-1 alpha-2 except for these.
COUNTRY_FIXES = {"UK": "GB", "EL": "GR"}

PROCEDURES = (
    "open",
    "restricted",
    "negotiated",
    "competitive_dialogue",
    "innovation_partnership",
    "other",
)

_CPV_RE = re.compile(r"^(\d{8})(?:-\d)?$")
_FORM_RE = re.compile(r"^F(\d\d)_2014$")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- helpers


def _ln(tag: object) -> str:
    """Local name of an element tag (TED namespaces differ between schema releases)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element | None, name: str) -> Element | None:
    if el is None:
        return None
    for c in el:
        if _ln(c.tag) == name:
            return c
    return None


def _children(el: Element | None, name: str) -> list[Element]:
    if el is None:
        return []
    return [c for c in el if _ln(c.tag) == name]


def _path(el: Element | None, *names: str) -> Element | None:
    for n in names:
        el = _child(el, n)
        if el is None:
            return None
    return el


def _descendants(el: Element | None, name: str) -> Iterator[Element]:
    if el is None:
        return
    for d in el.iter():
        if _ln(d.tag) == name:
            yield d


def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = _WS_RE.sub(" ", s).strip()
    return s or None


def _text(el: Element | None) -> str | None:
    """Text of an element; paragraphs (``P``) become lines separated by a blank line."""
    if el is None:
        return None
    paras = [c for c in el if _ln(c.tag) == "P"]
    if paras:
        parts = [_clean("".join(p.itertext())) for p in paras]
        joined = "\n\n".join(p for p in parts if p)
        return joined or None
    return _clean("".join(el.itertext()))


def _attr(el: Element | None, name: str) -> str | None:
    if el is None:
        return None
    return _clean(el.get(name))


def _country(el: Element | None) -> str | None:
    code = _attr(el, "VALUE")
    if not code:
        return None
    code = code.upper()
    return COUNTRY_FIXES.get(code, code)


def _decimal(el: Element | None) -> Decimal | None:
    t = _text(el)
    if not t:
        return None
    t = t.replace(" ", "").replace("\u00a0", "")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _money(el: Element | None) -> tuple[Decimal | None, str | None]:
    amount = _decimal(el)
    if amount is None:
        return None, None
    return amount, _attr(el, "CURRENCY")


def _range(el: Element | None) -> tuple[Decimal | None, Decimal | None, str | None]:
    if el is None:
        return None, None, None
    return _decimal(_child(el, "LOW")), _decimal(_child(el, "HIGH")), _attr(el, "CURRENCY")


def _parse_date(s: str | None) -> dt.date | None:
    if not s:
        return None
    s = s.strip()
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _parse_time(s: str | None) -> dt.time | None:
    if not s:
        return None
    s = s.strip()
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(s, fmt).time()
        except ValueError:
            continue
    return None


def _deadline(date_el: Element | None, time_el: Element | None) -> dt.datetime | None:
    """Date + time (Brussels local time) as an aware datetime; no time means end of that day."""
    day = _parse_date(_text(date_el))
    if day is None:
        return None
    at = _parse_time(_text(time_el)) or dt.time(23, 59)
    return dt.datetime.combine(day, at, tzinfo=BRUSSELS)


def _cpv(el: Element | None) -> str | None:
    code = _attr(el, "CODE")
    if not code:
        return None
    m = _CPV_RE.match(code)
    return m.group(1) if m else None


def _dedupe(codes: Iterable[str | None], exclude: str | None = None) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for c in codes:
        if c and c != exclude and c not in seen:
            seen.add(c)
            out.append(c)
    return out


def _bool_flag(el: Element | None, yes: str, no: str) -> bool | None:
    if _child(el, yes) is not None:
        return True
    if _child(el, no) is not None:
        return False
    return None


# --------------------------------------------------------------------------- safe parsing


def _classify_dtd(data: bytes, filename: str, exc: DTDForbidden) -> NoticeRejected:
    """Tell a plain DTD from entity tricks; the second parse stops at the first declaration."""
    if exc.sysid or exc.pubid:
        return NoticeRejected(
            filename,
            f"the document type refers to an external DTD ({exc.sysid or exc.pubid}); "
            "external entities are never loaded",
            "external_entity",
        )
    try:
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as inner:
        if inner.sysid or inner.pubid:
            return NoticeRejected(
                filename,
                f"declares an external entity {inner.name!r} ({inner.sysid or inner.pubid}); "
                "external entities (XXE) are never loaded",
                "external_entity",
            )
        return NoticeRejected(
            filename,
            f"declares an internal entity {inner.name!r}; entity expansion "
            "(billion laughs) is refused",
            "entity_expansion",
        )
    except ExternalReferenceForbidden as inner:
        return NoticeRejected(
            filename,
            f"refers to an external resource ({inner.sysid or inner.pubid}); never loaded",
            "external_entity",
        )
    except (ParseError, ValueError, SyntaxError):
        pass
    return NoticeRejected(
        filename, "contains a document type declaration (DTD); DTDs are refused", "dtd_forbidden"
    )


def _parse_xml(data: bytes, filename: str, max_bytes: int) -> Element:
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("a notice is parsed from bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise NoticeRejected(
            filename,
            f"file is {len(data):,} bytes, above the limit of {max_bytes:,} bytes",
            "too_large",
        )
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        what = "JSON" if head[:1] in (b"{", b"[") else "not XML"
        raise NoticeRejected(filename, f"not an XML document (starts like {what})", "not_xml")
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden as exc:
        raise _classify_dtd(data, filename, exc) from None
    except EntitiesForbidden as exc:  # pragma: no cover - forbid_dtd fires first
        raise NoticeRejected(
            filename, f"declares entity {exc.name!r}; refused", "entity_expansion"
        ) from None
    except ExternalReferenceForbidden as exc:  # pragma: no cover - forbid_dtd fires first
        raise NoticeRejected(
            filename, f"refers to an external resource {exc.sysid!r}", "external_entity"
        ) from None
    except ParseError as exc:
        raise NoticeRejected(filename, f"malformed or truncated XML ({exc})", "malformed") from None
    except (ValueError, SyntaxError) as exc:
        raise NoticeRejected(filename, f"malformed XML ({exc})", "malformed") from None


# --------------------------------------------------------------------------- form parts


def _organisation(addr: Element | None) -> TedOrganisation:
    national_id = _text(_child(addr, "NATIONALID"))
    return TedOrganisation(
        official_name=_text(_child(addr, "OFFICIALNAME")) or "",
        national_id=national_id,
        country=_country(_child(addr, "COUNTRY")),
        town=_text(_child(addr, "TOWN")),
        url=_text(_child(addr, "URL_GENERAL")) or _text(_child(addr, "URL_BUYER")),
        email=_text(_child(addr, "E_MAIL")),
        identifiers=[national_id] if national_id else [],
    )


def _supplier(addr: Element, holder: Element | None) -> TedSupplier:
    national_id = _text(_child(addr, "NATIONALID"))
    return TedSupplier(
        name=_text(_child(addr, "OFFICIALNAME")) or "",
        country=_country(_child(addr, "COUNTRY")),
        town=_text(_child(addr, "TOWN")),
        national_id=national_id,
        is_sme=_bool_flag(holder, "SME", "NO_SME"),
        identifiers=[national_id] if national_id else [],
    )


def _lots(form: Element, text_form: Element, deadline: dt.datetime | None) -> list[TedLot]:
    obj = _child(form, "OBJECT_CONTRACT")
    descrs = _children(obj, "OBJECT_DESCR")
    text_descrs = _children(_child(text_form, "OBJECT_CONTRACT"), "OBJECT_DESCR")
    if len(text_descrs) != len(descrs):
        text_descrs = descrs
    divided = _child(obj, "LOT_DIVISION") is not None
    lots: list[TedLot] = []
    for d, td in zip(descrs, text_descrs, strict=True):
        number = _text(_child(d, "LOT_NO"))
        if number is None and not divided:
            continue
        amount, currency = _money(_child(d, "VAL_OBJECT"))
        lots.append(
            TedLot(
                number=number,
                title=_text(_child(td, "TITLE")) or _text(_child(d, "TITLE")),
                description=_text(_child(td, "SHORT_DESCR")) or _text(_child(d, "SHORT_DESCR")),
                cpv_codes=_dedupe(
                    _cpv(_child(c, "CPV_CODE")) for c in _children(d, "CPV_ADDITIONAL")
                ),
                estimated_value=amount,
                currency=currency,
                submission_deadline=deadline,
            )
        )
    return lots


def _awards(form: Element, text_form: Element) -> list[TedAward]:
    awards: list[TedAward] = []
    blocks = _children(form, "AWARD_CONTRACT")
    text_blocks = _children(text_form, "AWARD_CONTRACT")
    if len(text_blocks) != len(blocks):
        text_blocks = blocks
    for block, tblock in zip(blocks, text_blocks, strict=True):
        awarded_el = _child(block, "AWARDED_CONTRACT")
        suppliers: list[TedSupplier] = []
        value = currency = low = high = None
        concluded = None
        if awarded_el is not None:
            for contractor in _descendants(awarded_el, "CONTRACTOR"):
                addr = _child(contractor, "ADDRESS_CONTRACTOR")
                if addr is not None:
                    suppliers.append(_supplier(addr, contractor))
            values = _child(awarded_el, "VALUES")
            if values is None:
                values = awarded_el
            value, currency = _money(_child(values, "VAL_TOTAL"))
            low, high, rcur = _range(_child(values, "VAL_RANGE_TOTAL"))
            currency = currency or rcur
            concluded = _parse_date(_text(_child(awarded_el, "DATE_CONCLUSION_CONTRACT")))
        reason = None
        no_award = _child(block, "NO_AWARDED_CONTRACT")
        if no_award is not None:
            reason = (
                "discontinued"
                if _child(no_award, "PROCUREMENT_DISCONTINUED") is not None
                else "unsuccessful"
            )
        awards.append(
            TedAward(
                lot_number=_text(_child(block, "LOT_NO")),
                contract_number=_text(_child(block, "CONTRACT_NO")),
                title=_text(_child(tblock, "TITLE")) or _text(_child(block, "TITLE")),
                awarded=awarded_el is not None,
                no_award_reason=reason,
                suppliers=suppliers,
                value=value,
                currency=currency,
                value_low=low,
                value_high=high,
                date_concluded=concluded,
            )
        )
    # Design contest results (F13): RESULTS/AWARDED_PRIZE/WINNERS/WINNER.
    for result in _children(form, "RESULTS"):
        prize = _child(result, "AWARDED_PRIZE")
        suppliers = []
        value = currency = None
        decided = None
        if prize is not None:
            for winner in _descendants(prize, "WINNER"):
                addr = _child(winner, "ADDRESS_WINNER")
                if addr is not None:
                    suppliers.append(_supplier(addr, winner))
            value, currency = _money(_child(prize, "VAL_PRIZE"))
            decided = _parse_date(_text(_child(prize, "DATE_DECISION_JURY")))
        awards.append(
            TedAward(
                lot_number=_text(_child(result, "LOT_NO")),
                contract_number=None,
                title=_text(_child(result, "TITLE")),
                awarded=prize is not None,
                no_award_reason=None if prize is not None else "unsuccessful",
                suppliers=suppliers,
                value=value,
                currency=currency,
                date_concluded=decided,
            )
        )
    return awards


def _procedure(form: Element) -> tuple[str | None, str | None]:
    proc = _child(form, "PROCEDURE")
    for el in proc.iter() if proc is not None else ():
        name = _ln(el.tag)
        if name.startswith("PT_"):
            return _map_procedure(name), name
    return None, None


def _map_procedure(code: str) -> str:
    if "COMPETITIVE_DIALOGUE" in code:
        return "competitive_dialogue"
    if "INNOVATION_PARTNERSHIP" in code:
        return "innovation_partnership"
    if "RESTRICTED" in code:
        return "restricted"
    if "OPEN" in code:
        return "open"
    if "NEGOTIAT" in code or "WITHOUT_CALL" in code or "WITHOUT_PUBLICATION" in code:
        return "negotiated"
    return "other"


def _changes(form: Element) -> list[TedChange]:
    out: list[TedChange] = []
    for change in _descendants(_child(form, "CHANGES"), "CHANGE"):
        where = _child(change, "WHERE")
        old = _child(change, "OLD_VALUE")
        new = _child(change, "NEW_VALUE")
        out.append(
            TedChange(
                section=_text(_child(where, "SECTION")),
                label=_text(_child(where, "LABEL")),
                old_text=_text(_child(old, "TEXT")),
                new_text=_text(_child(new, "TEXT")),
                old_date=_parse_date(_text(_child(old, "DATE"))),
                new_date=_parse_date(_text(_child(new, "DATE"))),
                new_datetime=_deadline(_child(new, "DATE"), _child(new, "TIME"))
                if _child(new, "TIME") is not None
                else None,
            )
        )
    return out


# --------------------------------------------------------------------------- entry points


def _texts_by_language(
    forms: list[Element], root: Element, *names: str, ml_titles: bool = False
) -> dict[str, str]:
    """One text per language: each form's (original first), then TED's ML_TITLES translations."""
    out: dict[str, str] = {}
    for f in forms:
        lg = (f.get("LG") or "").lower()
        text = _text(_path(f, *names))
        if lg and text and lg not in out:
            out[lg] = text
    if ml_titles:
        for ti in _descendants(_child(root, "TRANSLATION_SECTION"), "ML_TI_DOC"):
            lg = (ti.get("LG") or "").lower()
            text = _text(_child(ti, "TI_TEXT"))
            if lg and text and lg not in out:
                out[lg] = text
    return out


def _performance_places(obj: Element | None) -> tuple[list[str], list[str]]:
    """NUTS codes of the places of performance (OBJECT_DESCR/NUTS) and the countries they name."""
    nuts = _dedupe(
        _attr(n, "CODE") for d in _children(obj, "OBJECT_DESCR") for n in _descendants(d, "NUTS")
    )
    prefixes = (c[:2].upper() for c in nuts if c[:2].isalpha())  # "00": outside any country
    countries = _dedupe(COUNTRY_FIXES.get(c, c) for c in prefixes)
    return nuts, countries


def parse_ted_notice(data: bytes, *, filename: str, max_bytes: int = MAX_NOTICE_BYTES) -> TedNotice:
    """Parse one TED R2.0.9 notice; raise :class:`NoticeRejected` for anything else."""
    return parse_ted_root(_parse_xml(data, filename, max_bytes), filename=filename)


def parse_ted_root(root: Element, *, filename: str) -> TedNotice:
    """A TED R2.0.9 notice from its parsed (safely, see ``_parse_xml``) root element."""
    if _ln(root.tag) != "TED_EXPORT":
        raise NoticeRejected(
            filename,
            f"root element is <{_ln(root.tag)}>, not <TED_EXPORT>: not a TED notice",
            "not_ted",
        )
    section = _child(root, "FORM_SECTION")
    forms = [c for c in (section if section is not None else ()) if _FORM_RE.match(_ln(c.tag))]
    if not forms:
        raise NoticeRejected(
            filename,
            "no R2.0.9 form (F01_2014 ... F25_2014) in FORM_SECTION: not a supported TED notice",
            "not_ted",
        )
    originals = [f for f in forms if (f.get("CATEGORY") or "").upper() == "ORIGINAL"]
    form = originals[0] if originals else forms[0]
    english = [f for f in forms if (f.get("LG") or "").upper() == "EN"]
    text_form = english[0] if english else form

    form_type = "F" + _FORM_RE.match(_ln(form.tag)).group(1)  # type: ignore[union-attr]
    notice_type, notice_kind = FORM_NAMES.get(form_type, ("notice", "other"))
    notice_el = _child(form, "NOTICE")
    if notice_el is not None and form_type in ("F21", "F22", "F23"):
        sub = NOTICE_TYPE_KINDS.get(notice_el.get("TYPE") or "")
        if sub:
            notice_type = f"{sub[0]} - social and other specific services"
            notice_kind = sub[1]

    coded = _child(root, "CODED_DATA_SECTION")
    notice_data = _child(coded, "NOTICE_DATA")
    codif = _child(coded, "CODIF_DATA")

    notice_number = _clean(root.get("DOC_ID"))
    ojs_number = _text(_child(notice_data, "NO_DOC_OJS"))
    reception_id = _text(_path(root, "TECHNICAL_SECTION", "RECEPTION_ID"))
    if not notice_number:
        notice_number = ojs_number or reception_id or Path(filename).stem

    lg_orig = [t.lower() for t in (_text(e) for e in _children(notice_data, "LG_ORIG")) if t]
    language = ((form.get("LG") or "") or (lg_orig[0] if lg_orig else "")).lower()
    languages = lg_orig or ([language] if language else [])

    body = _child(form, "CONTRACTING_BODY")
    buyer = _organisation(_child(body, "ADDRESS_CONTRACTING_BODY"))
    if not buyer.official_name:
        names = _child(_child(root, "TRANSLATION_SECTION"), "ML_AA_NAMES")
        for n in _children(names, "AA_NAME"):
            if (n.get("LG") or "").upper() in ("EN", language.upper()):
                buyer = TedOrganisation(**{**buyer.__dict__, "official_name": _text(n) or ""})
                break
    country = buyer.country or _country(_child(notice_data, "ISO_COUNTRY"))

    obj = _child(form, "OBJECT_CONTRACT")
    text_obj = _child(text_form, "OBJECT_CONTRACT")
    title_original = _text(_child(obj, "TITLE"))
    ml_en = None
    for ti in _descendants(_child(root, "TRANSLATION_SECTION"), "ML_TI_DOC"):
        if (ti.get("LG") or "").upper() == "EN":
            ml_en = _text(_child(ti, "TI_TEXT"))
            break
    en_form_title = _text(_child(text_obj, "TITLE")) if english else None
    title = en_form_title or ml_en or title_original or ""
    description_original = _text(_child(obj, "SHORT_DESCR"))
    description = (_text(_child(text_obj, "SHORT_DESCR")) if english else None) or (
        description_original
    )

    cpv_main = _cpv(_path(obj, "CPV_MAIN", "CPV_CODE"))
    if cpv_main is None:
        cpv_main = _cpv(_child(notice_data, "ORIGINAL_CPV"))
    cpv_additional = _dedupe(
        (_cpv(_child(c, "CPV_CODE")) for c in _descendants(obj, "CPV_ADDITIONAL")),
        exclude=cpv_main,
    )

    ctype = _attr(_child(obj, "TYPE_CONTRACT"), "CTYPE")
    main_category = CONTRACT_TYPES.get((ctype or "").upper())
    if main_category is None:
        main_category = CONTRACT_NATURE_CODES.get(
            _attr(_child(codif, "NC_CONTRACT_NATURE"), "CODE") or ""
        )

    estimated, currency = _money(_child(obj, "VAL_ESTIMATED_TOTAL"))
    total, total_cur = _money(_child(obj, "VAL_TOTAL"))
    low, high, range_cur = _range(_child(obj, "VAL_RANGE_TOTAL"))
    if estimated is None:
        estimated, currency = total, total_cur
    if estimated is None and high is not None:
        estimated, currency = high, range_cur
    if estimated is None:
        for v in _descendants(_child(notice_data, "VALUES"), "VALUE"):
            if v.get("TYPE") in ("ESTIMATED_TOTAL", "PROCUREMENT_TOTAL"):
                estimated, currency = _money(v)
                if estimated is not None:
                    break

    procedure, procedure_code = _procedure(form)
    proc = _child(form, "PROCEDURE")
    deadline = _deadline(_child(proc, "DATE_RECEIPT_TENDERS"), _child(proc, "TIME_RECEIPT_TENDERS"))
    nuts, performance_countries = _performance_places(obj)
    ordered_forms = [form, *(f for f in forms if f is not form)]

    dispatch = _parse_date(_text(_path(form, "COMPLEMENTARY_INFO", "DATE_DISPATCH_NOTICE")))
    if dispatch is None:
        dispatch = _parse_date(_text(_child(codif, "DS_DATE_DISPATCH")))
    publication = _parse_date(_text(_path(coded, "REF_OJS", "DATE_PUB")))

    url = None
    for u in _descendants(_child(notice_data, "URI_LIST"), "URI_DOC"):
        lg = (u.get("LG") or "").upper()
        if url is None or lg == "EN":
            url = _text(u)
        if lg == "EN":
            break

    return TedNotice(
        filename=filename,
        notice_number=notice_number,
        ojs_number=ojs_number,
        reception_id=reception_id,
        form_type=form_type,
        notice_type=notice_type,
        notice_kind=notice_kind,
        language=language,
        languages=languages,
        buyer=buyer,
        title=title,
        title_original=title_original,
        description=description,
        description_original=description_original,
        reference_number=_text(_child(obj, "REFERENCE_NUMBER")),
        cpv_main=cpv_main,
        cpv_additional=cpv_additional,
        procedure=procedure,
        procedure_code=procedure_code,
        main_category=main_category,
        estimated_value=estimated,
        currency=currency,
        total_value=total,
        value_low=low,
        value_high=high,
        submission_deadline=deadline,
        dispatch_date=dispatch,
        publication_date=publication,
        country=country,
        url=url,
        documents_url=_text(_child(body, "URL_DOCUMENT")),
        lots=_lots(form, text_form, deadline),
        awards=_awards(form, text_form),
        changes=_changes(form),
        previous_ojs_number=_text(_path(form, "PROCEDURE", "NOTICE_NUMBER_OJ"))
        or _text(_path(form, "COMPLEMENTARY_INFO", "NOTICE_NUMBER_OJ")),
        titles=_texts_by_language(ordered_forms, root, "OBJECT_CONTRACT", "TITLE", ml_titles=True),
        descriptions=_texts_by_language(ordered_forms, root, "OBJECT_CONTRACT", "SHORT_DESCR"),
        performance_countries=performance_countries,
        performance_nuts=nuts,
    )


_OJS_RE = re.compile(r"^(\d{4})\s*/\s*S\s*\d{1,3}\s*-\s*(\d{1,6})$")


def ojs_to_notice_number(ojs: str | None) -> str | None:
    """An Official Journal number ("2021/S 036-089010") as TED's publication number ("089010-2021")."""
    m = _OJS_RE.match((ojs or "").strip())
    if not m:
        return None
    return f"{int(m.group(2)):06d}-{m.group(1)}"


def default_notice_dir() -> Path:
    """``$REFERENCE_DATA_DIR/ted-notices`` (default: ``../shared/data`` beside the checkout)."""
    base = os.environ.get("REFERENCE_DATA_DIR")
    if base:
        return Path(base) / "ted-notices"
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ted-notices"


def iter_notice_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand folders to their ``*.xml`` files (sorted); files are kept as given."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        path = Path(p)
        found = sorted(f for f in path.glob("*.xml") if f.is_file()) if path.is_dir() else [path]
        for f in found:
            if f not in seen:
                seen.add(f)
                out.append(f)
    return out
