"""How long the stored lists are, and from which score a call is recommended.

Shared by the writes (``services``) and the reads (``selectors``), so that a page shows exactly
what the scoring runs keep.
"""

from __future__ import annotations

from django.conf import settings

from .engine import FIT_LEVELS

#: companies kept per open call (``Match.rank_for_call``)
K_PER_CALL = getattr(settings, "MATCHMAKING_K_PER_CALL", 20)
#: calls kept per company (``Match.rank_for_company``)
K_PER_COMPANY = getattr(settings, "MATCHMAKING_K_PER_COMPANY", 10)
#: the lowest score of each fit level, from the engine's calibration (docs/matching.md)
FIT_THRESHOLDS: dict[str, float] = {level: threshold for threshold, level in FIT_LEVELS}
#: a call is recommended to a company only from "possible fit" on
RECOMMENDATION_FLOOR = FIT_THRESHOLDS["possible"]
#: companies per chunk of a full recompute
CHUNK_SIZE = getattr(settings, "MATCHMAKING_CHUNK_SIZE", 5000)
#: a call run places a new call in at most this many companies' own lists at once (the best
#: scoring ones); the nightly recompute completes the others
MAX_COMPANY_PLACEMENTS = 2000
#: infrastructures kept per company (``InfrastructureFit.rank``)
K_INFRASTRUCTURES = getattr(settings, "MATCHMAKING_K_INFRASTRUCTURES", 5)
#: calls per page of the cluster board's grid (its columns: those that fit the most members)
BOARD_GRID_COLUMNS = 12
