"""TED XML R2.0.9 parser: the 72 real notices, hand-read values per form, hostile input."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenders.notices.ted import (
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedNotice,
    default_notice_dir,
    iter_notice_files,
    parse_ted_notice,
)

BRU = ZoneInfo("Europe/Brussels")
NOTICE_DIR = default_notice_dir()
FILES = iter_notice_files([NOTICE_DIR]) if NOTICE_DIR.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"no TED notices in {NOTICE_DIR}")


def parse(name: str) -> TedNotice:
    return parse_ted_notice((NOTICE_DIR / name).read_bytes(), filename=name)


def test_the_reference_set_is_there():
    assert len(FILES) == 72
    assert sorted(FILES) == FILES
    assert all(f.suffix == ".xml" for f in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_real_notice_parses(path: Path):
    n = parse_ted_notice(path.read_bytes(), filename=path.name)
    assert n.filename == path.name
    assert n.form_type in {f"F{i:02d}" for i in range(1, 26)}
    assert n.notice_number and n.notice_number.endswith(tuple(str(y) for y in range(2018, 2024)))
    assert n.ojs_number and "/S " in n.ojs_number
    assert n.reception_id and path.name.startswith(n.reception_id)
    assert n.title
    assert n.buyer.official_name
    assert n.country and len(n.country) == 2 and n.country.isupper()
    assert n.language and len(n.language) == 2
    assert n.cpv_main and len(n.cpv_main) == 8 and n.cpv_main.isdigit()
    assert n.cpv_main not in n.cpv_additional
    assert len(set(n.cpv_additional)) == len(n.cpv_additional)
    assert all(len(c) == 8 and c.isdigit() for c in n.cpv_additional)
    assert n.procedure in {
        None,
        "open",
        "restricted",
        "negotiated",
        "competitive_dialogue",
        "innovation_partnership",
        "other",
    }
    assert n.main_category in {"goods", "works", "services"}
    assert n.publication_date is not None
    if n.submission_deadline is not None:
        assert n.submission_deadline.tzinfo is not None
    if n.estimated_value is not None:
        assert isinstance(n.estimated_value, Decimal)
        assert n.currency and len(n.currency) == 3
    for lot in n.lots:
        assert all(len(c) == 8 for c in lot.cpv_codes)
    if n.is_award:
        assert n.awards, "an award notice yields awards"


# One notice per form type; every value below was read by hand from the XML file.
# (file, form, kind, title, buyer, cpv, deadline (Brussels) or None, value, currency)
HAND_READ = [
    (
        "20-155018-001-EXP.xml",
        "F01",
        "planning",
        "Construction work for sports facilities",
        "Gemeinde Veitshöchheim",
        "45212200",
        None,
        None,
        None,
    ),
    (
        "21-077815-001-EXP.xml",
        "F02",
        "tender",
        "Joint Procurement for Electron Cyclotron (EC) RF Sources/Gyrotrons",
        "Fusion for Energy Joint Undertaking (\u2018Fusion for Energy\u2019)",
        "31670000",
        dt.datetime(2021, 3, 10, 23, 59, tzinfo=BRU),
        Decimal("60000000.00"),
        "EUR",
    ),
    (
        "21-050204-001-EXP.xml",
        "F03",
        "award",
        "Production and Supply of Branded Promotional Material",
        "European Union Agency for Cybersecurity",
        "39294100",
        None,
        Decimal("200000.00"),
        "EUR",
    ),
    (
        "22-434184-001-EXP.xml",
        "F04",
        "planning",
        "Buses and coaches",
        "Azienda Trasporti Messina S.p.A.",
        "34121000",
        dt.datetime(2022, 8, 12, 10, 0, tzinfo=BRU),
        Decimal("2695980.00"),
        "EUR",
    ),
    (
        "21-119240-001-EXP.xml",
        "F05",
        "tender",
        "Airside and Landside Civil Works Framework",
        "DAA plc",
        "45235100",
        dt.datetime(2021, 4, 22, 15, 0, tzinfo=BRU),
        Decimal("425000000.00"),
        "EUR",
    ),
    (
        "18-412273-001-EXP.xml",
        "F06",
        "award",
        "Track construction works",
        "CAPL",
        "45234116",
        None,
        Decimal("5530658.98"),
        "EUR",
    ),
    (
        "20-271232-001-EXP.xml",
        "F07",
        "tender",
        "Public road transport services",
        "SNCF",
        "60112000",
        None,
        None,
        None,
    ),
    (
        "19-099886-001-EXP.xml",
        "F08",
        "other",
        "Animal products, meat and meat products",
        "Areszt \u015aledczy w Jeleniej G\u00f3rze",
        "15100000",
        None,
        None,
        None,
    ),
    (
        "21-419119-001-EXP.xml",
        "F12",
        "tender",
        "Anti-counterfeiting Blockathon Infrastructure Design Contest",
        "European Union Intellectual Property Office (EUIPO)",
        "71230000",
        dt.datetime(2021, 9, 30, 13, 0, tzinfo=BRU),
        None,
        None,
    ),
    (
        "18-536293-001-EXP.xml",
        "F13",
        "award",
        "Architectural design services",
        "Wojew\u00f3dztwo Ma\u0142opolskie",
        "71220000",
        None,
        None,
        None,
    ),
    (
        "23-119901-001-EXP.xml",
        "F14",
        "corrigendum",
        "Road viaduct construction work",
        "Infraestruturas de Portugal, S. A.",
        "45221121",
        None,
        None,
        None,
    ),
    (
        "21-149886-001-EXP.xml",
        "F15",
        "award",
        "Radio and television services",
        "GHR Mulhouse Sud Alsace",
        "92200000",
        None,
        Decimal("3000000"),
        "EUR",
    ),
    (
        "21-635824-001-EXP.xml",
        "F21",
        "award",
        "Provision of Learning and Development Services in the Field of Data Science, Computer "
        "Science and Information and Communications Technology - Lot 1",
        "European Central Bank",
        "80570000",
        None,
        Decimal("1500000.00"),
        "EUR",
    ),
    (
        "19-289373-001-EXP.xml",
        "F22",
        "tender",
        "CIE 7289 - Qualification System for Provision of Penetration Testing",
        "Iarnr\u00f3d Eireann-Irish Rail",
        "72000000",
        None,
        None,
        None,
    ),
    (
        "21-119282-001-EXP.xml",
        "F24",
        "tender",
        "Pre-qualification: Express Boat Bergen-Nordfjord/Sogn for the Period 2022-2024",
        "Skyss",
        "60600000",
        dt.datetime(2021, 4, 6, 12, 0, tzinfo=BRU),
        Decimal("596000000"),
        "NOK",
    ),
    (
        "19-318420-001-EXP.xml",
        "F25",
        "award",
        "Exhibition, fair and congress organisation services",
        "Mairie de Niort",
        "79950000",
        None,
        Decimal("6500000"),
        "EUR",
    ),
]


def test_hand_read_table_covers_every_form_in_the_set():
    present = {parse(f.name).form_type for f in FILES}
    assert present == {row[1] for row in HAND_READ}


@pytest.mark.parametrize(
    ("name", "form", "kind", "title", "buyer", "cpv", "deadline", "value", "currency"),
    HAND_READ,
    ids=[row[1] for row in HAND_READ],
)
def test_fields_a_user_sees(name, form, kind, title, buyer, cpv, deadline, value, currency):
    n = parse(name)
    assert n.form_type == form
    assert n.notice_kind == kind
    assert n.title == title
    assert n.buyer.official_name == buyer
    assert n.cpv_main == cpv
    assert n.submission_deadline == deadline
    assert n.estimated_value == value
    assert n.currency == currency


def test_gyrotron_notice_in_detail():
    n = parse("21-077815-001-EXP.xml")
    assert n.notice_number == "089010-2021"
    assert n.ojs_number == "2021/S 036-089010"
    assert n.reception_id == "21-077815-001"
    assert n.notice_type == "contract notice"
    assert n.language == "en"
    assert n.reference_number == "F4E-OMF-1108"
    assert n.buyer.country == "ES" and n.country == "ES"
    assert n.buyer.town == "Barcelona"
    assert n.buyer.url == "http://f4e.europa.eu/"
    assert n.buyer.email == "tenders-operational-PMS-H.CD@f4e.europa.eu"
    assert n.procedure == "negotiated"
    assert n.procedure_code == "PT_COMPETITIVE_NEGOTIATION"
    assert n.main_category == "goods"
    assert n.dispatch_date == dt.date(2021, 2, 10)
    assert n.publication_date == dt.date(2021, 2, 22)
    # No TIME_RECEIPT_TENDERS in this notice: the deadline is the end of that Brussels day.
    assert n.submission_deadline.utcoffset() == dt.timedelta(hours=1)
    assert n.description.startswith(
        "\u2014 for F4E: Supply of six gyrotrons of 1 MW at 170 GHz with continuous wave"
    )
    assert "\n\n\u2014 for Divertor Tokamak Test facility (DTT)" in n.description
    assert n.url.endswith(":TEXT:EN:HTML")
    assert n.lots == [] and n.awards == []


def test_deadline_is_brussels_time_across_dst():
    summer = parse("21-119240-001-EXP.xml").submission_deadline
    assert summer.astimezone(dt.UTC) == dt.datetime(2021, 4, 22, 13, 0, tzinfo=dt.UTC)
    winter = parse("20-566267-001-EXP.xml").submission_deadline
    assert winter.utcoffset() == dt.timedelta(hours=1)


def test_non_english_notice_keeps_the_original_title_and_language():
    n = parse("20-155018-001-EXP.xml")
    assert n.language == "de"
    assert (
        n.title_original
        == "Gemeinde Veitsh\u00f6chheim, Sportplatzbauarbeiten an der Freisportanlage"
    )


def test_english_translation_is_preferred_for_title_and_description():
    n = parse("22-109282-001-EXP.xml")  # Italian original with an English translation form
    assert n.language == "it"
    assert n.title.startswith("Emergency medicine services")
    assert n.title_original != n.title


def test_award_notice_awards():
    n = parse("21-050204-001-EXP.xml")
    assert n.notice_type == "contract award notice"
    assert n.total_value == Decimal("200000.00")
    (award,) = n.awards
    assert award.awarded
    assert [(s.name, s.country) for s in award.suppliers] == [("Triple A and C Trading SPRL", "BE")]
    assert award.value == Decimal("200000.00") and award.currency == "EUR"


def test_utilities_award_with_lots_contract_numbers_and_conclusion_dates():
    n = parse("18-412273-001-EXP.xml")
    assert n.language == "fr"
    assert len(n.lots) == 5 and len(n.awards) == 5
    first = n.awards[0]
    assert first.suppliers[0].name == "Eiffage route mediterran\u00e9e (mandataire)"
    assert first.suppliers[0].country == "FR"
    assert first.value == Decimal("4625137.40")
    assert first.date_concluded == dt.date(2018, 8, 23)
    assert n.cpv_additional  # from the lots, deduplicated


def test_not_awarded_lot_is_reported_as_such():
    n = parse("21-364240-001-EXP.xml")
    (award,) = n.awards
    assert not award.awarded and award.no_award_reason == "discontinued" and not award.suppliers


def test_design_contest_results_become_awards():
    n = parse("18-536293-001-EXP.xml")
    (award,) = n.awards
    assert award.value == Decimal("300000.00") and award.currency == "PLN"
    assert len(award.suppliers) == 5
    assert award.date_concluded == dt.date(2018, 11, 24)


def test_voluntary_ex_ante_notice():
    n = parse("21-149886-001-EXP.xml")
    assert n.procedure_code == "PT_AWARD_CONTRACT_WITHOUT_CALL"
    assert n.procedure == "negotiated"
    (award,) = n.awards
    assert award.suppliers[0].name == "T\u00e9l\u00e9com services"
    assert award.date_concluded == dt.date(2021, 2, 24)


def test_corrigendum_changes_deadline():
    n = parse("23-119901-001-EXP.xml")
    assert n.notice_type == "corrigendum"
    change = n.changes[0]
    assert change.section == "IV.2.2)"
    assert change.old_date == dt.date(2023, 2, 28)
    assert change.new_datetime == dt.datetime(2023, 3, 3, 17, 0, tzinfo=BRU)


def test_lots_with_values_and_cpv():
    n = parse("20-213571-001-EXP.xml")
    assert [lot.number for lot in n.lots] == ["1", "2"]
    assert all(lot.title for lot in n.lots)
    assert n.procedure == "restricted"


def test_uk_country_code_becomes_iso():
    assert parse("20-156983-001-EXP.xml").country == "GB"
    assert parse("21-050204-001-EXP.xml").country == "GR"


def test_old_namespace_is_read():
    n = parse("18-168448-001-EXP.xml")  # xmlns="ted/R2.0.9.S02/publication"
    assert n.form_type == "F02" and n.procedure == "open"


def test_iter_notice_files_expands_folders_and_keeps_files(tmp_path):
    (tmp_path / "b.xml").write_bytes(b"<x/>")
    (tmp_path / "a.xml").write_bytes(b"<x/>")
    (tmp_path / "c.json").write_bytes(b"{}")
    single = tmp_path / "c.json"
    assert iter_notice_files([tmp_path, single]) == [
        tmp_path / "a.xml",
        tmp_path / "b.xml",
        single,
    ]


# --------------------------------------------------------------------------- refusals

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TED_EXPORT>&lol9;</TED_EXPORT>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TED_EXPORT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TED_EXPORT>&xxe;</TED_EXPORT>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE TED_EXPORT SYSTEM "http://attacker.invalid/evil.dtd">
<TED_EXPORT/>"""

PLAIN_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE TED_EXPORT [<!ELEMENT TED_EXPORT ANY>]>
<TED_EXPORT/>"""


def refusal(data: bytes, name: str = "evil.xml") -> NoticeRejected:
    with pytest.raises(NoticeRejected) as info:
        parse_ted_notice(data, filename=name)
    assert name in str(info.value)
    return info.value


def test_refuses_billion_laughs():
    err = refusal(BILLION_LAUGHS)
    assert err.code == "entity_expansion"
    assert "entity expansion" in str(err)


def test_refuses_xxe():
    err = refusal(XXE)
    assert err.code == "external_entity"
    assert "/etc/passwd" in str(err)


def test_refuses_external_dtd():
    assert refusal(EXTERNAL_DTD).code == "external_entity"


def test_refuses_any_dtd():
    err = refusal(PLAIN_DTD)
    assert err.code == "dtd_forbidden"
    assert "DTD" in str(err)


def test_refuses_truncated_file():
    data = (NOTICE_DIR / "21-077815-001-EXP.xml").read_bytes()
    err = refusal(data[: len(data) // 2], "truncated.xml")
    assert err.code == "malformed"
    assert "truncated.xml" in str(err) and "malformed" in str(err)


def test_refuses_json():
    err = refusal(json.dumps({"releases": []}).encode(), "package.json")
    assert err.code == "not_xml"
    assert "JSON" in str(err)


def test_refuses_oversized_file_before_parsing():
    err = refusal(b"<TED_EXPORT>" + b" " * MAX_NOTICE_BYTES + b"</TED_EXPORT>", "huge.xml")
    assert err.code == "too_large"
    assert "limit" in str(err)


def test_refuses_other_xml():
    err = refusal(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "feed.xml")
    assert err.code == "not_ted"
    assert "<rss>" in str(err)


def test_refuses_ted_export_without_a_form():
    err = refusal(b"<TED_EXPORT><FORM_SECTION/></TED_EXPORT>", "empty.xml")
    assert err.code == "not_ted"


def test_each_refusal_has_its_own_code_and_message():
    cases = {
        "too_large": b"<a/>" * (MAX_NOTICE_BYTES // 4 + 1),
        "not_xml": b'{"a": 1}',
        "malformed": b"<TED_EXPORT><FORM_SECTION>",
        "entity_expansion": BILLION_LAUGHS,
        "external_entity": XXE,
        "dtd_forbidden": PLAIN_DTD,
        "not_ted": b"<html/>",
    }
    messages = set()
    for code, data in cases.items():
        err = refusal(data)
        assert err.code == code
        messages.add(err.reason)
    assert len(messages) == len(cases)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda s: f"<TED_EXPORT>{s}".encode()))
def test_arbitrary_bytes_parse_or_are_refused(data):
    try:
        parse_ted_notice(data, filename="fuzz.xml")
    except NoticeRejected as err:
        assert err.code in {
            "too_large",
            "not_xml",
            "malformed",
            "dtd_forbidden",
            "entity_expansion",
            "external_entity",
            "not_ted",
        }
