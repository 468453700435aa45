"""Scores in words: the fit level, and the reasons, rendered from stored components.

A page stores a match's components as JSON (:func:`components_json`) and renders the reasons
when it is shown (:func:`render_reasons`), for its reader:

* ``audience="company"``: the company reads about itself ("your code 42131142 Control valves is
  the call's main code");
* ``audience="officer"``: the infrastructure's liaison officer reads about a supplier for their
  call ("NordCryo offers helium transfer lines; your call buys cryogenic valves");
* ``audience="cluster"``: the cluster manager reads about a member and a call.

No sentence contains an internal number (a value, a weight, a count, a share): only CPV codes
with their labels and certificate names. Every sentence goes through ``gettext`` (default:
identity), with its variable parts as named placeholders, so that it can be translated later.

The fit level ("strong fit", "good fit", "possible fit") comes from :data:`FIT_LEVELS`, whose
thresholds were read from the evaluation (docs/matching.md, "Fit levels").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from .model import (
    EXCLUDED_COUNTRY,
    EXCLUDED_DEADLINE,
    EXCLUDED_NOT_PUBLISHED,
    EXCLUDED_NOT_RELEVANT,
    MatchResult,
)


def gettext_noop(message: str) -> str:
    """Marks a sentence for the catalogues (``makemessages`` extracts it) without translating it
    here: this core has no Django; the caller's ``gettext`` translates it when rendering."""
    return message


#: (lowest score, level), best first; below the last there is no recommendation
FIT_LEVELS: tuple[tuple[float, str], ...] = ((0.40, "strong"), (0.25, "good"), (0.15, "possible"))
FIT_WORDS = {
    "strong": gettext_noop("strong fit"),
    "good": gettext_noop("good fit"),
    "possible": gettext_noop("possible fit"),
}
AUDIENCES = ("company", "officer", "cluster")
_LEVEL_WORDS = {
    7: gettext_noop("sub-category"),
    6: gettext_noop("sub-category"),
    5: gettext_noop("category"),
    4: gettext_noop("class"),
    3: gettext_noop("group"),
    2: gettext_noop("division"),
}


def fit_level(score: float) -> str | None:
    """ "strong", "good", "possible", or None below the lowest threshold."""
    for threshold, level in FIT_LEVELS:
        if score >= threshold:
            return level
    return None


def fit_label(score: float, gettext: Callable[[str], str] | None = None) -> str:
    """The fit level in words ("good fit"), "" below the lowest threshold."""
    _ = gettext or _identity
    level = fit_level(score)
    return _(FIT_WORDS[level]) if level else ""


def _identity(s: str) -> str:
    return s


# ---------------------------------------------------------------------------- JSON
def jsonable(value: Any) -> Any:
    """Dataclasses, tuples, sets and datetimes as JSON-able values (sets sorted)."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {k: jsonable(v) for k, v in asdict(value).items()}
        name = getattr(value, "level_name", None)
        if name is not None:
            out["level_name"] = name
        return out
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def components_json(result: MatchResult) -> list[dict[str, Any]]:
    """The components of a result as JSON-able dicts: name, value, weight, contribution, detail."""
    return [
        {
            "name": c.name,
            "value": c.value,
            "weight": c.weight,
            "contribution": c.contribution,
            "detail": jsonable(c.detail),
        }
        for c in result.components
    ]


def result_json(result: MatchResult) -> dict[str, Any]:
    """A whole result as JSON: score, fit level, exclusion and components."""
    return {
        "score": result.score,
        "fit_level": result.fit_level,
        "excluded_by": result.excluded_by,
        "exclusion_detail": jsonable(result.exclusion_detail),
        "components": components_json(result),
    }


def _source(source) -> tuple[list[dict[str, Any]], str | None, dict[str, Any]]:
    """(components as dicts, exclusion, exclusion detail) of a result or of its JSON."""
    if isinstance(source, MatchResult):
        return components_json(source), source.excluded_by, jsonable(source.exclusion_detail)
    if isinstance(source, Mapping):
        return (
            list(source.get("components", [])),
            source.get("excluded_by"),
            dict(source.get("exclusion_detail") or {}),
        )
    comps = []
    for c in source or ():
        if is_dataclass(c):  # engine Components (e.g. an InfrastructureMatch's)
            comps.append(
                {
                    "name": c.name,
                    "value": c.value,
                    "weight": c.weight,
                    "contribution": c.contribution,
                    "detail": jsonable(c.detail),
                }
            )
        else:
            comps.append(c)
    return comps, None, {}


# ---------------------------------------------------------------------------- reasons
class _Words:
    """Sentence pieces for one audience."""

    def __init__(self, audience, labels, company_name, call_title, gettext):
        self.audience = audience
        self.labels = labels or {}
        self.company = company_name
        self.call_title = call_title
        self._ = gettext or _identity

    def code(self, code: str | None) -> str:
        if not code:
            return ""
        label = self.labels.get(code)
        return f"{code} {label}" if label else code

    def t(self, template: str, **kw) -> str:
        return self._(template).format(**kw)


def _join(items: Sequence[str], w: _Words) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return w.t("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def _cpv_reason(d: dict, w: _Words) -> str | None:
    m = d.get("match")
    if not m:
        return None
    level = int(m.get("level", 0))
    main = m.get("main", True)
    mine, theirs = w.code(m.get("company_code")), w.code(m.get("call_code"))
    who = w.audience
    if level == 8:
        if main:
            tpl = {
                "company": gettext_noop("your code {mine} is the call's main code"),
                "officer": gettext_noop("{company} declares {mine}, the main code of your call"),
                "cluster": gettext_noop("{company} declares {mine}, the call's main code"),
            }[who]
        else:
            tpl = {
                "company": gettext_noop("your code {mine} is one of the call's additional codes"),
                "officer": gettext_noop(
                    "{company} declares {mine}, an additional code of your call"
                ),
                "cluster": gettext_noop(
                    "{company} declares {mine}, an additional code of the call"
                ),
            }[who]
        return w.t(tpl, mine=mine, company=w.company or w.t("the company"))
    kind = w.t(_LEVEL_WORDS.get(level, "division"))
    which = w.t("main code") if main else w.t("additional code")
    if m.get("covered"):
        tpl = {
            "company": gettext_noop("your code {mine} covers the call's {which} {theirs}"),
            "officer": gettext_noop("{company}'s code {mine} covers your call's {which} {theirs}"),
            "cluster": gettext_noop("{company}'s code {mine} covers the call's {which} {theirs}"),
        }[who]
    else:
        tpl = {
            "company": gettext_noop(
                "your code {mine} is in the same {kind} as the call's {which} {theirs}"
            ),
            "officer": gettext_noop(
                "{company}'s code {mine} is in the same {kind} as your call's {which} {theirs}"
            ),
            "cluster": gettext_noop(
                "{company}'s code {mine} is in the same {kind} as the call's {which} {theirs}"
            ),
        }[who]
    return w.t(
        tpl,
        mine=mine,
        theirs=theirs,
        kind=kind,
        which=which,
        company=w.company or w.t("the company"),
    )


def _text_reasons(d: dict, w: _Words) -> list[str]:
    out = []
    call_terms = d.get("call_terms") or d.get("terms") or []
    company_terms = d.get("company_terms") or call_terms
    if call_terms:
        company = w.company or w.t("the company")
        a = {t.lower() for t in call_terms[:3]}
        b = {t.lower() for t in company_terms[:3]}
        same = len(a & b) >= min(len(a), len(b)) - 1  # the same words, give or take one form
        if w.audience == "company":
            out.append(
                w.t("your profile and the call both name {terms}", terms=_join(call_terms[:4], w))
            )
        elif same:
            tpl = (
                gettext_noop("{company} offers what your call buys: {terms}")
                if w.audience == "officer"
                else gettext_noop("{company} offers what the call buys: {terms}")
            )
            out.append(w.t(tpl, company=company, terms=_join(call_terms[:3], w)))
        else:
            tpl = (
                gettext_noop("{company} offers {offers}; your call buys {buys}")
                if w.audience == "officer"
                else gettext_noop("{company} offers {offers}; the call buys {buys}")
            )
            out.append(
                w.t(
                    tpl,
                    company=company,
                    offers=_join(company_terms[:3], w),
                    buys=_join(call_terms[:3], w),
                )
            )
    concepts = d.get("concepts") or []
    if concepts and not call_terms:
        tpl = {
            "company": gettext_noop("your profile and the call are both about {concepts}"),
            "officer": gettext_noop("{company} and your call are both about {concepts}"),
            "cluster": gettext_noop("{company} and the call are both about {concepts}"),
        }[w.audience]
        out.append(
            w.t(
                tpl,
                concepts=_join([w.t(c) for c in concepts[:2]], w),
                company=w.company or w.t("the company"),
            )
        )
    topics = [w.code(c) for c in d.get("topics", [])[:2]]
    if topics and (not call_terms or d.get("topics_share", 0) > d.get("words_share", 0)):
        tpl = {
            "company": gettext_noop(
                "your profile and the call are about the same things: {topics}"
            ),
            "officer": gettext_noop("{company} and your call are about the same things: {topics}"),
            "cluster": gettext_noop("{company} and the call are about the same things: {topics}"),
        }[w.audience]
        out.append(
            w.t(
                tpl,
                topics=_join([f"CPV {t}" for t in topics], w),
                company=w.company or w.t("the company"),
            )
        )
    return out


def _requirement_reasons(d: dict, w: _Words) -> list[str]:
    out = []
    company = w.company or w.t("the company")
    for cert in d.get("met", []):
        tpl = {
            "company": gettext_noop("you hold the required {cert}"),
            "officer": gettext_noop("{company} holds the required {cert}"),
            "cluster": gettext_noop("{company} holds the required {cert}"),
        }[w.audience]
        out.append(w.t(tpl, cert=cert, company=company))
    for cert in d.get("missing", []):
        tpl = {
            "company": gettext_noop("the call requires {cert}, which your profile does not list"),
            "officer": gettext_noop("your call requires {cert}, which {company} does not list"),
            "cluster": gettext_noop("the call requires {cert}, which {company} does not list"),
        }[w.audience]
        out.append(w.t(tpl, cert=cert, company=company))
    return out


def _track_reasons(d: dict, w: _Words) -> list[str]:
    out = []
    company = w.company or w.t("the company")
    if d.get("same_buyer"):
        recent = d.get("same_buyer_recent", True)
        tpl = {
            "company": gettext_noop("you have worked for this infrastructure before")
            if recent
            else gettext_noop("you worked for this infrastructure some years ago"),
            "officer": gettext_noop("{company} has worked for your infrastructure before")
            if recent
            else gettext_noop("{company} worked for your infrastructure some years ago"),
            "cluster": gettext_noop("{company} has worked for this infrastructure before")
            if recent
            else gettext_noop("{company} worked for this infrastructure some years ago"),
        }[w.audience]
        out.append(w.t(tpl, company=company))
    groups = d.get("groups") or []
    if groups:
        fields = _join([f"CPV {w.code(g.ljust(8, '0'))}" for g in groups[:2]], w)
        tpl = {
            "company": gettext_noop("your references include work in the call's field: {fields}"),
            "officer": gettext_noop(
                "{company}'s references include work in your call's field: {fields}"
            ),
            "cluster": gettext_noop(
                "{company}'s references include work in the call's field: {fields}"
            ),
        }[w.audience]
        out.append(w.t(tpl, fields=fields, company=company))
    if d.get("verified"):
        tpl = {
            "company": gettext_noop("your profile is verified by your cluster"),
            "officer": gettext_noop("{company}'s profile is verified by its cluster"),
            "cluster": gettext_noop("{company}'s profile is verified by its cluster"),
        }[w.audience]
        out.append(w.t(tpl, company=company))
    return out


def _exclusion(reason: str | None, d: dict, w: _Words) -> str | None:
    if reason is None:
        return None
    if reason == EXCLUDED_COUNTRY:
        eligible = ", ".join(d.get("eligible", [])) or w.t("other countries")
        return w.t(
            "excluded: the call is open to {eligible} only, not to {country}",
            eligible=eligible,
            country=d.get("country", "?"),
        )
    if reason == EXCLUDED_DEADLINE:
        return w.t("excluded: the submission deadline has passed")
    if reason == EXCLUDED_NOT_PUBLISHED:
        return w.t("excluded: the call is not open")
    if reason == EXCLUDED_NOT_RELEVANT:
        if w.audience == "company":
            return w.t("excluded: you marked this call as not relevant")
        return w.t("excluded: the company marked this call as not relevant")
    return w.t("excluded: {reason}", reason=reason)


def render_exclusion(result: MatchResult, *, gettext=None) -> str | None:
    w = _Words("company", None, None, None, gettext)
    return _exclusion(result.excluded_by, jsonable(result.exclusion_detail), w)


def render_reasons(
    source,
    cpv_labels: Mapping[str, str] | None = None,
    *,
    audience: str | None = None,
    labels: Mapping[str, str] | None = None,
    company_name: str | None = None,
    call_title: str | None = None,
    gettext: Callable[[str], str] | None = None,
) -> list[str]:
    """One plain sentence per fact behind a score, strongest component first.

    ``source``: a :class:`~.model.MatchResult`, its stored components (the list of
    :func:`components_json`), or a dict with "components" (and "excluded_by",
    "exclusion_detail", as :func:`result_json`). ``labels`` (or the old positional
    ``cpv_labels``): {8-digit code: label}. ``audience``: "company", "officer" or "cluster"; the
    old call ``render_reasons(result, labels)`` (no audience) renders for the company in the
    sentence forms of engine 1.x, without their numbers (see :func:`_legacy`).
    """
    labels = labels if labels is not None else cpv_labels
    comps, excluded_by, excl_detail = _source(source)
    if audience is None:
        return _legacy(comps, excluded_by, excl_detail, labels, gettext)
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, not {audience!r}")
    w = _Words(audience, labels, company_name, call_title, gettext)
    out: list[str] = []
    excl = _exclusion(excluded_by, excl_detail, w)
    if excl:
        out.append(excl)
    for comp in sorted(comps, key=_reader_order):
        d = comp.get("detail") or {}
        name = comp["name"]
        if name == "text":
            out.extend(_text_reasons(d, w))
        elif name == "cpv":
            r = _cpv_reason(d, w)
            if r:
                out.append(r)
        elif name == "requirements":
            out.extend(_requirement_reasons(d, w))
        elif name == "track_record":
            out.extend(_track_reasons(d, w))
    return out


def _reader_order(comp: dict) -> tuple:
    """Strongest component first, except that a code match on the call's main code at class
    level or finer comes first: it says in one line what the call buys and that the company
    makes it ("your code 42131142 Control valves is the call's main code")."""
    m = (comp.get("detail") or {}).get("match") if comp.get("name") == "cpv" else None
    main_first = bool(m) and m.get("main", True) and int(m.get("level", 0)) >= 4
    return (not main_first, -float(comp.get("contribution", 0.0)), comp["name"])


def _legacy(comps, excluded_by, excl_detail, labels, gettext) -> list[str]:
    """The sentence forms of engine 1.x (which other modules' pages and tests still read),
    without the internal numbers: "matched: ...", "CPV <code> <label> matches your code ...",
    "your ISO 9001 meets the requirement", "you have a reference with this infrastructure"."""
    w = _Words("company", labels, None, None, gettext)
    out: list[str] = []
    excl = _exclusion(excluded_by, excl_detail, w)
    if excl:
        out.append(excl)

    def code(c):
        label = (labels or {}).get(c)
        return f"CPV {c} {label}" if label else f"CPV {c}"

    for comp in sorted(comps, key=lambda c: (-float(c.get("contribution", 0.0)), c["name"])):
        d = comp.get("detail") or {}
        name = comp["name"]
        if name == "text" and d.get("terms"):
            out.append(w.t("matched: {terms}", terms=", ".join(d["terms"])))
        elif name == "cpv" and d.get("match"):
            m = d["match"]
            level = int(m.get("level", 0))
            if level == 8:
                out.append(w.t("{code} is one of your codes", code=code(m["call_code"])))
            else:
                # from the level, not the stored English "level_name", so that it translates
                how = w.t("same {kind}", kind=w.t(_LEVEL_WORDS.get(level, "division")))
                if m.get("covered"):
                    how += w.t(", your code covers it")
                out.append(
                    w.t(
                        "{code} matches your code {mine} ({how})",
                        code=code(m["call_code"]),
                        mine=m["company_code"],
                        how=how,
                    )
                )
        elif name == "requirements":
            for cert in d.get("met", []):
                out.append(w.t("your {cert} meets the requirement", cert=cert))
            for cert in d.get("missing", []):
                out.append(
                    w.t("the call requires {cert}, which your profile does not list", cert=cert)
                )
        elif name == "track_record":
            if d.get("same_buyer"):
                out.append(w.t("you have a reference with this infrastructure"))
            if d.get("groups") or d.get("divisions"):
                out.append(w.t("you have references in the call's field"))
            if d.get("verified"):
                out.append(w.t("your profile is verified by your cluster"))
    return out
