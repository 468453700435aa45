"""FROZEN COPY of matchmaking/engine/ of engine 1.1.0 (git 470e470): the "current model" that
bench/eval_matching.py and bench/bench_engine.py measure as a baseline after the engine
changed. Do not edit; regenerate with
``for f in ...; do git show 470e470:matchmaking/engine/$f.py > bench/baselines/engine_v1/$f.py``.
"""

from .cpv import (
    COVER_BONUS,
    LEVEL_NAMES,
    LEVEL_SCORE,
    CodeMatch,
    best_code_match,
    code_fit,
    covers,
    cpv_level,
    load_cpv_labels,
    significant,
)
from .explain import render_exclusion, render_reasons
from .infrastructures import rank_infrastructures_for_company
from .model import (
    DEFAULT_WEIGHTS,
    EXCLUDED_COUNTRY,
    EXCLUDED_DEADLINE,
    EXCLUDED_NOT_PUBLISHED,
    EXCLUDED_NOT_RELEVANT,
    CallProfile,
    CompanyProfile,
    Component,
    Infrastructure,
    InfrastructureMatch,
    MatchResult,
    Reference,
    Weights,
)
from .scoring import (
    ENGINE_VERSION,
    MatchContext,
    MatchIndex,
    TopK,
    merge_topk,
    rank_companies_for_call,
    score,
    score_all,
    score_chunk,
    score_many,
)
from .text import TextConfig, TextIndex

__all__ = [
    "COVER_BONUS",
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "EXCLUDED_COUNTRY",
    "EXCLUDED_DEADLINE",
    "EXCLUDED_NOT_PUBLISHED",
    "EXCLUDED_NOT_RELEVANT",
    "LEVEL_NAMES",
    "LEVEL_SCORE",
    "CallProfile",
    "CodeMatch",
    "CompanyProfile",
    "Component",
    "Infrastructure",
    "InfrastructureMatch",
    "MatchContext",
    "MatchIndex",
    "MatchResult",
    "Reference",
    "TextConfig",
    "TextIndex",
    "TopK",
    "Weights",
    "best_code_match",
    "code_fit",
    "covers",
    "cpv_level",
    "load_cpv_labels",
    "merge_topk",
    "rank_companies_for_call",
    "rank_infrastructures_for_company",
    "render_exclusion",
    "render_reasons",
    "score",
    "score_all",
    "score_chunk",
    "score_many",
    "significant",
]
