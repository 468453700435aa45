"""Imports through ``tenders.importers`` (which write through ``services.call_import``): the 72
real TED notices through ``manage.py import_ted``, follow-up notices, idempotence, hostile
files; OCDS release packages through ``manage.py import_ocds``, round trip of our own packages,
refused files, announcements."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from organisations.models import Organisation
from tenders import value_bands
from tenders.buyers import buyer_match_or_create
from tenders.importers import ted_file_import
from tenders.models import Award, Lot, ProcurementCall
from tenders.notices import default_notice_dir, iter_notice_files, parse_ted_notice
from tenders.signals import call_published
from tests.factories import (
    AwardFactory,
    InfrastructureFactory,
    LotFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
NOTICE_DIR = default_notice_dir()
FILES = iter_notice_files([NOTICE_DIR]) if NOTICE_DIR.is_dir() else []
needs_notices = pytest.mark.skipif(not FILES, reason=f"no TED notices in {NOTICE_DIR}")

F4E_NOTICE = "21-077815-001-EXP.xml"  # F02, Fusion for Energy, gyrotrons
AWARD_NOTICE = "21-050204-001-EXP.xml"  # F03, follows up 2020/S 219-536631
CORRIGENDUM = "23-119901-001-EXP.xml"  # F14, follows up 2022/S 098-267307

# One notice per form type present in the set; every value read by hand from the XML file:
# (file, form, title, buyer, main CPV, deadline (Brussels) or None, value, currency, status)
HAND_READ = [
    ("20-155018-001-EXP.xml", "F01", "Construction work for sports facilities",
     "Gemeinde Veitshöchheim", "45212200", None, None, "EUR", "closed"),
    (F4E_NOTICE, "F02", "Joint Procurement for Electron Cyclotron (EC) RF Sources/Gyrotrons",
     "Fusion for Energy", "31670000", dt.datetime(2021, 3, 10, 23, 59, tzinfo=BRU),
     Decimal("60000000.00"), "EUR", "closed"),
    (AWARD_NOTICE, "F03", "Production and Supply of Branded Promotional Material",
     "European Union Agency for Cybersecurity", "39294100", None, Decimal("200000.00"), "EUR",
     "awarded"),
    ("22-434184-001-EXP.xml", "F04", "Buses and coaches", "Azienda Trasporti Messina S.p.A.",
     "34121000", dt.datetime(2022, 8, 12, 10, 0, tzinfo=BRU), Decimal("2695980.00"), "EUR",
     "closed"),
    ("21-119240-001-EXP.xml", "F05", "Airside and Landside Civil Works Framework", "DAA plc",
     "45235100", dt.datetime(2021, 4, 22, 15, 0, tzinfo=BRU), Decimal("425000000.00"), "EUR",
     "closed"),
    ("18-412273-001-EXP.xml", "F06", "Track construction works", "CAPL", "45234116", None,
     Decimal("5530658.98"), "EUR", "awarded"),
    ("20-271232-001-EXP.xml", "F07", "Public road transport services", "SNCF", "60112000", None,
     None, "EUR", "closed"),
    ("19-099886-001-EXP.xml", "F08", "Animal products, meat and meat products",
     "Areszt Śledczy w Jeleniej Górze", "15100000", None, None, "EUR", "closed"),
    ("21-419119-001-EXP.xml", "F12",
     "Anti-counterfeiting Blockathon Infrastructure Design Contest",
     "European Union Intellectual Property Office (EUIPO)", "71230000",
     dt.datetime(2021, 9, 30, 13, 0, tzinfo=BRU), None, "EUR", "closed"),
    ("18-536293-001-EXP.xml", "F13", "Architectural design services", "Województwo Małopolskie",
     "71220000", None, None, "EUR", "awarded"),
    (CORRIGENDUM, "F14", "Road viaduct construction work", "Infraestruturas de Portugal, S. A.",
     "45221121", None, None, "EUR", "closed"),
    ("21-149886-001-EXP.xml", "F15", "Radio and television services", "GHR Mulhouse Sud Alsace",
     "92200000", None, Decimal("3000000"), "EUR", "awarded"),
    ("21-635824-001-EXP.xml", "F21",
     "Provision of Learning and Development Services in the Field of Data Science, Computer "
     "Science and Information and Communications Technology - Lot 1",
     "European Central Bank", "80570000", None, Decimal("1500000.00"), "EUR", "awarded"),
    ("19-289373-001-EXP.xml", "F22",
     "CIE 7289 - Qualification System for Provision of Penetration Testing",
     "Iarnród Eireann-Irish Rail", "72000000", None, None, "EUR", "closed"),
    ("21-119282-001-EXP.xml", "F24",
     "Pre-qualification: Express Boat Bergen-Nordfjord/Sogn for the Period 2022-2024", "Skyss",
     "60600000", dt.datetime(2021, 4, 6, 12, 0, tzinfo=BRU), Decimal("596000000"), "NOK",
     "closed"),
    ("19-318420-001-EXP.xml", "F25", "Exhibition, fair and congress organisation services",
     "Mairie de Niort", "79950000", None, Decimal("6500000"), "EUR", "awarded"),
]  # fmt: skip

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TED_EXPORT>&lol4;</TED_EXPORT>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TED_EXPORT [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TED_EXPORT><FORM_SECTION>&xxe;</FORM_SECTION></TED_EXPORT>
"""
JSON = b'{"releases": [{"ocid": "ocds-x-1", "id": "1"}]}'


def _import(*paths) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("import_ted", *[str(p) for p in paths], stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of the tables an import writes, every column (updated_at included)."""
    tables = [
        ProcurementCall._meta.db_table,
        ProcurementCall.additional_cpv.through._meta.db_table,
        Lot._meta.db_table,
        Lot.cpv_codes.through._meta.db_table,
        Award._meta.db_table,
        Organisation._meta.db_table,
    ]
    snap = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # our own table names
            snap[table] = cursor.fetchall()
    return snap


@pytest.fixture
def f4e():
    return InfrastructureFactory(
        name="Fusion for Energy", slug="f4e", acronym="F4E", country="ES", city="Barcelona"
    )


@needs_notices
def test_all_72_notices_import_and_a_second_import_changes_no_row(f4e):
    out, error = _import(NOTICE_DIR)
    assert error is None, out
    assert out.count(": imported ") == 72
    assert "72 files: 72 imported, 0 updated, 0 unchanged, 0 skipped, 0 refused." in out
    numbers = {parse_ted_notice(f.read_bytes(), filename=f.name).notice_number for f in FILES}
    stored = set(ProcurementCall.objects.filter(source="ted").values_list("source_id", flat=True))
    assert stored == numbers
    assert not ProcurementCall.objects.exclude(source="ted").exists()

    before = _snapshot()
    out, error = _import(NOTICE_DIR)
    assert error is None
    assert "72 files: 0 imported, 0 updated, 72 unchanged, 0 skipped, 0 refused." in out
    assert _snapshot() == before


@needs_notices
def test_hand_read_rows_cover_every_form_type_in_the_set():
    forms = {parse_ted_notice(f.read_bytes(), filename=f.name).form_type for f in FILES}
    assert forms == {row[1] for row in HAND_READ}


@needs_notices
@pytest.mark.parametrize(
    ("name", "form", "title", "buyer", "cpv", "deadline", "value", "currency", "status"),
    HAND_READ,
    ids=[row[1] for row in HAND_READ],
)
def test_fields_a_user_sees_match_the_xml(
    f4e, name, form, title, buyer, cpv, deadline, value, currency, status
):
    _, error = _import(NOTICE_DIR / name)
    assert error is None
    call = ProcurementCall.objects.select_related("buyer").get()
    assert call.source == "ted"
    assert call.title == title
    assert call.buyer.name == buyer
    assert call.main_cpv_id == cpv
    assert call.tender_period_end == deadline
    assert call.value_amount == value
    assert call.value_currency == currency
    assert call.status == status
    assert call.buyer.status == Organisation.Status.PUBLISHED


@needs_notices
def test_f4e_notice_matches_the_existing_organisation_and_keeps_details(f4e):
    _import(NOTICE_DIR / F4E_NOTICE)
    call = ProcurementCall.objects.get()
    assert call.buyer == f4e
    assert Organisation.objects.count() == 1
    assert call.source_id == "089010-2021"
    assert call.reference == "F4E-OMF-1108"
    assert call.procurement_method == "negotiated"
    assert call.main_procurement_category == "goods"
    assert call.stage == "invitation_to_tender"
    assert call.notice_type == "contract notice"
    assert call.country.code == "ES"
    assert call.language == "en"
    assert call.value_band == "D"
    assert call.published_at == dt.datetime(2021, 2, 22, tzinfo=BRU)
    assert call.description.startswith("— for F4E: Supply of six gyrotrons")


@needs_notices
def test_unknown_buyer_is_created_published_with_country_city_and_website():
    _import(NOTICE_DIR / "21-419119-001-EXP.xml")
    org = ProcurementCall.objects.get().buyer
    assert org.name == "European Union Intellectual Property Office (EUIPO)"
    assert org.country.code == "ES"
    assert org.city and org.website.startswith("http")
    assert org.status == Organisation.Status.PUBLISHED
    assert org.kind in (
        Organisation.Kind.PUBLIC_AUTHORITY,
        Organisation.Kind.RESEARCH_INFRASTRUCTURE,
    )


@needs_notices
def test_prior_information_notice_is_an_advance_notice_and_lots_are_stored():
    _import(NOTICE_DIR / "20-155018-001-EXP.xml", NOTICE_DIR / "20-213571-001-EXP.xml")
    pin = ProcurementCall.objects.get(source_id="150025-2020")
    assert pin.stage == "advance_notice"
    lots_call = ProcurementCall.objects.get(source_id="209416-2020")
    assert list(lots_call.lots.values_list("number", flat=True)) == ["1", "2"]
    assert all(lots_call.lots.values_list("title", flat=True))
    assert lots_call.procurement_method == "restricted"


@needs_notices
def test_award_notice_of_its_own_becomes_an_awarded_call_with_awards():
    _import(NOTICE_DIR / "18-412273-001-EXP.xml")
    call = ProcurementCall.objects.get()
    assert call.status == "awarded"
    # Five lots; lots 4 and 5 were not awarded, lot 1 went to a consortium of two.
    assert list(call.awards.values_list("lot_number", flat=True)) == ["1", "2", "3"]
    first = call.awards.get(lot_number="1")
    assert first.supplier_name == (
        "Eiffage route mediterranée (mandataire); Gagneraud Construction (cotraitant)"
    )
    assert first.contract_number == "18.008.1"
    assert first.value_amount == Decimal("4625137.40")
    assert first.date == dt.date(2018, 8, 23)
    assert first.supplier_country.code == "FR"


@needs_notices
def test_award_notice_adds_awards_to_the_contract_notice_it_follows(tmp_path, f4e):
    # The award notice of the set follows a notice that is not in the set; point it at the
    # F4E contract notice (2021/S 036-089010) to see the awards land on that call.
    data = (
        (NOTICE_DIR / AWARD_NOTICE).read_bytes().replace(b"2020/S 219-536631", b"2021/S 036-089010")
    )
    (tmp_path / "award.xml").write_bytes(data)
    _, error = _import(NOTICE_DIR / F4E_NOTICE, tmp_path / "award.xml")
    assert error is None
    call = ProcurementCall.objects.get()  # no second call
    assert call.source_id == "089010-2021"
    assert call.status == "awarded"
    (award,) = call.awards.all()
    assert award.supplier_name == "Triple A and C Trading SPRL"
    assert award.value_amount == Decimal("200000.00")

    before = _snapshot()
    out, _ = _import(tmp_path / "award.xml")
    assert "unchanged" in out
    assert _snapshot() == before


@needs_notices
def test_corrigendum_moves_the_deadline_of_the_notice_it_corrects(tmp_path, f4e):
    data = (
        (NOTICE_DIR / CORRIGENDUM).read_bytes().replace(b"2022/S 098-267307", b"2021/S 036-089010")
    )
    (tmp_path / "corrigendum.xml").write_bytes(data)
    _import(NOTICE_DIR / F4E_NOTICE, tmp_path / "corrigendum.xml")
    call = ProcurementCall.objects.get()
    assert call.tender_period_end == dt.datetime(2023, 3, 3, 17, 0, tzinfo=BRU)


@needs_notices
def test_reimport_of_a_changed_notice_updates_without_duplicating(tmp_path, f4e):
    original = (NOTICE_DIR / F4E_NOTICE).read_bytes()
    _import(NOTICE_DIR / F4E_NOTICE)
    call = ProcurementCall.objects.get()
    changed = original.replace(b"RF Sources/Gyrotrons</P>", b"RF Sources/Gyrotrons (amended)</P>")
    assert changed != original
    (tmp_path / F4E_NOTICE).write_bytes(changed)
    out, error = _import(tmp_path / F4E_NOTICE)
    assert error is None and ": updated 089010-2021" in out
    call2 = ProcurementCall.objects.get()
    assert call2.pk == call.pk
    assert call2.title.endswith("(amended)")
    assert call2.updated_at > call.updated_at


@needs_notices
def test_open_notice_is_published_and_announced_once(tmp_path, f4e):
    data = (NOTICE_DIR / F4E_NOTICE).read_bytes().replace(b"2021-03-10", b"2099-03-10")
    (tmp_path / "open.xml").write_bytes(data)
    received = []

    def receiver(sender, call_id, **kwargs):
        received.append(call_id)

    call_published.connect(receiver)
    try:
        _import(tmp_path / "open.xml")
        call = ProcurementCall.objects.get()
        assert call.status == "published"
        assert call.is_open
        assert received == [call.pk]
        _import(tmp_path / "open.xml")
        assert received == [call.pk]  # nothing became published the second time
    finally:
        call_published.disconnect(receiver)


@needs_notices
def test_unknown_cpv_codes_are_skipped_and_reported(tmp_path, f4e):
    data = (NOTICE_DIR / F4E_NOTICE).read_bytes().replace(b'CODE="31670000"', b'CODE="99999999"')
    (tmp_path / "cpv.xml").write_bytes(data)
    out, error = _import(tmp_path / "cpv.xml")
    assert error is None
    assert "unknown CPV codes skipped: 99999999" in out
    assert ProcurementCall.objects.get().main_cpv is None


@needs_notices
def test_hostile_and_foreign_files_are_refused_each_with_its_reason(tmp_path, f4e):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(NOTICE_DIR / F4E_NOTICE, folder / "a-good.xml")
    shutil.copy(NOTICE_DIR / "21-119240-001-EXP.xml", folder / "b-good.xml")
    (folder / "bomb.xml").write_bytes(BOMB)
    (folder / "xxe.xml").write_bytes(XXE)
    (folder / "truncated.xml").write_bytes((NOTICE_DIR / F4E_NOTICE).read_bytes()[:5000])
    (folder / "release.xml").write_bytes(JSON)  # a JSON file, whatever its name says

    out, error = _import(folder)

    assert error is not None
    assert "4 of 6 files were refused" in str(error)
    lines = {line.split(":", 1)[0]: line for line in out.splitlines() if ": " in line}
    assert "refused" in lines["bomb.xml"] and "entity expansion" in lines["bomb.xml"]
    assert "refused" in lines["xxe.xml"] and "external entities (XXE)" in lines["xxe.xml"]
    assert (
        "refused" in lines["truncated.xml"] and "malformed or truncated" in lines["truncated.xml"]
    )
    assert "refused" in lines["release.xml"] and "starts like JSON" in lines["release.xml"]
    assert len({lines[n].split(": refused: ")[1] for n in ("bomb.xml", "xxe.xml",
                "truncated.xml", "release.xml")}) == 4  # fmt: skip
    assert "imported" in lines["a-good.xml"] and "imported" in lines["b-good.xml"]
    assert "6 files: 2 imported, 0 updated, 0 unchanged, 0 skipped, 4 refused." in out
    # The good files are stored, nothing of the refused ones.
    assert set(ProcurementCall.objects.values_list("source_id", flat=True)) == {
        "089010-2021",
        "119025-2021",
    }
    assert Organisation.objects.count() == 2  # F4E (matched) + DAA plc (created)


def test_a_file_above_the_size_limit_is_refused_before_parsing():
    outcome = ted_file_import(data=b"<TED_EXPORT>" + b" " * (6 * 1024 * 1024), filename="big.xml")
    assert outcome.action == "refused"
    assert "above the limit" in outcome.reason
    assert not ProcurementCall.objects.exists()


def test_a_missing_path_makes_the_command_fail(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_ted", str(tmp_path / "nothing-here"), stdout=io.StringIO())
    assert not ProcurementCall.objects.exists()


@pytest.mark.parametrize(
    ("notice_name", "country"),
    [
        ("Fusion for Energy Joint Undertaking (\u2018Fusion for Energy\u2019)", "ES"),
        ("Fusion for Energy Joint Undertaking", "ES"),
        ("FUSION FOR ENERGY", "ES"),
        ("F4E", "ES"),
        ("Fusion for Energy", None),
    ],
)
def test_buyer_name_variants_match_the_directory_organisation(f4e, notice_name, country):
    org, created = buyer_match_or_create(name=notice_name, country=country)
    assert (org, created) == (f4e, False)


def test_same_name_in_another_country_is_another_buyer(f4e):
    org, created = buyer_match_or_create(name="Fusion for Energy", country="FR", town="Paris")
    assert created and org != f4e
    assert (org.country.code, org.city, org.status) == ("FR", "Paris", "published")
    again, created_again = buyer_match_or_create(name="Fusion for Energy", country="FR")
    assert (again, created_again) == (org, False)


# --------------------------------------------------------------------------- OCDS


Status = ProcurementCall.Status


@pytest.fixture
def ess():
    return InfrastructureFactory(name="European Spallation Source", acronym="ESS", country="SE")


def _calls(ess) -> list[ProcurementCall]:
    now = timezone.now().replace(microsecond=0)
    open_call = ProcurementCallFactory(
        buyer=ess,
        title="Supply of a 1.8 K helium cold box",
        description="Design, manufacture and test of a superfluid helium refrigerator.",
        reference="ESS-ITT-17",
        procurement_method="restricted",
        main_procurement_category="goods",
        main_cpv_id="42512000",
        additional_cpv=["42513200"],
        value_amount=Decimal("2500000.00"),
        value_currency="EUR",
        tender_period_end=now + dt.timedelta(days=30),
        enquiry_period_end=now + dt.timedelta(days=20),
        published_at=now - dt.timedelta(days=2),
        selection_criteria="ISO 9001; references in cryogenics",
    )
    LotFactory(call=open_call, number="1", title="Cold box", value_amount=Decimal("2e6"))
    LotFactory(call=open_call, number="2", title="Controls")
    awarded = ProcurementCallFactory(
        buyer=ess,
        title="Vacuum vessel welding services",
        status=Status.AWARDED,
        procurement_method="open",
        main_procurement_category="services",
        main_cpv_id="45262640",
        value_amount=Decimal("800000.00"),
        value_currency="SEK",
        tender_period_end=now - dt.timedelta(days=60),
        enquiry_period_end=None,
        published_at=now - dt.timedelta(days=90),
    )
    AwardFactory(
        call=awarded,
        supplier=OrganisationFactory(name="Weldtech AB", country="SE"),
        supplier_name="Weldtech AB",
        value_amount=Decimal("760000.00"),
        value_currency="SEK",
        date=dt.date(2025, 5, 2),
    )
    closed = ProcurementCallFactory(
        buyer=ess,
        title="Radiation-hard cameras",
        description="",
        status=Status.CLOSED,
        procurement_method="negotiated",
        main_procurement_category="goods",
        main_cpv_id=None,
        tender_period_end=now - dt.timedelta(days=1),
        enquiry_period_end=None,
        published_at=now - dt.timedelta(days=40),
    )
    return [open_call, awarded, closed]


def _export(client, tmp_path) -> str:
    response = client.get("/calls/ocds.json", {"include_closed": "on"})
    assert response.status_code == 200
    path = tmp_path / "package.json"
    path.write_bytes(response.content)
    return str(path)


def _run(path: str) -> str:
    out = io.StringIO()
    call_command("import_ocds", path, stdout=out)
    return out.getvalue()


def _imported(original: ProcurementCall) -> ProcurementCall:
    return ProcurementCall.objects.get(source="ocds", source_id__endswith=f"-{original.pk}")


def test_round_trip_of_our_own_package(client, ess, tmp_path):
    originals = _calls(ess)
    orgs_before = Organisation.objects.count()
    out = _run(_export(client, tmp_path))
    assert "3 calls: 3 imported, 0 updated, 0 unchanged." in out
    assert Organisation.objects.count() == orgs_before  # the buyer was matched, not duplicated

    for original in originals:
        copy = _imported(original)
        for field in (
            "title",
            "description",
            "reference",
            "status",
            "procurement_method",
            "main_procurement_category",
            "main_cpv_id",
            "value_amount",
            "value_currency",
            "tender_period_end",
            "enquiry_period_end",
            "published_at",
            "buyer_id",
        ):
            assert getattr(copy, field) == getattr(original, field), field
        assert set(copy.additional_cpv.values_list("code", flat=True)) == set(
            original.additional_cpv.values_list("code", flat=True)
        )
        assert list(copy.lots.values_list("number", "title", "value_amount")) == list(
            original.lots.values_list("number", "title", "value_amount")
        )
        assert list(copy.awards.values_list("supplier_name", "value_amount", "date")) == list(
            original.awards.values_list("supplier_name", "value_amount", "date")
        )
    assert _imported(originals[0]).selection_criteria == "ISO 9001; references in cryogenics"


@pytest.mark.parametrize(
    ("amount", "currency", "band"),
    [
        # near a band line in EUR: the rule of the call form (in CHF at the ECB rates), not
        # EUR taken as CHF, which gave B, C and D
        ("780000", "EUR", "A"),
        ("5200000", "EUR", "B"),
        ("10500000", "EUR", "C"),
        ("800000", "EUR", "B"),
        ("760000", "CHF", "B"),
        ("800000", "SEK", "A"),  # a currency the old rule gave no band at all
        ("5000000", "BRL", ""),  # no rate: no band
    ],
)
def test_an_imported_value_gets_the_band_the_call_form_gives(
    client, ess, tmp_path, amount, currency, band
):
    original = ProcurementCallFactory(
        buyer=ess, value_amount=Decimal(amount), value_currency=currency, value_band=""
    )
    _run(_export(client, tmp_path))
    imported = _imported(original)
    assert imported.value_band == band
    assert imported.value_band == value_bands.band_for(Decimal(amount), currency)


def test_second_import_changes_nothing(client, ess, tmp_path):
    _calls(ess)
    path = _export(client, tmp_path)
    _run(path)
    snapshot = list(ProcurementCall.objects.order_by("pk").values())
    lots = list(Lot.objects.order_by("pk").values())
    awards = list(Award.objects.order_by("pk").values())
    out = _run(path)
    assert "3 calls: 0 imported, 0 updated, 3 unchanged." in out
    assert list(ProcurementCall.objects.order_by("pk").values()) == snapshot
    assert list(Lot.objects.order_by("pk").values()) == lots
    assert list(Award.objects.order_by("pk").values()) == awards


def test_a_newer_release_updates_the_call(client, ess, tmp_path):
    originals = _calls(ess)
    path = _export(client, tmp_path)
    _run(path)
    package = json.loads((tmp_path / "package.json").read_text())
    release = next(r for r in package["releases"] if r["ocid"].endswith(f"-{originals[0].pk}"))
    release["tender"]["title"] = "Supply of a 2 K helium cold box"
    release["date"] = "2099-01-01T00:00:00+00:00"
    (tmp_path / "package.json").write_text(json.dumps(package))
    out = _run(path)
    assert "1 updated, 2 unchanged" in out
    assert _imported(originals[0]).title == "Supply of a 2 K helium cold box"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<TED_EXPORT/>", "not valid JSON"),
        (b"[1, 2, 3]", "top level is a JSON list"),
        (b'{"ocid": "ocds-x-1", "id": "1"}', "looks like a single release"),
        (
            json.dumps(
                {
                    "uri": "https://e.x/p",
                    "version": "1.1",
                    "publishedDate": "2025-01-01T00:00:00Z",
                    "publisher": {"name": "x"},
                    "releases": [
                        {
                            "ocid": "ocds-x-1",
                            "id": "r1",
                            "date": "2025-01-01T00:00:00Z",
                            "tag": ["tender"],
                            "initiationType": "tender",
                            "buyer": {"name": "CERN"},
                            "tender": {"id": "t", "title": "Ok", "status": "active"},
                        },
                        {
                            "ocid": "ocds-x-2",
                            "id": "r2",
                            "date": "2025-01-01T00:00:00Z",
                            "tag": ["tender"],
                            "initiationType": "tender",
                            "tender": {"id": "t", "value": {"amount": "lots"}},
                        },
                    ],
                }
            ).encode(),
            "release 1 (ocds-x-2) fails the OCDS 1.1 schema",
        ),
    ],
    ids=["xml", "json-list", "single-release", "schema-invalid"],
)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_saved(tmp_path, content, message):
    orgs_before = Organisation.objects.count()
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        _run(str(path))
    assert str(excinfo.value).startswith("bad.json: refused, nothing saved: ")
    assert message in str(excinfo.value)
    assert not ProcurementCall.objects.exists()
    assert Organisation.objects.count() == orgs_before


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _run(str(tmp_path / "missing.json"))


def test_imported_open_calls_are_announced_once(client, ess, tmp_path):
    originals = _calls(ess)
    path = _export(client, tmp_path)
    received = []

    def receiver(sender, call_id, **kwargs):
        received.append(call_id)

    call_published.connect(receiver)
    try:
        _run(path)
        assert received == [_imported(originals[0]).pk]  # the open one, not closed/awarded
        _run(path)
        assert len(received) == 1
    finally:
        call_published.disconnect(receiver)
