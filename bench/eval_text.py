"""Evaluate the engine's text model on the 72 real TED notices of the reference data.

Two kinds of judgement of a pair of notices:

* judged: ``bench/data/similarity_judgements.csv``, 246 pairs judged 0 (unrelated) to 4 (same
  need) by one engineer reading both notices (see ``bench/data/README.md``); reported as
  Spearman's rho over all judged pairs, over the pairs of two English notices, and over the two
  fixed halves of the pairs (``half()``: "tune", used to choose the text model's knobs, and
  "held-out", not looked at while choosing);
* CPV proxy: CPV codes (assigned by the buyers, not derived from the text): for every pair of
  notices, the CPV agreement level (0 none, 2 same division, 3 group, 4 class, ... 8 same code;
  best over the notices' main and additional codes) against ``TextIndex.similarity``; reported
  as Spearman's rho over all pairs and over the English pairs;
* retrieval: the English title of each notice (from ``ML_TITLES``) is a query to ``rank()`` over
  the corpus of notice texts (title + short descriptions in the notice's original language); the
  notice itself is left out, and precision@k is the share of the top k that share a CPV division
  with it.

Baselines: a plain TF-IDF cosine (no stemming, no stop words, no BM25) and
``rank_bm25.BM25Okapi`` (for pairs: each notice's tokens as a query, the score of the other
notice divided by the query notice's score of itself, averaged over the two directions).

Run: ``.venv/bin/python bench/eval_text.py`` (reads ``$REFERENCE_DATA_DIR/ted-notices``,
default ``<repo>/../shared/data``).
"""

from __future__ import annotations

import csv
import os
import re
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from defusedxml import ElementTree
from scipy import sparse, stats

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matchmaking.engine.cpv import cpv_level  # noqa: E402
from matchmaking.engine.text import DEFAULT_TEXT_CONFIG, TextConfig, TextIndex  # noqa: E402

MAX_DESCRIPTIONS = 5  # some award notices carry hundreds of lots; keep the first few
JUDGEMENTS = REPO / "bench" / "data" / "similarity_judgements.csv"


@dataclass
class Notice:
    ident: str
    language: str
    text: str
    title_en: str
    codes: list[str]


def data_dir() -> Path:
    return Path(os.environ.get("REFERENCE_DATA_DIR", REPO.parent / "shared" / "data"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(el) -> str:
    return " ".join(" ".join(el.itertext()).split())


def parse_notice(path: Path) -> Notice:
    root = ElementTree.parse(path).getroot()
    lg_orig = next((_text(e) for e in root.iter() if _local(e.tag) == "LG_ORIG"), "EN")
    form_section = next(e for e in root if _local(e.tag) == "FORM_SECTION")
    forms = list(form_section)
    form = next((f for f in forms if f.get("LG") == lg_orig), None)
    if form is None:
        form = next((f for f in forms if f.get("CATEGORY") == "ORIGINAL"), forms[0])
    titles, descriptions, codes = [], [], []
    for el in form.iter():
        name = _local(el.tag)
        if name == "TITLE" and not titles:
            titles.append(_text(el))
        elif name == "SHORT_DESCR" and len(descriptions) < MAX_DESCRIPTIONS:
            descriptions.append(_text(el))
        elif name == "CPV_CODE" and el.get("CODE"):
            codes.append(el.get("CODE"))
    title_en = ""
    for el in root.iter():
        if _local(el.tag) == "ML_TI_DOC" and el.get("LG") == "EN":
            title_en = " ".join(_text(t) for t in el if _local(t.tag) == "TI_TEXT")
            break
    return Notice(
        ident=path.stem,
        language=(form.get("LG") or lg_orig).lower(),
        text=" ".join(titles + descriptions),
        title_en=title_en or (titles[0] if titles else ""),
        codes=sorted(set(codes)),
    )


def load_notices() -> list[Notice]:
    folder = data_dir() / "ted-notices"
    return [parse_notice(p) for p in sorted(folder.glob("*.xml"))]


def proxy_level(a: Notice, b: Notice) -> int:
    return max((cpv_level(x, y) for x in a.codes for y in b.codes), default=0)


def divisions(n: Notice) -> set[str]:
    return {c[:2] for c in n.codes}


@dataclass(frozen=True)
class Judgement:
    i: int
    j: int
    score: int
    half: str


def half(file_a: str, file_b: str) -> str:
    """The fixed half of a judged pair: "tune" or "held-out" (by a CRC of the file names)."""
    return "tune" if zlib.crc32(f"{file_a}|{file_b}".encode()) % 2 == 0 else "held-out"


def load_judgements(notices: list[Notice], path: Path = JUDGEMENTS) -> list[Judgement]:
    pos = {f"{n.ident}.xml": k for k, n in enumerate(notices)}
    with open(path, newline="", encoding="utf-8") as f:
        return [
            Judgement(
                pos[r["file_a"]], pos[r["file_b"]], int(r["score"]), half(r["file_a"], r["file_b"])
            )
            for r in csv.DictReader(f)
        ]


def judged_spearman(
    sim: np.ndarray, judgements: list[Judgement], notices: list[Notice]
) -> dict[str, float]:
    """Spearman's rho of sim against the judgements: all, English pairs, each half."""
    subsets = {
        "j_all": judgements,
        "j_en": [
            x for x in judgements if notices[x.i].language == "en" and notices[x.j].language == "en"
        ],
        "j_tune": [x for x in judgements if x.half == "tune"],
        "j_held": [x for x in judgements if x.half == "held-out"],
    }
    return {
        name: float(stats.spearmanr([sim[x.i, x.j] for x in js], [x.score for x in js]).statistic)
        for name, js in subsets.items()
    }


# ---------------------------------------------------------------- baselines
def _plain_tokens(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}", text.lower())


class PlainTfidf:
    """TF-IDF cosine without stemming or stop words: the baseline."""

    def __init__(self, docs: list[str]):
        self.vocab: dict[str, int] = {}
        rows, cols = [], []
        for i, d in enumerate(docs):
            for t in _plain_tokens(d):
                rows.append(i)
                cols.append(self.vocab.setdefault(t, len(self.vocab)))
        m = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), (len(docs), len(self.vocab)))
        m.sum_duplicates()
        df = np.bincount(m.indices, minlength=m.shape[1])
        self.idf = np.log((1 + len(docs)) / (1 + df)) + 1
        self.matrix = self._norm(m.multiply(self.idf).tocsr())

    @staticmethod
    def _norm(m):
        n = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        n[n == 0] = 1
        return sparse.diags(1 / n) @ m

    def similarity_matrix(self) -> np.ndarray:
        return (self.matrix @ self.matrix.T).toarray()

    def scores(self, query: str) -> np.ndarray:
        cols = [self.vocab[t] for t in _plain_tokens(query) if t in self.vocab]
        q = sparse.csr_matrix((np.ones(len(cols)), ([0] * len(cols), cols)), (1, len(self.vocab)))
        q.sum_duplicates()
        q = self._norm(q.multiply(self.idf).tocsr())
        return (self.matrix @ q.T).toarray().ravel()


def bm25_similarity_matrix(bm25, tokens: list[list[str]]) -> np.ndarray:
    """Symmetrised BM25Okapi document-document scores (each direction over its self-score)."""
    n = len(tokens)
    raw = np.array([bm25.get_scores(t) for t in tokens])  # raw[q, d]: notice q as the query
    self_score = np.diag(raw).copy()
    self_score[self_score <= 0] = 1.0
    directed = raw / self_score[:, None]
    return (directed + directed.T) / 2 if n else raw


def lsa_blend(idx: TextIndex, k: int = 20, weight: float = 0.2) -> np.ndarray:
    """The engine's similarity blended with an LSA cosine (truncated SVD of its matrix).

    Tried and not adopted (see docs/matching.md); deterministic through a fixed ``v0``.
    """
    from scipy.sparse.linalg import svds

    m = idx.matrix
    k = min(k, min(m.shape) - 1)
    u, s, _ = svds(m, k=k, v0=np.ones(min(m.shape)))
    z = u * s
    z /= np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-12)
    return (1 - weight) * engine_sim_matrix(idx) + weight * np.clip(z @ z.T, 0.0, 1.0)


# ---------------------------------------------------------------- metrics
def pair_spearman(sim: np.ndarray, notices: list[Notice]) -> tuple[float, int]:
    n = len(notices)
    iu = np.triu_indices(n, 1)
    proxy = np.array([proxy_level(notices[i], notices[j]) for i, j in zip(*iu, strict=True)])
    rho = stats.spearmanr(sim[iu], proxy).statistic
    return float(rho), len(proxy)


def english_spearman(sim: np.ndarray, notices: list[Notice]) -> float:
    """Spearman rho over the pairs of notices whose text is in English."""
    en = [i for i, n in enumerate(notices) if n.language == "en"]
    rho, _ = pair_spearman(sim[np.ix_(en, en)], [notices[i] for i in en])
    return rho


def precision_at_k(score_fn, notices: list[Notice], k: int) -> float:
    hits, total = 0, 0
    for i, n in enumerate(notices):
        scores = np.asarray(score_fn(n.title_en), dtype=float).copy()
        scores[i] = -np.inf
        order = np.lexsort((np.arange(len(scores)), -scores))[:k]
        hits += sum(1 for j in order if divisions(notices[j]) & divisions(n))
        total += k
    return hits / total


def engine_sim_matrix(idx: TextIndex) -> np.ndarray:
    n = idx.n_docs
    return np.array([[idx.similarity(i, j) for j in range(n)] for i in range(n)])


def engine_scores(idx: TextIndex):
    def fn(q: str) -> np.ndarray:
        return np.array([s for _, s in sorted(idx.rank(q, idx.n_docs))])

    return fn


#: the text model of engine 1.0.0, before the judged set existed (for the "before" row)
ENGINE_1_0_CONFIG = TextConfig(
    word_weight=0.55,
    bigram_weight=0.15,
    char_weight=0.30,
    concept_weight=0.0,
    char_n=3,
    boilerplate=False,
)


def metrics(sim: np.ndarray | None, score_fn, notices, judgements) -> dict[str, float]:
    out: dict[str, float] = {}
    if sim is not None:
        out.update(judged_spearman(sim, judgements, notices))
        out["spearman"] = pair_spearman(sim, notices)[0]
        out["spearman_en"] = english_spearman(sim, notices)
    if score_fn is not None:
        out["p@5"] = precision_at_k(score_fn, notices, 5)
        out["p@1"] = precision_at_k(score_fn, notices, 1)
    return out


def evaluate(config: TextConfig, notices: list[Notice], judgements=None) -> dict[str, float]:
    judgements = judgements if judgements is not None else load_judgements(notices)
    idx = TextIndex([n.text for n in notices], config)
    return metrics(engine_sim_matrix(idx), engine_scores(idx), notices, judgements)


COLUMNS = (
    ("j_all", "judged, all pairs"),
    ("j_en", "judged, English pairs"),
    ("j_tune", "judged, tune half"),
    ("j_held", "judged, held-out half"),
    ("spearman", "CPV proxy, all pairs"),
    ("spearman_en", "CPV proxy, English pairs"),
    ("p@5", "precision@5"),
    ("p@1", "precision@1"),
)


def run() -> str:
    from rank_bm25 import BM25Okapi

    notices = load_notices()
    judgements = load_judgements(notices)
    n_pairs = len(notices) * (len(notices) - 1) // 2
    langs: dict[str, int] = {}
    for n in notices:
        langs[n.language] = langs.get(n.language, 0) + 1
    rows: list[tuple[str, dict[str, float]]] = []
    base = PlainTfidf([n.text for n in notices])
    rows.append(
        (
            "baseline: plain TF-IDF cosine",
            metrics(base.similarity_matrix(), base.scores, notices, judgements),
        )
    )
    tokens = [_plain_tokens(n.text) or ["_"] for n in notices]
    bm25 = BM25Okapi(tokens)

    def bm25_scores(q: str) -> np.ndarray:
        return bm25.get_scores(_plain_tokens(q))

    rows.append(
        (
            "baseline: rank_bm25 BM25Okapi (pairs: symmetrised, self-normalised)",
            metrics(bm25_similarity_matrix(bm25, tokens), bm25_scores, notices, judgements),
        )
    )
    cfg = DEFAULT_TEXT_CONFIG
    old = ENGINE_1_0_CONFIG
    variants = [
        ("engine 1.0.0 (before): words + bigrams + char 3-grams", old),
        ("1.0.0 + procurement boilerplate dropped", replace(old, boilerplate=True)),
        ("current, without concepts", replace(cfg, concept_weight=0.0)),
        ("current, char 3-grams instead of 5-grams", replace(cfg, char_n=3)),
        (
            "current, concepts only",
            replace(cfg, word_weight=0.0, bigram_weight=0.0, char_weight=0.0),
        ),
    ]
    for label, config in variants:
        rows.append((label, evaluate(config, notices, judgements)))
    idx = TextIndex([n.text for n in notices], cfg)
    rows.append(
        (
            "current + LSA blend (k 20, weight 0.2; not adopted)",
            metrics(lsa_blend(idx), None, notices, judgements),
        )
    )
    rows.append(
        (
            "**engine (default)**: words + bigrams + char 5-grams + concepts, boilerplate dropped",
            metrics(engine_sim_matrix(idx), engine_scores(idx), notices, judgements),
        )
    )

    def fmt(x: float | None) -> str:
        return "n/a" if x is None or x != x else f"{x:.3f}"

    n_en = sum(
        1 for x in judgements if notices[x.i].language == "en" and notices[x.j].language == "en"
    )
    n_tune = sum(1 for x in judgements if x.half == "tune")
    lines = [
        "## Text model evaluation on the TED reference notices",
        "",
        f"{len(notices)} notices ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}), "
        f"{n_pairs} pairs. Judged: {len(judgements)} pairs ({n_en} English-English; "
        f"{n_tune} tune, {len(judgements) - n_tune} held-out), 0-4 by one engineer. "
        "CPV proxy: CPV agreement level of the pair. Retrieval: English title as query, "
        "the notice itself left out, relevant = shares a CPV division. Spearman's rho throughout.",
        "",
        "| model | " + " | ".join(title for _, title in COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for label, m in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(m.get(key)) for key, _ in COLUMNS) + " |")
    lines.append("")
    lines.append(f"Text config: `{cfg}`")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
