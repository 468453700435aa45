"""Text relevance: a BM25-weighted vector space over a whole corpus, with cosine similarity.

Procurement boilerplate ("contract", "lot", "framework agreement", "Vergabe", "marché", ... see
``stopwords.BOILERPLATE``) is dropped with the stop words. Each document becomes one sparse
vector made of four L2-normalised blocks:

* stemmed words (snowball stemmer of the language guessed from stop-word counts),
* adjacent stemmed word pairs (bigrams), which reward shared phrases ("vacuum vessel"),
* character 5-grams of the accent-folded words, which catch compounds, spelling variants and
  cognates across languages ("Kryotechnik" / "cryogenic", "construcción" / "construction"),
* cross-language concepts: what a word names in a hand-made multilingual vocabulary of
  procurement subjects (``stopwords._CONCEPTS_RAW``: "Kläranlage", "station d'épuration" and
  "wastewater" all give ``wastewater``), so that notices in different languages about the same
  thing share features.

Term weights are BM25's: ``idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))``, so tf
is saturated (sublinear) and long documents are not favoured. The blocks are scaled by the square
root of their blend weight and the whole vector is L2-normalised again, so the dot product of two
documents is a weighted blend of four cosines: symmetric, in [0, 1], 1 for a document with itself.

Every dot product the engine computes goes through :func:`sparse_dot_dense`, which sums the
products of shared terms in increasing term order; the same pair therefore gets the same float
whether it is scored alone, in a block, or from either side.
"""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import Stemmer
from scipy import sparse

from .stopwords import (
    BOILERPLATE,
    COMPOUNDING,
    CONCEPT_PREFIXES,
    CONCEPT_WORDS,
    STEMMER_FOR,
    STOP_WORDS,
)

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_ALL_STOP = frozenset().union(*STOP_WORDS.values())

WORD, BIGRAM, CHAR, CONCEPT = "w", "b", "c", "x"
BLOCKS = (WORD, BIGRAM, CHAR, CONCEPT)
_PREFIX_LENGTHS = tuple(sorted({len(p) for p in CONCEPT_PREFIXES}))
_INNER_LENGTHS = tuple(n for n in _PREFIX_LENGTHS if n >= 5)


@dataclass(frozen=True)
class TextConfig:
    """Knobs of the text model (see docs/matching.md for how they were chosen).

    The four blend weights are relative (the vector is normalised again after blending); a
    weight of 0 switches its block off. ``boilerplate`` drops ``stopwords.BOILERPLATE``.
    """

    k1: float = 1.2
    b: float = 0.75
    word_weight: float = 0.23
    bigram_weight: float = 0.07
    char_weight: float = 0.25
    concept_weight: float = 0.45
    char_n: int = 5
    min_token_len: int = 2
    boilerplate: bool = True


DEFAULT_TEXT_CONFIG = TextConfig()


def fold(s: str) -> str:
    """Lower-case and strip accents ("Équipement" -> "equipement")."""
    decomposed = unicodedata.normalize("NFKD", s.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of a text as (lower-cased token, start, end) spans."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text or "")]


def guess_language(tokens: Iterable[str]) -> str:
    """The language whose stop words occur most often among the tokens ("en" when unsure)."""
    counts = Counter()
    for tok in tokens:
        if tok in _ALL_STOP:
            for lang, words in STOP_WORDS.items():
                if tok in words:
                    counts[lang] += 1
    if not counts:
        return "en"
    best = max(counts.values())
    if counts["en"] == best:
        return "en"
    return min(lang for lang, c in counts.items() if c == best)


class _Analyzer:
    """Turns texts into term lists; caches per-token work (stems, character n-grams)."""

    def __init__(self, config: TextConfig):
        self.config = config
        self._stemmers = {lang: Stemmer.Stemmer(alg) for lang, alg in STEMMER_FOR.items()}
        self._stem_cache: dict[tuple[str, str], str] = {}
        self._char_cache: dict[str, list[str]] = {}
        self._fold_cache: dict[str, str] = {}
        self._concept_cache: dict[tuple[str, bool], tuple[str, ...]] = {}

    def _keep(self, tok: str, stops: frozenset[str]) -> bool:
        if len(tok) < self.config.min_token_len or tok.isdigit() or tok in stops:
            return False
        return not (self.config.boilerplate and self._folded(tok) in BOILERPLATE)

    def _folded(self, tok: str) -> str:
        f = self._fold_cache.get(tok)
        if f is None:
            f = fold(tok)
            self._fold_cache[tok] = f
        return f

    def stem(self, tok: str, lang: str) -> str:
        key = (lang, tok)
        s = self._stem_cache.get(key)
        if s is None:
            s = fold(self._stemmers[lang].stemWord(tok))
            self._stem_cache[key] = s
        return s

    def concepts(self, tok: str, lang: str) -> tuple[str, ...]:
        """Cross-language concepts a token names (see ``stopwords._CONCEPTS_RAW``)."""
        inner = lang in COMPOUNDING
        key = (tok, inner)
        found = self._concept_cache.get(key)
        if found is None:
            found = concepts_of(self._folded(tok), inner)
            self._concept_cache[key] = found
        return found

    def char_grams(self, tok: str) -> list[str]:
        grams = self._char_cache.get(tok)
        if grams is None:
            n = self.config.char_n
            w = f"#{fold(tok)}#"
            grams = [w] if len(w) <= n else [w[i : i + n] for i in range(len(w) - n + 1)]
            self._char_cache[tok] = grams
        return grams

    def analyze(self, text: str) -> tuple[list[str], list[str], list[str], list[str], str]:
        """(word stems, bigrams, char n-grams, concepts, language) of one text."""
        toks = [t for t, _, _ in tokenize(text)]
        lang = guess_language(toks)
        stops = STOP_WORDS[lang] | STOP_WORDS["en"]
        words: list[str] = []
        bigrams: list[str] = []
        chars: list[str] = []
        concepts: list[str] = []
        with_concepts = self.config.concept_weight > 0
        prev: str | None = None
        for tok in toks:
            if not self._keep(tok, stops):
                prev = None
                continue
            st = self.stem(tok, lang)
            words.append(st)
            if prev is not None:
                bigrams.append(f"{prev} {st}")
            prev = st
            chars.extend(self.char_grams(tok))
            if with_concepts:
                concepts.extend(self.concepts(tok, lang))
        return words, bigrams, chars, concepts, lang

    def spans(self, text: str) -> list[tuple[str, int, int, str | None, int]]:
        """(stem, start, end, stem pair with the next kept token or None, end of that pair)."""
        toks = tokenize(text)
        lang = guess_language(t for t, _, _ in toks)
        stops = STOP_WORDS[lang] | STOP_WORDS["en"]
        kept = [(self.stem(t, lang), s, e) if self._keep(t, stops) else None for t, s, e in toks]
        out: list[tuple[str, int, int, str | None, int]] = []
        for i, k in enumerate(kept):
            if k is None:
                continue
            nxt = kept[i + 1] if i + 1 < len(kept) else None
            if nxt is not None:
                out.append((k[0], k[1], k[2], f"{k[0]} {nxt[0]}", nxt[2]))
            else:
                out.append((k[0], k[1], k[2], None, k[2]))
        return out


def concepts_of(folded: str, inner: bool) -> tuple[str, ...]:
    """Concepts named by a folded token: whole-word entries, word beginnings, and (``inner``, for
    compounding languages) beginnings of 5+ letters inside the word that no longer match covers
    ("transport" hides its "sport")."""
    hits: list[tuple[int, int, tuple[str, ...]]] = []
    exact = CONCEPT_WORDS.get(folded)
    if exact:
        hits.append((0, len(folded), exact))
    n = len(folded)
    for length in _PREFIX_LENGTHS:
        if length > n:
            break
        c = CONCEPT_PREFIXES.get(folded[:length])
        if c:
            hits.append((0, length, c))
    if inner and n >= 8:
        for start in range(1, n - 4):
            for length in _INNER_LENGTHS:
                if start + length > n:
                    break
                c = CONCEPT_PREFIXES.get(folded[start : start + length])
                if c:
                    hits.append((start, start + length, c))
    if not hits:
        return ()
    out: dict[str, None] = {}
    for s, e, c in hits:
        if any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, _ in hits):
            continue
        out.update(dict.fromkeys(c))
    return tuple(out)


def sparse_dot_dense(rows: sparse.csr_matrix, dense: np.ndarray) -> np.ndarray:
    """rows @ dense, with products summed in increasing column order for every row.

    ``rows`` must have sorted indices. Adding a zero product leaves a partial sum unchanged, so
    each result equals the sum over shared terms in term order, however rows are grouped.
    """
    return np.asarray(rows @ dense)


class TextIndex:
    """BM25-weighted vector space over a corpus of documents.

    >>> idx = TextIndex(["cryogenic helium plant", "helium cryostat", "road works"])
    >>> idx.similarity(0, 1) > idx.similarity(0, 2)
    True
    >>> idx.rank("cryogenics", 2)[0][0]
    0
    """

    def __init__(self, documents: Sequence[str], config: TextConfig = DEFAULT_TEXT_CONFIG):
        self.config = config
        self.documents = list(documents)
        self._analyzer = _Analyzer(config)
        self.languages: list[str] = []
        self.vocabulary: dict[str, int] = {}
        self._block_of_term: list[str] = []
        lengths = array("q")
        cols = array("q")
        vocab = self.vocabulary
        for text in self.documents:
            words, bigrams, chars, concepts, lang = self._analyzer.analyze(text)
            self.languages.append(lang)
            ids = []
            for prefix, terms in zip(BLOCKS, (words, bigrams, chars, concepts), strict=True):
                for t in terms:
                    key = prefix + t
                    tid = vocab.get(key)
                    if tid is None:
                        tid = len(vocab)
                        vocab[key] = tid
                        self._block_of_term.append(prefix)
                    ids.append(tid)
            cols.extend(ids)
            lengths.append(len(ids))
        n_docs, n_terms = len(self.documents), len(vocab)
        rows = np.repeat(np.arange(n_docs, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64))
        counts = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float64), (rows, np.frombuffer(cols, dtype=np.int64))),
            shape=(n_docs, n_terms),
        )
        del rows, cols
        counts.sum_duplicates()
        counts.sort_indices()
        self._block = np.array(self._block_of_term, dtype="<U1")
        self._block_masks = {p: self._block == p for p in BLOCKS}
        self.n_docs = n_docs
        self.df = np.bincount(counts.indices, minlength=n_terms).astype(np.float64)
        self.idf = np.log1p((n_docs - self.df + 0.5) / (self.df + 0.5))
        # average block length (in term occurrences) over the corpus, per block
        self._avgdl = {}
        for p, mask in self._block_masks.items():
            dl = np.asarray(counts[:, mask].sum(axis=1)).ravel() if n_terms else np.zeros(n_docs)
            self._avgdl[p] = float(dl.mean()) if n_docs and dl.mean() > 0 else 1.0
        self.matrix = self._weigh(counts)
        self._inverse_vocab: list[str] | None = None

    # ------------------------------------------------------------------ weighting
    def _blend(self) -> dict[str, float]:
        cfg = self.config
        return {
            WORD: cfg.word_weight,
            BIGRAM: cfg.bigram_weight,
            CHAR: cfg.char_weight,
            CONCEPT: cfg.concept_weight,
        }

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        """BM25 weights per block, block-wise L2 normalisation, blend, final normalisation."""
        cfg = self.config
        counts = counts.tocsr()
        n_rows = counts.shape[0]
        row_of = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
        term_block = self._block[counts.indices] if counts.nnz else np.array([], dtype="<U1")
        tf = counts.data
        data = np.zeros_like(tf)
        for p, weight in self._blend().items():
            sel = term_block == p
            if not sel.any():
                continue
            dl = np.bincount(row_of[sel], weights=tf[sel], minlength=n_rows)
            norm = cfg.k1 * (1 - cfg.b + cfg.b * dl / self._avgdl[p])
            w = (
                self.idf[counts.indices[sel]]
                * tf[sel]
                * (cfg.k1 + 1)
                / (tf[sel] + norm[row_of[sel]])
            )
            sq = np.bincount(row_of[sel], weights=w * w, minlength=n_rows)
            block_norm = np.sqrt(sq)
            data[sel] = w / block_norm[row_of[sel]] * math.sqrt(weight)
        total = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
        with np.errstate(divide="ignore", invalid="ignore"):
            data = np.where(total[row_of] > 0, data / total[row_of], 0.0)
        out = sparse.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), counts.shape)
        out.sort_indices()
        return out

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Vectors of new texts in this corpus's space (unknown terms count in the norm only)."""
        rows, cols, extra_sq = [], [], []
        oov_idf = float(np.log1p((self.n_docs + 0.5) / 0.5))
        for i, text in enumerate(texts):
            words, bigrams, chars, concepts, _lang = self._analyzer.analyze(text)
            oov: dict[str, Counter] = {p: Counter() for p in BLOCKS}
            for prefix, terms in zip(BLOCKS, (words, bigrams, chars, concepts), strict=True):
                for t in terms:
                    tid = self.vocabulary.get(prefix + t)
                    if tid is None:
                        oov[prefix][t] += 1
                    else:
                        rows.append(i)
                        cols.append(tid)
            extra_sq.append(oov)
        counts = sparse.csr_matrix(
            (np.ones(len(cols)), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
            shape=(len(texts), len(self.vocabulary)),
        )
        counts.sum_duplicates()
        counts.sort_indices()
        if not any(any(c for c in o.values()) for o in extra_sq):
            return self._weigh(counts)
        # with out-of-vocabulary terms: weigh known and unknown terms together, keep the known
        return self._weigh_with_oov(counts, extra_sq, oov_idf)

    def _weigh_with_oov(self, counts, oov_counts, oov_idf) -> sparse.csr_matrix:
        cfg = self.config
        blend = self._blend()
        rows_out = []
        for i in range(counts.shape[0]):
            row = counts.getrow(i)
            idx, tf = row.indices, row.data
            blocks = self._block[idx] if len(idx) else np.array([], dtype="<U1")
            data = np.zeros(len(idx))
            total_sq = 0.0
            for p, weight in blend.items():
                sel = blocks == p
                oov_tf = np.array(list(oov_counts[i][p].values()), dtype=np.float64)
                dl = tf[sel].sum() + oov_tf.sum()
                if dl == 0:
                    continue
                norm = cfg.k1 * (1 - cfg.b + cfg.b * dl / self._avgdl[p])
                w = self.idf[idx[sel]] * tf[sel] * (cfg.k1 + 1) / (tf[sel] + norm)
                w_oov = oov_idf * oov_tf * (cfg.k1 + 1) / (oov_tf + norm)
                bn = math.sqrt(float((w * w).sum() + (w_oov * w_oov).sum()))
                data[sel] = w / bn * math.sqrt(weight)
                total_sq += float((w_oov * w_oov).sum()) / bn / bn * weight
            total_sq += float((data * data).sum())
            if total_sq > 0:
                data = data / math.sqrt(total_sq)
            rows_out.append(sparse.csr_matrix((data, idx, [0, len(idx)]), (1, counts.shape[1])))
        out = sparse.vstack(rows_out, format="csr") if rows_out else counts
        out.sort_indices()
        return out

    # ------------------------------------------------------------------ scoring
    def similarity(self, i: int, j: int) -> float:
        """Similarity of corpus documents i and j: symmetric, in [0, 1]."""
        return pair_similarity(self.matrix, i, self.matrix, j)

    def similarities_to(self, vector: sparse.csr_matrix) -> np.ndarray:
        """Similarity of every corpus document to one vector (1 x n_terms)."""
        dense = np.asarray(vector.toarray()).reshape(-1, 1)
        return np.clip(sparse_dot_dense(self.matrix, dense).ravel(), 0.0, 1.0)

    def rank(self, query: str, k: int) -> list[tuple[int, float]]:
        """The k documents most similar to a text: (index, score), best first, ties by index."""
        if k <= 0 or self.n_docs == 0:
            return []
        scores = self.similarities_to(self.transform([query]))
        return top_k_indices(scores, k)

    def matched_terms(self, i: int, j: int, n: int = 5) -> list[str]:
        """The shared word and phrase terms that contribute most to similarity(i, j).

        Returned in a readable surface form taken from document i (falling back to j).
        """
        return shared_terms(
            self, self.matrix[i], self.documents[i], self.matrix[j], self.documents[j], n
        )

    def term(self, tid: int) -> str:
        if self._inverse_vocab is None:
            inv = [""] * len(self.vocabulary)
            for key, t in self.vocabulary.items():
                inv[t] = key
            self._inverse_vocab = inv
        return self._inverse_vocab[tid]


def pair_similarity(a: sparse.csr_matrix, i: int, b: sparse.csr_matrix, j: int) -> float:
    """a[i] . b[j] through :func:`sparse_dot_dense`, clipped to [0, 1]."""
    col = b[j].toarray().reshape(-1, 1)
    val = float(sparse_dot_dense(a[i], col)[0, 0])
    return min(1.0, max(0.0, val))


def top_k_indices(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(index, score) of the k highest scores, ties broken by lower index."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return []
    if k < n:
        part = np.argpartition(-scores, k - 1)[:k]
        threshold = scores[part].min()
        cand = np.flatnonzero(scores >= threshold)
    else:
        cand = np.arange(n)
    order = np.lexsort((cand, -scores[cand]))[:k]
    return [(int(cand[o]), float(scores[cand[o]])) for o in order]


def shared_terms(index: TextIndex, vec_a, text_a: str, vec_b, text_b: str, n: int = 5) -> list[str]:
    """Top shared word/phrase terms of two vectors, as readable surface forms of text_a.

    Shared stems and stem pairs are ranked by their contribution to the dot product; each is
    located at its first occurrence in text_a (text_b if absent), and terms whose occurrences
    overlap are merged into one phrase ("high-power" + "power RF" -> "high-power RF").
    """
    a = vec_a.tocsr()
    b = vec_b.tocsr()
    common, ia, ib = np.intersect1d(a.indices, b.indices, assume_unique=True, return_indices=True)
    if len(common) == 0:
        return []
    contrib = a.data[ia] * b.data[ib]
    keep = (index._block[common] == WORD) | (index._block[common] == BIGRAM)
    common, contrib = common[keep], contrib[keep]
    order = np.lexsort((common, -contrib))[: 3 * n]
    located: list[tuple[int, int, int, str, tuple[str, ...]]] = []  # start, end, rank, text
    for text in (text_a, text_b):
        if not text:
            continue
        first_word: dict[str, tuple[int, int]] = {}
        first_pair: dict[str, tuple[int, int]] = {}
        for stem, start, end, pair, pair_end in index._analyzer.spans(text):
            first_word.setdefault(stem, (start, end))
            if pair is not None:
                first_pair.setdefault(pair, (start, pair_end))
        missing = []
        for rank, o in enumerate(order):
            key = index.term(int(common[o]))
            span = (first_pair if key[0] == BIGRAM else first_word).get(key[1:])
            if span is None:
                missing.append(o)
            else:
                located.append((span[0], span[1], rank, text, tuple(key[1:].split(" "))))
        if not missing:
            break
        order = np.array(missing, dtype=np.int64)
    # merge overlapping spans of the same text into phrases
    groups: list[list] = []  # [start, end, best rank, text, stems]
    for start, end, rank, text, stems in sorted(located, key=lambda x: (id(x[3]), x[0], x[1])):
        g = groups[-1] if groups else None
        if g is not None and g[3] is text and start < g[1]:
            g[1] = max(g[1], end)
            g[2] = min(g[2], rank)
            g[4] = g[4] | set(stems)
        else:
            groups.append([start, end, rank, text, set(stems)])
    # a phrase whose stems are all in a longer phrase says nothing new
    groups = [g for g in groups if not any(h is not g and g[4] < h[4] for h in groups)]
    groups.sort(key=lambda g: g[2])
    out: list[str] = []
    seen: list[set] = []
    for start, end, _rank, text, stems in groups:
        phrase = _clean(text[start:end])
        if stems in seen:
            continue
        seen.append(stems)
        out.append(phrase)
        if len(out) >= n:
            break
    return out


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()
