"""Matching quality (``make bench BENCH=matching_quality``): the evaluation harness of
``bench/eval_matching.py`` (text model, baselines and ablations on the real TED notices, CPV
suggestions, fit-level calibration) as a section of docs/performance.md."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def run() -> str:
    from bench.eval_matching import run as evaluate

    return evaluate()


if __name__ == "__main__":
    print(run())
