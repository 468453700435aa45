"""A notice's buyer and suppliers in the directory: matched by name, or the buyer created.

Names are compared normalised (accents, case and punctuation folded), with their bracketed
parts and without legal-form words such as "Joint Undertaking" or "plc", in the same country
when both say one.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import timezone

from bigscience_portal.core.text import free_slug
from organisations.models import Approval, Organisation
from tenders.notices import TedOrganisation

_LEGAL_WORDS = {
    "joint",
    "undertaking",
    "the",
    "ltd",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "s",
    "a",
    "spa",
    "p",
    "hf",
    "asbl",
    "eig",
    "eric",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def _name_variants(*names: str | None) -> set[str]:
    """Normalised forms of a name: whole, without brackets, bracketed parts, no legal words."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        pieces = [name, re.sub(r"\([^)]*\)", " ", name)]
        pieces += re.findall(r"\(([^)]*)\)", name)
        for piece in pieces:
            folded = _fold(piece)
            if len(folded) >= 2:
                out.add(folded)
                core = " ".join(w for w in folded.split() if w not in _LEGAL_WORDS)
                if len(core) >= 3:
                    out.add(core)
    return out


_RESEARCH_RE = re.compile(
    r"research|laborator|observator|synchrotron|fusion|nuclear|cern|esrf|desy|space agency"
    r"|telescope|accelerator|institut|universit|forschung|recherche|joint research",
    re.IGNORECASE,
)


def _unique_slug(name: str) -> str:
    return free_slug(name, Organisation.objects.all(), fallback="buyer")


def _website(url: str | None) -> str:
    if not url:
        return ""
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        url = "http://" + url
    return url[:200] if " " not in url else ""


def buyer_match_or_create(
    *,
    buyer: TedOrganisation | None = None,
    name: str = "",
    country: str | None = None,
    town: str | None = None,
    url: str | None = None,
) -> tuple[Organisation, bool]:
    """The directory organisation for a notice's buyer, created pending staff's approval
    (unlisted) when none matches.

    Matched on the normalised name, acronym or legal name (bracketed parts and legal-form words
    such as "Joint Undertaking" or "plc" set aside), in the same country when both say one.
    """
    if buyer is not None:
        name, country, town, url = buyer.official_name, buyer.country, buyer.town, buyer.url
    name = (name or "").strip()
    if not name:
        raise ValueError("the buyer has no name")
    wanted = _name_variants(name)
    candidates = Organisation.objects.only("id", "name", "acronym", "legal_name", "country")
    if country:
        candidates = candidates.filter(country__in=[country, ""])
    best = None
    for org in candidates.order_by("id"):
        theirs = _name_variants(org.name, org.legal_name)
        if org.acronym and len(org.acronym) >= 2:
            theirs.add(_fold(org.acronym))
        if wanted & theirs:
            if org.country and country and org.country.code != country:
                continue
            best = org
            break
    if best is not None:
        return Organisation.objects.get(pk=best.pk), False
    kind = (
        Organisation.Kind.RESEARCH_INFRASTRUCTURE
        if _RESEARCH_RE.search(name)
        else Organisation.Kind.PUBLIC_AUTHORITY
    )
    org = Organisation.objects.create(
        kind=kind,
        name=name[:200],
        slug=_unique_slug(name),
        legal_name=name[:255] if len(name) > 200 else "",
        country=country or "",
        city=(town or "")[:120],
        website=_website(url),
        status=Organisation.Status.PUBLISHED,
        # Unlisted until staff decide: not in the directory, not able to act (importing a
        # hospital's catering tender must not add the hospital to the directory). Staff approve,
        # merge into an organisation of the directory, or hide it (the approval queue).
        approval=Approval.PENDING,
        approval_requested_at=timezone.now(),
    )
    return org, True


def supplier_in_directory(name: str, country: str | None) -> int | None:
    wanted = _name_variants(name)
    if not wanted:
        return None
    qs = Organisation.objects.filter(kind__in=Organisation.COMPANY_KINDS)
    if country:
        qs = qs.filter(country=country)
    for pk, org_name, legal in qs.values_list("pk", "name", "legal_name"):
        if wanted & _name_variants(org_name, legal):
            return pk
    return None
