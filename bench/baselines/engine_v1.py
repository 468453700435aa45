"""The matching engine 1.1.0, exported from git at run time (see ``bench/baselines/__init__``).

Importing this module exports ``matchmaking/engine`` at ``ENGINE_V1_COMMIT`` into
``bench/.cache/`` (once) and puts that package in its own place, so that
``from bench.baselines.engine_v1 import text`` gives the 1.1.0 text model.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import tarfile
from pathlib import Path

#: the last commit with engine 1.1.0 (before issue 12's model)
ENGINE_V1_COMMIT = "470e470"
REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "bench" / ".cache" / f"engine_v1-{ENGINE_V1_COMMIT}"


def _export() -> Path:
    package = CACHE / "matchmaking" / "engine"
    if not (package / "__init__.py").exists():
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ENGINE_V1_COMMIT, "matchmaking/engine"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout
        CACHE.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(CACHE, filter="data")
    return package


_package = _export()
_spec = importlib.util.spec_from_file_location(
    __name__, _package / "__init__.py", submodule_search_locations=[str(_package)]
)
_module = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _module
_spec.loader.exec_module(_module)
