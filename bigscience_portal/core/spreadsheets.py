"""Spreadsheet safety shared by every import and export (CSV, Excel), and the one writer of
exports: sections (a title, a header, rows) to CSV or to an Excel workbook."""

from __future__ import annotations

import csv
import io

#: A cell starting with one of these is run as a formula by spreadsheet programs (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: (title or None, header, rows): one table of an export
Section = tuple[str | None, list, list[list]]


def escape_cell(value) -> str:
    """A cell value that a spreadsheet shows as text and never runs: triggers get a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _value(value):
    """Numbers stay numbers; everything else is escaped text."""
    return (
        value
        if isinstance(value, int | float) and not isinstance(value, bool)
        else (escape_cell(value))
    )


def to_csv(sections: list[Section], *, bom: bool = True) -> bytes:
    """The sections one after the other (a blank line between, a title line where there is a
    title), UTF-8 with a BOM (unless ``bom`` is false) so that spreadsheet programs read the
    accents."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for i, (title, header, rows) in enumerate(sections):
        if i:
            writer.writerow([])
        if title:
            writer.writerow([escape_cell(title)])
        writer.writerow([escape_cell(h) for h in header])
        for row in rows:
            writer.writerow([escape_cell(v) for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def to_xlsx(sections: list[Section]) -> bytes:
    """One sheet per section, the header in bold; numbers stay numbers, text is escaped.

    openpyxl's write-only mode: rows are streamed to the file instead of kept as cell objects,
    the cheaper way for exports of a few hundred rows and more.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sections:
        sheet = workbook.create_sheet(
            title=escape_cell(title or "")[:31].replace("/", "-") or "Sheet"
        )
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=escape_cell(text))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append([_value(v) for v in row])
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()
