"""organisations/member_import.py and the import services and pages: preview, all-or-nothing
confirm, refused files, formula injection."""

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from bigscience_portal.core.errors import ActionRefused
from organisations import member_import, services
from organisations.models import ClusterMembership, Decision, Organisation, ProfileChange
from tests.factories import OrganisationFactory

from .helpers import INJECTION

pytestmark = pytest.mark.django_db

SHEET = (
    "name,country,website,contact e-mail,CPV codes,capabilities\n"
    "Polar Helium ApS,DK,polarhelium.example,info@polarhelium.example,42123000 39700000,Helium cryostats\n"
    "Vakuum Werk GmbH,Germany,https://www.vakuumwerk.example/,sales@vakuumwerk.example,42122450,UHV chambers\n"
    'Formula Co,ES,formula.example,hi@formula.example,,"' + INJECTION.replace('"', '""') + '"\n'
    "Polar Helium ApS,DK,polarhelium.example,info@polarhelium.example,42123000,Duplicate row\n"
    "Unknown Codes Oy,FI,unknown.example,a@unknown.example,99999999 42123000,Codes\n"
    "Bad Mail AB,SE,badmail.example,not-an-email,42123000,Mail\n"
    ",DK,noname.example,,,\n"
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_preview_lists_every_bad_row_with_line_field_and_reason(world):
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    assert [r["name"] for r in preview["rows"]] == [
        "Polar Helium ApS",
        "Vakuum Werk GmbH",
        "Formula Co",
    ]
    errors = {(e["line"], e["field"]) for e in preview["errors"]}
    assert (5, "name") in errors  # duplicate of line 2
    assert (6, "cpv_codes") in errors
    assert (7, "email") in errors
    assert (8, "name") in errors  # missing name
    messages = " ".join(e["message"] for e in preview["errors"])
    assert "Duplicate of line 2" in messages
    assert "Unknown CPV codes: 99999999" in messages
    assert "not-an-email" in messages
    vakuum = preview["rows"][1]
    assert vakuum["country"] == "DE"  # country names are understood
    assert vakuum["website"] == "https://www.vakuumwerk.example/"


def test_formula_injection_is_neutralised_in_stored_text(world):
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    services.member_import_confirm(
        cluster=world.cluster, imported_by=world.manager, rows=preview["rows"]
    )
    stored = Organisation.objects.get(name="Formula Co").capabilities
    assert stored == "'" + INJECTION
    assert not stored.startswith(("=", "+", "-", "@"))


def test_confirm_creates_members_once_and_reimport_creates_no_duplicates(world):
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    result = services.member_import_confirm(
        cluster=world.cluster, imported_by=world.manager, rows=preview["rows"]
    )
    assert len(result.created) == 3
    polar = Organisation.objects.get(name="Polar Helium ApS")
    assert set(polar.cpv_codes.values_list("code", flat=True)) == {"42123000", "39700000"}
    membership = ClusterMembership.objects.get(cluster=world.cluster, member=polar)
    assert membership.status == Decision.APPROVED
    change = ProfileChange.objects.get(organisation=polar)
    assert change.changed_by == world.manager and change.on_behalf_of == world.cluster
    count = Organisation.objects.count()

    again = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    assert all(r["existing_id"] for r in again["rows"])
    second = services.member_import_confirm(
        cluster=world.cluster, imported_by=world.manager, rows=again["rows"]
    )
    assert second.created == [] and second.already_present == 3
    assert Organisation.objects.count() == count


def test_existing_company_matches_on_domain_or_on_name_and_country(world):
    OrganisationFactory(name="Polar Helium A/S", country="DK", website="")
    OrganisationFactory(name="Something Else", country="FR", website="https://vakuumwerk.example")
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    by_name = {r["name"]: r["existing_id"] for r in preview["rows"]}
    assert by_name["Polar Helium ApS"] is not None  # same normalised name, same country
    assert by_name["Vakuum Werk GmbH"] is not None  # same website domain
    assert by_name["Formula Co"] is None


def test_confirm_is_all_or_nothing(world, monkeypatch):
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    count = Organisation.objects.count()
    real_create = ClusterMembership.objects.create
    calls = {"n": 0}

    def failing_create(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("database went away")
        return real_create(**kwargs)

    monkeypatch.setattr(ClusterMembership.objects, "create", failing_create)
    with pytest.raises(RuntimeError):
        services.member_import_confirm(
            cluster=world.cluster, imported_by=world.manager, rows=preview["rows"]
        )
    assert Organisation.objects.count() == count


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "not a text CSV"),
        ("binary.csv", b"name,country\n\x00\x01\x02\x03garbage", "binary"),
        ("latin1.csv", "name,country\nCafé Ø,DK\n".encode("utf-16"), "not a text CSV"),
        ("header.csv", b"foo,bar\n1,2\n", "first row must name the columns"),
        ("members.txt", b"name,country\nA,DK\n", ".csv or .xlsx"),
        ("fake.xlsx", b"name,country\nA,DK\n", "not an Excel"),
    ],
)
def test_refused_files(world, filename, content, message):
    with pytest.raises(ActionRefused, match=message) as refused:
        services.member_import_preview(cluster=world.cluster, filename=filename, data=content)
    assert refused.value.field == "file"


def test_oversized_file_is_refused(world):
    big = b"name,country\n" + b"A,DK\n" * (member_import.MAX_FILE_BYTES // 5 + 10)
    with pytest.raises(ActionRefused, match="larger than"):
        services.member_import_preview(cluster=world.cluster, filename="big.csv", data=big)


def test_undecodable_text_is_refused(world):
    with pytest.raises(ActionRefused, match="UTF-8"):
        services.member_import_preview(
            cluster=world.cluster, filename="x.csv", data="name,country\nCafé,DK\n".encode("cp1252")
        )


def test_xlsx_sheet_is_imported(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Country", "Website", "Contact e-mail", "CPV codes", "Capabilities"])
    ws.append(
        [
            "Baltic Lasers UAB",
            "LT",
            "balticlasers.example",
            "a@baltic.example",
            "38636100",
            "Lasers",
        ]
    )
    ws.append(["Evil Co", "LT", "evil.example", "x@evil.example", "", "+SUM(A1:A2)"])
    ws.append(["No Country", "", "", "", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.xlsx", data=buffer.getvalue()
    )
    assert [r["name"] for r in preview["rows"]] == ["Baltic Lasers UAB", "Evil Co"]
    assert preview["rows"][1]["capabilities"] == "'+SUM(A1:A2)"
    assert preview["errors"] == [
        {"line": 4, "field": "country", "message": "The country is required."}
    ]


def test_upload_preview_and_confirm_through_the_pages(client, world):
    client.force_login(world.manager)
    url = reverse("organisations:member_import", args=[world.cluster.slug])
    response = client.post(url, {"file": upload("members.csv", SHEET.encode())})
    preview_url = reverse("organisations:member_import_preview", args=[world.cluster.slug])
    assert response.status_code == 302 and response["Location"] == preview_url
    page = client.get(preview_url).content.decode()
    assert "Duplicate of line 2" in page and "Unknown CPV codes: 99999999" in page
    assert "not-an-email" in page
    assert not Organisation.objects.filter(name="Polar Helium ApS").exists()  # nothing yet
    response = client.post(preview_url)
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Polar Helium ApS").count() == 1
    # The preview is consumed: confirming twice does nothing more.
    assert client.post(preview_url).status_code == 302
    assert Organisation.objects.filter(name="Polar Helium ApS").count() == 1


def test_upload_page_shows_why_a_file_is_refused(client, world):
    client.force_login(world.manager)
    url = reverse("organisations:member_import", args=[world.cluster.slug])
    response = client.post(url, {"file": upload("evil.csv", b"\x89PNG\r\n\x1a\n\x00\x00")})
    assert response.status_code == 200
    assert "not a text CSV file" in response.content.decode()
    response = client.post(url, {"file": upload("empty.csv", b"")})
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    response = client.post(url, {"file": upload("header.csv", b"foo,bar\n1,2\n")})
    assert response.status_code == 200
    assert "first row must name the columns" in response.context["form"].errors["file"][0]


def test_preview_shows_problems_and_new_rows_as_tables(client, world):
    client.force_login(world.manager)
    client.post(
        reverse("organisations:member_import", args=[world.cluster.slug]),
        {"file": upload("members.csv", SHEET.encode())},
    )
    response = client.get(reverse("organisations:member_import_preview", args=[world.cluster.slug]))
    page = response.content.decode()
    assert '<th scope="col">Problem</th>' in page
    assert "<td>Polar Helium ApS</td>" in page and "<td>42123000 39700000</td>" in page
    assert "Import 3 members" in page


def test_a_refused_confirmation_says_why_and_asks_for_the_sheet_again(client, world):
    client.force_login(world.manager)
    client.post(
        reverse("organisations:member_import", args=[world.cluster.slug]),
        {"file": upload("members.csv", SHEET.encode())},
    )
    preview_url = reverse("organisations:member_import_preview", args=[world.cluster.slug])
    session = client.session
    key = f"organisations_member_import_{world.cluster.pk}"
    preview = session[key]
    preview["rows"][0]["cpv_codes"] = ["99999999"]  # a code gone since the preview
    session[key] = preview
    session.save()
    response = client.post(preview_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "organisations:member_import", args=[world.cluster.slug]
    )
    assert "Unknown CPV codes: 99999999" in response.content.decode()
    assert not Organisation.objects.filter(name="Polar Helium ApS").exists()


# --- archives that unpack to too much, cells too long (issue 14, finding 5) ------------------

SHEET_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>country</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
)
SHEET_XML_TAIL = b"</t></is></c></row></sheetData></worksheet>"


def xlsx_bomb(inline_string_bytes: int) -> bytes:
    """A small .xlsx whose sheet holds one huge inline string (the probe's 1.9 GB one, smaller:
    the check reads sizes, not contents)."""
    buffer = io.BytesIO()
    chunk = b"A" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_XML_HEAD)
            for _ in range(inline_string_bytes // len(chunk)):
                sheet.write(chunk)
            sheet.write(SHEET_XML_TAIL)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_never_reads(monkeypatch):
    """The archive must be refused before openpyxl unpacks anything."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a refused archive")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, world, openpyxl_never_reads):
    bomb = xlsx_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000  # 64 MB of sheet in a file the upload limit lets through
    client.force_login(world.manager)
    url = reverse("organisations:member_import", args=[world.cluster.slug])
    started = time.monotonic()
    response = client.post(url, {"file": upload("members.xlsx", bomb)})
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    error = response.context["form"].errors["file"][0]
    assert "The workbook unpacks to more than 20 MB (xl/worksheets/sheet1.xml)" in error
    assert f"organisations_member_import_{world.cluster.pk}" not in client.session


def test_a_member_compressed_beyond_any_sheet_is_refused(world, openpyxl_never_reads):
    bomb = xlsx_bomb(5 * 1024 * 1024)  # under the size limit, compressed about 1000 times
    with pytest.raises(ActionRefused, match="compressed more than 100 times"):
        services.member_import_preview(cluster=world.cluster, filename="m.xlsx", data=bomb)


def test_the_whole_archive_is_held_to_a_total(world, monkeypatch, openpyxl_never_reads):
    monkeypatch.setattr(member_import, "MAX_XLSX_TOTAL_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(3):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", os.urandom(400_000))
    with pytest.raises(ActionRefused, match="unpacks to more than 1 MB in all"):
        services.member_import_preview(
            cluster=world.cluster, filename="m.xlsx", data=buffer.getvalue()
        )


def test_an_archive_of_another_compression_is_refused(world, openpyxl_never_reads):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet/>")
    with pytest.raises(ActionRefused, match="not an Excel"):
        services.member_import_preview(
            cluster=world.cluster, filename="m.xlsx", data=buffer.getvalue()
        )


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_cell_longer_than_the_limit_refuses_its_row_with_the_line(client, world):
    data = _xlsx(
        [
            ["name", "country", "capabilities"],
            ["Good Co", "DK", "Cryostats"],
            ["Long Co", "DK", "x" * (member_import.MAX_CELL_LENGTH + 1)],
            ["Evil\nCo", "DK", "Line break in the name"],
        ]
    )
    client.force_login(world.manager)
    client.post(
        reverse("organisations:member_import", args=[world.cluster.slug]),
        {"file": upload("members.xlsx", data)},
    )
    preview_url = reverse("organisations:member_import_preview", args=[world.cluster.slug])
    page = client.get(preview_url).content.decode()
    assert "A cell is longer than 10,000 characters; the row is skipped." in page
    preview = client.session[f"organisations_member_import_{world.cluster.pk}"]
    assert [r["name"] for r in preview["rows"]] == ["Good Co"]
    assert {(e["line"], e["field"]) for e in preview["errors"]} == {
        (3, "capabilities"),
        (4, "name"),
    }
    assert "x" * 100 not in str(preview)  # the long cell is not kept in the session
    assert client.post(preview_url).status_code == 302
    assert Organisation.objects.filter(name="Good Co").exists()
    assert not Organisation.objects.filter(name__in=["Long Co", "Evil\nCo"]).exists()


def test_a_csv_cell_past_the_csv_readers_own_limit_refuses_the_sheet_with_the_line(world):
    data = b"name,country,capabilities\nGood Co,DK,ok\nHuge Co,DK," + b"x" * 200_000 + b"\n"
    with pytest.raises(ActionRefused, match="Line 3: a cell is longer than 10,000 characters"):
        services.member_import_preview(cluster=world.cluster, filename="m.csv", data=data)


def test_confirm_holds_the_models_limits_for_a_tampered_preview(world):
    preview = services.member_import_preview(
        cluster=world.cluster, filename="members.csv", data=SHEET.encode()
    )
    preview["rows"][1]["name"] = "Vakuum\r\nBcc: x@evil.example"
    count = Organisation.objects.count()
    with pytest.raises(ActionRefused, match="Line 3: name: Write this on one line"):
        services.member_import_confirm(
            cluster=world.cluster, imported_by=world.manager, rows=preview["rows"]
        )
    assert Organisation.objects.count() == count
