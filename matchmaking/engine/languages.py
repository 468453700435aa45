"""Words of a text in any of the 24 EU languages: tokens, the language, stop words, stems.

* **Tokens**: Unicode word tokens, lower-cased. A token is a *word* only if it has at least two
  letters, and at least three when it also has digits: "RF" and "Nb3Sn" are words, "1e" (from
  "1e-9 mbar"), "G10", "2D" and pure numbers are not (docs/matching-examples.md, fault 3).
* **Language**: a multinomial naive Bayes over the words of the official CPV labels of each
  language (``cpv_labels_24_languages.json``, 9,454 labels per language: real procurement words
  in every EU language, maintained by the EU, not by us) plus the short function-word lists of
  :mod:`.stopwords`, which the labels barely contain ("the", "der", "och"). Irish (``ga``) is
  left out: most of its labels are the English ones.
* **Stop words**: the language's function words (:mod:`.stopwords`; scikit-learn's English list
  for English), plus for every language the short words (3 letters or fewer) that occur in at
  least 1% of its CPV labels ("and", "für", "ir", "un", ...), which covers the languages the
  hand lists lack.
* **Stems**: PyStemmer's Snowball stemmer of the language where one exists (20 of the 24);
  Bulgarian, Latvian, Maltese and Slovenian words are cut to their first 6 letters. Stems are
  accent-folded.

Everything is a pure function of the text (and of the reference file, read once).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bigscience_portal.core.stemming import (  # noqa: F401 (fold, is_word: the engine's names)
    TRUNCATE,
    fold,
    is_word,
    stem,
    stemmer,
)

from .stopwords import STOP_WORDS

#: the 24 official EU languages (ISO 639-1), as in the CPV labels file
LANGUAGES = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
]
#: languages written as compounds in one word (German, Dutch, Swedish, Danish, Finnish, Hungarian)
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "fi", "hu"})
CPV_LABELS_FILE = "cpv_labels_24_languages.json"

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def reference_data_dir() -> Path:
    """``REFERENCE_DATA_DIR`` (the shared reference data; default /work/shared/data)."""
    return Path(os.environ.get("REFERENCE_DATA_DIR", "/work/shared/data"))


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of a text as (lower-cased token, start, end) spans."""
    return [(m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text or "")]


@lru_cache(maxsize=1)
def cpv_label_records() -> tuple[tuple[str, dict[str, str]], ...]:
    """((code, {language: label}), ...) from the reference file; () when it is absent."""
    path = reference_data_dir() / CPV_LABELS_FILE
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except OSError:
        return ()
    out = []
    for rec in raw:
        code = str(rec.get("code", ""))[:8]
        if len(code) == 8 and code.isdigit():
            labels = {k: " ".join(str(v).split()) for k, v in (rec.get("labels") or {}).items()}
            out.append((code, labels))
    out.sort()
    return tuple(out)


@lru_cache(maxsize=1)
def label_tokens() -> dict[str, list[list[str]]]:
    """{language: [lower-cased tokens of each code's label]} in the order of
    :func:`cpv_label_records` (Irish left out)."""
    out: dict[str, list[list[str]]] = {lang: [] for lang in LANGUAGES if lang != "ga"}
    find = _TOKEN_RE.findall
    for _code, labels in cpv_label_records():
        for lang, toks in out.items():
            toks.append(find(labels.get(lang, "").lower()))
    return out


@lru_cache(maxsize=200_000)
def fold_cached(tok: str) -> str:
    return fold(tok)


class _LanguageModel:
    """Naive Bayes language guess over CPV-label words and function words."""

    ALPHA = 0.5
    STOP_BOOST = 20.0  # a function word counts as often as a frequent label word

    def __init__(self):
        counts: dict[str, Counter] = {lang: Counter() for lang in LANGUAGES if lang != "ga"}
        label_df: dict[str, Counter] = {lang: Counter() for lang in counts}
        n_labels: Counter = Counter()
        for lang, per_label in label_tokens().items():
            counts[lang] = Counter(fold_cached(t) for toks in per_label for t in toks)
            label_df[lang] = Counter(
                f for toks in per_label for f in {fold_cached(t) for t in toks}
            )
            n_labels[lang] = sum(1 for toks in per_label if toks)
        self.stop: dict[str, frozenset[str]] = {}
        for lang in LANGUAGES:
            hand = {fold(w) for w in STOP_WORDS.get(lang, ())}
            if lang == "en":
                hand |= set(ENGLISH_STOP_WORDS)
            n = n_labels.get(lang, 0)
            short = {
                w
                for w, df in label_df.get(lang, Counter()).items()
                if len(w) <= 3 and df >= 0.01 * n
            }
            self.stop[lang] = frozenset(hand | short)
        for lang, words in self.stop.items():
            if lang in counts:
                for w in words:
                    counts[lang][w] += self.STOP_BOOST
        self.langs = sorted(counts)
        vocab = set().union(*(c.keys() for c in counts.values())) if counts else set()
        v = max(len(vocab), 1)
        # one row of log-probabilities per known word (languages in ``self.langs`` order)
        words = sorted(vocab)
        self.row = {w: i for i, w in enumerate(words)}
        self.logp = np.empty((len(words), len(self.langs)))
        for j, lang in enumerate(self.langs):
            total = sum(counts[lang].values()) + self.ALPHA * v
            c = counts[lang]
            self.logp[:, j] = np.log(
                (np.array([c.get(w, 0.0) for w in words]) + self.ALPHA) / total
            )
        self.en = self.langs.index("en") if "en" in self.langs else 0

    def guess(self, folded_tokens: Iterable[str]) -> str:
        return self.guess_rows([r for t in folded_tokens if (r := self.row.get(t)) is not None])

    def guess_rows(self, rows: list[int]) -> str:
        """The language of a text given the rows of its known words."""
        if not rows:
            return "en"
        score = self.logp[rows].sum(axis=0)
        best = int(np.argmax(score))
        if score[self.en] >= score[best] - 1e-9:  # ties go to English
            return "en"
        return self.langs[best]


@lru_cache(maxsize=1)
def language_model() -> _LanguageModel:
    return _LanguageModel()


def guess_language(tokens: Iterable[str]) -> str:
    """The most probable of the EU languages for these (lower-cased) tokens; "en" when unsure."""
    return language_model().guess(fold_cached(t) for t in tokens)


def stop_words(lang: str) -> frozenset[str]:
    """Folded stop words of a language (its function words and short label words)."""
    return language_model().stop.get(lang, frozenset())


class Stemmers:
    """Stemming in the engine's languages: ``core.stemming``'s cached ``stem`` and its
    thread-local PyStemmer instances, plus PyStemmer's list call for many tokens at once."""

    def stem_many(self, toks: Iterable[str], lang: str) -> dict[str, str]:
        """{token: stem} for many tokens at once (PyStemmer's list call)."""
        toks = sorted(set(toks))
        st = stemmer(lang)
        if st is None:
            return {t: fold_cached(t)[:TRUNCATE] for t in toks}
        return {t: fold_cached(s) for t, s in zip(toks, st.stemWords(toks), strict=True)}

    def stem(self, tok: str, lang: str) -> str:
        return stem(tok, lang)
