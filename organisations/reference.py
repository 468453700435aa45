"""Parsing of the reference classifications (CPV 2008, NACE Rev. 2): pure Python, no ORM.

Each parser reads the whole file, checks every row, and raises :class:`ReferenceDataError`
naming the file, the line and the problem before anything is stored.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

CPV_FILE = "cpv_codes.csv"
NACE_FILE = "nace_rev2.csv"
CPV_PATTERN = re.compile(r"^(\d{8})-(\d)$")
NACE_PATTERNS = {
    1: re.compile(r"^[A-U]$"),
    2: re.compile(r"^\d{2}$"),
    3: re.compile(r"^\d{2}\.\d$"),
    4: re.compile(r"^\d{2}\.\d{2}$"),
}


class ReferenceDataError(Exception):
    """A reference file is missing or malformed; the message says which and where."""


@dataclass(frozen=True, slots=True)
class CPVRow:
    code: str
    check_digit: str
    label: str
    prefix: str
    level: int
    parent: str | None


@dataclass(frozen=True, slots=True)
class NACERow:
    code: str
    label: str
    level: int
    parent: str | None
    order: int


def cpv_prefix(code: str) -> str:
    """The significant digits of an 8-digit CPV code: trailing zeros stripped, at least 2."""
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


#: A CPV code or its first digits as a user types them in a filter ("38", "38000000-8").
_CPV_INPUT = re.compile(r"^\s*(\d{2,8})(?:-\d)?\s*$")


def typed_cpv_prefix(value: str) -> str | None:
    """The significant digits of a typed CPV code or of its first digits ("38", "38000000-8",
    "3843"): a whole code's :func:`cpv_prefix`, the digits as typed otherwise; None for
    anything else."""
    match = _CPV_INPUT.match(value or "")
    if not match:
        return None
    digits = match.group(1)
    return cpv_prefix(digits) if len(digits) == 8 else digits


def _open(path: Path):
    if not path.is_file():
        raise ReferenceDataError(f"{path}: file not found")
    try:
        return path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise ReferenceDataError(f"{path}: cannot be read ({exc})") from exc


def parse_cpv(path: Path) -> list[CPVRow]:
    """Read ``cpv_codes.csv`` (columns CODE,EN) and derive each code's level and parent."""
    with _open(path) as handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None or [h.strip().upper() for h in header[:2]] != ["CODE", "EN"]:
                raise ReferenceDataError(
                    f"{path}: line 1: expected the header CODE,EN, got {header!r}"
                )
            raw: list[tuple[str, str, str]] = []
            seen: set[str] = set()
            for line_no, row in enumerate(reader, start=2):
                if len(row) != 2:
                    raise ReferenceDataError(
                        f"{path}: line {line_no}: expected 2 columns, got {len(row)}"
                    )
                match = CPV_PATTERN.match(row[0].strip())
                if not match:
                    raise ReferenceDataError(
                        f"{path}: line {line_no}: {row[0]!r} is not a CPV code (NNNNNNNN-C)"
                    )
                code, check = match.groups()
                label = row[1].strip()
                if not label:
                    raise ReferenceDataError(f"{path}: line {line_no}: code {code} has no label")
                if code in seen:
                    raise ReferenceDataError(f"{path}: line {line_no}: code {code} appears twice")
                seen.add(code)
                raw.append((code, check, label))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ReferenceDataError(f"{path}: not a readable UTF-8 CSV file ({exc})") from exc
    if not raw:
        raise ReferenceDataError(f"{path}: no CPV codes in the file")
    rows = []
    for code, check, label in raw:
        prefix = cpv_prefix(code)
        parent = None
        for length in range(len(prefix) - 1, 1, -1):
            candidate = prefix[:length].ljust(8, "0")
            if candidate in seen and candidate != code:
                parent = candidate
                break
        rows.append(CPVRow(code, check, label, prefix, len(prefix), parent))
    return rows


def parse_nace(path: Path) -> list[NACERow]:
    """Read ``nace_rev2.csv`` (``;``-separated, Eurostat layout) with its levels and parents."""
    required = ("Order", "Level", "Code", "Parent", "Description")
    with _open(path) as handle:
        try:
            reader = csv.DictReader(handle, delimiter=";")
            if reader.fieldnames is None or not set(required) <= set(reader.fieldnames):
                raise ReferenceDataError(
                    f"{path}: line 1: expected the columns {', '.join(required)}, got {reader.fieldnames!r}"
                )
            rows: list[NACERow] = []
            seen: set[str] = set()
            for row in reader:
                line_no = reader.line_num
                try:
                    level = int(row["Level"])
                    order = int(row["Order"])
                except (TypeError, ValueError) as exc:
                    raise ReferenceDataError(
                        f"{path}: line {line_no}: Level and Order must be numbers"
                    ) from exc
                code = (row["Code"] or "").strip()
                pattern = NACE_PATTERNS.get(level)
                if pattern is None or not pattern.match(code):
                    raise ReferenceDataError(
                        f"{path}: line {line_no}: {code!r} is not a NACE code of level {level}"
                    )
                parent = (row["Parent"] or "").strip() or None
                if level > 1 and parent not in seen:
                    raise ReferenceDataError(
                        f"{path}: line {line_no}: parent {parent!r} of {code} is not defined before it"
                    )
                if code in seen:
                    raise ReferenceDataError(f"{path}: line {line_no}: code {code} appears twice")
                seen.add(code)
                label = (row["Description"] or "").strip()
                rows.append(NACERow(code, label, level, parent, order))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ReferenceDataError(f"{path}: not a readable UTF-8 CSV file ({exc})") from exc
    if not rows:
        raise ReferenceDataError(f"{path}: no NACE codes in the file")
    return rows
