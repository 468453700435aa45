"""Evaluation harness of the engine's text model and CPV suggestions, on public data labelled
or judged independently of us, with every baseline measured in the same run.

Data: the 72 real TED notices of the reference data (``$REFERENCE_DATA_DIR/ted-notices``,
TED XML R2.0.9, parsed with the portal's own ``tenders.notices.ted.parse_ted_notice``). The
70 notices of ``eforms-notices/converted`` are the same notices converted to eForms (the file
names match), so they are not added a second time. A notice's text is its title and short
description in its original language (``title_original``, ``description_original``): the
English title TED shows for a non-English notice is usually the English label of its main CPV
code, which would leak the answer.

Sets (each figure of docs/matching.md names the command that reproduces it):

(a) **retrieval**: every notice is a query against all the others; relevant = a notice whose
    main CPV code is in the same group (3 digits). MAP and nDCG@10 over the queries that have
    at least one relevant notice, overall and per language of the query. The codes are the
    buyers' own classification, not ours.
(b) **ML_TITLES**: R2.0.9 notices carry their title translated into the EU languages. For each
    language L, every notice's English title is a query against all notices' titles in L; the
    relevant titles are the notice's own L title (and any identical one). Top-1 and MRR per
    language and averaged over the languages.
(c) **judged**: ``bench/data/similarity_judgements.csv`` (246 pairs, one engineer, 0-4; see
    bench/data/README.md): Spearman's rho over all pairs, the English pairs, the
    cross-language pairs, and the fixed tune / held-out halves.
(d) **public judged sets**: none is available offline. The closest found (by the search of
    the stored corpora) is "Crowdsourcing Document Similarity Judgements" (King's College
    London, Zenodo record 4298976: crowd Likert and ranking judgements of document pairs),
    found only as a description; its data are not in the stored corpora, so it is absent here.

CPV suggestions: is the notice's main code among the top 5 of ``suggest_cpv`` from its title
and description? Baseline: TF-IDF cosine of the text against the English labels only.

Models: scikit-learn ``TfidfVectorizer(stop_words="english", sublinear_tf=True)`` + cosine;
``rank_bm25.BM25Okapi`` (pairs: each notice as a query, the score over the query's own score,
symmetrised); the engine 1.1.0 text model (``bench/baselines/engine_v1.py``: exported from git at 470e470); the
current engine model, and the current model with each of its parts switched off in turn.

Run: ``.venv/bin/python bench/eval_matching.py`` (prints Markdown; ``make bench
BENCH=matching_quality`` writes it to docs/performance.md).
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
from scipy import stats

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.baselines.engine_v1 import text as text_v1  # noqa: E402
from matchmaking.engine.suggest import suggest_cpv  # noqa: E402
from matchmaking.engine.text import DEFAULT_TEXT_CONFIG, TextConfig, TextIndex  # noqa: E402
from tenders.notices.ted import parse_ted_notice  # noqa: E402

MAX_LOTS = 5  # some award notices carry hundreds of lots; their first few describe the purchase
JUDGEMENTS = REPO / "bench" / "data" / "similarity_judgements.csv"
_ML_RE = re.compile(r'<ML_TI_DOC LG="([A-Z]{2})">(.*?)</ML_TI_DOC>', re.S)
_TI_RE = re.compile(r"<TI_TEXT>(.*?)</TI_TEXT>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")


def data_dir() -> Path:
    return Path(os.environ.get("REFERENCE_DATA_DIR", "/work/shared/data"))


@dataclass
class Notice:
    ident: str
    language: str
    text: str
    main: str
    codes: list[str]
    titles: dict[str, str]  # ML_TITLES: language -> title


def _ml_titles(raw: str) -> dict[str, str]:
    import html

    out = {}
    for lang, body in _ML_RE.findall(raw):
        m = _TI_RE.search(body)
        if m:
            title = " ".join(html.unescape(_TAG_RE.sub(" ", m.group(1))).split())
            if title:
                out[lang.lower()] = title
    return out


def _original_lot_texts(data: bytes) -> list[str]:
    """Titles and short descriptions of the first lots, from the form in the original language
    (``parse_ted_notice`` gives the lots' English texts where an English form exists)."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(data)

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    section = next((e for e in root if local(e.tag) == "FORM_SECTION"), None)
    forms = list(section) if section is not None else []
    form = next((f for f in forms if (f.get("CATEGORY") or "").upper() == "ORIGINAL"), None)
    if form is None and forms:
        form = forms[0]
    out: list[str] = []
    if form is None:
        return out
    for d in (e for e in form.iter() if local(e.tag) == "OBJECT_DESCR"):
        for el in d:
            if local(el.tag) in ("TITLE", "SHORT_DESCR"):
                out.append(" ".join(" ".join(el.itertext()).split()))
        if len(out) >= 2 * MAX_LOTS:
            break
    return out


def load_notices() -> list[Notice]:
    out = []
    for path in sorted((data_dir() / "ted-notices").glob("*.xml")):
        data = path.read_bytes()
        n = parse_ted_notice(data, filename=path.name)
        parts = [n.title_original, n.description_original, *_original_lot_texts(data)]
        text = " ".join(dict.fromkeys(x for x in parts if x))
        out.append(
            Notice(
                ident=path.stem,
                language=n.language,
                text=text,
                main=n.cpv_main or "",
                codes=[c for c in [n.cpv_main, *n.cpv_additional] if c],
                titles=_ml_titles(data.decode("utf-8", "replace")),
            )
        )
    return out


# ---------------------------------------------------------------------------- models
def _cos(a, b) -> np.ndarray:
    return np.asarray((a @ b.T).todense()) if hasattr(a, "todense") else a @ b.T


class Model:
    """A text model as the harness sees it: fitted on a corpus, gives pair similarities."""

    name = ""

    def fit(self, docs: list[str]) -> Model:
        raise NotImplementedError

    def sim(self) -> np.ndarray:
        """corpus x corpus similarities."""
        raise NotImplementedError


class SklearnTfidf(Model):
    name = 'baseline: scikit-learn TfidfVectorizer(stop_words="english", sublinear_tf=True)'

    def fit(self, docs):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.m = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(docs)
        return self

    def sim(self):
        return _cos(self.m, self.m)


_BM25_TOKEN = re.compile(r"[^\W_]{2,}")


class Bm25(Model):
    name = "baseline: rank_bm25 BM25Okapi (pairs: each as query, over self-score, symmetrised)"

    def fit(self, docs):
        from rank_bm25 import BM25Okapi

        self.tokens = [_BM25_TOKEN.findall(d.lower()) or ["_"] for d in docs]
        self.bm25 = BM25Okapi(self.tokens)
        return self

    def sim(self):
        raw = np.array([self.bm25.get_scores(t) for t in self.tokens])
        own = np.diag(raw).copy()
        own[own <= 0] = 1.0
        d = raw / own[:, None]
        return (d + d.T) / 2


class EngineV1(Model):
    name = "engine 1.1.0 text model (before; exported from git at 470e470)"

    def fit(self, docs):
        self.m = text_v1.TextIndex(docs).matrix
        return self

    def sim(self):
        return np.clip(_cos(self.m, self.m), 0.0, 1.0)


class Engine(Model):
    def __init__(self, config: TextConfig = DEFAULT_TEXT_CONFIG, name: str = ""):
        self.config = config
        self.name = name or "**engine (current)**"

    def fit(self, docs):
        self.index = TextIndex(docs, self.config)
        return self

    def sim(self):
        m = self.index.matrix
        return np.clip(_cos(m, m), 0.0, 1.0)


def ablations() -> list[Engine]:
    c = DEFAULT_TEXT_CONFIG
    return [
        Engine(replace(c, code_weight=0.0), "current without the CPV topic block"),
        Engine(
            replace(c, word_weight=0.0, bigram_weight=0.0, concept_weight=0.0),
            "current, CPV topic block only",
        ),
        Engine(replace(c, concept_weight=0.0), "current without the hand-made concepts"),
        Engine(
            replace(c, word_weight=0.0, bigram_weight=0.0, code_weight=0.0),
            "current, hand-made concepts only",
        ),
        Engine(replace(c, translate=False), "current without translation through the labels"),
        Engine(replace(c, bigram_weight=0.1), "current + bigrams"),
        Engine(replace(c, code_languages="en"), "current, topics from English labels only"),
        Engine(
            replace(c, code_languages="own+en"),
            "current, topics from the labels of the text's language and English",
        ),
        Engine(replace(c, topic_levels=(3,)), "current, topics at the group level only"),
        Engine(replace(c, max_codes=12), "current + the codes whose labels the text names"),
        Engine(replace(c, char_weight=0.25), "current + character 5-grams"),
        Engine(replace(c, generic=False), "current without the generic-word list"),
        Engine(replace(c, boilerplate=False), "current without the boilerplate list"),
        Engine(replace(c, stem=False), "current without stemming"),
        Engine(replace(c, detect_language=False), "current without language guess (all English)"),
    ]


def all_models() -> list[Model]:
    return [SklearnTfidf(), Bm25(), EngineV1(), Engine(), *ablations()]


# ---------------------------------------------------------------------------- metrics
def _ranking(scores: np.ndarray) -> np.ndarray:
    """Indices by score desc, ties by index (deterministic)."""
    return np.lexsort((np.arange(len(scores)), -scores))


def average_precision(order: np.ndarray, relevant: set[int]) -> float:
    hits, total = 0, 0.0
    for rank, j in enumerate(order, 1):
        if j in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def ndcg_at(order: np.ndarray, relevant: set[int], k: int = 10) -> float:
    dcg = sum(1 / np.log2(r + 2) for r, j in enumerate(order[:k]) if j in relevant)
    ideal = sum(1 / np.log2(r + 2) for r in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def retrieval(sim: np.ndarray, notices: list[Notice]) -> dict[str, dict[str, float]]:
    """(a): {language or "all": {"map", "ndcg", "n"}} (macro over queries)."""
    per: dict[str, list[tuple[float, float]]] = {}
    groups = [n.main[:3] for n in notices]
    for i, n in enumerate(notices):
        rel = {j for j in range(len(notices)) if j != i and groups[j] == groups[i]}
        if not rel:
            continue
        s = sim[i].astype(float).copy()
        s[i] = -np.inf
        order = _ranking(s)[:-1]
        ap, nd = average_precision(order, rel), ndcg_at(order, rel)
        per.setdefault("all", []).append((ap, nd))
        per.setdefault(n.language, []).append((ap, nd))
    return {
        k: {
            "map": float(np.mean([x[0] for x in v])),
            "ndcg": float(np.mean([x[1] for x in v])),
            "n": len(v),
        }
        for k, v in per.items()
    }


def ml_titles(model_factory, notices: list[Notice]) -> dict[str, dict[str, float]]:
    """(b): {language or "mean": {"top1", "mrr", "n"}}."""
    langs = sorted({lg for n in notices for lg in n.titles} - {"en"})
    out: dict[str, dict[str, float]] = {}
    for lg in langs:
        items = [n for n in notices if "en" in n.titles and lg in n.titles]
        if len(items) < 2:
            continue
        en = [n.titles["en"] for n in items]
        target = [n.titles[lg] for n in items]
        m = model_factory().fit(en + target)
        sim = m.sim()[: len(items), len(items) :]
        norm = [" ".join(t.lower().split()) for t in target]
        top1, rr = [], []
        for i in range(len(items)):
            rel = {j for j in range(len(items)) if norm[j] == norm[i]}
            order = _ranking(sim[i].astype(float))
            first = next(r for r, j in enumerate(order, 1) if j in rel)
            top1.append(1.0 if first == 1 else 0.0)
            rr.append(1.0 / first)
        out[lg] = {"top1": float(np.mean(top1)), "mrr": float(np.mean(rr)), "n": len(items)}
    out["mean"] = {
        "top1": float(np.mean([v["top1"] for v in out.values()])),
        "mrr": float(np.mean([v["mrr"] for v in out.values()])),
        "n": len(out),
    }
    return out


@dataclass(frozen=True)
class Judgement:
    i: int
    j: int
    score: int
    half: str


def half(file_a: str, file_b: str) -> str:
    """The fixed half of a judged pair: "tune" or "held-out" (by a CRC of the file names)."""
    return "tune" if zlib.crc32(f"{file_a}|{file_b}".encode()) % 2 == 0 else "held-out"


def load_judgements(notices: list[Notice]) -> list[Judgement]:
    pos = {f"{n.ident}.xml": k for k, n in enumerate(notices)}
    with open(JUDGEMENTS, newline="", encoding="utf-8") as f:
        return [
            Judgement(
                pos[r["file_a"]], pos[r["file_b"]], int(r["score"]), half(r["file_a"], r["file_b"])
            )
            for r in csv.DictReader(f)
        ]


def judged(sim: np.ndarray, js: list[Judgement], notices: list[Notice]) -> dict[str, float]:
    """(c): Spearman's rho over subsets of the judged pairs."""

    def same(x):
        return notices[x.i].language == notices[x.j].language

    subsets = {
        "all": js,
        "en": [x for x in js if notices[x.i].language == "en" and notices[x.j].language == "en"],
        "cross": [x for x in js if not same(x)],
        "tune": [x for x in js if x.half == "tune"],
        "held": [x for x in js if x.half == "held-out"],
    }
    return {
        k: float(stats.spearmanr([sim[x.i, x.j] for x in v], [x.score for x in v]).statistic)
        for k, v in subsets.items()
    }


# ---------------------------------------------------------------------------- suggestions
class EnglishLabelBaseline:
    """CPV suggestion baseline: TF-IDF cosine of the text against the English labels only."""

    def __init__(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        from matchmaking.engine.languages import cpv_label_records

        recs = cpv_label_records()
        self.codes = [c for c, _ in recs]
        self.vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        self.m = self.vec.fit_transform([labels.get("en", "") for _, labels in recs])

    def top(self, text: str, k: int = 5) -> list[str]:
        s = np.asarray((self.m @ self.vec.transform([text]).T).todense()).ravel()
        return [self.codes[j] for j in _ranking(s)[:k]]


def suggestion_hits(notices: list[Notice], top_fn, k: int = 5) -> dict[str, float]:
    main_hits = sum(1 for n in notices if n.main in top_fn(n.text, k))
    any_hits = sum(1 for n in notices if set(n.codes) & set(top_fn(n.text, k)))
    group_hits = sum(1 for n in notices if n.main[:3] in {c[:3] for c in top_fn(n.text, k)})
    n = len(notices)
    return {"main": main_hits / n, "any": any_hits / n, "group": group_hits / n, "n": n}


# ---------------------------------------------------------------------------- fit levels
def judged_pair_scores(notices: list[Notice], js: list[Judgement]) -> list[tuple[float, int]]:
    """(engine score, judgement) of each judged pair, notice a as a company (its text and all
    its codes) and notice b as an open call (its main and additional codes); no certificates,
    references or hard rules, so the score is the text and CPV fit only."""
    from datetime import UTC, datetime

    from matchmaking.engine import CallProfile, CompanyProfile, MatchContext, MatchIndex, score

    companies = [
        CompanyProfile(id=k, country="DK", cpv_codes=tuple(n.codes), capabilities=n.text)
        for k, n in enumerate(notices)
    ]
    calls = [
        CallProfile(
            id=k,
            buyer_id=f"buyer-{k}",
            cpv_main=n.main or None,
            cpv_additional=tuple(c for c in n.codes if c != n.main),
            title=n.text,
        )
        for k, n in enumerate(notices)
    ]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    ctx = MatchContext(MatchIndex(companies, calls, now=now), now)
    return [(score(companies[x.i], calls[x.j], ctx).score, x.score) for x in js]


def suggested_fit_levels(pairs: list[tuple[float, int]]) -> dict[str, float]:
    """The thresholds the fit levels are read from: "possible" = the lowest score from which at
    least 95% of the judged pairs are related (>= 1), "good" = from which at least 75% are of
    the same domain (>= 2), "strong" = from which at least half are judged "the same kind of
    supplier would bid" (>= 3); on a 0.05 grid."""
    rules = {"possible": (1, 0.95), "good": (2, 0.75), "strong": (3, 0.5)}
    out = {}
    for level, (j_min, share) in rules.items():
        for t in np.arange(0.05, 1.0, 0.05):
            above = [j for s, j in pairs if s >= t - 1e-12]
            if len(above) >= 3 and np.mean([j >= j_min for j in above]) >= share:
                out[level] = round(float(t), 2)
                break
    return out


def fit_level_table(pairs: list[tuple[float, int]]) -> list[tuple[float, int, float, float, float]]:
    """For thresholds 0.10 ... 0.80: (threshold, pairs at or above, share judged >= 1, >= 2,
    >= 3)."""
    out = []
    for t in np.arange(0.10, 0.81, 0.05):
        above = [j for s, j in pairs if s >= t - 1e-12]
        if not above:
            out.append((float(t), 0, float("nan"), float("nan"), float("nan")))
            continue
        out.append(
            (
                float(t),
                len(above),
                float(np.mean([j >= 1 for j in above])),
                float(np.mean([j >= 2 for j in above])),
                float(np.mean([j >= 3 for j in above])),
            )
        )
    return out


# ---------------------------------------------------------------------------- report
def fmt(x) -> str:
    return "n/a" if x is None or x != x else f"{x:.3f}"


def evaluate(models: list[Model], notices: list[Notice]):
    js = load_judgements(notices)
    rows = []
    for m in models:
        sim = m.fit([n.text for n in notices]).sim()
        factory = (
            (lambda m=m: m.__class__(m.config, m.name)) if isinstance(m, Engine) else m.__class__
        )
        rows.append(
            (m.name, retrieval(sim, notices), ml_titles(factory, notices), judged(sim, js, notices))
        )
    return rows, js


def _by_language(title: str, rows, columns: dict[str, str], cell) -> list[str]:
    """A Markdown table under ``title``: a row per model of ``rows`` (its name first), a column
    per language of ``columns`` (language: header), ``cell(row, language)`` in each."""
    lines = ["", title, "", "| model | " + " | ".join(columns.values()) + " |"]
    lines.append("|---|" + "---|" * len(columns))
    for row in rows:
        lines.append(f"| {row[0]} | " + " | ".join(cell(row, lg) for lg in columns) + " |")
    return lines


def run() -> str:
    notices = load_notices()
    rows, _js = evaluate(all_models(), notices)
    langs: dict[str, int] = {}
    for n in notices:
        langs[n.language] = langs.get(n.language, 0) + 1
    cmd = "`.venv/bin/python bench/eval_matching.py`"
    lines = [
        "## Matching quality: text model and CPV suggestions on the real TED notices",
        "",
        f"{len(notices)} notices ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}); "
        f"reproduce with {cmd}. (a) retrieval: each notice against all others, relevant = "
        "same group (3 digits) of the main CPV code; (b) ML_TITLES: the English title finds its "
        "translation among all notices' titles in each language; (c) our 246 judged pairs, "
        "Spearman's rho; (d) no public judged set is available offline.",
        "",
        "| model | (a) MAP | (a) nDCG@10 | (b) top-1 | (b) MRR | (c) rho all | (c) rho English "
        "| (c) rho cross-language | (c) tune half | (c) held-out half |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, ret, ml, jd in rows:
        lines.append(
            f"| {name} | {fmt(ret['all']['map'])} | {fmt(ret['all']['ndcg'])} | "
            f"{fmt(ml['mean']['top1'])} | {fmt(ml['mean']['mrr'])} | {fmt(jd['all'])} | "
            f"{fmt(jd['en'])} | {fmt(jd['cross'])} | {fmt(jd['tune'])} | {fmt(jd['held'])} |"
        )
    # per language, for the baselines and the current model
    head = [r for r in rows if not r[0].startswith("current")]
    lg_a = sorted(k for k in rows[0][1] if k != "all")
    lines += _by_language(
        "(a) per language of the query, MAP / nDCG@10 (queries):",
        head,
        {lg: f"{lg} ({rows[0][1][lg]['n']})" for lg in lg_a},
        lambda row, lg: f"{row[1][lg]['map']:.2f} / {row[1][lg]['ndcg']:.2f}",
    )
    lg_b = sorted(k for k in rows[0][2] if k != "mean")
    lines += _by_language(
        "(b) per language, top-1 / MRR:",
        head,
        {lg: lg for lg in lg_b},
        lambda row, lg: f"{row[2][lg]['top1']:.2f} / {row[2][lg]['mrr']:.2f}",
    )
    # suggestions
    base = EnglishLabelBaseline()
    sug = [
        ("baseline: TF-IDF cosine against the English labels only", base.top),
        (
            "**suggest_cpv** (labels of the text's language and English, hierarchy)",
            lambda t, k: [s.code for s in suggest_cpv(t, k=k)],
        ),
        (
            "suggest_cpv, English labels only",
            lambda t, k: [s.code for s in suggest_cpv(t, k=k, label_languages="en")],
        ),
        (
            "suggest_cpv without the hierarchy (codes as matched)",
            lambda t, k: [s.code for s in suggest_cpv(t, k=k, hierarchy=False)],
        ),
    ]
    lines += [
        "",
        "CPV suggestions from a notice's title and description (top 5):",
        "",
        "| method | main code in top 5 | any of its codes in top 5 | main code's group in top 5 |",
        "|---|---|---|---|",
    ]
    for name, fn in sug:
        h = suggestion_hits(notices, fn)
        lines.append(f"| {name} | {fmt(h['main'])} | {fmt(h['any'])} | {fmt(h['group'])} |")
    pairs = judged_pair_scores(notices, load_judgements(notices))
    from matchmaking.engine.explain import FIT_LEVELS

    lines += [
        "",
        "Fit levels: engine scores of the judged pairs (notice a as a company with its codes, "
        "notice b as an open call), share of the pairs at or above each threshold that were "
        "judged related (>= 1), same domain (>= 2), same kind of supplier (>= 3). Levels in use: "
        + ", ".join(f"{lv} fit from {t:.2f}" for t, lv in FIT_LEVELS)
        + ". Thresholds read from this table by `suggested_fit_levels` (the lowest score from "
        "which >= 95% of the pairs are judged >= 1: possible; >= 75% judged >= 2: good; >= 50% "
        f"judged >= 3: strong): {suggested_fit_levels(pairs)}.",
        "",
        "| score >= | pairs | judged >= 1 | judged >= 2 | judged >= 3 |",
        "|---|---|---|---|---|",
    ]
    for t, n, a, b, c in fit_level_table(pairs):
        lines.append(f"| {t:.2f} | {n} | {fmt(a)} | {fmt(b)} | {fmt(c)} |")
    med = {
        j: float(np.median([s for s, jj in pairs if jj == j]))
        for j in sorted({j for _, j in pairs})
    }
    lines += [
        "",
        "Median engine score by judgement: " + ", ".join(f"{j}: {v:.2f}" for j, v in med.items()),
        "",
        f"Text config: `{DEFAULT_TEXT_CONFIG}`",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
