"""Reading a CSV of contribution shares or exchange rates: pure Python, no ORM.

Contribution sheets have the columns ``country,year,share_percent`` (ISO 3166 alpha-2 codes);
rate sheets ``currency,valid_from,eur_per_unit``. A sheet is read whole or refused with every
problem and its line, so that nothing half-imported is ever stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_FILE_BYTES = 512 * 1024
MAX_ROWS = 5000
MAX_CELL = 64


class SheetRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class ContributionRow:
    country: str
    year: int
    share_percent: Decimal


@dataclass(frozen=True)
class RateRow:
    currency: str
    valid_from: dt.date
    eur_per_unit: Decimal


def _rows(data: bytes, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if len(data) > MAX_FILE_BYTES:
        raise SheetRefused([f"The file is larger than {MAX_FILE_BYTES // 1024} KB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetRefused(["The file is not UTF-8 text (save it as CSV, UTF-8)."]) from exc
    if "\x00" in text:
        raise SheetRefused(["The file is not a CSV text file."])
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration as exc:
        raise SheetRefused(["The file is empty."]) from exc
    except csv.Error as exc:
        raise SheetRefused([f"Line 1: {exc}"]) from exc
    missing = [c for c in columns if c not in header]
    if missing:
        raise SheetRefused([f"The first line must name the columns {', '.join(columns)}."])
    out = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(out) >= MAX_ROWS:
                raise SheetRefused([f"More than {MAX_ROWS} rows."])
            row = {
                name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
            }
            out.append((line, row))
    except csv.Error as exc:
        raise SheetRefused([f"Line {reader.line_num}: {exc}"]) from exc
    return out


def _decimal(text: str) -> Decimal | None:
    if len(text) > MAX_CELL:
        return None
    try:
        value = Decimal(text.replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_contributions(data: bytes, *, countries: set[str]) -> list[ContributionRow]:
    """The sheet's rows; ``countries`` are the ISO codes accepted."""
    problems, rows, seen = [], [], set()
    for line, row in _rows(data, ("country", "year", "share_percent")):
        country = row["country"].upper()
        if country not in countries:
            problems.append(f"Line {line}: “{row['country'][:MAX_CELL]}” is not a country code.")
            continue
        year = row["year"]
        if not (year.isdigit() and len(year) == 4 and 1950 <= int(year) <= 2100):
            problems.append(f"Line {line}: the year must be between 1950 and 2100.")
            continue
        share = _decimal(row["share_percent"])
        if share is None or not (0 <= share <= 100):
            problems.append(f"Line {line}: the share must be a percentage from 0 to 100.")
            continue
        key = (country, int(year))
        if key in seen:
            problems.append(f"Line {line}: {country} {year} is given twice.")
            continue
        seen.add(key)
        rows.append(ContributionRow(country, int(year), share.quantize(Decimal("0.0001"))))
    if problems:
        raise SheetRefused(problems)
    if not rows:
        raise SheetRefused(["The file has no rows."])
    return rows


def read_rates(data: bytes) -> list[RateRow]:
    problems, rows = [], []
    for line, row in _rows(data, ("currency", "valid_from", "eur_per_unit")):
        currency = row["currency"].upper()
        if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
            problems.append(f"Line {line}: a currency is three letters (CHF, DKK, ...).")
            continue
        try:
            day = dt.date.fromisoformat(row["valid_from"][:10])
        except ValueError:
            problems.append(f"Line {line}: the date must be written 2024-01-31.")
            continue
        rate = _decimal(row["eur_per_unit"])
        if rate is None or not (Decimal("0.00000001") <= rate <= Decimal("1000000")):
            problems.append(f"Line {line}: the rate must be a positive number of euros.")
            continue
        rows.append(RateRow(currency, day, rate.quantize(Decimal("0.00000001"))))
    if problems:
        raise SheetRefused(problems)
    if not rows:
        raise SheetRefused(["The file has no rows."])
    return rows
