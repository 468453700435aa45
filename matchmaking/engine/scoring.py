"""Company-call scoring: one pair with an explanation, or all pairs in blocks with top-k.

Every score, whether of one pair (:func:`score`) or of a block of pairs (:func:`score_chunk`,
:func:`score_all`, :func:`rank_companies_for_call`), is computed by the same vectorised
function :func:`_score_block`, whose value for a pair does not depend on the other rows and
columns of the block. That is why chunked runs merge into exactly the floats of a single run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from scipy import sparse

from .cpv import COVER_BONUS, LEVEL_SCORE, best_call_match, normalize, significant
from .model import (
    DEFAULT_WEIGHTS,
    EXCLUDED_COUNTRY,
    EXCLUDED_DEADLINE,
    EXCLUDED_NOT_PUBLISHED,
    EXCLUDED_NOT_RELEVANT,
    EXCLUSION_REASONS,
    TRACK_SAME_BUYER,
    TRACK_SAME_DIVISION,
    TRACK_VERIFIED,
    CallProfile,
    CompanyProfile,
    Component,
    Id,
    MatchResult,
    Weights,
    norm_cert,
    reference_strength,
    references_credit,
)
from .text import (
    TextConfig,
    TextIndex,
    shared_codes,
    shared_concepts,
    shared_terms,
    sparse_dot_dense,
    text_share,
)

ENGINE_VERSION = "2.0.0"

#: an additional CPV code of the call counts this much of a main-code match
ADDITIONAL_CODE_FACTOR = 0.5
#: scale of the text component, tanh(similarity / TEXT_SCALE): cosines of real texts are small,
#: so without a scale the text (what is bought) weighed less than a CPV division match. With
#: 0.4, a focused profile on its subject (the demo's NordCryo on the HL-LHC transfer lines, 0.38)
#: gives 0.74, a pair that shares only a broad concept (0.15-0.2) 0.35-0.45, and judged notice
#: pairs of "the same kind of supplier" (median 0.11) 0.26; tanh keeps the order (no ties at a
#: cap) and stays below 1. A judgement call, checked on the demo data and the fit-level table
#: of bench/eval_matching.py; the thresholds of the fit levels were read after it was set
TEXT_SCALE = 0.4

PREFIX_LEVELS = (2, 3, 4, 5, 6, 7)
COMPANY_BLOCK = 2048
CALL_BLOCK = 512


class _Vocab(dict):
    def id(self, key) -> int:
        v = self.get(key)
        if v is None:
            v = len(self)
            self[key] = v
        return v


def _binary(rows: list[int], cols: list[int], shape: tuple[int, int]) -> sparse.csr_matrix:
    m = sparse.csr_matrix(
        (np.ones(len(rows)), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=shape,
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    m.sort_indices()
    return m


class _CallFeatures:
    """Column-side arrays for a list of calls."""

    def __init__(self, index: MatchIndex, calls: Sequence[CallProfile]):
        self.calls = list(calls)
        self.ids = [c.id for c in self.calls]
        n = len(self.calls)
        self.status_ok = np.array([c.status == "published" for c in self.calls], dtype=bool)
        self.deadlines = [c.deadline for c in self.calls]
        # text: rows of the corpus when the call is indexed, else its text in the corpus space
        rows, missing = [], []
        for i, c in enumerate(self.calls):
            r = index.call_row.get(c.id)
            rows.append(r)
            if r is None:
                missing.append(i)
        parts = []
        if missing:
            extra = index.text.transform([self.calls[i].text for i in missing])
        m_iter = iter(range(len(missing)))
        for r in rows:
            parts.append(index.text.matrix[r] if r is not None else extra[next(m_iter)])
        v = index.text.matrix.shape[1]
        self.text = sparse.vstack(parts, format="csr") if parts else sparse.csr_matrix((0, v))
        self.text.sort_indices()
        # countries: n x n_countries, "any" for an empty set
        self.any_country = np.array([not c.eligible_countries for c in self.calls], dtype=bool)
        r_, c_ = [], []
        for i, c in enumerate(self.calls):
            for cc in c.eligible_countries:
                j = index.countries.get(cc.upper())
                if j is not None:
                    r_.append(i)
                    c_.append(j)
        self.countries = _binary(r_, c_, (n, len(index.countries) + 1)).toarray().astype(bool)
        # cpv prefixes per level and exact codes, of the main code and of the additional ones
        self.prefix, self.exact = self._code_side(index, [c.codes[:1] for c in self.calls])
        self.prefix_add, self.exact_add = self._code_side(index, [c.codes[1:] for c in self.calls])
        # required certifications
        r_, c_ = [], []
        self.n_required = np.zeros(n)
        for i, c in enumerate(self.calls):
            req = {norm_cert(x) for x in c.required_certifications}
            self.n_required[i] = len(req)
            for cert in req:
                if (j := index.cert_vocab.get(cert)) is not None:
                    r_.append(i)
                    c_.append(j)
        self.certs = _binary(r_, c_, (n, len(index.cert_vocab)))
        # buyers and CPV groups (track record)
        r_, c_ = [], []
        for i, c in enumerate(self.calls):
            if (j := index.buyer_vocab.get(c.buyer_id)) is not None:
                r_.append(i)
                c_.append(j)
        self.buyer = _binary(r_, c_, (n, len(index.buyer_vocab)))
        r_, c_ = [], []
        for i, c in enumerate(self.calls):
            for code in c.codes:
                r_.append(i)
                c_.append(int(normalize(code)[:3]))
        self.divisions = _binary(r_, c_, (n, 1000))
        self.has_required = self.n_required > 0

    @staticmethod
    def _code_side(index: MatchIndex, code_lists: list[tuple[str, ...]]):
        n = len(code_lists)
        prefix = {}
        for level in PREFIX_LEVELS:
            r_, c_ = [], []
            voc = index.prefix_vocab[level]
            for i, codes in enumerate(code_lists):
                for code in codes:
                    sig = significant(code)
                    if len(sig) >= level and (j := voc.get(sig[:level])) is not None:
                        r_.append(i)
                        c_.append(j)
            prefix[level] = _binary(r_, c_, (n, len(voc)))
        r_, c_ = [], []
        for i, codes in enumerate(code_lists):
            for code in codes:
                if (j := index.code_vocab.get(normalize(code))) is not None:
                    r_.append(i)
                    c_.append(j)
        return prefix, _binary(r_, c_, (n, len(index.code_vocab)))

    def subset(self, cols: np.ndarray) -> _CallFeatures:
        sub = object.__new__(_CallFeatures)
        sub.calls = [self.calls[i] for i in cols]
        sub.ids = [self.ids[i] for i in cols]
        sub.status_ok = self.status_ok[cols]
        sub.deadlines = [self.deadlines[i] for i in cols]
        sub.text = self.text[cols]
        sub.any_country = self.any_country[cols]
        sub.countries = self.countries[cols]
        sub.prefix = {lv: m[cols] for lv, m in self.prefix.items()}
        sub.exact = self.exact[cols]
        sub.prefix_add = {lv: m[cols] for lv, m in self.prefix_add.items()}
        sub.exact_add = self.exact_add[cols]
        sub.has_required = self.has_required[cols]
        sub.n_required = self.n_required[cols]
        sub.certs = self.certs[cols]
        sub.buyer = self.buyer[cols]
        sub.divisions = self.divisions[cols]
        return sub


class MatchIndex:
    """Everything precomputed for scoring: the text index over company and call texts, and
    sparse indicator matrices for the company side (codes, certificates, references...)."""

    def __init__(
        self,
        companies: Sequence[CompanyProfile],
        calls: Sequence[CallProfile] = (),
        text_config: TextConfig | None = None,
        extra_texts: Sequence[str] = (),
        *,
        now: datetime | None = None,
    ):
        self.companies = list(companies)
        self.calls = list(calls)
        n = len(self.companies)
        self.company_row: dict[Id, int] = {c.id: i for i, c in enumerate(self.companies)}
        if len(self.company_row) != n:
            raise ValueError("company ids must be unique")
        self.call_row: dict[Id, int] = {c.id: n + i for i, c in enumerate(self.calls)}
        texts = [c.text for c in self.companies] + [c.text for c in self.calls] + list(extra_texts)
        self.text = TextIndex(texts, text_config) if text_config else TextIndex(texts)
        self.company_text = self.text.matrix[:n]
        self.company_text.sort_indices()
        # id order for tie-breaks
        order = sorted(range(n), key=lambda i: self.companies[i].id)
        self.company_id_rank = np.empty(n, dtype=np.int64)
        self.company_id_rank[order] = np.arange(n)
        # countries
        self.countries = _Vocab()
        for c in self.companies:
            self.countries.id(c.country.upper())
        self.company_country = np.array(
            [self.countries[c.country.upper()] for c in self.companies], dtype=np.int64
        )
        # cpv prefixes (codes whose significant part is at least that long), covering codes
        # (significant part exactly that long), exact codes
        self.prefix_vocab = {lv: _Vocab() for lv in PREFIX_LEVELS}
        self.code_vocab = _Vocab()
        pref = {lv: ([], []) for lv in PREFIX_LEVELS}
        cover = {lv: ([], []) for lv in PREFIX_LEVELS}
        ex_r, ex_c = [], []
        for i, c in enumerate(self.companies):
            for code in c.cpv_codes:
                code = normalize(code)
                s = significant(code)
                for lv in PREFIX_LEVELS:
                    if len(s) >= lv:
                        j = self.prefix_vocab[lv].id(s[:lv])
                        pref[lv][0].append(i)
                        pref[lv][1].append(j)
                        if len(s) == lv:
                            cover[lv][0].append(i)
                            cover[lv][1].append(j)
                ex_r.append(i)
                ex_c.append(self.code_vocab.id(code))
        self.prefix = {
            lv: _binary(*pref[lv], (n, len(self.prefix_vocab[lv]))) for lv in PREFIX_LEVELS
        }
        self.cover = {
            lv: _binary(*cover[lv], (n, len(self.prefix_vocab[lv]))) for lv in PREFIX_LEVELS
        }
        self.exact = _binary(ex_r, ex_c, (n, len(self.code_vocab)))
        # certifications
        self.cert_vocab = _Vocab()
        r_, c_ = [], []
        for i, c in enumerate(self.companies):
            for cert in {norm_cert(x) for x in c.certifications}:
                r_.append(i)
                c_.append(self.cert_vocab.id(cert))
        self.certs = _binary(r_, c_, (n, len(self.cert_vocab)))
        # references: the client and the CPV groups of each, as credits of decayed strengths
        self.reference_year = (now or datetime.now(UTC)).year
        self.buyer_vocab = _Vocab()
        by_buyer: dict[tuple[int, int], list[float]] = {}
        by_group: dict[tuple[int, int], list[float]] = {}
        for i, c in enumerate(self.companies):
            for ref in c.references:
                strength = reference_strength(ref, self.reference_year)
                by_buyer.setdefault((i, self.buyer_vocab.id(ref.client_id)), []).append(strength)
                for g in sorted({int(normalize(code)[:3]) for code in ref.cpv_codes}):
                    by_group.setdefault((i, g), []).append(strength)
        for call in self.calls:
            self.buyer_vocab.id(call.buyer_id)
        self.ref_buyers = _weighted(by_buyer, (n, len(self.buyer_vocab)))
        self.ref_divisions = _weighted(by_group, (n, 1000))
        self.verified = np.array([c.verified for c in self.companies], dtype=np.float64)
        by_call: dict[Id, list[int]] = {}
        for i, c in enumerate(self.companies):
            for cid in c.not_relevant:
                by_call.setdefault(cid, []).append(i)
        self.not_relevant_by_call: dict[Id, np.ndarray] = {
            cid: np.array(sorted(v), dtype=np.int64) for cid, v in by_call.items()
        }
        self._source_companies = companies
        self._transposed: dict[int, tuple[sparse.csr_matrix, sparse.csr_matrix]] = {}
        self._call_features: _CallFeatures | None = None

    def call_features(self, calls: Sequence[CallProfile] | None = None) -> _CallFeatures:
        if calls is None or calls is self.calls:
            if self._call_features is None:
                self._call_features = _CallFeatures(self, self.calls)
            return self._call_features
        return _CallFeatures(self, calls)

    def transposed(self, m: sparse.csr_matrix) -> sparse.csr_matrix:
        """m.T as CSR, cached (m is one of the index's company-side matrices)."""
        key = id(m)
        hit = self._transposed.get(key)
        if hit is None or hit[0] is not m:
            hit = (m, m.T.tocsr())
            self._transposed[key] = hit
        return hit[1]

    def rows_of(self, companies: Iterable[CompanyProfile]) -> np.ndarray:
        if companies is self.companies or companies is self._source_companies:
            return np.arange(len(self.companies))
        try:
            return np.array([self.company_row[c.id] for c in companies], dtype=np.int64)
        except KeyError as exc:
            raise KeyError(f"company {exc.args[0]!r} is not in the index") from exc


def _weighted(credits: dict[tuple[int, int], list[float]], shape) -> sparse.csr_matrix:
    """A sparse matrix of the references' credits (:func:`~.model.references_credit`)."""
    keys = sorted(credits)
    m = sparse.csr_matrix(
        (
            [references_credit(credits[k]) for k in keys],
            ([k[0] for k in keys], [k[1] for k in keys]),
        ),
        shape=shape,
    )
    m.sort_indices()
    return m


def _values(a: sparse.csr_matrix, b: sparse.csr_matrix, a_t: sparse.csr_matrix | None = None):
    """(row, col, value) where a @ b.T is non-zero (``a_t``: a.T as CSR, if at hand)."""
    if a.shape[1] == 0 or a.nnz == 0 or b.nnz == 0:
        e = np.empty(0, dtype=np.int64)
        return e, e, np.empty(0)
    if a_t is not None:
        prod = (b @ a_t).tocoo()
        return prod.col.astype(np.int64), prod.row.astype(np.int64), prod.data
    prod = (a @ b.T).tocoo()
    return prod.row.astype(np.int64), prod.col.astype(np.int64), prod.data


@dataclass
class _Block:
    text: np.ndarray
    cpv: np.ndarray
    requirements: np.ndarray
    track: np.ndarray
    total: np.ndarray  # weighted sum, before the hard rules
    excluded: np.ndarray | None = None  # int8: 0 = kept, k = EXCLUSION_REASONS[k - 1]
    ranked: np.ndarray | None = None  # total, -inf where excluded


def _pairs(
    a: sparse.csr_matrix, b: sparse.csr_matrix, a_t: sparse.csr_matrix | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) coordinates where a @ b.T is non-zero (``a_t``: a.T as CSR, if at hand)."""
    if a.shape[1] == 0 or a.nnz == 0 or b.nnz == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if a_t is not None:  # few calls against many companies: walk the calls' columns
        prod = (b @ a_t).tocoo()
        keep = prod.data != 0
        return prod.col[keep].astype(np.int64), prod.row[keep].astype(np.int64)
    prod = (a @ b.T).tocoo()
    keep = prod.data != 0
    return prod.row[keep].astype(np.int64), prod.col[keep].astype(np.int64)


def _raise_to(target: np.ndarray, pairs: tuple[np.ndarray, np.ndarray], value: float) -> None:
    r, c = pairs
    if len(r):
        target[r, c] = np.maximum(target[r, c], value)


def _score_block(
    index: MatchIndex,
    rows: np.ndarray,
    cf: _CallFeatures,
    now: datetime,
    weights: Weights,
    text_cols: np.ndarray | None = None,
    text_dense: np.ndarray | None = None,
    *,
    reasons: bool = True,
) -> _Block:
    """Scores of companies ``rows`` against the calls of ``cf`` (B x C arrays).

    The value for a pair depends only on that pair: the text dot product sums the shared terms
    in term order (see :func:`~.text.sparse_dot_dense`) and everything else is elementwise.
    """
    b, c = len(rows), len(cf.ids)
    full = len(rows) == index.company_text.shape[0] and bool(np.all(rows == np.arange(b)))
    comp_text = index.company_text if full else index.company_text[rows]
    if text_dense is None:
        text_cols, text_dense = dense_call_text(cf)
    if text_cols is not None:
        comp_text = comp_text[:, text_cols]
        comp_text.sort_indices()
    text = sparse_dot_dense(comp_text, text_dense)
    np.clip(text, 0.0, 1.0, out=text)
    text *= 1.0 / TEXT_SCALE
    np.tanh(text, out=text)

    def sub(m: sparse.csr_matrix) -> sparse.csr_matrix:
        return m if full else m[rows]

    def pairs(m: sparse.csr_matrix, call_side: sparse.csr_matrix):
        if full:
            return _pairs(m, call_side, index.transposed(m))
        return _pairs(m[rows], call_side)

    def values(m: sparse.csr_matrix, call_side: sparse.csr_matrix):
        if full:
            return _values(m, call_side, index.transposed(m))
        return _values(m[rows], call_side)

    # cpv: best level score over the main code, additional codes at ADDITIONAL_CODE_FACTOR
    cpv = _cpv_fit(b, c, pairs, index, cf.prefix, cf.exact)
    if cf.exact_add.nnz or any(m.nnz for m in cf.prefix_add.values()):
        add = _cpv_fit(b, c, pairs, index, cf.prefix_add, cf.exact_add)
        np.maximum(cpv, ADDITIONAL_CODE_FACTOR * add, out=cpv)
    # requirements: share of the required certificates held; a call requiring nothing has no
    # requirements component (its weight goes to the others, see _effective_weights)
    req = np.zeros((b, c))
    if cf.certs.nnz:
        held = (sub(index.certs) @ cf.certs.T).tocoo()
        req[held.row, held.col] = held.data / cf.n_required[held.col]
    # track record: verified, + references with the buyer, + references in the call's groups
    track = np.empty((b, c))
    track[:] = (TRACK_VERIFIED * index.verified[rows])[:, None]
    r_, c_, v_ = values(index.ref_buyers, cf.buyer)
    track[r_, c_] += TRACK_SAME_BUYER * v_
    r_, c_, v_ = values(index.ref_divisions, cf.divisions)
    np.add.at(track, (r_, c_), TRACK_SAME_DIVISION * np.minimum(v_, 1.0))
    np.minimum(track, 1.0, out=track)
    w_text, w_cpv, w_req, w_track = _effective_weights(weights, cf.has_required)
    total = w_text[None, :] * text
    total += w_cpv[None, :] * cpv
    total += w_req[None, :] * req
    total += w_track[None, :] * track
    np.clip(total, 0.0, 1.0, out=total)
    # hard rules
    col_out = ~cf.status_ok | np.array(
        [d is not None and d <= now for d in cf.deadlines], dtype=bool
    )
    country_bad = ~cf.any_country[None, :] & ~cf.countries[:, index.company_country[rows]].T
    nr_r, nr_c = _not_relevant_pairs(index, rows, cf.ids, full)
    ranked = np.where(country_bad | col_out[None, :], -np.inf, total)
    ranked[nr_r, nr_c] = -np.inf
    blk = _Block(text, cpv, req, track, total, ranked=ranked)
    if reasons:
        dead = np.array([d is not None and d <= now for d in cf.deadlines], dtype=bool)
        excluded = np.zeros((b, c), dtype=np.int8)
        codes = {
            EXCLUDED_NOT_RELEVANT: (
                np.asarray(nr_r, dtype=np.int64),
                np.asarray(nr_c, dtype=np.int64),
            ),
            EXCLUDED_COUNTRY: country_bad,
            EXCLUDED_DEADLINE: np.broadcast_to(dead[None, :], (b, c)),
            EXCLUDED_NOT_PUBLISHED: np.broadcast_to(~cf.status_ok[None, :], (b, c)),
        }
        for reason in reversed(EXCLUSION_REASONS):  # the first reason in the list wins
            excluded[codes[reason]] = EXCLUSION_REASONS.index(reason) + 1
        blk.excluded = excluded
    return blk


def _cpv_fit(b, c, pairs, index, prefix, exact) -> np.ndarray:
    """Best level score of the company codes against one side of the calls' codes (B x C)."""
    cpv = np.zeros((b, c))
    for lv in PREFIX_LEVELS:
        _raise_to(cpv, pairs(index.prefix[lv], prefix[lv]), LEVEL_SCORE[lv])
        _raise_to(cpv, pairs(index.cover[lv], prefix[lv]), LEVEL_SCORE[lv] + COVER_BONUS)
    _raise_to(cpv, pairs(index.exact, exact), LEVEL_SCORE[8])
    return cpv


def _effective_weights(weights: Weights, has_required: np.ndarray):
    """Per-call weights: a call that requires no certificate gives the requirements weight to the
    other components in proportion (no flat bonus for every pair, scores stay in [0, 1])."""
    scale = np.where(has_required, 1.0, 1.0 / (1.0 - weights.requirements))
    return (
        weights.text * scale,
        weights.cpv * scale,
        np.where(has_required, weights.requirements, 0.0),
        weights.track_record * scale,
    )


def _not_relevant_pairs(index: MatchIndex, rows: np.ndarray, call_ids: list, full: bool):
    """(block row, block column) of the pairs a company marked "not relevant"."""
    if not index.not_relevant_by_call:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if not full:
        pos = np.full(len(index.companies), -1, dtype=np.int64)
        pos[rows] = np.arange(len(rows))
    rr, cc = [], []
    for j, cid in enumerate(call_ids):
        marked = index.not_relevant_by_call.get(cid)
        if marked is None:
            continue
        at = marked if full else pos[marked]
        at = at[at >= 0]
        rr.append(at)
        cc.append(np.full(len(at), j, dtype=np.int64))
    if not rr:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(rr), np.concatenate(cc)


def dense_call_text(cf: _CallFeatures) -> tuple[np.ndarray | None, np.ndarray]:
    """(term columns used by the calls or None for all, dense n_cols x n_calls weights).

    For a few calls the full vocabulary is used (cheaper than slicing every company row)."""
    if len(cf.ids) <= 8:
        return None, cf.text.toarray().T.copy()
    cols = np.unique(cf.text.indices)
    return cols, cf.text[:, cols].toarray().T.copy()


# ---------------------------------------------------------------------- one pair
@dataclass(frozen=True)
class MatchContext:
    """What a score needs beyond the two profiles: the index, the time, the weights."""

    index: MatchIndex
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    weights: Weights = DEFAULT_WEIGHTS


def score(company: CompanyProfile, call: CallProfile, ctx: MatchContext) -> MatchResult:
    """Score one company against one call, with every component and its facts."""
    return score_many([company], call, ctx)[0]


def score_many(
    companies: Sequence[CompanyProfile], call: CallProfile, ctx: MatchContext
) -> list[MatchResult]:
    """Score many companies against one call in one vectorised block, with every component
    and its facts (what the pages store and explain); ``score`` is the one-company case."""
    index = ctx.index
    rows = index.rows_of(companies)
    cf = index.call_features([call])
    blk = _score_block(index, rows, cf, ctx.now, ctx.weights)
    w_text, w_cpv, w_req, w_track = (
        float(x[0]) for x in _effective_weights(ctx.weights, cf.has_required)
    )
    call_groups = {normalize(c)[:3] for c in call.codes}
    required = sorted(call.required_certifications, key=norm_cert)
    year = index.reference_year
    results = []
    for i, company in enumerate(companies):
        r = int(rows[i])
        vec_call, vec_comp = cf.text[0], index.company_text[r]
        share = text_share(index.text, vec_comp, vec_call)
        text_detail = {
            "terms": shared_terms(index.text, vec_call, call.text, vec_comp, company.text),
            "call_terms": shared_terms(index.text, vec_call, call.text, vec_comp, company.text),
            "company_terms": shared_terms(index.text, vec_comp, company.text, vec_call, call.text),
            "topics": shared_codes(index.text, vec_comp, vec_call),
            "concepts": shared_concepts(index.text, vec_comp, vec_call),
            "words_share": share["words"],
            "topics_share": share["codes"],
            "concepts_share": share["concepts"],
        }
        cpv_detail = {
            "match": best_call_match(company.cpv_codes, call.codes, ADDITIONAL_CODE_FACTOR),
            "call_main": normalize(call.codes[0]) if call.codes else None,
        }
        held = {norm_cert(x) for x in company.certifications}
        req_detail = {
            "met": [c for c in required if norm_cert(c) in held],
            "missing": [c for c in required if norm_cert(c) not in held],
            "none_required": not required,
        }
        with_buyer = [ref for ref in company.references if ref.client_id == call.buyer_id]
        in_groups = [
            ref
            for ref in company.references
            if {normalize(code)[:3] for code in ref.cpv_codes} & call_groups
        ]
        groups = sorted(
            {normalize(code)[:3] for ref in company.references for code in ref.cpv_codes}
            & call_groups
        )
        track_detail = {
            "same_buyer": len(with_buyer),
            "buyer_id": call.buyer_id,
            "same_buyer_recent": any(reference_strength(x, year) > 0.5 for x in with_buyer),
            "groups": groups,
            "divisions": sorted({g[:2] for g in groups}),
            "same_field": len(in_groups),
            "verified": company.verified,
        }
        components = (
            Component("text", float(blk.text[i, 0]), w_text, text_detail),
            Component("cpv", float(blk.cpv[i, 0]), w_cpv, cpv_detail),
            Component("requirements", float(blk.requirements[i, 0]), w_req, req_detail),
            Component("track_record", float(blk.track[i, 0]), w_track, track_detail),
        )
        code = int(blk.excluded[i, 0])
        excluded_by = EXCLUSION_REASONS[code - 1] if code else None
        detail = {}
        if excluded_by == EXCLUDED_COUNTRY:
            detail = {"country": company.country, "eligible": sorted(call.eligible_countries)}
        elif excluded_by == EXCLUDED_DEADLINE:
            detail = {"deadline": call.deadline}
        elif excluded_by == EXCLUDED_NOT_PUBLISHED:
            detail = {"status": call.status}
        results.append(
            MatchResult(
                company_id=company.id,
                call_id=call.id,
                score=0.0 if excluded_by else float(blk.total[i, 0]),
                components=components,
                excluded_by=excluded_by,
                exclusion_detail=detail,
            )
        )
    return results


# ---------------------------------------------------------------------- top-k in blocks
@dataclass
class TopK:
    """Top-k lists: per call [(company id, score)], per company [(call id, score)], best first,
    ties broken by the lower id. Excluded pairs never appear."""

    k_per_call: int
    k_per_company: int
    per_call: dict[Id, list[tuple[Id, float]]] = field(default_factory=dict)
    per_company: dict[Id, list[tuple[Id, float]]] = field(default_factory=dict)


def _select_topk(scores: np.ndarray, ranks: np.ndarray, k: int) -> np.ndarray:
    """Indices (k x C) of the k best rows per column by (score desc, rank asc); exact with ties.

    ``scores`` and ``ranks`` have shape (n x C); -inf scores are never better than any other.
    """
    n = scores.shape[0]
    if n <= k:
        return np.lexsort((ranks, -scores), axis=0)
    part = np.argpartition(-scores, k - 1, axis=0)[:k]
    pscores = np.take_along_axis(scores, part, axis=0)
    threshold = pscores.min(axis=0)
    at_or_above = (scores >= threshold[None, :]).sum(axis=0)
    ties = np.flatnonzero((at_or_above > k) & np.isfinite(threshold))
    for j in ties:  # columns where the partition may have cut through equal scores
        cand = np.flatnonzero(scores[:, j] >= threshold[j])
        order = np.lexsort((ranks[cand, j], -scores[cand, j]))[:k]
        part[:, j] = cand[order]
    pscores = np.take_along_axis(scores, part, axis=0)
    pranks = np.take_along_axis(ranks, part, axis=0)
    order = np.lexsort((pranks, -pscores), axis=0)
    return np.take_along_axis(part, order, axis=0)


class _Running:
    """Running top-k along axis 0 for C columns: scores and ranks/ids of the best rows."""

    def __init__(self, k: int, c: int):
        self.k = k
        self.scores = np.full((k, c), -np.inf)
        self.ranks = np.full((k, c), np.iinfo(np.int64).max, dtype=np.int64)

    def update(self, cols: np.ndarray, scores: np.ndarray, ranks: np.ndarray) -> None:
        """Merge candidates (n x len(cols)) into the columns ``cols``."""
        if self.k == 0:
            return
        allsc = np.vstack([self.scores[:, cols], scores])
        allrk = np.vstack([self.ranks[:, cols], ranks])
        sel = _select_topk(allsc, allrk, self.k)
        self.scores[:, cols] = np.take_along_axis(allsc, sel, axis=0)
        self.ranks[:, cols] = np.take_along_axis(allrk, sel, axis=0)


def _block_topk(
    index: MatchIndex,
    brows: np.ndarray,
    sub: _CallFeatures,
    text_cols,
    text_dense,
    call_rank_cols: np.ndarray,
    now: datetime,
    weights: Weights,
    k_per_call: int,
    k_per_company: int,
):
    """Score one block and select its candidates (runs in a worker thread)."""
    blk = _score_block(index, brows, sub, now, weights, text_cols, text_dense, reasons=False)
    sc = blk.ranked
    del blk
    out_call = out_comp = None
    if k_per_call:
        rk = np.broadcast_to(index.company_id_rank[brows][:, None], sc.shape)
        sel = _select_topk(sc, rk, min(k_per_call, len(brows)))
        out_call = (np.take_along_axis(sc, sel, axis=0), np.take_along_axis(rk, sel, axis=0))
    if k_per_company:
        sct = sc.T
        rk = np.broadcast_to(call_rank_cols[:, None], sct.shape)
        sel = _select_topk(sct, rk, min(k_per_company, sct.shape[0]))
        out_comp = (np.take_along_axis(sct, sel, axis=0), np.take_along_axis(rk, sel, axis=0))
    return out_call, out_comp


def score_chunk(
    company_slice: Sequence[CompanyProfile],
    calls: Sequence[CallProfile],
    index: MatchIndex,
    *,
    k_per_call: int = 10,
    k_per_company: int = 10,
    now: datetime | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    company_block: int = COMPANY_BLOCK,
    call_block: int = CALL_BLOCK,
    threads: int | None = None,
) -> TopK:
    """Top-k of a slice of the companies against all calls (merge slices with merge_topk).

    ``index`` must be the same for every slice (built over all companies and calls); the
    per-company lists are complete, the per-call lists hold this slice's best companies.
    Blocks are scored on ``threads`` threads (default: the CPU count, at most 4); the numpy and
    scipy kernels release the GIL, and results are merged in block order, so the outcome does
    not depend on the number of threads.
    """
    now = now or datetime.now(UTC)
    rows = index.rows_of(company_slice)
    cf = index.call_features(calls)
    n_calls = len(cf.ids)
    call_rank = np.empty(n_calls, dtype=np.int64)
    call_rank[sorted(range(n_calls), key=lambda j: cf.ids[j])] = np.arange(n_calls)
    per_call = _Running(k_per_call, n_calls)
    per_company = _Running(k_per_company, len(rows))
    threads = threads or min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for c0 in range(0, n_calls, call_block):
            cols = np.arange(c0, min(c0 + call_block, n_calls))
            sub = cf.subset(cols)
            text_cols, text_dense = dense_call_text(sub)
            starts = list(range(0, len(rows), company_block))
            futures = [
                pool.submit(
                    _block_topk,
                    index,
                    rows[b0 : b0 + company_block],
                    sub,
                    text_cols,
                    text_dense,
                    call_rank[cols],
                    now,
                    weights,
                    k_per_call,
                    k_per_company,
                )
                for b0 in starts
            ]
            for b0, fut in zip(starts, futures, strict=True):
                out_call, out_comp = fut.result()
                if out_call is not None:
                    per_call.update(cols, *out_call)
                if out_comp is not None:
                    local = np.arange(b0, min(b0 + company_block, len(rows)))
                    per_company.update(local, *out_comp)
    # translate ranks back to ids
    company_by_rank = np.empty(len(index.companies), dtype=np.int64)
    company_by_rank[index.company_id_rank] = np.arange(len(index.companies))
    call_by_rank = np.empty(n_calls, dtype=np.int64)
    call_by_rank[call_rank] = np.arange(n_calls)
    company_ids = [c.id for c in index.companies]
    out = TopK(k_per_call, k_per_company)
    sc_l, rk_l = per_call.scores.T.tolist(), per_call.ranks.T.tolist()
    for j, cid in enumerate(cf.ids):
        out.per_call[cid] = [
            (company_ids[company_by_rank[r]], s)
            for s, r in zip(sc_l[j], rk_l[j], strict=True)
            if s > 0.0
        ]
    sc_l, rk_l = per_company.scores.T.tolist(), per_company.ranks.T.tolist()
    for i, r in enumerate(rows.tolist()):
        out.per_company[company_ids[r]] = [
            (cf.ids[call_by_rank[rk]], s) for s, rk in zip(sc_l[i], rk_l[i], strict=True) if s > 0.0
        ]
    return out


def merge_topk(chunks: Iterable[TopK]) -> TopK:
    """Merge the results of score_chunk over disjoint company slices into a single run's."""
    chunks = list(chunks)
    if not chunks:
        return TopK(0, 0)
    kc, kp = chunks[0].k_per_call, chunks[0].k_per_company
    out = TopK(kc, kp)
    gathered: dict[Id, list[tuple[Id, float]]] = {}
    for ch in chunks:
        if (ch.k_per_call, ch.k_per_company) != (kc, kp):
            raise ValueError("chunks were computed with different k")
        for cid, lst in ch.per_call.items():
            gathered.setdefault(cid, []).extend(lst)
        for comp_id, lst in ch.per_company.items():
            out.per_company.setdefault(comp_id, list(lst))
    for cid, lst in gathered.items():
        out.per_call[cid] = sorted(set(lst), key=lambda x: (-x[1], x[0]))[:kc]
    return out


def score_all(
    companies: Sequence[CompanyProfile],
    calls: Sequence[CallProfile],
    k_per_call: int = 10,
    k_per_company: int = 10,
    *,
    index: MatchIndex | None = None,
    now: datetime | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
    chunk_size: int | None = None,
) -> TopK:
    """All company-call pairs: the top-k companies per call and calls per company."""
    index = index or MatchIndex(companies, calls)
    now = now or datetime.now(UTC)
    companies = list(companies)
    size = chunk_size or max(len(companies), 1)
    pieces = [companies[i : i + size] for i in range(0, len(companies), size)] or [companies]
    chunks = [
        score_chunk(
            piece,
            calls,
            index,
            k_per_call=k_per_call,
            k_per_company=k_per_company,
            now=now,
            weights=weights,
        )
        for piece in pieces
    ]
    return chunks[0] if len(chunks) == 1 else merge_topk(chunks)


def rank_companies_for_call(
    call: CallProfile,
    companies: Sequence[CompanyProfile],
    index: MatchIndex,
    k: int = 10,
    *,
    now: datetime | None = None,
    weights: Weights = DEFAULT_WEIGHTS,
) -> list[tuple[Id, float]]:
    """The k best companies for one call: [(company id, score)], best first, ties by id.

    Excluded companies are left out. ``companies`` must be in ``index``; the call need not be
    (its text is then placed in the index's space with :meth:`TextIndex.transform`).
    """
    now = now or datetime.now(UTC)
    rows = index.rows_of(companies)
    if k <= 0 or len(rows) == 0:
        return []
    cf = index.call_features([call])
    blk = _score_block(index, rows, cf, now, weights, reasons=False)
    sc = blk.ranked[:, 0]
    ranks = index.company_id_rank[rows]
    sel = _select_topk(sc[:, None], ranks[:, None], min(k, len(rows)))[:, 0]
    return [(index.companies[rows[i]].id, float(sc[i])) for i in sel if sc[i] > 0.0]
