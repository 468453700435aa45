"""Parse eForms notices (UBL 2.3 with the EU's eForms extensions, SDK 1.x) into :class:`TedNotice`.

Since October 2023 TED publishes only eForms. The same dataclasses as the R2.0.9 parser
(:mod:`tenders.notices.ted`) come out, so that a notice gives the same call whichever format it
arrives in; bytes in, no Django, no ORM, hostile input refused by the same hardened XML parsing.

How an eForms notice is laid out (what this module reads):

- the root names the family (``ContractNotice``, ``ContractAwardNotice``,
  ``PriorInformationNotice``); ``cbc:NoticeTypeCode`` (BT-02) and
  ``efac:NoticeSubType/cbc:SubTypeCode`` (OPP-070) name the form;
- organisations are listed once in ``efac:Organizations`` and referred to everywhere else by their
  ``ORG-nnnn`` id: the buyer from ``cac:ContractingParty``, winners through
  ``efac:NoticeResult``: ``LotResult`` -> ``SettledContract`` -> ``LotTender`` ->
  ``TenderingParty`` -> ``Tenderer``;
- the procedure (``cac:ProcurementProject``, ``cac:TenderingProcess``) and each lot
  (``cac:ProcurementProjectLot``) carry their own title, CPV codes, value and deadlines;
- texts come once per language with ``languageID`` in ISO 639-3 (``ENG``), countries in
  ISO 3166-1 alpha-3 (``DNK``), dates and times with their UTC offset (``2019-11-15+01:00``).

The publication number (``efac:Publication/efbc:NoticePublicationID``, "00089010-2021") is
written like TED's R2.0.9 ``DOC_ID`` ("089010-2021"), so that a notice and its R2.0.9 twin have
the same ``notice_number``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from xml.etree.ElementTree import Element

from tenders.notices.eforms_codes import (
    CONTRACT_NATURES,
    COUNTRIES,
    LANGUAGES,
    NOTICE_TYPE_KINDS,
    NUTS_COUNTRY_FIXES,
    PLACEHOLDER_IDENTIFIERS,
    PROCEDURES,
    SKIPPED_NOTICE_TYPES,
    SKIPPED_SUBTYPES,
    SME_SIZES,
    SUBTYPES,
    UNSUCCESSFUL_REASONS,
)
from tenders.notices.ted import (
    BRUSSELS,
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedAward,
    TedChange,
    TedLot,
    TedNotice,
    TedOrganisation,
    TedSupplier,
    _dedupe,
    _parse_xml,
)

__all__ = [
    "EFORMS_NAMESPACES",
    "parse_eforms_notice",
    "parse_eforms_root",
]

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}

#: Namespaces of the eForms root elements (the three UBL documents and the registration notice).
EFORMS_NAMESPACES = frozenset(
    {
        "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
        "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
        "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2",
        "http://data.europa.eu/p27/eforms-business-registration-information-notice/1",
    }
)

#: Where the eForms extension sits, under the root and under other UBL elements.
EXT = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"


_CPV_RE = re.compile(r"^(\d{8})(?:-\d)?$")
_PUBLICATION_RE = re.compile(r"^0*(\d{1,8})-(\d{4})$")
_NUMBERED_ID_RE = re.compile(r"^(?:LOT|PAR)-(\d+)$")
_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$")
_TIME_RE = re.compile(r"^(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BLANK_LINES_RE = re.compile(r"\n\s*\n\s*")


# --------------------------------------------------------------------------- helpers


def _find(el: Element | None, path: str) -> Element | None:
    return None if el is None else el.find(path, NS)


def _findall(el: Element | None, path: str) -> list[Element]:
    return [] if el is None else el.findall(path, NS)


def _clean(s: str | None) -> str | None:
    """Spaces collapsed within lines; line breaks kept (a blank line between paragraphs)."""
    if not s:
        return None
    if _CONTROL_RE.search(s):
        s = _CONTROL_RE.sub("", s)
    if "\n" not in s and "\r" not in s:
        return " ".join(s.split()) or None
    lines = [" ".join(line.split()) for line in s.splitlines()]
    return _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip() or None


def _text(el: Element | None, path: str | None = None) -> str | None:
    if path is not None:
        el = _find(el, path)
    return None if el is None else _clean(el.text)


def _language(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return LANGUAGES.get(code, code.lower())


def _country(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().upper()
    return COUNTRIES.get(code) or (code if len(code) == 2 else None)


def _texts(el: Element | None, path: str, default_language: str) -> dict[str, str]:
    """A multilingual text as {ISO 639-1 code: text}, first text of each language."""
    out: dict[str, str] = {}
    for t in _findall(el, path):
        text = _clean(t.text)
        language = _language(t.get("languageID")) or default_language
        if text and language not in out:
            out[language] = text
    return out


def _pick(texts: dict[str, str], language: str) -> str | None:
    """English when there is English, else the notice's own language, else the first."""
    return texts.get("en") or texts.get(language) or next(iter(texts.values()), None)


def _amount(el: Element | None) -> tuple[Decimal | None, str | None]:
    text = _text(el)
    if not text:
        return None, None
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation:
        return None, None
    if not value.is_finite() or value.adjusted() > 17:
        return None, None  # no contract is worth 10^18; sums of such values would overflow
    currency = (el.get("currencyID") or "").strip().upper() or None  # type: ignore[union-attr]
    return value, currency


def _offset(code: str | None) -> dt.tzinfo | None:
    if not code:
        return None
    if code == "Z":
        return dt.UTC
    sign = -1 if code[0] == "-" else 1
    hours, minutes = int(code[1:3]), int(code[4:6])
    if hours > 14 or minutes > 59:
        return None
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _date(text: str | None) -> tuple[dt.date | None, dt.tzinfo | None]:
    m = _DATE_RE.match(text or "")
    if not m:
        return None, None
    try:
        day = dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None, None
    return day, _offset(m.group(2))


def _period_end(period: Element | None) -> dt.datetime | None:
    """``EndDate`` + ``EndTime`` as an aware datetime, with the offsets the notice gives.

    The time's offset wins over the date's; a notice without any offset is taken in Brussels time
    (as TED's R2.0.9 dates are), and a date without a time means the end of that day (23:59).
    """
    day, day_zone = _date(_text(period, "cbc:EndDate"))
    if day is None:
        return None
    at, zone = dt.time(23, 59), None
    m = _TIME_RE.match(_text(period, "cbc:EndTime") or "")
    if m:
        try:
            at = dt.time.fromisoformat(m.group(1))
        except ValueError:
            at = dt.time(23, 59)
        zone = _offset(m.group(2))
    return dt.datetime.combine(day, at, tzinfo=zone or day_zone or BRUSSELS)


def _cpv(el: Element | None) -> str | None:
    m = _CPV_RE.match(_text(el) or "")
    return m.group(1) if m else None


def _publication_number(text: str | None) -> str | None:
    """ "00089010-2021" (eForms) -> "089010-2021" (TED's R2.0.9 ``DOC_ID`` form)."""
    m = _PUBLICATION_RE.match((text or "").strip())
    return f"{int(m.group(1)):06d}-{m.group(2)}" if m else None


def _lot_number(lot_id: str | None) -> str | None:
    """ "LOT-0002" -> "2", as the converter numbers R2.0.9's lot 2; "LOT-0000" (the converter's
    single lot of a notice not divided into lots) -> None, as R2.0.9 has no lot number there."""
    if not lot_id:
        return None
    m = _NUMBERED_ID_RE.match(lot_id)
    if not m:
        return lot_id
    return str(int(m.group(1))) if int(m.group(1)) else None


def _latest(values: Iterable[dt.datetime | None]) -> dt.datetime | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None


# --------------------------------------------------------------------------- notice parts


class _Organisations:
    """``efac:Organizations`` indexed by ``ORG-nnnn``: buyers and winners are references to it."""

    def __init__(self, extension: Element | None, language: str) -> None:
        self.by_id: dict[str, Element] = {}
        self.lead: set[str] = set()
        self.language = language
        self._suppliers: dict[str, TedSupplier | None] = {}
        for org in _findall(extension, "efac:Organizations/efac:Organization"):
            company = _find(org, "efac:Company")
            org_id = _text(company, "cac:PartyIdentification/cbc:ID")
            if org_id and org_id not in self.by_id:
                self.by_id[org_id] = company  # type: ignore[assignment]
                if (_text(org, "efbc:GroupLeadIndicator") or "").lower() == "true":
                    self.lead.add(org_id)

    def _common(self, company: Element) -> dict[str, object]:
        names = _texts(company, "cac:PartyName/cbc:Name", self.language)
        identifiers = _dedupe(
            text
            for e in _findall(company, "cac:PartyLegalEntity/cbc:CompanyID")
            if (text := _text(e)) and text.lower() not in PLACEHOLDER_IDENTIFIERS
        )
        return {
            "name": names.get(self.language) or _pick(names, self.language) or "",
            "country": _country(
                _text(company, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
            ),
            "town": _text(company, "cac:PostalAddress/cbc:CityName"),
            "identifiers": identifiers,
            "national_id": identifiers[0] if identifiers else None,
        }

    def organisation(self, org_id: str | None) -> TedOrganisation | None:
        company = self.by_id.get(org_id or "")
        if company is None:
            return None
        common = self._common(company)
        return TedOrganisation(
            official_name=common.pop("name"),  # type: ignore[arg-type]
            url=_text(company, "cbc:WebsiteURI"),
            email=_text(company, "cac:Contact/cbc:ElectronicMail"),
            **common,  # type: ignore[arg-type]
        )

    def supplier(self, org_id: str | None) -> TedSupplier | None:
        """A winner (BT-500 name, BT-165 size); one winner of many lots is built once."""
        key = org_id or ""
        if key not in self._suppliers:
            company = self.by_id.get(key)
            size = (_text(company, "efbc:CompanySizeCode") or "").lower()
            self._suppliers[key] = (
                None
                if company is None
                else TedSupplier(
                    is_sme=(size in SME_SIZES) if size else None,
                    **self._common(company),  # type: ignore[arg-type]
                )
            )
        return self._suppliers[key]


def _buyer(root: Element, orgs: _Organisations) -> TedOrganisation | None:
    """The buyer: the group leader among the contracting parties (joint procurement), else the first."""
    ids = [
        _text(party, "cac:Party/cac:PartyIdentification/cbc:ID")
        for party in _findall(root, "cac:ContractingParty")
    ]
    ids = [i for i in ids if i in orgs.by_id]
    chosen = next((i for i in ids if i in orgs.lead), ids[0] if ids else None)
    return orgs.organisation(chosen)


def _places(projects: Iterable[Element | None]) -> tuple[list[str], list[str]]:
    """(country codes, NUTS codes) of the places of performance (BT-5141, BT-5071)."""
    countries: list[str | None] = []
    nuts: list[str | None] = []
    for project in projects:
        for address in _findall(project, "cac:RealizedLocation/cac:Address"):
            code = _text(address, "cbc:CountrySubentityCode")
            if code:
                nuts.append(code.upper())
                prefix = code[:2].upper()
                if prefix.isalpha():
                    countries.append(NUTS_COUNTRY_FIXES.get(prefix, prefix))
            countries.append(_country(_text(address, "cac:Country/cbc:IdentificationCode")))
    return _dedupe(countries), _dedupe(nuts)


def _classification(project: Element | None) -> tuple[str | None, list[str]]:
    main = _cpv(_find(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode"))
    additional = _dedupe(
        (
            _cpv(e)
            for e in _findall(
                project, "cac:AdditionalCommodityClassification/cbc:ItemClassificationCode"
            )
        ),
        exclude=main,
    )
    return main, additional


def _submission_deadline(process: Element | None) -> dt.datetime | None:
    """When a company must act: requests to participate (BT-1311) before tenders (BT-131), then
    expressions of interest (BT-630, prior information notices used as calls)."""
    for path in (
        "cac:ParticipationRequestReceptionPeriod",
        "cac:TenderSubmissionDeadlinePeriod",
        f"{EXT}/efac:InterestExpressionReceptionPeriod",
    ):
        deadline = _period_end(_find(process, path))
        if deadline is not None:
            return deadline
    return None


def _is_lot(el: Element) -> bool:
    """A lot (``LOT-nnnn``) or a part of a prior information notice (``PAR-nnnn``), not a group."""
    lot_id = _find(el, "cbc:ID")
    return lot_id is not None and lot_id.get("schemeName") != "LotsGroup"


def _lot(el: Element, language: str) -> TedLot:
    project = _find(el, "cac:ProcurementProject")
    process = _find(el, "cac:TenderingProcess")
    lot_id = _text(el, "cbc:ID")
    main, additional = _classification(project)
    value, currency = _amount(
        _find(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    )
    return TedLot(
        number=_lot_number(lot_id),
        title=_pick(_texts(project, "cbc:Name", language), language),
        description=_pick(_texts(project, "cbc:Description", language), language),
        cpv_codes=_dedupe([main, *additional]),
        estimated_value=value,
        currency=currency,
        lot_id=lot_id,
        cpv_main=main,
        submission_deadline=_submission_deadline(process),
        clarification_deadline=_period_end(
            _find(process, "cac:AdditionalInformationRequestPeriod")
        ),
    )


def _awards(result: Element | None, orgs: _Organisations) -> list[TedAward]:
    """One award per settled contract (BT-150) of a lot with a winner; one "not awarded" per lot
    closed without a winner (BT-142 ``clos-nw``) or still open (``open-nw``, reason "pending")."""
    if result is None:
        return []
    tenders = {_text(t, "cbc:ID"): t for t in _findall(result, "efac:LotTender")}
    parties = {
        _text(p, "cbc:ID"): [_text(t, "cbc:ID") for t in _findall(p, "efac:Tenderer")]
        for p in _findall(result, "efac:TenderingParty")
    }
    contracts = {_text(c, "cbc:ID"): c for c in _findall(result, "efac:SettledContract")}

    def award(
        lot_id: str | None,
        tender_ids: list[str | None],
        contract: Element | None,
        lot_result: Element | None,
    ) -> TedAward:
        suppliers: list[TedSupplier] = []
        total: Decimal | None = None
        currency = None
        for tender_id in tender_ids:
            tender = tenders.get(tender_id)
            for org_id in parties.get(_text(tender, "efac:TenderingParty/cbc:ID"), []):
                supplier = orgs.supplier(org_id)
                if supplier is not None and supplier not in suppliers:
                    suppliers.append(supplier)
            value, cur = _amount(_find(tender, "cac:LegalMonetaryTotal/cbc:PayableAmount"))
            if value is not None:
                total = value if total is None else total + value
                currency = currency or cur
        low, low_cur = _amount(_find(lot_result, "cbc:LowerTenderAmount"))
        high, high_cur = _amount(_find(lot_result, "cbc:HigherTenderAmount"))
        concluded, _ = _date(_text(contract, "cbc:IssueDate"))
        if concluded is None:
            concluded, _ = _date(_text(contract, "cbc:AwardDate"))
        return TedAward(
            lot_number=_lot_number(lot_id),
            contract_number=_text(contract, "efac:ContractReference/cbc:ID"),
            title=_pick(_texts(contract, "cbc:Title", orgs.language), orgs.language),
            awarded=True,
            suppliers=suppliers,
            value=total,
            currency=currency or low_cur or high_cur,
            value_low=low,
            value_high=high,
            date_concluded=concluded,
            lot_id=lot_id,
        )

    awards: list[TedAward] = []
    covered: set[str | None] = set()
    for lot_result in _findall(result, "efac:LotResult"):
        lot_id = _text(lot_result, "efac:TenderLot/cbc:ID")
        status = (_text(lot_result, "cbc:TenderResultCode") or "").lower()
        contract_ids = [_text(c, "cbc:ID") for c in _findall(lot_result, "efac:SettledContract")]
        if status in ("clos-nw", "open-nw") and not contract_ids:
            reason_code = _text(lot_result, "efac:DecisionReason/efbc:DecisionReasonCode")
            reason = (
                "pending"
                if status == "open-nw"
                else "unsuccessful"
                if reason_code in UNSUCCESSFUL_REASONS
                else "discontinued"
            )
            awards.append(
                TedAward(
                    lot_number=_lot_number(lot_id),
                    contract_number=None,
                    title=None,
                    awarded=False,
                    no_award_reason=reason,
                    lot_id=lot_id,
                )
            )
            continue
        # The result's tenders (OPT-320), else the tenders submitted for its lot.
        lot_tenders = [_text(t, "cbc:ID") for t in _findall(lot_result, "efac:LotTender")] or [
            t for t, el in tenders.items() if _text(el, "efac:TenderLot/cbc:ID") == lot_id
        ]
        if contract_ids:
            for contract_id in contract_ids:
                contract = contracts.get(contract_id)
                # A contract may cover several lots: only its tenders for this lot count here
                # (and when it names none of them, the result's own tenders).
                signed = [_text(t, "cbc:ID") for t in _findall(contract, "efac:LotTender")]
                tender_ids = [t for t in signed if t in lot_tenders] or lot_tenders or signed
                awards.append(award(lot_id, tender_ids, contract, lot_result))
        elif status == "selec-w":
            awards.append(award(lot_id, lot_tenders, None, lot_result))
        covered.update(contract_ids)
    # Contracts no lot result refers to (voluntary ex ante notices may give no LotResult).
    for contract_id, contract in contracts.items():
        if contract_id in covered:
            continue
        tender_ids = [_text(t, "cbc:ID") for t in _findall(contract, "efac:LotTender")]
        lot_id = next(
            (_text(tenders.get(t), "efac:TenderLot/cbc:ID") for t in tender_ids if t in tenders),
            None,
        )
        awards.append(award(lot_id, tender_ids, contract, None))
    return awards


def _category(project: Element | None, lots: list[Element], notice_type: str) -> str | None:
    """BT-23 main nature of the procedure, else of the first lot that has one."""
    for p in [project, *(_find(el, "cac:ProcurementProject") for el in lots)]:
        nature = (_text(p, "cbc:ProcurementTypeCode") or "").lower()
        if nature in CONTRACT_NATURES:
            return CONTRACT_NATURES[nature]
    if notice_type in ("cn-desg", "can-desg"):
        return "services"  # a design contest buys a plan or a design; R2.0.9 says "services"
    return None


class _Values(NamedTuple):
    estimated: Decimal | None
    currency: str | None
    total: Decimal | None
    low: Decimal | None
    high: Decimal | None


def _values(project: Element | None, result: Element | None, lots: list[TedLot]) -> _Values:
    """The notice's value as ted.py reads R2.0.9's: the estimate (BT-27), else the total (BT-161;
    for framework agreements their maximum, BT-118, where the converter puts a framework's
    VAL_TOTAL), else the highest tender (BT-711), else the sum of the lots' estimates."""
    estimated, currency = _amount(
        _find(project, "cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount")
    )
    total, total_currency = _amount(_find(result, "cbc:TotalAmount"))
    if total is None:
        total, total_currency = _amount(
            _find(result, "efbc:OverallMaximumFrameworkContractsAmount")
        )
    # Lowest and highest tender (BT-710, BT-711) are the notice's range when it has one result.
    lot_results = _findall(result, "efac:LotResult")
    low = high = range_currency = None
    if len(lot_results) == 1:
        low, range_currency = _amount(_find(lot_results[0], "cbc:LowerTenderAmount"))
        high, high_currency = _amount(_find(lot_results[0], "cbc:HigherTenderAmount"))
        range_currency = range_currency or high_currency
    if estimated is None:
        estimated, currency = total, total_currency
    if estimated is None and high is not None:
        estimated, currency = high, range_currency
    lot_values = [lot.estimated_value for lot in lots]
    if estimated is None and lot_values and None not in lot_values:
        estimated, currency = sum(lot_values, Decimal(0)), lots[0].currency  # type: ignore[arg-type]
    return _Values(estimated, currency, total, low, high)


def _changes(extension: Element | None, language: str) -> list[TedChange]:
    """What a change notice (``efac:Changes``) or a modification (``efac:ContractModification``)
    says it changes: the section (a lot or group id) and the description (BT-141)."""
    out = []
    for change in [
        *_findall(extension, "efac:Changes/efac:Change"),
        *_findall(extension, "efac:ContractModification/efac:Change"),
    ]:
        sections = [
            _text(s) for s in _findall(change, "efac:ChangedSection/efbc:ChangedSectionIdentifier")
        ]
        out.append(
            TedChange(
                section=", ".join(s for s in sections if s) or None,
                label=_pick(_texts(change, "efbc:ChangeDescription", language), language),
                old_text=None,
                new_text=None,
                old_date=None,
                new_date=None,
                new_datetime=None,
            )
        )
    return out


def _ojs_number(extension: Element | None, number: str | None) -> str | None:
    """The Official Journal number ("2021/S 036-089010") from OPP-011 ("36/2021") and OPP-010."""
    gazette = _text(extension, "efac:Publication/efbc:GazetteID") or ""
    m = re.match(r"^0*(\d{1,3})/(\d{4})$", gazette)
    if not m or not number:
        return None
    return f"{m.group(2)}/S {int(m.group(1)):03d}-{number.split('-')[0]}"


# --------------------------------------------------------------------------- entry points


def parse_eforms_notice(
    data: bytes, *, filename: str, max_bytes: int = MAX_NOTICE_BYTES
) -> TedNotice:
    """Parse one eForms notice; raise :class:`NoticeRejected` for anything else."""
    return parse_eforms_root(_parse_xml(data, filename, max_bytes), filename=filename)


def _family(root: Element, filename: str) -> tuple[str, str, str | None, str]:
    """(notice type code, subtype, notice type label, kind); refuses families not imported."""
    extension = _find(root, EXT)
    notice_type = _text(root, "cbc:NoticeTypeCode") or ""
    subtype = _text(extension, "efac:NoticeSubType/cbc:SubTypeCode") or ""
    skipped = SKIPPED_NOTICE_TYPES.get(SKIPPED_SUBTYPES.get(subtype, notice_type))
    if skipped is None and root.tag.endswith("}BusinessRegistrationInformationNotice"):
        skipped = "a business registration notice"
    if skipped:
        raise NoticeRejected(
            filename,
            f"{skipped} (notice type {notice_type or '?'}, subtype {subtype or '?'}): "
            "this family of notices is not imported",
            "family_skipped",
        )
    label, kind = SUBTYPES.get(subtype, (None, ""))
    if not kind:
        kind = NOTICE_TYPE_KINDS.get(notice_type, "")
    if not kind:
        raise NoticeRejected(
            filename,
            f"unknown eForms notice type {notice_type or '(none)'!r} "
            f"with subtype {subtype or '(none)'!r}",
            "not_eforms",
        )
    return notice_type, subtype, label, kind


def parse_eforms_root(root: Element, *, filename: str) -> TedNotice:
    """An eForms notice from its parsed (safely, see ``ted._parse_xml``) root element."""
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in EFORMS_NAMESPACES:
        raise NoticeRejected(
            filename,
            f"root element is <{root.tag.rsplit('}', 1)[-1]}> in namespace {namespace or '(none)'!r}, "
            "not an eForms notice",
            "not_eforms",
        )
    notice_type, subtype, label, kind = _family(root, filename)
    extension = _find(root, EXT)
    language = _language(_text(root, "cbc:NoticeLanguageCode")) or "en"
    languages = _dedupe(
        [
            language,
            *(_language(_text(e)) for e in _findall(root, "cac:AdditionalNoticeLanguage/cbc:ID")),
        ]
    )
    orgs = _Organisations(extension, language)
    buyer = _buyer(root, orgs)

    project = _find(root, "cac:ProcurementProject")
    titles = _texts(project, "cbc:Name", language)
    descriptions = _texts(project, "cbc:Description", language)
    title = _pick(titles, language)
    missing = [what for what, ok in (("title (BT-21)", title), ("buyer", buyer)) if not ok]
    if buyer is not None and not buyer.official_name:
        missing.append("buyer name (BT-500)")
    if missing:
        raise NoticeRejected(
            filename,
            f"the notice has no {' and no '.join(missing)}: nothing to import",
            "incomplete",
        )

    lot_elements = [el for el in _findall(root, "cac:ProcurementProjectLot") if _is_lot(el)]
    all_lots = [_lot(el, language) for el in lot_elements]
    # The converter writes an R2.0.9 notice that is not divided into lots as one "LOT-0000".
    undivided = len(all_lots) == 1 and all_lots[0].lot_id in ("LOT-0000", "PAR-0000")
    lots = [] if undivided else all_lots

    cpv_main, cpv_additional = _classification(project)
    if cpv_main is None and all_lots:
        cpv_main = all_lots[0].cpv_main
    cpv_additional = _dedupe(
        [*cpv_additional, *(c for lot in all_lots for c in lot.cpv_codes)], exclude=cpv_main
    )
    category = _category(project, lot_elements, notice_type)
    result = _find(extension, "efac:NoticeResult")
    values = _values(project, result, all_lots)

    procedure_code = _text(root, "cac:TenderingProcess/cbc:ProcedureCode")
    procedure = PROCEDURES.get(procedure_code or "", "other") if procedure_code else None

    number = _publication_number(_text(extension, "efac:Publication/efbc:NoticePublicationID"))
    notice_id = _text(root, "cbc:ID")
    version = _text(root, "cbc:VersionID")
    notice_number = number or (f"{notice_id}-{version}" if notice_id and version else notice_id)

    changes_el = _find(extension, "efac:Changes")
    modification = _find(extension, "efac:ContractModification")
    changed = changes_el if changes_el is not None else modification
    if changes_el is not None:
        label = f"change notice - {label or notice_type}"
        kind = "corrigendum"
    previous = _publication_number(
        _text(root, "cac:TenderingProcess/cac:NoticeDocumentReference/cbc:ID")
    )
    changed_id = _text(changed, "efbc:ChangedNoticeIdentifier")
    if previous is None and modification is not None:
        previous = _publication_number(changed_id)  # a modification names the award notice's number

    performance_countries, nuts = _places(
        [project, *(_find(el, "cac:ProcurementProject") for el in lot_elements)]
    )
    documents_url = next(
        (
            url
            for el in lot_elements
            for ref in _findall(el, "cac:TenderingTerms/cac:CallForTendersDocumentReference")
            if (url := _text(ref, "cac:Attachment/cac:ExternalReference/cbc:URI"))
        ),
        None,
    )
    dispatch, _ = _date(_text(root, "cbc:IssueDate"))
    published, _ = _date(_text(extension, "efac:Publication/efbc:PublicationDate"))

    return TedNotice(
        filename=filename,
        notice_number=notice_number or filename,
        ojs_number=_ojs_number(extension, number),
        reception_id=None,
        form_type=notice_type,
        notice_type=label or notice_type,
        notice_kind=kind,
        language=language,
        languages=languages,
        buyer=buyer,  # type: ignore[arg-type]
        title=title,  # type: ignore[arg-type]
        title_original=titles.get(language),
        description=_pick(descriptions, language),
        description_original=descriptions.get(language),
        reference_number=_text(project, "cbc:ID"),
        cpv_main=cpv_main,
        cpv_additional=cpv_additional,
        procedure=procedure,
        procedure_code=procedure_code,
        main_category=category,
        estimated_value=values.estimated,
        currency=values.currency,
        total_value=values.total,
        value_low=values.low,
        value_high=values.high,
        submission_deadline=_latest(lot.submission_deadline for lot in all_lots),
        dispatch_date=dispatch,
        publication_date=published,
        country=buyer.country,  # type: ignore[union-attr]
        url=f"https://ted.europa.eu/en/notice/-/detail/{number}" if number else None,
        documents_url=documents_url,
        lots=lots,
        awards=_awards(result, orgs),
        changes=_changes(extension, language),
        notice_format="eforms",
        notice_id=notice_id,
        notice_version=version,
        procedure_id=_text(root, "cbc:ContractFolderID"),
        subtype=subtype or None,
        titles=titles,
        descriptions=descriptions,
        clarification_deadline=_latest(lot.clarification_deadline for lot in all_lots),
        performance_countries=performance_countries,
        performance_nuts=nuts,
        previous_publication_number=previous,
        changed_notice_id=changed_id,
        change_reason_code=_text(changed, "efac:ChangeReason/cbc:ReasonCode"),
        change_reason=_pick(
            _texts(changed, "efac:ChangeReason/efbc:ReasonDescription", language), language
        ),
    )
