"""OCDS 1.1 core: building releases and packages, schema validation, importing packages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tenders.notices.ocds import (
    LOTS_EXTENSION,
    MAX_PACKAGE_BYTES,
    AwardData,
    CallData,
    DocumentData,
    LotData,
    OrganisationData,
    build_release,
    ocid_for,
    parse_ocds_package,
    procurement_method,
    release_package,
    release_tag,
    tender_status,
    validate_package,
    validate_release,
)
from tenders.notices.ted import NoticeRejected

BRU = ZoneInfo("Europe/Brussels")
F4E = OrganisationData(
    id="org-f4e",
    name="Fusion for Energy",
    country="ES",
    town="Barcelona",
    url="http://f4e.europa.eu/",
    email="tenders@f4e.europa.eu",
)
SUPPLIER = OrganisationData(
    id="org-acme",
    name="Acme Gyrotrons SME",
    country="DK",
    identifier_scheme="DK-CVR",
    identifier_id="12345678",
)


def make_call(**overrides) -> CallData:
    call = CallData(
        ocid_prefix="ocds-bsp001",
        id="42",
        reference="F4E-OMF-1108",
        title="Joint Procurement for Electron Cyclotron (EC) RF Sources/Gyrotrons",
        description="Supply of six gyrotrons of 1 MW at 170 GHz.",
        status="published",
        buyer=F4E,
        date=dt.datetime(2021, 2, 22, 9, 0, tzinfo=BRU),
        main_category="goods",
        procedure="negotiated",
        cpv_codes=["31670000-7", "31600000"],
        cpv_labels={"31670000": "Electrical parts of machinery or apparatus"},
        value=Decimal("60000000.00"),
        currency="EUR",
        lots=[
            LotData(
                id="1", title="F4E gyrotrons", value=Decimal("25000000.50"), cpv_codes=["31670000"]
            ),
            LotData(id="2", title="DTT gyrotrons", description="Sixteen gyrotrons"),
        ],
        published_at=dt.datetime(2021, 2, 22, 9, 0, tzinfo=BRU),
        submission_deadline=dt.datetime(2021, 3, 10, 23, 59, tzinfo=BRU),
        clarification_deadline=dt.datetime(2021, 3, 1, 12, 0, tzinfo=BRU),
        eligibility_criteria="Legal persons established in an EU member state or Switzerland.",
        submission_method=["electronicSubmission"],
        submission_method_details="Via the F4E industry portal.",
        documents=[
            DocumentData(
                id="doc-1",
                title="Invitation to tender",
                url="https://industryportal.f4e.europa.eu/itt.pdf",
                document_type="biddingDocuments",
                language="en",
            ),
        ],
    )
    return dataclasses.replace(call, **overrides)


def awarded_call() -> CallData:
    return make_call(
        status="awarded",
        date=dt.datetime(2021, 9, 1, 10, 0, tzinfo=BRU),
        awards=[
            AwardData(
                id="award-1",
                suppliers=[SUPPLIER],
                value=Decimal("24000000"),
                currency="EUR",
                date=dt.date(2021, 8, 30),
                lot_ids=["1"],
                title="Lot 1",
            ),
        ],
    )


# --------------------------------------------------------------------------- building


def test_published_call_builds_a_valid_release():
    release = build_release(make_call())
    assert validate_release(release) == []
    json.dumps(release)  # JSON-ready: no Decimal, no datetime


def test_required_and_core_fields_are_present():
    r = build_release(make_call())
    for key in ("ocid", "id", "date", "tag", "initiationType"):
        assert key in r
    assert r["ocid"] == "ocds-bsp001-42"
    assert r["tag"] == ["tender"]
    assert r["initiationType"] == "tender"
    assert r["date"] == "2021-02-22T09:00:00+01:00"
    assert r["buyer"] == {"id": "org-f4e", "name": "Fusion for Energy"}
    assert r["parties"][0]["roles"] == ["buyer"]
    assert r["parties"][0]["address"] == {"locality": "Barcelona", "countryName": "ES"}
    t = r["tender"]
    assert t["id"] == "F4E-OMF-1108"
    assert t["status"] == "active"
    assert t["procurementMethod"] == "limited"
    assert t["procurementMethodDetails"] == "Negotiated procedure"
    assert t["mainProcurementCategory"] == "goods"
    assert t["value"] == {"amount": 60000000, "currency": "EUR"}
    assert t["tenderPeriod"] == {
        "startDate": "2021-02-22T09:00:00+01:00",
        "endDate": "2021-03-10T23:59:00+01:00",
    }
    assert t["enquiryPeriod"] == {"endDate": "2021-03-01T12:00:00+01:00"}
    assert t["eligibilityCriteria"].startswith("Legal persons")
    assert t["submissionMethod"] == ["electronicSubmission"]
    assert t["documents"][0]["url"].endswith("itt.pdf")
    assert r["language"] == "en"


def test_cpv_items_use_the_cpv_scheme_without_check_digit():
    items = build_release(make_call())["tender"]["items"]
    assert items[0]["classification"] == {
        "scheme": "CPV",
        "id": "31670000",
        "description": "Electrical parts of machinery or apparatus",
    }
    assert items[1]["classification"]["id"] == "31600000"
    assert items[2]["relatedLot"] == "1"
    assert len({i["id"] for i in items}) == len(items)


def test_lots_carry_values():
    lots = build_release(make_call())["tender"]["lots"]
    assert lots[0] == {
        "id": "1",
        "title": "F4E gyrotrons",
        "value": {"amount": 25000000.5, "currency": "EUR"},
    }
    assert lots[1]["description"] == "Sixteen gyrotrons"


def test_awarded_call_has_awards_and_supplier_parties():
    r = build_release(awarded_call())
    assert validate_release(r) == []
    assert r["tag"] == ["tender", "award"]
    assert r["tender"]["status"] == "complete"
    (award,) = r["awards"]
    assert award["suppliers"] == [{"id": "org-acme", "name": "Acme Gyrotrons SME"}]
    assert award["value"] == {"amount": 24000000, "currency": "EUR"}
    assert award["date"] == "2021-08-30T00:00:00+00:00"
    assert award["relatedLots"] == ["1"]
    supplier = next(p for p in r["parties"] if p["id"] == "org-acme")
    assert supplier["roles"] == ["supplier"]
    assert supplier["identifier"] == {
        "scheme": "DK-CVR",
        "id": "12345678",
        "legalName": "Acme Gyrotrons SME",
    }


@pytest.mark.parametrize(
    ("procedure", "method"),
    [
        ("open", "open"),
        ("restricted", "selective"),
        ("negotiated", "limited"),
        ("competitive_dialogue", "selective"),
        ("innovation_partnership", "selective"),
        ("other", None),
        (None, None),
    ],
)
def test_procedure_mapping(procedure, method):
    assert procurement_method(procedure) == method
    r = build_release(make_call(procedure=procedure))
    assert r["tender"].get("procurementMethod") == method
    assert validate_release(r) == []
    if procedure == "competitive_dialogue":
        assert r["tender"]["procurementMethodDetails"] == "Competitive dialogue"


@pytest.mark.parametrize(
    ("status", "ocds_status", "tag"),
    [
        ("draft", "planning", ["planning"]),
        ("published", "active", ["tender"]),
        ("closed", "active", ["tenderUpdate"]),
        ("awarded", "complete", ["tender", "award"]),
        ("cancelled", "cancelled", ["tenderCancellation"]),
    ],
)
def test_status_mapping(status, ocds_status, tag):
    assert tender_status(status) == ocds_status
    assert release_tag(status) == tag
    r = build_release(make_call(status=status))
    assert r["tender"]["status"] == ocds_status
    assert r["tag"] == tag
    assert validate_release(r) == []


def test_unknown_status_is_an_error():
    with pytest.raises(ValueError, match="unknown call status"):
        build_release(make_call(status="archived"))


def test_release_ids_differ_between_states_of_one_call():
    a = build_release(make_call())
    b = build_release(make_call(status="closed", date=dt.datetime(2021, 3, 11, tzinfo=BRU)))
    assert a["ocid"] == b["ocid"] and a["id"] != b["id"]


def test_minimal_call_is_valid():
    r = build_release(
        CallData(
            ocid_prefix="ocds-bsp001",
            id="7",
            title="Cryostat",
            status="draft",
            buyer=OrganisationData(id="org-ess", name="ESS"),
            date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
    )
    assert validate_release(r) == []
    assert "awards" not in r and "value" not in r["tender"]


def test_ocid_needs_a_prefix():
    assert ocid_for("ocds-abc123-", "9") == "ocds-abc123-9"
    with pytest.raises(ValueError):
        ocid_for("", "9")


# --------------------------------------------------------------------------- validation


def test_validation_reports_schema_errors():
    r = build_release(make_call())
    del r["ocid"]
    r["tender"]["status"] = "closed"
    r["tender"]["procurementMethod"] = "restricted"
    errors = validate_release(r)
    assert any("'ocid' is a required property" in e for e in errors)
    assert any(e.startswith("/tender/status") for e in errors)
    assert any(e.startswith("/tender/procurementMethod") for e in errors)


def test_validation_reports_dates_without_time_zone():
    r = build_release(make_call())
    r["tender"]["tenderPeriod"]["endDate"] = "2021-03-10T23:59:00"
    r["date"] = "yesterday"
    errors = validate_release(r)
    assert any("/tender/tenderPeriod/endDate" in e and "time zone" in e for e in errors)
    assert any(e.startswith("/date") for e in errors)


# --------------------------------------------------------------------------- packages


def make_package() -> dict:
    return release_package(
        [build_release(make_call()), build_release(awarded_call())],
        uri="https://portal.example.org/ocds/calls/42.json",
        published_date=dt.datetime(2021, 9, 2, 8, 0, tzinfo=dt.UTC),
        publisher={"name": "Big Science industry portal", "uri": "https://portal.example.org"},
    )


def test_package_is_valid_and_declares_the_lots_extension():
    package = make_package()
    assert validate_package(package) == []
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2021-09-02T08:00:00+00:00"
    assert package["extensions"] == [LOTS_EXTENSION]
    assert len(package["releases"]) == 2


def test_package_without_lots_has_no_extensions_and_publisher_from_a_string():
    p = release_package(
        [build_release(make_call(lots=[]))],
        "https://x.example/p.json",
        dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        "Portal",
    )
    assert "extensions" not in p
    assert p["publisher"] == {"name": "Portal"}
    assert validate_package(p) == []


def test_invalid_release_inside_a_package_is_reported():
    package = make_package()
    package["releases"][0]["tender"]["status"] = "open"
    assert any("/releases/0/tender/status" in e for e in validate_package(package))


# --------------------------------------------------------------------------- import


def test_parse_package_round_trip():
    data = json.dumps(make_package()).encode()
    published, awarded = parse_ocds_package(data, filename="42.json", strict=True)
    assert published.ocid == "ocds-bsp001-42"
    assert published.status == "published"
    assert published.procedure == "negotiated"
    assert published.procurement_method == "limited"
    assert published.title.startswith("Joint Procurement")
    assert published.reference == "F4E-OMF-1108"
    assert published.buyer_name == "Fusion for Energy" and published.buyer_country == "ES"
    assert published.cpv_codes == ["31670000", "31600000"]
    assert published.value == Decimal("60000000") and published.currency == "EUR"
    assert published.submission_deadline == dt.datetime(2021, 3, 10, 23, 59, tzinfo=BRU)
    assert published.clarification_deadline == dt.datetime(2021, 3, 1, 12, 0, tzinfo=BRU)
    assert published.main_category == "goods"
    assert [lot.id for lot in published.lots] == ["1", "2"]
    assert published.lots[0].value == Decimal("25000000.5")
    assert published.documents[0].document_type == "biddingDocuments"
    assert awarded.status == "awarded"
    (award,) = awarded.awards
    assert award.suppliers == [("org-acme", "Acme Gyrotrons SME")]
    assert award.value == Decimal("24000000") and award.lot_ids == ["1"]


def test_parse_package_maps_cancelled_and_keeps_raw():
    data = json.dumps(
        release_package(
            [build_release(make_call(status="cancelled"))],
            "https://x.example/p",
            dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
            "P",
        )
    ).encode()
    (release,) = parse_ocds_package(data)
    assert release.status == "cancelled"
    assert release.raw["tag"] == ["tenderCancellation"]


def package_refusal(data: bytes, **kwargs) -> NoticeRejected:
    with pytest.raises(NoticeRejected) as info:
        parse_ocds_package(data, filename="upload.json", **kwargs)
    assert "upload.json" in str(info.value)
    return info.value


@pytest.mark.parametrize(
    ("data", "code", "words"),
    [
        (b"<TED_EXPORT/>", "not_json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not_json", "UTF-8"),
        (b'{"releases": [1, 2', "not_json", "not valid JSON"),
        (b'{"a": NaN, "releases": []}', "not_json", "not valid JSON"),
        (b"[1, 2, 3]", "not_package", "not a release package"),
        (b'{"ocid": "ocds-x-1", "id": "1", "tag": ["tender"]}', "not_package", "single release"),
        (b'{"records": []}', "not_package", "record package"),
        (b'{"releases": {}}', "not_package", "not an array"),
        (b'{"releases": ["x"]}', "invalid_release", "not a JSON object"),
        (b'{"releases": [{"id": "1"}]}', "invalid_release", "no 'ocid'"),
    ],
)
def test_parse_package_refusals(data, code, words):
    err = package_refusal(data)
    assert err.code == code
    assert words in str(err)


def test_parse_package_refuses_huge_files_before_reading():
    err = package_refusal(b" " * (MAX_PACKAGE_BYTES + 1))
    assert err.code == "too_large"
    assert package_refusal(b"{}" * 10, max_bytes=5).code == "too_large"


def test_parse_package_refuses_deep_nesting():
    err = package_refusal(b"[" * 100_000 + b"]" * 100_000)
    assert err.code == "not_json"


def test_strict_parse_refuses_schema_invalid_releases():
    package = make_package()
    package["releases"][1]["tender"]["status"] = "awarded"
    data = json.dumps(package).encode()
    assert len(parse_ocds_package(data)) == 2  # lenient by default
    err = package_refusal(data, strict=True)
    assert err.code == "invalid_release"
    assert "release 1" in str(err) and "tender/status" in str(err)
