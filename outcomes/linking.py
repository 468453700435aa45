"""Candidate winners of an award among the directory's companies: pure Python, no ORM.

The notice importer links a winner whose normalised name equals a company's in the same country
(``tenders.buyers``); what it leaves unlinked, staff decide here from candidates that share
most of the words of the name (legal-form words set aside), in the winner's country.
"""

from __future__ import annotations

import re
import unicodedata

LEGAL_WORDS = {
    "a", "ab", "ag", "aps", "as", "asa", "bv", "co", "gmbh", "inc", "kg", "limited", "ltd",
    "nv", "oy", "oyj", "plc", "s", "sa", "sarl", "sas", "sl", "spa", "srl", "the", "uab", "and",
    "demo", "de", "et", "und",
}  # fmt: skip
THRESHOLD = 0.5


def words(name: str) -> set[str]:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return {w for w in re.findall(r"[a-z0-9]+", text) if w not in LEGAL_WORDS and len(w) > 1}


def similarity(a: str, b: str) -> float:
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def candidates(name: str, country: str, companies, limit: int = 3):
    """The best ``limit`` of ``companies`` ((id, name, legal name, country) rows) for a
    winner named ``name`` in ``country``: (id, name, similarity), best first."""
    scored = []
    for pk, company_name, legal_name, company_country in companies:
        if country and company_country != country:
            continue
        score = max(similarity(name, company_name), similarity(name, legal_name or ""))
        if score >= THRESHOLD:
            scored.append((pk, company_name, round(score, 2)))
    scored.sort(key=lambda c: (-c[2], c[1]))
    return scored[:limit]
