"""Evaluate the engine's text model on the 72 real TED notices of the reference data.

There are no human judgements in the reference data, so CPV codes (assigned by the buyers, not
derived from the text) serve as a proxy judgement:

* pairwise: for every pair of notices, the CPV agreement level (0 none, 2 same division,
  3 group, 4 class, ... 8 same code; best over the notices' main and additional codes) against
  ``TextIndex.similarity``; reported as Spearman's rho over all pairs;
* retrieval: the English title of each notice (from ``ML_TITLES``) is a query to ``rank()`` over
  the corpus of notice texts (title + short descriptions in the notice's original language); the
  notice itself is left out, and precision@k is the share of the top k that share a CPV division
  with it.

Baselines: a plain TF-IDF cosine (no stemming, no stop words, no BM25) and
``rank_bm25.BM25Okapi`` (retrieval only, it has no document-document similarity).

Run: ``.venv/bin/python bench/eval_text.py`` (reads ``$REFERENCE_DATA_DIR/ted-notices``,
default ``<repo>/../shared/data``).
"""

from __future__ import annotations

import os
import re
import sys
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


def evaluate(config: TextConfig, notices: list[Notice]) -> dict[str, float]:
    idx = TextIndex([n.text for n in notices], config)
    sim = engine_sim_matrix(idx)
    rho, _ = pair_spearman(sim, notices)
    return {
        "spearman": rho,
        "spearman_en": english_spearman(sim, notices),
        "p@5": precision_at_k(engine_scores(idx), notices, 5),
        "p@1": precision_at_k(engine_scores(idx), notices, 1),
    }


def run() -> str:
    from rank_bm25 import BM25Okapi

    notices = load_notices()
    n_pairs = len(notices) * (len(notices) - 1) // 2
    langs: dict[str, int] = {}
    for n in notices:
        langs[n.language] = langs.get(n.language, 0) + 1
    rows: list[tuple[str, dict[str, float]]] = []
    base = PlainTfidf([n.text for n in notices])
    rho, _ = pair_spearman(base.similarity_matrix(), notices)
    rows.append(
        (
            "baseline: plain TF-IDF cosine",
            {
                "spearman": rho,
                "spearman_en": english_spearman(base.similarity_matrix(), notices),
                "p@5": precision_at_k(base.scores, notices, 5),
                "p@1": precision_at_k(base.scores, notices, 1),
            },
        )
    )
    bm25 = BM25Okapi([_plain_tokens(n.text) or ["_"] for n in notices])

    def bm25_scores(q: str) -> np.ndarray:
        return bm25.get_scores(_plain_tokens(q))

    rows.append(
        (
            "baseline: rank_bm25 BM25Okapi (retrieval only)",
            {
                "spearman": float("nan"),
                "spearman_en": float("nan"),
                "p@5": precision_at_k(bm25_scores, notices, 5),
                "p@1": precision_at_k(bm25_scores, notices, 1),
            },
        )
    )
    cfg = DEFAULT_TEXT_CONFIG
    variants = [
        ("engine: words only", replace(cfg, word_weight=1.0, bigram_weight=0.0, char_weight=0.0)),
        ("engine: words + bigrams", replace(cfg, char_weight=0.0)),
        ("engine: words + char 3-grams", replace(cfg, bigram_weight=0.0)),
        ("**engine (default)**: words + bigrams + char 3-grams", cfg),
    ]
    for label, config in variants:
        rows.append((label, evaluate(config, notices)))

    def fmt(x: float) -> str:
        return "n/a" if x != x else f"{x:.3f}"

    lines = [
        "## Text model evaluation on the TED reference notices",
        "",
        f"{len(notices)} notices ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}), "
        f"{n_pairs} pairs. Proxy judgement: CPV agreement level of the pair. "
        "Retrieval: English title as query, the notice itself left out, "
        "relevant = shares a CPV division.",
        "",
        "| model | Spearman rho, all pairs | Spearman rho, English pairs | precision@5 "
        "| precision@1 |",
        "|---|---|---|---|---|",
    ]
    for label, m in rows:
        lines.append(
            f"| {label} | {fmt(m['spearman'])} | {fmt(m['spearman_en'])} | {fmt(m['p@5'])} "
            f"| {fmt(m['p@1'])} |"
        )
    lines.append("")
    lines.append(f"Text config: `{cfg}`")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
