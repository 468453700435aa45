"""Reads of the outcomes app: the figures of every dashboard, each a few grouped queries
whatever the period (the number of queries never depends on how many rows or months there are),
one module per dashboard.

Money is summed in euros inside the database: each amount is multiplied by the rate of its
currency valid on its date (a correlated subquery on ``ExchangeRate``); amounts whose currency
has no rate on their date are counted apart and the pages say so.
"""

from .base import MAX_ROWS, MONEY, RATE, SHOWN_ROWS, Kind, Period, rate_on, rates_used
from .cluster import CLUSTER_MEASURES, cluster_funnel, cluster_members
from .company import CallRow, company_pipeline, company_steps
from .health import candidate_companies, portal_health, unlinked_awards
from .infrastructure import (
    award_values,
    contributions_of,
    favoured_by,
    industrial_return,
    infrastructure_overview,
)

__all__ = [
    "CLUSTER_MEASURES",
    "MAX_ROWS",
    "MONEY",
    "RATE",
    "SHOWN_ROWS",
    "CallRow",
    "Kind",
    "Period",
    "award_values",
    "candidate_companies",
    "cluster_funnel",
    "cluster_members",
    "company_pipeline",
    "company_steps",
    "contributions_of",
    "favoured_by",
    "industrial_return",
    "infrastructure_overview",
    "portal_health",
    "rate_on",
    "rates_used",
    "unlinked_awards",
]
