"""Finding CPV and NACE codes by code or by words of their labels, for the code pickers and the
look-ups (reads only: no writes)."""

from __future__ import annotations

import re

from django.db.models.functions import Length

from bigscience_portal.core import search

from .models.reference import CPVCode, NACECode

#: Subjects the CPV vocabulary has no word for: no label of any of the 24 languages says
#: "cryogenic", so a look-up for it answers with the codes cryogenic suppliers declare (the gases
#: they handle, refrigerating and liquefied-gas equipment). A query word starting with one of
#: the folded ``words`` (any language) adds the ``codes``.
CPV_SUBJECTS = [
    {
        "words": (
            "cryog",  # en cryogenic(s), fr cryogénie, nl cryogeen
            "kryog",  # de kryogen, da/sv kryogen(e), fi kryogeeninen, cs/sk kryogenní
            "kriog",  # pl kriogeniczny, hr/sl/lt/lv/hu kriogen-
            "criog",  # es/it/pt/ro criogénico, criogenico, criogénio, criogenic
            "cryost",
            "kryost",
            "kriost",
            "criost",
            "kryotech",  # de Kryotechnik
            "kryotek",  # da/sv kryoteknik
            "cryotech",
            "tieftemperatur",
        ),
        "codes": (
            "24111300",  # Helium
            "24111800",  # Liquid nitrogen
            "24111700",  # Nitrogen
            "24111100",  # Argon
            "42513200",  # Refrigerating equipment
            "42123300",  # Compressors for refrigerating equipment
            "44612000",  # Liquefied-gas containers
            "45331231",  # Installation work of refrigeration equipment
        ),
    },
]


def _subject_codes(query) -> list[str]:
    codes: list[str] = []
    for alternatives in query.include:
        for subject in CPV_SUBJECTS:
            if any(a.startswith(subject["words"]) for a in alternatives):
                codes.extend(c for c in subject["codes"] if c not in codes)
    return codes


def cpv_search(query: str, limit: int = 20) -> list[CPVCode]:
    """CPV codes by code prefix ("4212") or by words of their label in any of the 24 EU
    languages ("vacuum pump", "Vakuumpumpe", "pompe à vide"), stemmed in each label's language
    (core.search); a subject the labels lack ("cryogenic", "Kryotechnik") answers with its codes
    (``CPV_SUBJECTS``). Label matches come first, shortest label first."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    digits = re.fullmatch(r"(\d{2,8})(?:-\d)?", query)
    if digits:
        qs = CPVCode.objects.filter(code__startswith=digits.group(1))
        return list(qs.defer("search_stems").order_by("level", "code")[:limit])
    parsed = search.parse_query(query, truncated=False)
    if not parsed:
        return []
    found = list(
        CPVCode.objects.filter(search.lookup_q("search_stems", parsed))
        # not the labels: the picker shows each code's label in the reader's language
        .defer("search_stems")
        # the shortest label says least besides the words asked for: "Vacuum pumps" before
        # "Parts of air or vacuum pumps, of air or gas compressors"
        .order_by(Length("label"), "level", "code")[:limit]
    )
    subject = [c for c in _subject_codes(parsed) if c not in {f.code for f in found}]
    if subject and len(found) < limit:
        by_code = CPVCode.objects.defer("search_stems").in_bulk(subject)
        found += [by_code[c] for c in subject if c in by_code][: limit - len(found)]
    return found


def nace_search(query: str, limit: int = 20) -> list[NACECode]:
    """NACE codes by code ("C", "28", "28.25") or by English words of the label, stemmed
    ("cooling" finds "cooling"; "refrigerating" finds "refrigeration"): nace_rev2.csv has English
    labels only, so other languages find nothing here."""
    query = (query or "").strip()[:200]
    if not query:
        return []
    if re.fullmatch(r"[A-Ua-u]|\d{2}(\.\d{0,2})?", query):
        qs = NACECode.objects.filter(code__istartswith=query)
    else:
        parsed = search.parse_query(query, truncated=False)
        if not parsed:
            return []
        qs = NACECode.objects.filter(search.lookup_q("search_stems", parsed)).defer("search_stems")
    return list(qs.order_by("level", "order")[:limit])
