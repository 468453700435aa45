"""Open Contracting Data Standard (OCDS 1.1) core: build releases and packages, validate, import.

Pure functions over plain data: :class:`CallData` in, a JSON-ready ``dict`` out (amounts become
``int``/``float``, datetimes ISO 8601 strings), and release packages (bytes) in, :class:`OcdsRelease`
out. No Django.

The schemas in ``schema/`` are the official OCDS files as shipped inside registry packages (see
``schema/README.md``); validation runs offline with ``jsonschema.Draft4Validator``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tenders.notices.ted import NoticeRejected

__all__ = [
    "CALL_STATUSES",
    "ENQUIRY_EXTENSION",
    "LOTS_EXTENSION",
    "MAX_PACKAGE_BYTES",
    "OCDS_VERSION",
    "PROCEDURE_METHODS",
    "AwardData",
    "CallData",
    "DocumentData",
    "EnquiryData",
    "LotData",
    "OcdsRelease",
    "OrganisationData",
    "build_release",
    "ocid_for",
    "parse_ocds_package",
    "procurement_method",
    "release_package",
    "release_tag",
    "tender_status",
    "validate_package",
    "validate_release",
]

OCDS_VERSION = "1.1"
MAX_PACKAGE_BYTES = 20 * 1024 * 1024
#: Lots are an OCDS 1.1 extension; packages that carry lots declare it.
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
#: Enquiries (answered clarification questions) are an OCDS 1.1 extension too.
ENQUIRY_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_enquiry_extension/"
    "v1.1.4/extension.json"
)

#: The portal's call statuses (the lifecycle an ILO moves a call through).
CALL_STATUSES = ("draft", "published", "closed", "awarded", "cancelled")

#: Our procedure -> OCDS closed ``method`` codelist (open, selective, limited, direct).
PROCEDURE_METHODS: dict[str, str | None] = {
    "open": "open",
    "restricted": "selective",
    "negotiated": "limited",
    "competitive_dialogue": "selective",
    "innovation_partnership": "selective",
    "direct": "direct",
    "other": None,
}
PROCEDURE_DETAILS = {
    "open": "Open procedure",
    "restricted": "Restricted procedure",
    "negotiated": "Negotiated procedure",
    "competitive_dialogue": "Competitive dialogue",
    "innovation_partnership": "Innovation partnership",
    "direct": "Direct award",
    "other": "Other procedure",
}

#: Our call status -> OCDS closed ``tenderStatus`` codelist.
#: "closed" (submission period over, not yet awarded) is still an *active* tender in OCDS: the
#: tender process goes on (evaluation) and the past ``tenderPeriod.endDate`` says bids are closed;
#: "complete" is for a finished process, i.e. after award.
TENDER_STATUSES = {
    "draft": "planning",
    "published": "active",
    "closed": "active",
    "awarded": "complete",
    "cancelled": "cancelled",
}
RELEASE_TAGS = {
    "draft": ["planning"],
    "published": ["tender"],
    "closed": ["tenderUpdate"],
    "awarded": ["tender", "award"],
    "cancelled": ["tenderCancellation"],
}
MAIN_CATEGORIES = ("goods", "works", "services")

_DATE_KEYS = frozenset(
    {
        "date",
        "startDate",
        "endDate",
        "maxExtentDate",
        "publishedDate",
        "dateSigned",
        "datePublished",
        "dateModified",
    }
)


# --------------------------------------------------------------------------- input dataclasses


@dataclass(frozen=True)
class OrganisationData:
    id: str  # stable id within the publication, e.g. "org-12" or "FR-SIRET-123..."
    name: str
    country: str | None = None  # ISO 3166-1 alpha-2
    country_name: str | None = None
    town: str | None = None
    url: str | None = None
    email: str | None = None
    identifier_scheme: str | None = None  # org-id.guide scheme, e.g. "GB-COH"
    identifier_id: str | None = None


@dataclass(frozen=True)
class DocumentData:
    id: str
    title: str
    url: str | None = None
    document_type: str | None = None  # OCDS documentType, e.g. "biddingDocuments"
    language: str | None = None
    date_published: dt.datetime | None = None


@dataclass(frozen=True)
class LotData:
    id: str
    title: str
    description: str | None = None
    value: Decimal | None = None
    currency: str | None = None
    cpv_codes: Sequence[str] = ()


@dataclass(frozen=True)
class EnquiryData:
    """An answered clarification question, as published: no author (the asker is anonymous)."""

    id: str
    description: str  # the question as the buyer published it
    answer: str
    date: dt.datetime | None = None  # when it was asked
    date_answered: dt.datetime | None = None


@dataclass(frozen=True)
class AwardData:
    id: str
    suppliers: Sequence[OrganisationData] = ()
    value: Decimal | None = None
    currency: str | None = None
    date: dt.datetime | dt.date | None = None
    title: str | None = None
    status: str = "active"  # OCDS awardStatus: pending, active, cancelled, unsuccessful
    lot_ids: Sequence[str] = ()


@dataclass(frozen=True)
class CallData:
    """What the portal knows of a procurement call, in plain Python."""

    ocid_prefix: str  # registered OCDS prefix, e.g. "ocds-abc123"
    id: str  # the call's stable id in the portal (primary key or slug)
    title: str
    status: str  # draft | published | closed | awarded | cancelled
    buyer: OrganisationData
    date: dt.datetime  # when this state of the call was last changed (release date)
    reference: str | None = None  # the buyer's own reference (tender.id)
    description: str | None = None
    main_category: str | None = None  # goods | works | services
    procedure: str | None = None  # open | restricted | negotiated | competitive_dialogue | ...
    procedure_details: str | None = None  # free text, e.g. "CERN market survey + ITT"
    cpv_codes: Sequence[str] = ()  # first = main CPV (8 digits, check digit optional)
    cpv_labels: Mapping[str, str] = field(default_factory=dict)  # code -> English label
    value: Decimal | None = None
    currency: str | None = None
    lots: Sequence[LotData] = ()
    published_at: dt.datetime | None = None  # tenderPeriod.startDate
    submission_deadline: dt.datetime | None = None  # tenderPeriod.endDate
    clarification_deadline: dt.datetime | None = None  # enquiryPeriod.endDate
    eligibility_criteria: str | None = None
    submission_method: Sequence[str] = ()  # OCDS codes: electronicSubmission, written, inPerson
    submission_method_details: str | None = None
    documents: Sequence[DocumentData] = ()
    awards: Sequence[AwardData] = ()
    enquiries: Sequence[EnquiryData] = ()  # tender.enquiries (the enquiry extension)
    language: str = "en"


# --------------------------------------------------------------------------- mapping


def procurement_method(procedure: str | None) -> str | None:
    """Our procedure to the OCDS ``method`` codelist (``None`` when it fits none)."""
    if not procedure:
        return None
    return PROCEDURE_METHODS.get(procedure)


def tender_status(status: str) -> str:
    if status not in TENDER_STATUSES:
        raise ValueError(f"unknown call status {status!r}; expected one of {CALL_STATUSES}")
    return TENDER_STATUSES[status]


def release_tag(status: str) -> list[str]:
    if status not in RELEASE_TAGS:
        raise ValueError(f"unknown call status {status!r}; expected one of {CALL_STATUSES}")
    return list(RELEASE_TAGS[status])


def ocid_for(prefix: str, call_id: str) -> str:
    prefix = prefix.strip().rstrip("-")
    if not prefix:
        raise ValueError("an OCDS ocid prefix is required (e.g. 'ocds-abc123')")
    return f"{prefix}-{call_id}"


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(0, 0), tzinfo=dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def _amount(value: Decimal | int | float) -> int | float:
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def _value(amount: Decimal | None, currency: str | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    out: dict[str, Any] = {"amount": _amount(amount)}
    if currency:
        out["currency"] = currency.upper()
    return out


def _cpv(code: str) -> str:
    return code.strip().split("-", 1)[0]


def _compact(d: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None or an empty list/dict (OCDS: omit rather than null)."""
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def _party(org: OrganisationData, roles: list[str]) -> dict[str, Any]:
    address = _compact({"locality": org.town, "countryName": org.country_name or org.country})
    identifier = None
    if org.identifier_id:
        identifier = _compact(
            {"scheme": org.identifier_scheme, "id": org.identifier_id, "legalName": org.name}
        )
    contact = _compact({"email": org.email, "url": org.url})
    return _compact(
        {
            "id": org.id,
            "name": org.name,
            "identifier": identifier,
            "address": address,
            "contactPoint": contact,
            "roles": roles,
        }
    )


def _items(call: CallData) -> list[dict[str, Any]]:
    """An item per CPV code of the call, then per code of each lot (naming its lot)."""
    coded = [(code, call.title, None) for code in call.cpv_codes]
    coded += [(code, lot.title, lot.id) for lot in call.lots for code in lot.cpv_codes]
    items: list[dict[str, Any]] = []
    for number, (code, title, lot_id) in enumerate(coded, start=1):
        cpv = _cpv(code)
        label = call.cpv_labels.get(code) or call.cpv_labels.get(cpv)
        item = {
            "id": str(number),
            "description": label or title,
            "classification": _compact({"scheme": "CPV", "id": cpv, "description": label}),
        }
        if lot_id is not None:
            item["relatedLot"] = lot_id
        items.append(item)
    return items


def build_release(call: CallData, *, tag: Sequence[str] | None = None) -> dict[str, Any]:
    """An OCDS 1.1 release (JSON-ready dict) describing the call's current state."""
    if call.main_category and call.main_category not in MAIN_CATEGORIES:
        raise ValueError(f"main category {call.main_category!r} is not goods/works/services")
    ocid = ocid_for(call.ocid_prefix, call.id)
    date = _iso(call.date)
    stamp = (call.date if call.date.tzinfo else call.date.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    release_id = f"{ocid}-{call.status}-{stamp:%Y%m%dT%H%M%SZ}"

    parties: dict[str, dict[str, Any]] = {call.buyer.id: _party(call.buyer, ["buyer"])}
    awards: list[dict[str, Any]] = []
    for award in call.awards:
        for s in award.suppliers:
            if s.id in parties:
                roles = parties[s.id].setdefault("roles", [])
                if "supplier" not in roles:
                    roles.append("supplier")
            else:
                parties[s.id] = _party(s, ["supplier"])
        awards.append(
            _compact(
                {
                    "id": award.id,
                    "title": award.title,
                    "status": award.status,
                    "date": _iso(award.date),
                    "value": _value(award.value, award.currency or call.currency),
                    "suppliers": [{"id": s.id, "name": s.name} for s in award.suppliers],
                    "relatedLots": list(award.lot_ids),
                }
            )
        )

    method = procurement_method(call.procedure)
    details = call.procedure_details or (
        PROCEDURE_DETAILS.get(call.procedure) if call.procedure else None
    )
    lots = [
        _compact(
            {
                "id": lot.id,
                "title": lot.title,
                "description": lot.description,
                "value": _value(lot.value, lot.currency or call.currency),
            }
        )
        for lot in call.lots
    ]
    documents = [
        _compact(
            {
                "id": d.id,
                "documentType": d.document_type,
                "title": d.title,
                "url": d.url,
                "language": d.language,
                "datePublished": _iso(d.date_published),
            }
        )
        for d in call.documents
    ]
    enquiries = [
        _compact(
            {
                "id": e.id,
                "date": _iso(e.date),
                "description": e.description,
                "answer": e.answer,
                "dateAnswered": _iso(e.date_answered),
            }
        )
        for e in call.enquiries
    ]
    tender = _compact(
        {
            "id": call.reference or call.id,
            "title": call.title,
            "description": call.description,
            "status": tender_status(call.status),
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "mainProcurementCategory": call.main_category,
            "value": _value(call.value, call.currency),
            "items": _items(call),
            "lots": lots,
            "tenderPeriod": _compact(
                {"startDate": _iso(call.published_at), "endDate": _iso(call.submission_deadline)}
            ),
            "enquiryPeriod": _compact({"endDate": _iso(call.clarification_deadline)}),
            "eligibilityCriteria": call.eligibility_criteria,
            "submissionMethod": list(call.submission_method),
            "submissionMethodDetails": call.submission_method_details,
            "documents": documents,
            "enquiries": enquiries,
        }
    )
    return _compact(
        {
            "ocid": ocid,
            "id": release_id,
            "date": date,
            "tag": list(tag) if tag is not None else release_tag(call.status),
            "initiationType": "tender",
            "language": call.language,
            "parties": list(parties.values()),
            "buyer": {"id": call.buyer.id, "name": call.buyer.name},
            "tender": tender,
            "awards": awards,
        }
    )


def release_package(
    releases: Iterable[Mapping[str, Any]],
    uri: str,
    published_date: dt.datetime,
    publisher: str | Mapping[str, Any],
    *,
    license_url: str | None = None,
    publication_policy: str | None = None,
) -> dict[str, Any]:
    """Wrap releases in an OCDS 1.1 release package (JSON-ready dict)."""
    rels = [dict(r) for r in releases]
    pub = {"name": publisher} if isinstance(publisher, str) else dict(publisher)
    uses_lots = any(
        r.get("tender", {}).get("lots") or any(a.get("relatedLots") for a in r.get("awards", []))
        for r in rels
    )
    uses_enquiries = any(r.get("tender", {}).get("enquiries") for r in rels)
    extensions = [LOTS_EXTENSION] if uses_lots else []
    if uses_enquiries:
        extensions.append(ENQUIRY_EXTENSION)
    return _compact(
        {
            "uri": uri,
            "version": OCDS_VERSION,
            "extensions": extensions,
            "publishedDate": _iso(published_date),
            "publisher": pub,
            "license": license_url,
            "publicationPolicy": publication_policy,
            "releases": rels,
        }
    )


# --------------------------------------------------------------------------- validation

RELEASE_SCHEMA = "release-schema.json"
PACKAGE_SCHEMA = "release-package-schema.json"


def _load_schema(name: str) -> dict[str, Any]:
    text = resources.files("tenders.notices").joinpath("schema", name).read_text("utf-8")
    return json.loads(text)


@cache
def _validators() -> tuple[Draft4Validator, Draft4Validator]:
    release = _load_schema(RELEASE_SCHEMA)
    package = _load_schema(PACKAGE_SCHEMA)
    release_resource = Resource.from_contents(release, default_specification=DRAFT4)
    # The package schema refers to the release schema by its canonical URL (of its own patch
    # version); serve every such URL from the local file, never from the network.
    refs = {release["id"], package["properties"]["releases"]["items"]["$ref"]}
    registry: Registry = Registry().with_resources((uri, release_resource) for uri in refs)
    checker = Draft4Validator.FORMAT_CHECKER
    return (
        Draft4Validator(release, registry=registry, format_checker=checker),
        Draft4Validator(package, registry=registry, format_checker=checker),
    )


def _date_errors(node: Any, path: str = "") -> list[str]:
    """Dates must be ISO 8601 date-times with an offset (jsonschema skips 'date-time' unless an
    optional package is installed, so check here)."""
    errors: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            sub = f"{path}/{k}"
            if k in _DATE_KEYS and isinstance(v, str):
                try:
                    parsed = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
                except ValueError:
                    errors.append(f"{sub}: {v!r} is not an ISO 8601 date-time")
                    continue
                if parsed.tzinfo is None or "T" not in v:
                    errors.append(f"{sub}: {v!r} has no time zone offset")
            else:
                errors.extend(_date_errors(v, sub))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            errors.extend(_date_errors(v, f"{path}/{i}"))
    return errors


def _errors(validator: Draft4Validator, instance: Any) -> list[str]:
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/" + "/".join(str(p) for p in err.absolute_path)
        out.append(f"{where}: {err.message}")
    return out + _date_errors(instance)


def validate_release(release: Mapping[str, Any]) -> list[str]:
    """Errors of a release against the OCDS 1.1 release schema (empty list = valid)."""
    return _errors(_validators()[0], release)


def validate_package(package: Mapping[str, Any]) -> list[str]:
    """Errors of a release package against the OCDS 1.1 release package schema."""
    return _errors(_validators()[1], package)


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class OcdsAward:
    id: str
    title: str | None
    status: str | None
    date: dt.datetime | None
    value: Decimal | None
    currency: str | None
    suppliers: list[tuple[str | None, str]]  # (id, name)
    lot_ids: list[str]


@dataclass(frozen=True)
class OcdsLot:
    id: str
    title: str | None
    description: str | None
    value: Decimal | None
    currency: str | None


@dataclass(frozen=True)
class OcdsDocument:
    id: str | None
    title: str | None
    url: str | None
    document_type: str | None


@dataclass(frozen=True)
class OcdsRelease:
    """One release of a package, flattened to what a procurement call needs."""

    ocid: str
    id: str
    date: dt.datetime | None
    tag: list[str]
    language: str | None
    title: str | None
    description: str | None
    reference: str | None  # tender.id
    tender_status: str | None  # OCDS tenderStatus
    status: str  # the portal's call status, mapped back
    buyer_id: str | None
    buyer_name: str | None
    buyer_country: str | None  # from the buyer party's address.countryName
    procurement_method: str | None
    procurement_method_details: str | None
    procedure: str | None  # the portal's procedure, mapped back
    main_category: str | None
    value: Decimal | None
    currency: str | None
    cpv_codes: list[str]  # CPV item classifications, deduplicated (first = main)
    submission_deadline: dt.datetime | None
    clarification_deadline: dt.datetime | None
    published_at: dt.datetime | None
    eligibility_criteria: str | None
    submission_method: list[str]
    lots: list[OcdsLot]
    documents: list[OcdsDocument]
    awards: list[OcdsAward]
    raw: dict[str, Any] = field(repr=False, compare=False)


_DETAILS_TO_PROCEDURE = {v.lower(): k for k, v in PROCEDURE_DETAILS.items()}
_METHOD_TO_PROCEDURE = {
    "open": "open",
    "selective": "restricted",
    "limited": "negotiated",
    "direct": "negotiated",
}


def _d(obj: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def _s(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, int | Decimal | float):
        return str(v)
    return None


def _dt(v: Any) -> dt.datetime | None:
    if not isinstance(v, str) or not v:
        return None
    try:
        parsed = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


#: no contract is worth this much (any currency); an amount at or above it is refused, never
#: stored (the calls' value fields hold 14 digits before the decimal point)
MAX_AMOUNT = Decimal("1e14")


class AmountOutOfRange(ValueError):
    """An amount no contract can have (``1e999999999``): the release is refused."""


def _dec(v: Any) -> Decimal | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        d = Decimal(str(v))
        if not d.is_finite():
            return None
        # compared by exponent: arithmetic on 1e999999999 itself overflows the context
        if d and d.adjusted() >= MAX_AMOUNT.adjusted():
            raise AmountOutOfRange(str(v)[:40])
    except InvalidOperation:
        return None
    return d


def _list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else []


def _call_status(tender_st: str | None, awards: list[OcdsAward], tags: list[str]) -> str:
    if tender_st in ("cancelled", "withdrawn") or "tenderCancellation" in tags:
        return "cancelled"
    if any(a.status in (None, "active") for a in awards) or tender_st == "complete":
        return "awarded" if awards else "closed"
    if tender_st in ("planning", "planned"):
        return "draft"
    if tender_st == "unsuccessful":
        return "closed"
    return "published"


def _release(raw: dict[str, Any]) -> OcdsRelease:
    tender = raw.get("tender") if isinstance(raw.get("tender"), dict) else {}
    buyer = raw.get("buyer") if isinstance(raw.get("buyer"), dict) else {}
    buyer_id = _s(buyer.get("id"))
    buyer_country = None
    for party in _list(raw.get("parties")):
        if isinstance(party, dict) and (
            (buyer_id and _s(party.get("id")) == buyer_id) or "buyer" in _list(party.get("roles"))
        ):
            buyer_country = _s(_d(party, "address", "countryName"))
            buyer_id = buyer_id or _s(party.get("id"))
            buyer = buyer or party
            break
    cpvs: list[str] = []
    for item in _list(tender.get("items")):
        classes = [_d(item, "classification"), *_list(_d(item, "additionalClassifications"))]
        for c in classes:
            if isinstance(c, dict) and (_s(c.get("scheme")) or "").upper() == "CPV":
                code = (_s(c.get("id")) or "").split("-", 1)[0]
                if code and code not in cpvs:
                    cpvs.append(code)
    awards = [
        OcdsAward(
            id=_s(a.get("id")) or str(i + 1),
            title=_s(a.get("title")),
            status=_s(a.get("status")),
            date=_dt(a.get("date")),
            value=_dec(_d(a, "value", "amount")),
            currency=_s(_d(a, "value", "currency")),
            suppliers=[
                (_s(s.get("id")), _s(s.get("name")) or "")
                for s in _list(a.get("suppliers"))
                if isinstance(s, dict)
            ],
            lot_ids=[x for x in (_s(v) for v in _list(a.get("relatedLots"))) if x],
        )
        for i, a in enumerate(_list(raw.get("awards")))
        if isinstance(a, dict)
    ]
    method = _s(tender.get("procurementMethod"))
    details = _s(tender.get("procurementMethodDetails"))
    procedure = _DETAILS_TO_PROCEDURE.get((details or "").lower()) or _METHOD_TO_PROCEDURE.get(
        method or ""
    )
    tender_st = _s(tender.get("status"))
    tags = [t for t in (_s(x) for x in _list(raw.get("tag"))) if t]
    category = _s(tender.get("mainProcurementCategory"))
    return OcdsRelease(
        ocid=_s(raw.get("ocid")) or "",
        id=_s(raw.get("id")) or "",
        date=_dt(raw.get("date")),
        tag=tags,
        language=_s(raw.get("language")),
        title=_s(tender.get("title")),
        description=_s(tender.get("description")),
        reference=_s(tender.get("id")),
        tender_status=tender_st,
        status=_call_status(tender_st, awards, tags),
        buyer_id=buyer_id,
        buyer_name=_s(buyer.get("name")),
        buyer_country=buyer_country,
        procurement_method=method,
        procurement_method_details=details,
        procedure=procedure,
        main_category=category if category in MAIN_CATEGORIES else None,
        value=_dec(_d(tender, "value", "amount")),
        currency=_s(_d(tender, "value", "currency")),
        cpv_codes=cpvs,
        submission_deadline=_dt(_d(tender, "tenderPeriod", "endDate")),
        clarification_deadline=_dt(_d(tender, "enquiryPeriod", "endDate")),
        published_at=_dt(_d(tender, "tenderPeriod", "startDate")),
        eligibility_criteria=_s(tender.get("eligibilityCriteria")),
        submission_method=[m for m in (_s(x) for x in _list(tender.get("submissionMethod"))) if m],
        lots=[
            OcdsLot(
                id=_s(lot.get("id")) or str(i + 1),
                title=_s(lot.get("title")),
                description=_s(lot.get("description")),
                value=_dec(_d(lot, "value", "amount")),
                currency=_s(_d(lot, "value", "currency")),
            )
            for i, lot in enumerate(_list(tender.get("lots")))
            if isinstance(lot, dict)
        ],
        documents=[
            OcdsDocument(
                id=_s(doc.get("id")),
                title=_s(doc.get("title")),
                url=_s(doc.get("url")),
                document_type=_s(doc.get("documentType")),
            )
            for doc in _list(tender.get("documents"))
            if isinstance(doc, dict)
        ],
        awards=awards,
        raw=raw,
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_ocds_package(
    data: bytes,
    *,
    filename: str = "package.json",
    max_bytes: int = MAX_PACKAGE_BYTES,
    strict: bool = False,
) -> list[OcdsRelease]:
    """Read an OCDS release package; refuse anything else with :class:`NoticeRejected`.

    With ``strict=True`` every release must also validate against the OCDS 1.1 release schema.
    """
    if len(data) > max_bytes:
        raise NoticeRejected(
            filename,
            f"file is {len(data):,} bytes, above the limit of {max_bytes:,} bytes",
            "too_large",
        )
    try:
        text = bytes(data).decode("utf-8-sig")
        doc = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise NoticeRejected(filename, f"not UTF-8 text ({exc.reason})", "not_json") from None
    except RecursionError:
        raise NoticeRejected(filename, "JSON nested too deeply", "not_json") from None
    except ValueError as exc:
        raise NoticeRejected(filename, f"not valid JSON ({exc})", "not_json") from None
    if not isinstance(doc, dict):
        raise NoticeRejected(
            filename,
            f"top level is a JSON {type(doc).__name__}, not a release package object",
            "not_package",
        )
    if "records" in doc and "releases" not in doc:
        raise NoticeRejected(filename, "a record package, not a release package", "not_package")
    if "releases" not in doc:
        hint = " (it looks like a single release)" if "ocid" in doc else ""
        raise NoticeRejected(
            filename, f"no 'releases' array: not an OCDS release package{hint}", "not_package"
        )
    releases = doc["releases"]
    if not isinstance(releases, list):
        raise NoticeRejected(filename, "'releases' is not an array", "not_package")
    out: list[OcdsRelease] = []
    for i, raw in enumerate(releases):
        if not isinstance(raw, dict):
            raise NoticeRejected(filename, f"release {i} is not a JSON object", "invalid_release")
        if not _s(raw.get("ocid")) or not _s(raw.get("id")):
            raise NoticeRejected(
                filename, f"release {i} has no 'ocid' or no 'id'", "invalid_release"
            )
        if strict:
            errors = validate_release(raw)
            if errors:
                shown = "; ".join(errors[:3])
                raise NoticeRejected(
                    filename,
                    f"release {i} ({raw['ocid']}) fails the OCDS 1.1 schema: {shown}",
                    "invalid_release",
                )
        try:
            out.append(_release(raw))
        except AmountOutOfRange as exc:
            raise NoticeRejected(
                filename,
                f"release {i} ({raw['ocid']}) has an amount of {exc} - beyond what any contract "
                f"is worth (at most {MAX_AMOUNT:,.0f})",
                "invalid_release",
            ) from None
    return out
