"""Reading and checking a cluster's member sheet (CSV or Excel): pure Python, no ORM.

The service layer feeds the file's bytes plus the set of known CPV codes and gets back the rows
that can be imported and every problem found (line number, field, message). Nothing is stored
here. Text cells that a spreadsheet would run as a formula are neutralised on the way in, and
:func:`escape_cell` does the same for exports.

An ``.xlsx`` file is a zip archive: 2 MB of it can unpack to gigabytes (a 1.9 MB workbook held
one 1.9 GB inline string: 18.5 s and 4 GB of memory in openpyxl). :func:`check_archive` reads
the archive's directory and refuses one whose members are too large, too many, too compressed
or compressed with anything but deflate, before anything is unpacked; Python's ``zipfile``
never unpacks a member past the size its directory declares, so a lying directory gives a
broken file, not a bomb. Every cell is then held to :data:`MAX_CELL_LENGTH`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from bigscience_portal.core.spreadsheets import escape_cell
from bigscience_portal.core.text import MAX_TEXT_LENGTH, validate_one_line

from .domains import website_domain

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
#: what an .xlsx archive may unpack to: each member and all together (a 5,000-row sheet of
#: members is a few MB), how many members it may have, and how much a member larger than
#: RATIO_CHECKED_FROM may have been compressed (real sheets: 5 to 20 times)
MAX_XLSX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_XLSX_MEMBERS = 1000
MAX_XLSX_RATIO = 100
RATIO_CHECKED_FROM = 1024 * 1024
#: the longest cell read (the capabilities' limit; every other column is far shorter)
MAX_CELL_LENGTH = MAX_TEXT_LENGTH
#: the longest website and e-mail address stored (the model's URLField and EmailField)
MAX_WEBSITE_LENGTH = 200
MAX_EMAIL_LENGTH = 254
COLUMNS = ("name", "country", "website", "email", "cpv_codes", "capabilities")
REQUIRED_COLUMNS = ("name", "country")
HEADER_ALIASES = {
    "name": "name",
    "company": "name",
    "company_name": "name",
    "organisation": "name",
    "country": "country",
    "website": "website",
    "web": "website",
    "url": "website",
    "email": "email",
    "e_mail": "email",
    "contact_email": "email",
    "contact_e_mail": "email",
    "cpv": "cpv_codes",
    "cpv_codes": "cpv_codes",
    "cpv_code": "cpv_codes",
    "capabilities": "capabilities",
    "description": "capabilities",
}
# Characters that make Excel/LibreOffice treat a cell as a formula (OWASP CSV injection).
CPV_TOKEN = re.compile(r"^(\d{8})(?:-\d)?$")
LEGAL_SUFFIXES = re.compile(
    r"\b(aps|a/s|as|ab|oy|oyj|gmbh|ag|kg|sa|sl|srl|spa|bv|nv|ltd|limited|plc|sas|sarl|uab|asa|inc)\b"
)


class SheetError(Exception):
    """The whole file is refused (empty, too large, not a CSV/Excel sheet, wrong header)."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str


@dataclass
class MemberRow:
    """One valid row, ready to be created (values normalised, text neutralised)."""

    line: int
    name: str
    country: str
    website: str = ""
    email: str = ""
    cpv_codes: list[str] = field(default_factory=list)
    capabilities: str = ""

    @property
    def match_keys(self) -> list[str]:
        return match_keys(name=self.name, country=self.country, website=self.website)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SheetReport:
    rows: list[MemberRow]
    errors: list[RowError]
    total_rows: int

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


# --- formula injection ----------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text safe to store and to open in a spreadsheet: a leading trigger gets a quote first."""
    return escape_cell(text) if text else text


# --- matching ---------------------------------------------------------------------------------


def normalised_name(name: str) -> str:
    """Lower case, legal-form suffixes and punctuation dropped, spaces collapsed."""
    text = name.lower().replace("(demo)", " ")
    text = LEGAL_SUFFIXES.sub(" ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def match_keys(*, name: str, country: str, website: str) -> list[str]:
    """Keys under which an organisation is "the same" as another: domain, or name+country."""
    keys = []
    domain = website_domain(website)
    if domain:
        keys.append(f"domain:{domain}")
    if name:
        keys.append(f"name:{normalised_name(name)}|{(country or '').upper()}")
    return keys


# --- reading ----------------------------------------------------------------------------------


def _header_key(cell: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", (cell or "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(key, key)


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:8192]:
        raise SheetError("The file is not a text CSV file (it contains binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(
            "The file could not be read as UTF-8 text; save the sheet as “CSV UTF-8”."
        ) from exc
    # Control characters other than tab/CR/LF mean this is not a text sheet.
    if re.search(r"[\x01-\x08\x0b\x0c\x0e-\x1f]", text[:8192]):
        raise SheetError("The file is not a text CSV file (it contains control characters).")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = []
    try:
        for row in reader:
            if any(c.strip() for c in row):
                rows.append(row)
    except csv.Error as exc:  # a cell past the csv module's own limit, a broken quote
        if "field larger than field limit" in str(exc):
            problem = f"a cell is longer than {MAX_CELL_LENGTH:,} characters"
        else:
            problem = f"the file could not be read as CSV ({exc})"
        raise SheetError(f"Line {reader.line_num}: {problem}.") from exc
    return rows


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx archive that would unpack to too much, from its directory alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError("The Excel workbook could not be opened.") from exc
    members = archive.infolist()
    if len(members) > MAX_XLSX_MEMBERS:
        raise SheetError(
            f"The workbook holds more than {MAX_XLSX_MEMBERS} parts; a sheet of members has "
            "a dozen. Save it again, or as CSV."
        )
    total = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetError("The file is not an Excel .xlsx workbook.")
        if member.file_size > MAX_XLSX_MEMBER_BYTES:
            raise SheetError(
                f"The workbook unpacks to more than {_mb(MAX_XLSX_MEMBER_BYTES)} "
                f"({member.filename[:80]}); a sheet of members is far smaller. Remove what is "
                "not the member list, or save it as CSV."
            )
        if member.file_size > RATIO_CHECKED_FROM and member.file_size > MAX_XLSX_RATIO * max(
            member.compress_size, 1
        ):
            raise SheetError(
                f"The workbook is compressed more than {MAX_XLSX_RATIO} times "
                f"({member.filename[:80]}), which no sheet of members is. Save it again, or as "
                "CSV."
            )
        total += member.file_size
    if total > MAX_XLSX_TOTAL_BYTES:
        raise SheetError(
            f"The workbook unpacks to more than {_mb(MAX_XLSX_TOTAL_BYTES)} in all; a sheet of "
            "members is far smaller. Remove what is not the member list, or save it as CSV."
        )


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK\x03\x04"):
        raise SheetError("The file is not an Excel .xlsx workbook.")
    check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SheetError("The Excel workbook could not be opened.") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in values]
            if any(c.strip() for c in cells):
                rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                break
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        # a member whose directory entry lied about its size, a broken sheet
        raise SheetError("The Excel workbook could not be read.") from exc
    finally:
        workbook.close()
    return rows


def read_sheet(filename: str, data: bytes) -> list[list[str]]:
    """The sheet's non-empty rows (header first); raises :class:`SheetError` on a refused file."""
    if not data:
        raise SheetError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise SheetError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif lower.endswith(".csv"):
        if data.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xd0\xcf\x11\xe0")):
            raise SheetError("The file is not a text CSV file, although its name ends in .csv.")
        rows = _read_csv(data)
    else:
        raise SheetError("Upload a .csv or .xlsx file.")
    if not rows:
        raise SheetError("The file is empty.")
    if len(rows) - 1 > MAX_ROWS:
        raise SheetError(f"The sheet has more than {MAX_ROWS} rows.")
    return rows


# --- checking ---------------------------------------------------------------------------------


def _shown(value: str, limit: int = 60) -> str:
    """A cell's value as a message quotes it: on one line, cut short."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _one_line_errors(number: int, values: dict[str, str]) -> list[RowError]:
    errors = []
    for name, value in values.items():
        try:
            validate_one_line(value)
        except ValidationError as exc:
            errors.append(RowError(number, name, str(exc.messages[0])))
    return errors


def _normalise_website(value: str) -> str:
    value = value.strip()
    if value and "://" not in value:
        value = "https://" + value
    return value


def check_sheet(
    rows: list[list[str]],
    *,
    known_cpv: Callable[[Iterable[str]], set[str]],
    country_code: Callable[[str], str | None],
) -> SheetReport:
    """Check every data row; returns the good rows and every problem (line, field, message).

    ``known_cpv`` returns which of the given 8-digit codes exist; ``country_code`` maps a code or
    a country name to its ISO code (or None). Rows repeating an earlier row of the same sheet are
    reported and skipped, so that a sheet never creates the same company twice.
    """
    header = [_header_key(c) for c in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SheetError(
            "The first row must name the columns: "
            + ", ".join(COLUMNS)
            + f" (missing: {', '.join(missing)})."
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    url_validator = URLValidator(schemes=["http", "https"])

    parsed: list[tuple[MemberRow | None, list[RowError]]] = []
    all_cpv: set[str] = set()
    for number, cells in enumerate(rows[1:], start=2):

        def cell(name: str, cells=cells) -> str:
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        too_long = next((i for i, c in enumerate(cells) if len(c) > MAX_CELL_LENGTH), None)
        if too_long is not None:
            column = next((n for n, i in index.items() if i == too_long), f"column {too_long + 1}")
            message = f"A cell is longer than {MAX_CELL_LENGTH:,} characters; the row is skipped."
            parsed.append((None, [RowError(number, column, message)]))
            continue

        name = cell("name")
        errors = _one_line_errors(
            number,
            {
                "name": name,
                "country": cell("country"),
                "website": cell("website"),
                "email": cell("email"),
            },
        )
        if not name:
            errors.append(RowError(number, "name", "The name is required."))
        elif len(name) > 200:
            errors.append(RowError(number, "name", "The name is longer than 200 characters."))
        raw_country = cell("country")
        country = country_code(raw_country) if raw_country else None
        if not raw_country:
            errors.append(RowError(number, "country", "The country is required."))
        elif country is None:
            errors.append(RowError(number, "country", f"Unknown country “{_shown(raw_country)}”."))
        website = _normalise_website(cell("website"))
        if len(website) > MAX_WEBSITE_LENGTH:
            errors.append(
                RowError(
                    number,
                    "website",
                    f"The website is longer than {MAX_WEBSITE_LENGTH} characters.",
                )
            )
        elif website:
            try:
                url_validator(website)
            except ValidationError:
                errors.append(
                    RowError(
                        number, "website", f"“{_shown(cell('website'))}” is not a web address."
                    )
                )
        email = cell("email")
        if len(email) > MAX_EMAIL_LENGTH:
            errors.append(
                RowError(
                    number,
                    "email",
                    f"The e-mail address is longer than {MAX_EMAIL_LENGTH} characters.",
                )
            )
        elif email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    RowError(number, "email", f"“{_shown(email)}” is not a valid e-mail address.")
                )
        codes: list[str] = []
        bad_tokens = []
        for token in re.split(r"[\s,;]+", cell("cpv_codes")):
            if not token:
                continue
            match = CPV_TOKEN.match(token)
            if match:
                if match.group(1) not in codes:
                    codes.append(match.group(1))
            else:
                bad_tokens.append(token)
        if bad_tokens:
            errors.append(
                RowError(
                    number,
                    "cpv_codes",
                    "Not CPV codes (8 digits, optionally -check digit): "
                    + _shown(", ".join(bad_tokens), 200),
                )
            )
        all_cpv.update(codes)
        row = MemberRow(
            line=number,
            name=neutralise(name),
            country=country or "",
            website=website,
            email=email,
            cpv_codes=codes,
            capabilities=neutralise(cell("capabilities")),
        )
        parsed.append((row, errors))

    known = known_cpv(all_cpv) if all_cpv else set()
    report = SheetReport(rows=[], errors=[], total_rows=len(rows) - 1)
    seen: dict[str, int] = {}
    for row, errors in parsed:
        if row is None:  # refused before it was read (a cell too long)
            report.errors.extend(errors)
            continue
        unknown = [c for c in row.cpv_codes if c not in known]
        if unknown:
            errors.append(
                RowError(row.line, "cpv_codes", "Unknown CPV codes: " + ", ".join(unknown))
            )
        if not errors:
            earlier = next((seen[k] for k in row.match_keys if k in seen), None)
            if earlier is not None:
                errors.append(
                    RowError(
                        row.line,
                        "name",
                        f"Duplicate of line {earlier} (same website domain or name and country).",
                    )
                )
        if errors:
            report.errors.extend(errors)
            continue
        for key in row.match_keys:
            seen.setdefault(key, row.line)
        report.rows.append(row)
    return report
