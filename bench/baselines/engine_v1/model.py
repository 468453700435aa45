"""Plain data in, scores out: the engine's dataclasses (no ORM, no Django)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Id = int | str


def norm_cert(name: str) -> str:
    """Canonical form of a certification name: "ISO 9001:2015" -> "ISO9001"."""
    s = re.sub(r"[\s\-_./]", "", str(name).upper())
    return re.sub(r":\d{4}$", "", s)


@dataclass(frozen=True)
class Reference:
    """A past contract: the client organisation (e.g. an infrastructure) and its CPV codes."""

    client_id: Id
    cpv_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyProfile:
    id: Id
    country: str  # ISO 3166-1 alpha-2, e.g. "DK"
    cpv_codes: tuple[str, ...] = ()  # 8-digit strings
    certifications: frozenset[str] = frozenset()
    capabilities: str = ""
    references: tuple[Reference, ...] = ()
    verified: bool = False  # verified by a cluster
    not_relevant: frozenset[Id] = frozenset()  # call ids the company marked "not relevant"

    @property
    def text(self) -> str:
        return self.capabilities


@dataclass(frozen=True)
class CallProfile:
    id: Id
    buyer_id: Id
    status: str = "published"  # draft, published, closed, awarded, cancelled
    deadline: datetime | None = None  # timezone-aware; None = no deadline
    eligible_countries: frozenset[str] = frozenset()  # empty = any country
    cpv_main: str | None = None
    cpv_additional: tuple[str, ...] = ()
    required_certifications: frozenset[str] = frozenset()
    title: str = ""
    description: str = ""

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}".strip()

    @property
    def codes(self) -> tuple[str, ...]:
        """Main code first, then the additional codes."""
        main = (self.cpv_main,) if self.cpv_main else ()
        return main + tuple(c for c in self.cpv_additional if c != self.cpv_main)


@dataclass(frozen=True)
class Infrastructure:
    """A research infrastructure (buyer) with its technology domains."""

    id: Id
    name: str = ""
    technology_domains: str = ""


@dataclass(frozen=True)
class Weights:
    """Weights of the score components; they sum to 1 so that the score is in [0, 1]."""

    text: float = 0.40
    cpv: float = 0.30
    requirements: float = 0.10
    track_record: float = 0.20

    def __post_init__(self):
        total = self.text + self.cpv + self.requirements + self.track_record
        if (
            abs(total - 1.0) > 1e-9
            or min(self.text, self.cpv, self.requirements, self.track_record) < 0
        ):
            raise ValueError("weights must be non-negative and sum to 1")


DEFAULT_WEIGHTS = Weights()

#: parts of the track-record component (they sum to 1)
TRACK_SAME_BUYER = 0.5
TRACK_SAME_DIVISION = 0.3
TRACK_VERIFIED = 0.2

#: exclusion reasons, in the order they are checked
EXCLUDED_NOT_PUBLISHED = "call_not_published"
EXCLUDED_DEADLINE = "deadline_passed"
EXCLUDED_COUNTRY = "country_not_eligible"
EXCLUDED_NOT_RELEVANT = "marked_not_relevant"
EXCLUSION_REASONS = (
    EXCLUDED_NOT_PUBLISHED,
    EXCLUDED_DEADLINE,
    EXCLUDED_COUNTRY,
    EXCLUDED_NOT_RELEVANT,
)


@dataclass(frozen=True)
class Component:
    """One part of a score: its value in [0, 1], its weight, and the facts behind it."""

    name: str  # "text", "cpv", "requirements", "track_record"
    value: float
    weight: float
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass(frozen=True)
class MatchResult:
    company_id: Id
    call_id: Id
    score: float  # in [0, 1]; 0 when excluded
    components: tuple[Component, ...] = ()
    excluded_by: str | None = None
    exclusion_detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def component(self, name: str) -> Component:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def matched_terms(self) -> list[str]:
        return list(self.component("text").detail.get("terms", []))

    @property
    def matched_codes(self):
        """The best (call code, company code, level) pair, a :class:`~.cpv.CodeMatch`, or None."""
        return self.component("cpv").detail.get("match")

    def reasons(self, cpv_labels: dict[str, str] | None = None) -> list[str]:
        from .explain import render_reasons

        return render_reasons(self, cpv_labels)


@dataclass(frozen=True)
class InfrastructureMatch:
    infrastructure_id: Id
    score: float
    components: tuple[Component, ...] = ()
