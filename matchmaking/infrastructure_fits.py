"""Infrastructures that need what a company does: the engine run on the company's profile, the
infrastructures' domains and their calls, with reasons rendered as for calls.

Computed on each view of the recommendations page (not stored: it reads one company against a
few dozen infrastructures).
"""

from __future__ import annotations

from organisations.models import Organisation

from . import loaders
from .engine import MatchIndex, MatchResult, rank_infrastructures_for_company, render_reasons
from .selectors import cpv_labels


def infrastructures_for(company: Organisation, k: int = 5) -> list[dict]:
    """The ``k`` best infrastructures for the company: [{infrastructure, score, reasons}]."""
    profiles = loaders.load_companies(ids=[company.pk])
    if not profiles:
        return []
    infras, calls = loaders.load_infrastructures()
    if not infras:
        return []
    index = MatchIndex(profiles, calls)
    ranked = rank_infrastructures_for_company(profiles[0], infras, calls, index, k=k)
    orgs = Organisation.objects.in_bulk([m.infrastructure_id for m in ranked])
    out = []
    for m in ranked:
        if m.score <= 0 or m.infrastructure_id not in orgs:
            continue
        as_result = MatchResult(company.pk, m.infrastructure_id, m.score, m.components)
        reasons = render_reasons(as_result, cpv_labels())  # the same renderer as for calls
        out.append(
            {"infrastructure": orgs[m.infrastructure_id], "score": m.score, "reasons": reasons}
        )
    return out
