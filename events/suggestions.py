"""“Who to meet”: suggestions for a B2B participant, computed with the matchmaking engine.

The pure part (:func:`suggest`) takes plain :class:`Party` records; :func:`suggestions_for`
loads them from the database. A liaison officer of an infrastructure is shown companies; a
company is shown infrastructures and complementary companies (whose offers answer its requests
or whose requests its offers answer). Every suggestion carries its reasons in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matchmaking.engine import TextIndex, best_code_match

INFRA = "research_infrastructure"
COMPANY_KINDS = {"sme", "large_company"}
OFFER_KINDS = {"technology_offer", "business_offer"}
REQUEST_KINDS = {"technology_request", "business_request", "rd_request"}


@dataclass(frozen=True)
class Opp:
    kind: str
    title: str
    text: str
    cpv: tuple[str, ...] = ()


@dataclass(frozen=True)
class Party:
    id: int
    name: str
    org_kind: str  # "" for individuals
    capabilities: str = ""
    cpv: tuple[str, ...] = ()
    opportunities: tuple[Opp, ...] = field(default_factory=tuple)

    @property
    def offers(self) -> list[Opp]:
        return [o for o in self.opportunities if o.kind in OFFER_KINDS]

    @property
    def requests(self) -> list[Opp]:
        return [o for o in self.opportunities if o.kind in REQUEST_KINDS]

    def text(self, which: str = "all") -> str:
        opps = {"all": self.opportunities, "offers": self.offers, "requests": self.requests}[which]
        parts = [o.title + ". " + o.text for o in opps]
        if which in ("all", "offers"):
            parts.append(self.capabilities)
        return "\n".join(p for p in parts if p.strip())

    def all_cpv(self) -> set[str]:
        return set(self.cpv) | {c for o in self.opportunities for c in o.cpv}


@dataclass(frozen=True)
class Suggestion:
    party: Party
    score: float
    reasons: list[str]


def _eligible(me: Party, other: Party) -> bool:
    if me.org_kind == INFRA:
        return other.org_kind in COMPANY_KINDS
    if me.org_kind in COMPANY_KINDS:
        return other.org_kind == INFRA or other.org_kind in COMPANY_KINDS
    return other.id != me.id


def suggest(me: Party, others: list[Party], k: int = 10) -> list[Suggestion]:
    """The ``k`` parties ``me`` should meet, best first, each with its reasons."""
    others = [o for o in others if o.id != me.id and _eligible(me, o)]
    if not others:
        return []
    # Documents: 0 = my requests, 1 = my offers+capabilities, then per other: offers, requests.
    docs = [me.text("requests"), me.text("offers")]
    for o in others:
        docs += [o.text("offers"), o.text("requests")]
    index = TextIndex(docs)
    out: list[Suggestion] = []
    my_codes = me.all_cpv()
    for n, other in enumerate(others):
        their_offers, their_requests = 2 + 2 * n, 3 + 2 * n
        reasons: list[str] = []
        score = 0.0
        # what they offer against what I seek, and the other way round
        s1 = index.similarity(0, their_offers) if docs[0] and docs[their_offers] else 0.0
        s2 = index.similarity(1, their_requests) if docs[1] and docs[their_requests] else 0.0
        if s1 >= 0.05:
            terms = ", ".join(index.matched_terms(their_offers, 0, 4))
            reasons.append(f"What they offer matches what you are looking for ({terms}).")
        if s2 >= 0.05:
            terms = ", ".join(index.matched_terms(their_requests, 1, 4))
            reasons.append(f"What they are looking for matches what you offer ({terms}).")
        score += s1 + s2
        their_codes = other.all_cpv()
        if my_codes and their_codes:
            match = best_code_match(my_codes, their_codes)
            if match is not None:
                reasons.append(
                    f"Shared CPV classification: your {match.company_code} and their "
                    f"{match.call_code} ({match.level_name})."
                )
                score += 0.5 * match.score
        if me.org_kind == INFRA and other.org_kind in COMPANY_KINDS and score > 0:
            reasons.append("A potential supplier for your infrastructure.")
        if me.org_kind in COMPANY_KINDS and other.org_kind == INFRA:
            reasons.append("A research infrastructure: a potential customer.")
            score += 0.1
        if score <= 0:
            continue
        out.append(Suggestion(other, round(score, 4), reasons))
    out.sort(key=lambda s: (-s.score, s.party.name, s.party.id))
    return out[:k]


# --- loading ----------------------------------------------------------------------------------


def _party(registration) -> Party:
    org = registration.organisation
    return Party(
        id=registration.pk,
        name=registration.display_name,
        org_kind=org.kind if org else "",
        capabilities=(org.capabilities or org.description) if org else "",
        cpv=tuple(c.code for c in org.cpv_codes.all()) if org else (),
        opportunities=tuple(
            Opp(o.kind, o.title, o.description, tuple(c.code for c in o.cpv_codes.all()))
            for o in (link.opportunity for link in registration.opportunity_links.all())
        ),
    )


def suggestions_for(registration, k: int = 10) -> list[tuple[object, Suggestion]]:
    """(registration, suggestion) pairs for a confirmed B2B participant."""
    from django.db.models import Prefetch

    from .models import Registration
    from .selectors import shown_opportunities

    regs = list(
        registration.event.registrations.filter(status=Registration.Status.CONFIRMED)
        .select_related("user", "organisation")
        .prefetch_related(
            "organisation__cpv_codes",
            Prefetch("opportunity_links", queryset=shown_opportunities()),
        )
    )
    by_id = {r.pk: r for r in regs}
    me = by_id.get(registration.pk)
    if me is None:
        return []
    parties = [_party(r) for r in regs]
    result = suggest(_party(me), parties, k)
    return [(by_id[s.party.id], s) for s in result]
