"""Infrastructures ranked for a company, from their calls and technology domains."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .cpv import best_code_match
from .model import (
    CallProfile,
    CompanyProfile,
    Component,
    Infrastructure,
    InfrastructureMatch,
    reference_strength,
    references_credit,
)
from .scoring import TEXT_SCALE, MatchIndex
from .text import shared_codes, shared_terms, sparse_dot_dense

#: weights of an infrastructure's score for a company
INFRA_TEXT = 0.5
INFRA_CPV = 0.3
INFRA_REFERENCES = 0.2


def infrastructure_text(infra: Infrastructure, calls: Sequence[CallProfile]) -> str:
    own = [c.text for c in calls if c.buyer_id == infra.id]
    return "\n".join([infra.name, infra.technology_domains, *own])


@dataclass(frozen=True)
class PlacedInfrastructures:
    """The infrastructures' texts placed in an index's term space, and their calls' codes: the
    same for every company, so a run over many companies computes them once."""

    infrastructures: Sequence[Infrastructure]
    texts: list[str]
    vecs: sparse.csr_matrix
    codes: list[list[str]]


def place_infrastructures(
    infrastructures: Sequence[Infrastructure], calls: Sequence[CallProfile], index: MatchIndex
) -> PlacedInfrastructures:
    """What :func:`rank_infrastructures_for_company` needs of the infrastructures and their
    calls, computed once (pass it as ``placed``)."""
    texts = [infrastructure_text(i, calls) for i in infrastructures]
    vecs = index.text.transform(texts)
    vecs.sort_indices()
    codes = [
        [code for c in calls if c.buyer_id == i.id for code in c.codes] for i in infrastructures
    ]
    return PlacedInfrastructures(infrastructures, texts, vecs, codes)


def rank_infrastructures_for_company(
    company: CompanyProfile,
    infrastructures: Sequence[Infrastructure],
    calls: Sequence[CallProfile],
    index: MatchIndex,
    k: int = 10,
    *,
    placed: PlacedInfrastructures | None = None,
) -> list[InfrastructureMatch]:
    """Infrastructures ranked for a company, best first (ties by id).

    score = 0.5 text + 0.3 CPV + 0.2 references, where text is the similarity of the company's
    capabilities to the infrastructure's name, technology domains and the texts of all its calls
    (any status: past calls say what it buys), scaled like the call score's text component
    (``tanh(similarity / TEXT_SCALE)``), CPV is the best code fit over its calls' codes, and
    references is the credit of the company's past contracts with the infrastructure (decaying
    with their age, as in the call score's track record).

    ``placed``: :func:`place_infrastructures` of the same infrastructures, calls and index,
    when many companies are ranked in turn.
    """
    if not infrastructures or k <= 0:
        return []
    if placed is None:
        placed = place_infrastructures(infrastructures, calls, index)
    texts, vecs = placed.texts, placed.vecs
    row = index.rows_of([company])[0]
    comp_vec = index.company_text[row]
    cols = np.unique(vecs.indices)
    sub = comp_vec[:, cols]
    sub.sort_indices()
    sim = np.clip(sparse_dot_dense(sub, vecs[:, cols].toarray().T).ravel(), 0.0, 1.0)
    text = np.tanh(sim / TEXT_SCALE)
    year = index.reference_year
    results = []
    for n, infra in enumerate(infrastructures):
        codes = placed.codes[n]
        match = best_code_match(company.cpv_codes, codes) if codes else None
        cpv = match.score if match else 0.0
        with_infra = [r for r in company.references if r.client_id == infra.id]
        refs = references_credit(reference_strength(r, year) for r in with_infra)
        terms = shared_terms(index.text, vecs[n], texts[n], comp_vec, company.text)
        text_detail = {
            "terms": terms,
            "call_terms": terms,
            "company_terms": shared_terms(index.text, comp_vec, company.text, vecs[n], texts[n]),
            "topics": shared_codes(index.text, comp_vec, vecs[n]),
        }
        comps = (
            Component("text", float(text[n]), INFRA_TEXT, text_detail),
            Component("cpv", cpv, INFRA_CPV, {"match": match}),
            Component(
                "track_record",
                refs,
                INFRA_REFERENCES,
                {
                    "same_buyer": len(with_infra),
                    "same_buyer_recent": any(reference_strength(r, year) > 0.5 for r in with_infra),
                    "groups": [],
                    "divisions": [],
                    "verified": False,
                },
            ),
        )
        total = INFRA_TEXT * float(text[n]) + INFRA_CPV * cpv + INFRA_REFERENCES * refs
        results.append(InfrastructureMatch(infra.id, min(1.0, total), comps))
    results.sort(key=lambda m: (-m.score, m.infrastructure_id))
    return results[:k]
