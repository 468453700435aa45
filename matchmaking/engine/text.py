"""Text relevance: TF-IDF words, a language-independent CPV code space, and concepts.

Each document becomes one sparse vector made of blocks, each L2-normalised, scaled by the square
root of its blend weight, then normalised again (so the dot product of two documents is a
weighted blend of the block cosines: symmetric, in [0, 1], 1 for a document with itself):

* **words** (0.55): stems of the document's words in its own language (:mod:`.languages`),
  without stop words, procurement boilerplate (``stopwords.BOILERPLATE``: "contract", "tender",
  "lot", "Vergabe", "marché" ...) and generic words (``stopwords.GENERIC``: "design", "testing",
  "system" ...), plus, for a non-English text, the English stems its stems translate to through
  the parallel CPV labels (:meth:`~.codes.LabelIndex.dictionary`); weighted by scikit-learn's
  ``TfidfTransformer(sublinear_tf=True)``;
* **CPV topics** (0.35): the CPV subtrees (divisions, groups, classes, categories) nearest to the
  text, from the official labels in the text's language (:meth:`~.codes.LabelIndex.topics`),
  TF-IDF weighted over the corpus. Codes are the same in every language, so a Danish call and an
  English profile about the same thing share this block;
* **concepts** (0.25): the hand-made multilingual vocabulary of ``stopwords._CONCEPTS_RAW``;
* off by default (the ablations of ``bench/eval_matching.py`` show no gain): bigrams, character
  n-grams, and the codes whose labels the text names.

The knobs are :class:`TextConfig`; how they were chosen, and what each block adds, is in
docs/matching.md. Every dot product the engine computes goes through :func:`sparse_dot_dense`,
which sums the products of shared terms in increasing term order; the same pair therefore gets
the same float whether it is scored alone, in a block, or from either side.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

from .codes import label_index, salience, top_codes
from .languages import (
    _TOKEN_RE,
    COMPOUNDING,
    Stemmers,
    fold,
    is_word,
    language_model,
    stop_words,
    tokenize,
)
from .stopwords import BOILERPLATE, GENERIC, concepts_of

WORD, BIGRAM, CODE, CHAR, CONCEPT = "w", "b", "c", "n", "k"
#: the CPV levels that can be topics (``TextConfig.topic_levels`` picks among them)
TOPIC_LEVELS = (2, 3, 4, 5)
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
    concept_weight: float = 0.25
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
        self._token_cache: dict[tuple[str, tuple[str, ...]], dict[str, tuple]] = {}
        self._stop_cache: dict[str, frozenset[str]] = {}
        self._lm_rows: dict[str, int] = {}

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
        if not self.config.detect_language:
            return "en"
        lm = language_model()
        rows = self._lm_rows
        found = []
        for t in toks:
            r = rows.get(t, -2)
            if r == -2:
                r = lm.row.get(fold(t), -1)
                rows[t] = r
            if r >= 0:
                found.append(r)
        return lm.guess_rows(found)

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

    def _token(self, tok: str, lang: str, label_langs: tuple[str, ...]):
        """Everything the model reads in one token of a text in ``lang``, cached per language:
        (folded form or None when not a word feature, stem, English translations, concepts,
        {label language: stem} or None when not a label word)."""
        cache = self._token_cache.setdefault((lang, label_langs), {})
        hit = cache.get(tok)
        if hit is not None:
            return hit
        cfg = self.config
        stops = self._stops(lang)
        folded = self._folded(tok)
        word = is_word(tok)
        feature = None
        stem = ""
        translations: tuple[str, ...] = ()
        concepts: tuple[str, ...] = ()
        if word and self.keep(tok, stops):
            feature = folded
            stem = self.stem(tok, lang)
            if cfg.translate and lang != "en" and cfg.stem:
                translations = label_index().dictionary(lang).get(stem, ())
            if cfg.concept_weight > 0:
                concepts = self.concepts(tok, lang)
        label = None
        if word and folded not in BOILERPLATE:
            label = {
                lg: self.stemmers.stem(tok, lg)
                for lg in label_langs
                if folded not in self._stops(lg) and folded not in self._stops(lang)
            } or None
        hit = (feature, stem, translations, concepts, label)
        cache[tok] = hit
        return hit

    def _stops(self, lang: str) -> frozenset[str]:
        s = self._stop_cache.get(lang)
        if s is None:
            s = stop_words(lang) | stop_words("en")
            self._stop_cache[lang] = s
        return s

    def analyze(self, text: str) -> Analysis:
        toks = _TOKEN_RE.findall((text or "").lower())
        lang = self.language(toks)
        cfg = self.config
        label_langs: tuple[str, ...] = ()
        if cfg.code_weight > 0:
            label_langs = tuple(
                dict.fromkeys(
                    {"own+en": (lang, "en"), "en": ("en",), "own": (lang,)}[cfg.code_languages]
                )
            )
        words: list[str] = []
        bigrams: list[str] = []
        kept: list[str] = []
        concepts: list[str] = []
        stems_for_labels: dict[str, dict[str, float]] = {lg: {} for lg in label_langs}
        prev: str | None = None
        for pos, tok in enumerate(toks):
            feature, st, translations, cons, label = self._token(tok, lang, label_langs)
            if label is not None:
                v = salience(pos)
                for lg, ls in label.items():
                    d = stems_for_labels[lg]
                    if v > d.get(ls, 0.0):
                        d[ls] = v
            if feature is None:
                prev = None
                continue
            kept.append(feature)
            concepts.extend(cons)
            words.extend(translations)
            words.append(st)
            if prev is not None:
                bigrams.append(f"{prev} {st}")
            prev = st
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


@lru_cache(maxsize=1)
def _topic_offsets() -> dict[int, int]:
    """First column of each topic level in :func:`topic_columns`."""
    out, start = {}, 0
    for level in TOPIC_LEVELS:
        out[level] = start
        start += len(label_index()._subtrees_prefixes(level))
    return out


@lru_cache(maxsize=1)
def topic_columns() -> tuple[str, ...]:
    """The code-space columns of the topic features: every CPV prefix of the levels
    ``TOPIC_LEVELS`` (2 division ... 5 category), level by level."""
    labels = label_index()
    if not labels.codes:
        return ()
    return tuple(p for level in TOPIC_LEVELS for p in labels._subtrees_prefixes(level))


def _top_per_row(m: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """The k largest entries of each row (ties by column), the others dropped; vectorised."""
    m = m.tocsr()
    m.sort_indices()
    if m.nnz == 0:
        return m
    row = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    order = np.lexsort((m.indices, -m.data, row))
    rank = np.arange(m.nnz) - m.indptr[row[order]]
    keep = order[rank < k]
    out = sparse.csr_matrix((m.data[keep], (row[keep], m.indices[keep])), shape=m.shape)
    out.sort_indices()
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


#: documents analysed at a time while an index is built
ANALYSIS_CHUNK = 4096


class _TermBlock:
    """One block of term features: counts collected chunk by chunk (columns in order of first
    occurrence), weighted by scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` (the
    weighting of ``TfidfVectorizer(sublinear_tf=True)``: 1 + ln tf, smoothed idf, L2 norm)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.vocab: dict[str, int] = {}
        self._rows = array("q")
        self._cols = array("q")
        self._n = 0
        self.tfidf = TfidfTransformer(sublinear_tf=True)
        self.names: list[str] = []

    def add(self, docs: list[list[str]]) -> None:
        if not self.enabled:
            self._n += len(docs)
            return
        vocab = self.vocab
        for terms in docs:
            for t in terms:
                j = vocab.get(t)
                if j is None:
                    j = len(vocab)
                    vocab[t] = j
                self._cols.append(j)
            self._rows.extend([self._n] * len(terms))
            self._n += 1

    def _counts(self, rows, cols, n: int) -> sparse.csr_matrix:
        m = sparse.csr_matrix(
            (
                np.ones(len(cols)),
                (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(n, len(self.vocab)),
        )
        m.sum_duplicates()
        m.sort_indices()
        return m

    def fit(self, n: int) -> sparse.csr_matrix:
        if not self.enabled or not self.vocab:
            self.enabled = False
            return sparse.csr_matrix((n, 0))
        counts = self._counts(
            np.frombuffer(self._rows, dtype=np.int64), np.frombuffer(self._cols, dtype=np.int64), n
        )
        self._rows, self._cols = array("q"), array("q")
        self.names = [""] * len(self.vocab)
        for t, j in self.vocab.items():
            self.names[j] = t
        return self.tfidf.fit_transform(counts).tocsr()

    def transform(self, docs: list[list[str]]) -> sparse.csr_matrix:
        if not self.enabled:
            return sparse.csr_matrix((len(docs), 0))
        rows, cols = [], []
        for i, terms in enumerate(docs):
            for t in terms:
                j = self.vocab.get(t)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        return self.tfidf.transform(self._counts(rows, cols, len(docs))).tocsr()


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
        self._word = _TermBlock(config.word_weight > 0)
        self._bigram = _TermBlock(config.bigram_weight > 0)
        self._concept = _TermBlock(config.concept_weight > 0)
        self._char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(config.char_n, config.char_n),
            sublinear_tf=True,
            dtype=np.float64,
        )
        self._code_dict = DictVectorizer(sort=True)
        self._code_tfidf = TfidfTransformer(sublinear_tf=False)
        self.languages: list[str] = []
        self.doc_codes: list[list[tuple[str, float]]] = []
        topics, kept = [], []
        # analysed in chunks so that only one chunk's analyses are alive at a time
        for start in range(0, self.n_docs, ANALYSIS_CHUNK):
            analyses = [
                self._analyzer.analyze(t) for t in self.documents[start : start + ANALYSIS_CHUNK]
            ]
            self.languages.extend(a.language for a in analyses)
            self.doc_codes.extend(self._codes(analyses))
            topics.append(self._topics(analyses))
            self._word.add([a.words for a in analyses])
            self._bigram.add([a.bigrams for a in analyses])
            self._concept.add([a.concepts for a in analyses])
            if config.char_weight > 0:
                kept.extend(a.kept for a in analyses)
            del analyses
        n_topics = len(topic_columns())
        topic_matrix = (
            sparse.vstack(topics, format="csr") if topics else sparse.csr_matrix((0, n_topics))
        )
        blocks = [
            self._word.fit(self.n_docs),
            self._bigram.fit(self.n_docs),
            self._fit_codes(self.doc_codes, topic_matrix),
            self._fit_chars(kept),
            self._concept.fit(self.n_docs),
        ]
        names: list[str] = []
        names.extend(WORD + t for t in self._word.names)
        names.extend(BIGRAM + t for t in self._bigram.names)
        names.extend(CODE + t for t in self._code_names())
        names.extend(CHAR + t for t in self._feature_names(self._char, blocks[3]))
        names.extend(CONCEPT + t for t in self._concept.names)
        self._widths = [m.shape[1] for m in blocks]
        self._term_names = names
        self.vocabulary = {t: i for i, t in enumerate(names)}
        self._block = np.array([t[0] for t in names], dtype="<U1")
        self.matrix = self._combine(blocks)

    # ------------------------------------------------------------------ building
    @staticmethod
    def _feature_names(vec, m) -> list[str]:
        return list(vec.get_feature_names_out()) if m.shape[1] else []

    def _fit_chars(self, kept: list[str]) -> sparse.csr_matrix:
        if self.config.char_weight <= 0 or not any(kept):
            return sparse.csr_matrix((self.n_docs, 0))
        return self._char.fit_transform(kept).tocsr()

    def _codes(self, analyses: Sequence[Analysis]) -> list[list[tuple[str, float]]]:
        """[(code, fit)] of each text, best first (the best label language per code)."""
        if self.config.code_weight <= 0 or self.config.max_codes <= 0 or not analyses:
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

    def _topics(self, analyses: Sequence[Analysis]) -> sparse.csr_matrix:
        """Topic weights of each text (texts x ``topic_columns()``): its ``topics_per_level``
        nearest CPV subtrees at each level of ``topic_levels``, by cosine to the subtree's labels
        (:meth:`~.codes.LabelIndex.topics`; with several label languages, the best of them)."""
        cfg = self.config
        labels = label_index()
        columns = topic_columns()
        n = len(analyses)
        if cfg.code_weight <= 0 or cfg.topic_weight <= 0 or not cfg.topic_levels or not columns:
            return sparse.csr_matrix((n, len(columns)))
        by_lang: dict[str, list[int]] = {}
        for i, a in enumerate(analyses):
            for lg in a.label_stems:
                by_lang.setdefault(lg, []).append(i)
        parts = []
        for level in cfg.topic_levels:
            offset = _topic_offsets()[level]
            best = None
            for lg in sorted(by_lang):
                rows = np.asarray(by_lang[lg], dtype=np.int64)
                m = labels.topics(
                    [analyses[i].label_stems[lg] for i in rows], lg, level, cfg.topics_per_level
                ).tocoo()
                full = sparse.csr_matrix(
                    (m.data, (rows[m.row], m.col + offset)), shape=(n, len(columns))
                )
                best = full if best is None else best.maximum(full)
            if best is not None:
                parts.append(_top_per_row(best.tocsr(), cfg.topics_per_level))
        if not parts:
            return sparse.csr_matrix((n, len(columns)))
        out = parts[0]
        for p in parts[1:]:
            out = out + p
        out = out.tocsr() * cfg.topic_weight
        out.sort_indices()
        return out

    def _code_dicts(self, doc_codes) -> list[dict[str, float]]:
        decay = self.config.ancestor_decay
        out = []
        for codes in doc_codes:
            d: dict[str, float] = {}
            for code, fit in codes:
                for up, p in enumerate(code_prefixes(code)):
                    d[p] = d.get(p, 0.0) + fit * decay**up
            out.append(d)
        return out

    def _fit_codes(self, doc_codes, topics: sparse.csr_matrix) -> sparse.csr_matrix:
        """The code block: topic columns, then the named codes' columns (if any), TF-IDF."""
        dicts = self._code_dicts(doc_codes)
        if any(dicts):
            named = self._code_dict.fit_transform(dicts)
            self._named_names = ["c" + t for t in self._code_dict.get_feature_names_out()]
        else:
            named = sparse.csr_matrix((len(dicts), 0))
            self._code_dict = None
            self._named_names = []
        counts = sparse.hstack([topics, named], format="csr")
        # only the columns some text of the corpus uses (the vocabulary of the code block)
        self._code_cols = np.unique(counts.indices)
        counts = counts[:, self._code_cols]
        if counts.shape[1] == 0:
            return counts.tocsr()
        return self._code_tfidf.fit_transform(counts).tocsr()

    def _code_names(self) -> list[str]:
        names = ["t" + p for p in topic_columns()] + self._named_names
        return [names[i] for i in self._code_cols]

    def _transform_codes(self, analyses) -> sparse.csr_matrix:
        n = len(analyses)
        topics = self._topics(analyses)
        if self._code_dict is not None:
            named = self._code_dict.transform(self._code_dicts(self._codes(analyses)))
        else:
            named = sparse.csr_matrix((n, 0))
        counts = sparse.hstack([topics, named], format="csr")[:, self._code_cols]
        return self._code_tfidf.transform(counts).tocsr()

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
        blocks = [
            self._word.transform([a.words for a in analyses]),
            self._bigram.transform([a.bigrams for a in analyses]),
        ]
        if self._widths[2]:
            blocks.append(self._transform_codes(analyses))
        else:
            blocks.append(sparse.csr_matrix((n, 0)))
        if self._widths[3]:
            blocks.append(self._char.transform([a.kept for a in analyses]).tocsr())
        else:
            blocks.append(sparse.csr_matrix((n, 0)))
        blocks.append(self._concept.transform([a.concepts for a in analyses]))
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
        f = index.term(int(t))[2:]  # topics ("ct4213") and named codes ("cc4213")
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
