"""Spreadsheet safety shared by every import and export (CSV, Excel)."""

#: A cell starting with one of these is run as a formula by spreadsheet programs (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value) -> str:
    """A cell value that a spreadsheet shows as text and never runs: triggers get a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
