"""Places where the apps above matchmaking add to what it shows (as ``core.panels`` does for
pages): matchmaking never imports them; they register here from their ``AppConfig.ready()``.

- ``reason_notes``: functions ``(company, call, *, audience) -> str | None`` giving one more
  plain sentence among a pair's reasons (e.g. outcomes: "Denmark is poorly balanced at CERN:
  CERN favours Danish firms"), shown wherever a pair's reasons are shown;
- ``favoured_countries``: functions ``(call) -> set[str] | None`` giving the ISO countries whose
  firms the call's buyer favours (its poorly balanced member states), for the suppliers filter.
"""

from __future__ import annotations

from collections.abc import Callable

reason_notes: list[Callable] = []
favoured_countries: list[Callable] = []


def register_reason_note(function: Callable) -> None:
    if function not in reason_notes:
        reason_notes.append(function)


def register_favoured_countries(function: Callable) -> None:
    if function not in favoured_countries:
        favoured_countries.append(function)


def notes_for(company, call, *, audience: str = "company") -> list[str]:
    """The registered sentences for this pair (each hook may give none)."""
    out = []
    for function in reason_notes:
        note = function(company, call, audience=audience)
        if note:
            out.append(str(note))
    return out


def favoured_for(call) -> set[str]:
    """Every country a registered hook says the call's buyer favours."""
    found: set[str] = set()
    for function in favoured_countries:
        found |= set(function(call) or ())
    return found
