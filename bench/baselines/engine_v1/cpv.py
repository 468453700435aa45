"""CPV hierarchy: levels, fit scores and labels.

A CPV code is 8 digits (an optional ``-C`` check digit is ignored). The hierarchy is in the
digits: 2 = division, 3 = group, 4 = class, 5 = category, 6-7 = sub-category; trailing zeros are
padding, so the *significant* part of ``31600000`` is ``316`` (a group) and of ``31670000`` is
``3167`` (a class). A division keeps both digits even when the second is 0 (``30000000`` -> ``30``).

The **level** of two codes is the length of the longest common prefix of their significant parts,
or 8 when the codes are identical ("same code"); below 2 they do not match.

A company's code **covers** a call's code when the company's significant part is a prefix of the
call's: ``31600000`` covers every ``316xxxxx``. The level is still the common prefix (``3``, same
group), but a covering code is scored one step above a sibling at that level (a company that
declared the whole group claims the call's class; one coded with a different class of the group
does not). See :data:`LEVEL_SCORE` and :data:`COVER_BONUS`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LEVEL_NAMES: dict[int, str] = {
    8: "same code",
    7: "same sub-category",
    6: "same sub-category",
    5: "same category",
    4: "same class",
    3: "same group",
    2: "same division",
}

#: fit of a company code to a call code by level (0 = no common division)
LEVEL_SCORE: dict[int, float] = {8: 1.0, 7: 0.9, 6: 0.85, 5: 0.8, 4: 0.7, 3: 0.5, 2: 0.25, 0: 0.0}
#: added when the company's (broader) code covers the call's code; keeps covered < next level
COVER_BONUS: float = 0.1

_CODE_RE = re.compile(r"^\s*(\d{8})(?:-\d)?\s*$")


def normalize(code: str) -> str:
    """The 8-digit form of a CPV code ("31670000-3" -> "31670000"); ValueError if malformed."""
    m = _CODE_RE.match(str(code))
    if not m:
        raise ValueError(f"not a CPV code: {code!r}")
    return m.group(1)


def significant(code: str) -> str:
    """The code without its padding zeros, never shorter than the division (2 digits)."""
    code = normalize(code)
    stripped = code.rstrip("0")
    return stripped if len(stripped) >= 2 else code[:2]


def cpv_level(a: str, b: str) -> int:
    """Level of agreement of two codes: 8 same code, 2..7 common significant prefix, 0 none."""
    a, b = normalize(a), normalize(b)
    if a == b:
        return 8
    sa, sb = significant(a), significant(b)
    n = 0
    for x, y in zip(sa, sb, strict=False):
        if x != y:
            break
        n += 1
    n = min(n, 7)
    return n if n >= 2 else 0


def covers(company_code: str, call_code: str) -> bool:
    """True when the company's code is the call's code or one of its ancestors."""
    return significant(call_code).startswith(significant(company_code))


def code_fit(company_code: str, call_code: str) -> tuple[float, int, bool]:
    """(score, level, covered) of one company code against one call code."""
    level = cpv_level(company_code, call_code)
    cov = level > 0 and covers(company_code, call_code)
    score = LEVEL_SCORE[level] + (COVER_BONUS if cov and level < 8 else 0.0)
    return score, level, cov


@dataclass(frozen=True)
class CodeMatch:
    """The best pair of codes between a call and a company."""

    call_code: str
    company_code: str
    level: int
    covered: bool
    score: float

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, "no match")


def best_code_match(company_codes: Iterable[str], call_codes: Iterable[str]) -> CodeMatch | None:
    """The best-scoring (company code, call code) pair; ties go to the first call code (main
    code first) and then the lowest company code. None when nothing matches."""
    best: CodeMatch | None = None
    comp = sorted({normalize(c) for c in company_codes})
    for k in call_codes:
        for c in comp:
            score, level, cov = code_fit(c, k)
            if level == 0:
                continue
            if best is None or score > best.score:
                best = CodeMatch(normalize(k), c, level, cov, score)
    return best


def load_cpv_labels(path: str | Path) -> dict[str, str]:
    """{8-digit code: English label} from the reference ``cpv_codes.csv`` (columns CODE,EN)."""
    labels: dict[str, str] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            try:
                labels[normalize(row["CODE"])] = row["EN"]
            except (KeyError, ValueError):
                continue
    return labels
