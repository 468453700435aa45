"""From words to CPV codes: which codes' official labels a text names, in any EU language.

The CPV codes are language-independent, and every code has an official label in the 24 EU
languages (``cpv_labels_24_languages.json`` in the reference data). A text is matched against
the labels of its own language and (for suggestions) the English ones:

* a label's words are stemmed like a text's (:mod:`.languages`); a label word is weighted by
  its rarity among the labels of its language, ``w(t) = ln(N / df(t))``, and words in more than
  2% of the labels ("services", "equipment", "Arbeiten") are not label words at all;
* ``coverage(text, label)`` = the weight of the label's words the text contains over the weight
  of all its words: 1 when the text names everything the label says ("control valves" for
  *Control valves*), 0.5 when it names half of it by weight;
* a code's **fit** to the text = ``coverage ** 2 * min(1, matched weight / M0)``: a label must be
  mostly covered, and by at least one specific word (``M0`` = the weight of a word found in 20
  labels); the best label language counts. Codes below ``MIN_FIT`` are dropped.

:meth:`LabelIndex.match` gives the fitting codes of texts (what :func:`~.suggest.suggest_cpv`
ranks). The text model (:mod:`.text`) uses two more views of the labels: **topics**
(:meth:`LabelIndex.topics`: the CPV subtrees nearest to a text, each subtree a document made of
the labels of all its codes) and **translations** (:meth:`LabelIndex.dictionary`: the English
stems a stem of another language shares its labels with). Everything is sparse-matrix
arithmetic on fixed data, so it is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from .languages import (
    LANGUAGES,
    Stemmers,
    cpv_label_records,
    fold_cached,
    is_word,
    label_tokens,
    stop_words,
)
from .stopwords import BOILERPLATE

#: a word found in more than this share of a language's labels is not a label word
MAX_LABEL_DF = 0.02
#: matched label weight that counts as fully specific: ln(N / 20)
SPECIFIC_DF = 20
MIN_COVERAGE = 0.5
#: words counted as the title of a text, and the salience of the words after them
TITLE_WORDS = 16
BODY_SALIENCE = 0.6
MIN_FIT = 0.2
#: translation through the parallel labels (:meth:`LabelIndex.dictionary`)
MIN_DICE = 0.15
MIN_SHARE = 0.5
MIN_PAIR_LABELS = 2
MAX_TRANSLATIONS = 2
#: texts per dense block when finding their nearest subtrees
TOPIC_CHUNK = 2048
#: at most this many codes per text
MAX_CODES = 12


def _stem_matrix(stem_weights, voc) -> sparse.csr_matrix:
    """Rows of stem weights (dicts) as a sparse matrix over the vocabulary ``voc``."""
    rows, cols, vals = [], [], []
    for r, stems in enumerate(stem_weights):
        for i, v in sorted((voc[s], v) for s, v in stems.items() if s in voc):
            rows.append(r)
            cols.append(i)
            vals.append(v)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(stem_weights), len(voc)))


class LabelIndex:
    """The CPV labels of every language as stem x label matrices (built once per process)."""

    def __init__(self):
        self.stemmers = Stemmers()
        records = cpv_label_records()
        self.codes: list[str] = [code for code, _ in records]
        self.labels: dict[str, dict[str, str]] = dict(records)
        self.vocab: dict[str, dict[str, int]] = {}
        self.matrix: dict[str, sparse.csr_matrix] = {}  # lang -> stems x codes, w(t)
        self.total: dict[str, np.ndarray] = {}  # lang -> total word weight of each label
        self.code_stems: dict[str, list[set[str]]] = {}  # lang -> stems of each code's label
        self._dictionaries: dict[str, dict[str, tuple[str, ...]]] = {}
        self._subtree_cache: dict[tuple[str, int], tuple] = {}
        self.m0 = math.log(max(len(self.codes), 1) / SPECIFIC_DF)

    def _build(self, lang: str) -> None:
        """The stem x code matrix of one language (built when a text first needs it)."""
        if lang in self.vocab or lang not in LANGUAGES or lang == "ga":
            return
        stops = stop_words(lang)
        per_label = label_tokens()[lang]
        words = {t for toks in per_label for t in toks}
        words = {
            t
            for t in words
            if is_word(t) and fold_cached(t) not in stops and fold_cached(t) not in BOILERPLATE
        }
        stem_of = self.stemmers.stem_many(words, lang)
        stems_per_code: list[set[str]] = []
        df: dict[str, int] = {}
        for toks in per_label:
            stems = {stem_of[t] for t in toks if t in stem_of}
            stems_per_code.append(stems)
            for s in stems:
                df[s] = df.get(s, 0) + 1
        n = max(len(self.codes), 1)
        keep = sorted(s for s, d in df.items() if d <= MAX_LABEL_DF * n)
        voc = {s: i for i, s in enumerate(keep)}
        w = np.array([math.log(n / df[s]) for s in keep])
        rows, cols, vals = [], [], []
        for j, stems in enumerate(stems_per_code):
            for i in sorted(voc[s] for s in stems if s in voc):
                rows.append(i)
                cols.append(j)
                vals.append(w[i])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(keep), len(self.codes)))
        self.vocab[lang] = voc
        self.code_stems[lang] = stems_per_code
        self.matrix[lang] = m
        self.total[lang] = np.asarray(m.sum(axis=0)).ravel()

    def dictionary(self, lang: str) -> dict[str, tuple[str, ...]]:
        """{stem of ``lang``: English stems} read from the parallel labels: a stem translates to
        the English stems whose label sets it shares best (Dice coefficient over the codes whose
        labels contain them, at least ``MIN_DICE``; at most ``MAX_TRANSLATIONS``; each must
        occur in at least ``MIN_PAIR_LABELS`` labels together, and in at least ``MIN_SHARE`` of the
        stem's labels). English maps to nothing (it is the pivot)."""
        hit = self._dictionaries.get(lang)
        if hit is not None:
            return hit
        out: dict[str, tuple[str, ...]] = {}
        if lang != "en" and lang in LANGUAGES and lang != "ga":
            self._build(lang)
            self._build("en")
            a, a_voc = _incidence(self.code_stems[lang])
            e, e_voc = _incidence(self.code_stems["en"])
            co = (a.T @ e).tocsr()  # lang stems x English stems: labels in common
            df_a = np.asarray(a.sum(axis=0)).ravel()
            df_e = np.asarray(e.sum(axis=0)).ravel()
            for i, stem in enumerate(a_voc):
                lo, hi = co.indptr[i], co.indptr[i + 1]
                cols, both = co.indices[lo:hi], co.data[lo:hi]
                dice = 2 * both / (df_a[i] + df_e[cols])
                cond = both / df_a[i]  # share of the stem's labels that have the English stem
                ok = (dice >= MIN_DICE) & (cond >= MIN_SHARE) & (both >= MIN_PAIR_LABELS)
                if not ok.any():
                    continue
                order = np.lexsort((cols[ok], -dice[ok]))[:MAX_TRANSLATIONS]
                out[stem] = tuple(e_voc[int(cols[ok][o])] for o in order)
        self._dictionaries[lang] = out
        return out

    def _subtrees_prefixes(self, level: int) -> list[str]:
        """The CPV prefixes of ``level`` digits that some code has (sorted)."""
        return sorted({c[:level] for c in self.codes})

    def _subtrees(self, lang: str, level: int):
        """(prefixes, TF-IDF matrix prefixes x stems, stem vocabulary, transformer) of the
        subtrees at ``level`` (3 = groups): each prefix's document is the labels of all its
        codes in ``lang``."""
        key = (lang, level)
        hit = self._subtree_cache.get(key)
        if hit is not None:
            return hit
        from sklearn.feature_extraction.text import TfidfTransformer

        self._build(lang)
        inc, voc = _incidence(self.code_stems[lang])
        prefixes = self._subtrees_prefixes(level)
        pos = {p: i for i, p in enumerate(prefixes)}
        agg = sparse.csr_matrix(
            (
                np.ones(len(self.codes)),
                ([pos[c[:level]] for c in self.codes], range(len(self.codes))),
            ),
            shape=(len(prefixes), len(self.codes)),
        )
        counts = agg @ inc
        tf = TfidfTransformer(sublinear_tf=True)
        m = tf.fit_transform(counts).tocsr()
        hit = (prefixes, m, {s: i for i, s in enumerate(voc)}, tf)
        self._subtree_cache[key] = hit
        return hit

    def topics(
        self, stem_weights: Sequence[dict[str, float]], lang: str, level: int = 3, k: int = 5
    ) -> sparse.csr_matrix:
        """The k subtrees at ``level`` nearest to each text (texts x prefixes, the others 0; see
        :meth:`_subtrees`), by cosine of the text's stems (weighted by salience and the
        subtrees' idf) to the subtree's labels. Ties go to the lower prefix; each row depends
        only on its text."""
        _prefixes, m, voc, tf = self._subtrees(lang, level)
        n = len(stem_weights)
        x = _stem_matrix(stem_weights, voc)
        x = x.multiply(tf.idf_).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        x = (sparse.diags(1.0 / norms) @ x).tocsr()
        mt = m.T.tocsc()
        out_r, out_c, out_v = [], [], []
        k = min(k, m.shape[0])
        for start in range(0, n, TOPIC_CHUNK):
            dense = (x[start : start + TOPIC_CHUNK] @ mt).toarray()
            if k <= 0 or dense.size == 0:
                continue
            kth = -np.partition(-dense, k - 1, axis=1)[:, k - 1]
            rr, cc = np.nonzero((dense >= kth[:, None]) & (dense > 0))
            vv = dense[rr, cc]
            order = np.lexsort((cc, -vv, rr))
            rr, cc, vv = rr[order], cc[order], vv[order]
            first = np.searchsorted(rr, rr, side="left")
            keep = (np.arange(len(rr)) - first) < k
            out_r.append(rr[keep] + start)
            out_c.append(cc[keep])
            out_v.append(vv[keep])
        if not out_r:
            return sparse.csr_matrix((n, m.shape[0]))
        return sparse.csr_matrix(
            (np.concatenate(out_v), (np.concatenate(out_r), np.concatenate(out_c))),
            shape=(n, m.shape[0]),
        )

    def label(self, code: str, language: str = "en") -> str:
        labels = self.labels.get(code, {})
        return labels.get(language) or labels.get("en", "")

    def match(self, stem_weights: Sequence[dict[str, float]], lang: str) -> sparse.csr_matrix:
        """Fit of every code to each text, against the labels of ``lang``: a texts x codes CSR
        matrix, zero below ``MIN_FIT``. A text is given as {stem in ``lang``: salience in
        (0, 1]} (1 for the words of its title, less further down, see :func:`salience`):
        coverage counts a label word wherever it occurs, specificity by its salience."""
        self._build(lang)
        voc = self.vocab.get(lang)
        n = len(stem_weights)
        if not voc or not n:
            return sparse.csr_matrix((n, len(self.codes)))
        x = _stem_matrix(stem_weights, voc)
        xb = x.copy()
        xb.data[:] = 1.0
        mass = (xb @ self.matrix[lang]).tocsr()  # matched label weight of every label
        if mass.nnz:
            sal = (x @ self.matrix[lang]).tocsr()  # the same, weighted by salience
            total = self.total[lang][mass.indices]
            cover = mass.data / total
            fit = cover * cover * np.minimum(1.0, sal.data / self.m0)
            fit[(cover < MIN_COVERAGE - 1e-12) | (fit < MIN_FIT)] = 0.0
            mass.data = fit
            mass.eliminate_zeros()
        return mass


def _incidence(stem_sets: list[set[str]]) -> tuple[sparse.csr_matrix, list[str]]:
    """codes x stems 0/1 matrix of label stems, with the stems in column order."""
    voc = sorted(set().union(*stem_sets)) if stem_sets else []
    pos = {s: i for i, s in enumerate(voc)}
    rows, cols = [], []
    for j, stems in enumerate(stem_sets):
        for s in stems:
            rows.append(j)
            cols.append(pos[s])
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(stem_sets), len(voc)))
    return m, voc


def salience(position: int) -> float:
    """Weight of a word by its position in a text: 1 in the first ``TITLE_WORDS`` words (the
    title, or a profile's first sentence), then ``BODY_SALIENCE``."""
    return 1.0 if position < TITLE_WORDS else BODY_SALIENCE


def label_stems(
    tokens: Sequence[str], text_lang: str, label_lang: str, stemmers
) -> dict[str, float]:
    """{stem in ``label_lang``: salience} of a text's tokens for matching the labels of
    ``label_lang``: words that are stop words of neither language nor procedure words."""
    stops = stop_words(label_lang) | stop_words(text_lang)
    out: dict[str, float] = {}
    for pos, t in enumerate(tokens):
        if not is_word(t):
            continue
        f = fold_cached(t)
        if f in stops or f in BOILERPLATE:
            continue
        s = stemmers.stem(t, label_lang)
        v = salience(pos)
        if v > out.get(s, 0.0):
            out[s] = v
    return out


@lru_cache(maxsize=1)
def label_index() -> LabelIndex:
    """The process-wide :class:`LabelIndex` (reads the reference labels once)."""
    return LabelIndex()


def top_codes(fits: sparse.csr_matrix, n: int = MAX_CODES) -> list[list[tuple[int, float]]]:
    """[(code column, fit)] of each row, the n best by (fit desc, column)."""
    out = []
    for r in range(fits.shape[0]):
        lo, hi = fits.indptr[r], fits.indptr[r + 1]
        cols, vals = fits.indices[lo:hi], fits.data[lo:hi]
        order = np.lexsort((cols, -vals))[:n]
        out.append([(int(cols[o]), float(vals[o])) for o in order])
    return out
