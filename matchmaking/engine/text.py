"""Text relevance: TF-IDF words and phrases, plus a language-independent CPV code space.

Each document becomes one sparse vector made of three blocks, each L2-normalised, scaled by the
square root of its blend weight, then normalised again (so the dot product of two documents is a
weighted blend of the block cosines: symmetric, in [0, 1], 1 for a document with itself):

* **words**: stems of the document's words in its own language (:mod:`.languages`), without
  stop words, procurement boilerplate (``stopwords.BOILERPLATE``: "contract", "tender", "lot",
  "Vergabe", "marché" ...) and generic words (``stopwords.GENERIC``: "design", "testing",
  "system" ...), weighted by scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``;
* **bigrams**: adjacent stem pairs ("vacuum vessel", "transfer line"), weighted the same way;
* **codes**: the CPV codes whose official labels the text names, in its language or in English
  (:mod:`.codes`), each with its ancestors (class, group, division; weight ``ANCESTOR_DECAY`` per
  level up), TF-IDF weighted over the corpus. Codes are the same in every language, so a Danish
  call and an English profile about the same thing share this block.

The knobs are :class:`TextConfig`; how they were chosen, and what each block adds, is in
docs/matching.md (``bench/eval_matching.py``). Every dot product the engine computes goes
through :func:`sparse_dot_dense`, which sums the products of shared terms in increasing term
order; the same pair therefore gets the same float whether it is scored alone, in a block, or
from either side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from .codes import label_index, label_stems, top_codes
from .languages import (
    COMPOUNDING,
    Stemmers,
    fold,
    guess_language,
    is_word,
    stop_words,
    tokenize,
)
from .stopwords import BOILERPLATE, GENERIC, concepts_of

WORD, BIGRAM, CODE, CHAR, CONCEPT = "w", "b", "c", "n", "k"
BLOCKS = (WORD, BIGRAM, CODE, CHAR, CONCEPT)


@dataclass(frozen=True)
class TextConfig:
    """Knobs of the text model (docs/matching.md says how they were chosen).

    Blend weights are relative (the vector is normalised again); 0 switches a block off. The
    flags switch parts of the analysis off for the ablations of ``bench/eval_matching.py``.
    ``code_languages``: "own+en" matches the labels of the text's language and English ones,
    "en" the English ones only, "own" the text's language only.
    """

    word_weight: float = 0.55
    bigram_weight: float = 0.0
    code_weight: float = 0.35
    char_weight: float = 0.0
    char_n: int = 5
    concept_weight: float = 0.35
    stem: bool = True
    stop_words: bool = True
    boilerplate: bool = True
    generic: bool = True
    detect_language: bool = True
    code_languages: str = "own"
    translate: bool = True
    topic_levels: tuple[int, ...] = (2, 3, 4, 5)
    topics_per_level: int = 5
    topic_weight: float = 1.0  # weight of the topic features against the matched codes
    ancestor_decay: float = 0.7
    max_codes: int = 0  # codes whose labels the text names, in the vector (0: none)


DEFAULT_TEXT_CONFIG = TextConfig()


@dataclass
class Analysis:
    """What the model reads in one text."""

    language: str
    words: list[str]  # stems (features of the word block)
    bigrams: list[str]
    kept: str  # the kept words, accent-folded (input of the character n-grams)
    concepts: list[str]
    label_stems: dict[str, dict[str, float]]  # label language -> {stem: salience}


class _Analyzer:
    """Texts to terms, with per-token caches (stems, folded forms)."""

    def __init__(self, config: TextConfig):
        self.config = config
        self.stemmers = Stemmers()
        self._fold_cache: dict[str, str] = {}
        self._concept_cache: dict[tuple[str, bool], tuple[str, ...]] = {}

    def _folded(self, tok: str) -> str:
        f = self._fold_cache.get(tok)
        if f is None:
            f = fold(tok)
            self._fold_cache[tok] = f
        return f

    def concepts(self, tok: str, lang: str) -> tuple[str, ...]:
        key = (tok, lang in COMPOUNDING)
        found = self._concept_cache.get(key)
        if found is None:
            found = concepts_of(self._folded(tok), key[1])
            self._concept_cache[key] = found
        return found

    def language(self, toks: Sequence[str]) -> str:
        return guess_language(toks) if self.config.detect_language else "en"

    def stem(self, tok: str, lang: str) -> str:
        return self.stemmers.stem(tok, lang) if self.config.stem else self._folded(tok)

    def keep(self, tok: str, stops: frozenset[str]) -> bool:
        """A token that is a feature of the word block."""
        if not is_word(tok):
            return False
        f = self._folded(tok)
        cfg = self.config
        if cfg.stop_words and f in stops:
            return False
        if cfg.boilerplate and f in BOILERPLATE:
            return False
        return not (cfg.generic and f in GENERIC)

    def analyze(self, text: str) -> Analysis:
        toks = [t for t, _, _ in tokenize(text)]
        lang = self.language(toks)
        stops = stop_words(lang) | stop_words("en")
        dictionary = None
        if self.config.translate and lang != "en" and self.config.stem:
            dictionary = label_index().dictionary(lang)
        words: list[str] = []
        bigrams: list[str] = []
        kept: list[str] = []
        concepts: list[str] = []
        with_concepts = self.config.concept_weight > 0
        prev: str | None = None
        for tok in toks:
            if not self.keep(tok, stops):
                prev = None
                continue
            kept.append(self._folded(tok))
            if with_concepts:
                concepts.extend(self.concepts(tok, lang))
            st = self.stem(tok, lang)
            if dictionary is not None:
                words.extend(dictionary.get(st, ()))
            words.append(st)
            if prev is not None:
                bigrams.append(f"{prev} {st}")
            prev = st
        stems_for_labels: dict[str, dict[str, float]] = {}
        if self.config.code_weight > 0:
            langs = {"own+en": (lang, "en"), "en": ("en",), "own": (lang,)}
            for lg in dict.fromkeys(langs[self.config.code_languages]):
                stems_for_labels[lg] = label_stems(toks, lang, lg, self.stemmers)
        return Analysis(lang, words, bigrams, " ".join(kept), concepts, stems_for_labels)

    def spans(self, text: str) -> list[tuple[str, int, int, str | None, int]]:
        """(stem, start, end, stem pair with the next kept token or None, end of that pair)."""
        toks = tokenize(text)
        lang = self.language([t for t, _, _ in toks])
        stops = stop_words(lang) | stop_words("en")
        kept = [(self.stem(t, lang), s, e) if self.keep(t, stops) else None for t, s, e in toks]
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


def code_prefixes(code: str) -> list[str]:
    """The significant part of a code and of each ancestor, longest first
    ("42131142" -> ["42131142", "4213114", "421311", "42131", "4213", "421", "42"])."""
    s = code.rstrip("0")
    s = s if len(s) >= 2 else code[:2]
    return [s[:n] for n in range(len(s), 1, -1)]


def pad_code(prefix: str) -> str:
    """A significant part as an 8-digit code ("4213" -> "42130000")."""
    return prefix.ljust(8, "0")


def _identity(terms):
    return terms


def sparse_dot_dense(rows: sparse.csr_matrix, dense: np.ndarray) -> np.ndarray:
    """rows @ dense, with products summed in increasing column order for every row.

    ``rows`` must have sorted indices. Adding a zero product leaves a partial sum unchanged, so
    each result equals the sum over shared terms in term order, however rows are grouped.
    """
    return np.asarray(rows @ dense)


class TextIndex:
    """A corpus of documents as sparse vectors (words, bigrams, CPV code space).

    >>> idx = TextIndex(["cryogenic helium plant", "helium cryostat", "road works"])
    >>> idx.similarity(0, 1) > idx.similarity(0, 2)
    True
    >>> idx.rank("cryogenic helium", 2)[0][0]
    0
    """

    def __init__(self, documents: Sequence[str], config: TextConfig = DEFAULT_TEXT_CONFIG):
        self.config = config
        self.documents = list(documents)
        self.n_docs = len(self.documents)
        self._analyzer = _Analyzer(config)
        analyses = [self._analyzer.analyze(t) for t in self.documents]
        self.languages = [a.language for a in analyses]
        self.doc_codes = self._codes(analyses)
        self._word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float64)
        self._bigram = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float64)
        self._char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(config.char_n, config.char_n),
            sublinear_tf=True,
            dtype=np.float64,
        )
        self._code_dict = DictVectorizer(sort=True)
        self._code_tfidf = TfidfTransformer(sublinear_tf=False)
        blocks = []
        names: list[str] = []
        w = self._fit_block(self._word, [a.words for a in analyses], config.word_weight)
        b = self._fit_block(self._bigram, [a.bigrams for a in analyses], config.bigram_weight)
        c = self._fit_codes(self.doc_codes, self._topics(analyses))
        for prefix, m, vec in ((WORD, w, self._word), (BIGRAM, b, self._bigram)):
            blocks.append(m)
            names.extend(prefix + t for t in self._feature_names(vec, m))
        blocks.append(c)
        names.extend(
            CODE + t for t in (self._code_dict.get_feature_names_out() if c.shape[1] else [])
        )
        n = self._fit_chars([a.kept for a in analyses])
        blocks.append(n)
        names.extend(CHAR + t for t in self._feature_names(self._char, n))
        self._concept = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float64)
        k = self._fit_block(self._concept, [a.concepts for a in analyses], config.concept_weight)
        blocks.append(k)
        names.extend(CONCEPT + t for t in self._feature_names(self._concept, k))
        self._widths = [m.shape[1] for m in blocks]
        self._term_names = names
        self.vocabulary = {t: i for i, t in enumerate(names)}
        self._block = np.array([t[0] for t in names], dtype="<U1")
        self.matrix = self._combine(blocks)

    # ------------------------------------------------------------------ building
    @staticmethod
    def _feature_names(vec, m) -> list[str]:
        return list(vec.get_feature_names_out()) if m.shape[1] else []

    def _fit_block(
        self, vec: TfidfVectorizer, terms: list[list[str]], weight: float
    ) -> sparse.csr_matrix:
        if weight <= 0 or not any(terms):
            return sparse.csr_matrix((len(terms), 0))
        return vec.fit_transform(terms).tocsr()

    def _fit_chars(self, kept: list[str]) -> sparse.csr_matrix:
        if self.config.char_weight <= 0 or not any(kept):
            return sparse.csr_matrix((len(kept), 0))
        return self._char.fit_transform(kept).tocsr()

    def _codes(self, analyses: Sequence[Analysis]) -> list[list[tuple[str, float]]]:
        """[(code, fit)] of each text, best first (the best label language per code)."""
        if self.config.code_weight <= 0 or not analyses:
            return [[] for _ in analyses]
        labels = label_index()
        if not labels.codes:
            return [[] for _ in analyses]
        by_lang: dict[str, list[int]] = {}
        for i, a in enumerate(analyses):
            for lg in a.label_stems:
                by_lang.setdefault(lg, []).append(i)
        fits = None
        for lg in sorted(by_lang):
            rows = by_lang[lg]
            m = labels.match([analyses[i].label_stems[lg] for i in rows], lg).tocoo()
            full = sparse.csr_matrix(
                (m.data, (np.asarray(rows)[m.row], m.col)), shape=(len(analyses), len(labels.codes))
            )
            fits = full if fits is None else fits.maximum(full)
        fits = fits.tocsr()
        fits.sort_indices()
        return [
            [(labels.codes[j], f) for j, f in row] for row in top_codes(fits, self.config.max_codes)
        ]

    def _topics(self, analyses: Sequence[Analysis]) -> list[dict[str, float]]:
        """{"t<prefix>": cosine} of each text: its nearest CPV subtrees (groups by default),
        from the labels of the text's language and of English (the best of the two)."""
        cfg = self.config
        out: list[dict[str, float]] = [{} for _ in analyses]
        if cfg.code_weight <= 0 or cfg.topic_weight <= 0 or not cfg.topic_levels:
            return out
        labels = label_index()
        if not labels.codes:
            return out
        by_lang: dict[str, list[int]] = {}
        for i, a in enumerate(analyses):
            for lg in a.label_stems:
                by_lang.setdefault(lg, []).append(i)
        for level in cfg.topic_levels:
            best: list[dict[str, float]] = [{} for _ in analyses]
            for lg in sorted(by_lang):
                rows = by_lang[lg]
                prefixes = labels._subtrees(lg, level)[0]
                m = labels.topics([analyses[i].label_stems[lg] for i in rows], lg, level)
                for k, r in enumerate(rows):
                    lo, hi = m.indptr[k], m.indptr[k + 1]
                    for j, v in zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist(), strict=True):
                        p = prefixes[j]
                        if v > best[r].get(p, 0.0):
                            best[r][p] = v
            for r, d in enumerate(best):
                top = sorted(d.items(), key=lambda x: (-x[1], x[0]))[: cfg.topics_per_level]
                for p, v in top:
                    out[r]["t" + p] = cfg.topic_weight * v
        return out

    def _code_dicts(self, doc_codes, topics=None) -> list[dict[str, float]]:
        decay = self.config.ancestor_decay
        out = []
        for n, codes in enumerate(doc_codes):
            d: dict[str, float] = dict(topics[n]) if topics else {}
            for code, fit in codes:
                for up, p in enumerate(code_prefixes(code)):
                    d[p] = d.get(p, 0.0) + fit * decay**up
            out.append(d)
        return out

    def _fit_codes(self, doc_codes, topics=None) -> sparse.csr_matrix:
        dicts = self._code_dicts(doc_codes, topics)
        if not any(dicts):
            self._code_dict = None
            return sparse.csr_matrix((len(dicts), 0))
        counts = self._code_dict.fit_transform(dicts)
        return self._code_tfidf.fit_transform(counts).tocsr()

    def _blend(self) -> tuple[float, ...]:
        cfg = self.config
        return (
            cfg.word_weight,
            cfg.bigram_weight,
            cfg.code_weight,
            cfg.char_weight,
            cfg.concept_weight,
        )

    def _combine(self, blocks: list[sparse.csr_matrix]) -> sparse.csr_matrix:
        parts = [m * float(np.sqrt(w)) for m, w in zip(blocks, self._blend(), strict=True)]
        n = blocks[0].shape[0]
        out = sparse.hstack(parts, format="csr") if parts else sparse.csr_matrix((n, 0))
        out.eliminate_zeros()
        sq = np.asarray(out.multiply(out).sum(axis=1)).ravel()
        norm = np.sqrt(sq)
        norm[norm == 0] = 1.0
        out = sparse.diags(1.0 / norm) @ out
        out = out.tocsr()
        out.sort_indices()
        return out

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Vectors of new texts in this corpus's space (terms the corpus lacks are ignored)."""
        analyses = [self._analyzer.analyze(t) for t in texts]
        n = len(analyses)
        blocks = []
        for vec, width, terms in (
            (self._word, self._widths[0], [a.words for a in analyses]),
            (self._bigram, self._widths[1], [a.bigrams for a in analyses]),
        ):
            blocks.append(vec.transform(terms).tocsr() if width else sparse.csr_matrix((n, 0)))
        if self._widths[2] and self._code_dict is not None:
            dicts = self._code_dicts(self._codes(analyses), self._topics(analyses))
            counts = self._code_dict.transform(dicts)
            blocks.append(self._code_tfidf.transform(counts).tocsr())
        else:
            blocks.append(sparse.csr_matrix((n, 0)))
        if self._widths[3]:
            blocks.append(self._char.transform([a.kept for a in analyses]).tocsr())
        else:
            blocks.append(sparse.csr_matrix((n, 0)))
        if self._widths[4]:
            blocks.append(self._concept.transform([a.concepts for a in analyses]).tocsr())
        else:
            blocks.append(sparse.csr_matrix((n, 0)))
        return self._combine(blocks)

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
        return self._term_names[tid]


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


def _shared(index: TextIndex, vec_a, vec_b, blocks: tuple[str, ...]):
    a, b = vec_a.tocsr(), vec_b.tocsr()
    common, ia, ib = np.intersect1d(a.indices, b.indices, assume_unique=True, return_indices=True)
    if len(common) == 0:
        return common, np.zeros(0)
    contrib = a.data[ia] * b.data[ib]
    keep = np.isin(index._block[common], blocks)
    return common[keep], contrib[keep]


def text_share(index: TextIndex, vec_a, vec_b) -> dict[str, float]:
    """How much of the dot product of two vectors each block carries: {"words", "codes",
    "concepts"} (words include bigrams and character n-grams); the values sum to the
    similarity."""
    a, b = vec_a.tocsr(), vec_b.tocsr()
    common, ia, ib = np.intersect1d(a.indices, b.indices, assume_unique=True, return_indices=True)
    contrib = a.data[ia] * b.data[ib]
    blocks = index._block[common] if len(common) else np.array([], dtype="<U1")
    return {
        "words": float(contrib[(blocks != CODE) & (blocks != CONCEPT)].sum()),
        "codes": float(contrib[blocks == CODE].sum()),
        "concepts": float(contrib[blocks == CONCEPT].sum()),
    }


def shared_concepts(index: TextIndex, vec_a, vec_b, n: int = 3) -> list[str]:
    """The concepts (``stopwords._CONCEPTS_RAW`` names, "_" as spaces) both texts name,
    strongest first."""
    common, contrib = _shared(index, vec_a, vec_b, (CONCEPT,))
    order = np.lexsort((common, -contrib))[:n]
    return [index.term(int(common[o]))[1:].replace("_", " ") for o in order]


def shared_codes(index: TextIndex, vec_a, vec_b, n: int = 3) -> list[str]:
    """The CPV codes (8 digits) both texts name, most specific and strongest first: a shared
    code feature whose more specific shared feature is already listed is not repeated."""
    common, contrib = _shared(index, vec_a, vec_b, (CODE,))
    if len(common) == 0:
        return []
    weight: dict[str, float] = {}
    for t, v in zip(common.tolist(), contrib.tolist(), strict=True):
        f = index.term(int(t))[1:].removeprefix("t")  # topics ("t4213") and named codes
        weight[f] = weight.get(f, 0.0) + v
    order = sorted(weight, key=lambda f: (-len(f), -weight[f], f))
    chosen: list[str] = []
    for f in order:
        if len(f) < 3 or any(c.startswith(f) for c in chosen):
            continue
        chosen.append(f)
    chosen.sort(key=lambda f: (-weight[f], f))
    return [pad_code(f) for f in chosen[:n]]


def shared_terms(index: TextIndex, vec_a, text_a: str, vec_b, text_b: str, n: int = 5) -> list[str]:
    """Top shared word/phrase terms of two vectors, as readable surface forms of text_a.

    Shared stems and stem pairs are ranked by their contribution to the dot product; each is
    located at its first occurrence in text_a (text_b if absent), and terms whose occurrences
    overlap are merged into one phrase ("transfer" + "transfer lines" -> "transfer lines").
    """
    common, contrib = _shared(index, vec_a, vec_b, (WORD, BIGRAM))
    if len(common) == 0:
        return []
    order = np.lexsort((common, -contrib))[: 3 * n]
    located: list[tuple[int, int, int, str, tuple[str, ...]]] = []
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
    groups: list[list] = []  # [start, end, best rank, text, stems]
    for start, end, rank, text, stems in sorted(located, key=lambda x: (id(x[3]), x[0], x[1])):
        g = groups[-1] if groups else None
        if g is not None and g[3] is text and start < g[1]:
            g[1] = max(g[1], end)
            g[2] = min(g[2], rank)
            g[4] = g[4] | set(stems)
        else:
            groups.append([start, end, rank, text, set(stems)])
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
