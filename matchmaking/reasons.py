"""Scores and reasons in words, for the reader of a page or a mail, rendered when shown.

A stored match keeps the engine's components (``Match.components``, plain JSON); the sentences
are made from them here, for whoever reads them:

* ``company``: the company's own pages and mails ("your code 42131142 Control valves is the
  call's main code");
* ``officer``: a call's suggested suppliers, read by the buyer's liaison officer ("NordCryo
  offers what your call buys: ...");
* ``cluster``: the cluster board, read by the cluster's manager ("NordCryo declares ..., the
  call's main code"; never "your code").

Every sentence goes through ``gettext`` in the active language, and the sentences of the apps
above matchmaking (``hooks.notes_for``: industrial return, ...) follow the engine's. Nothing is
recomputed: a rewording or a translation shows on the next view. No sentence carries an internal
number (a value, a weight, a share): the score is shown once, as a percentage beside its fit
level in words (:func:`score_words`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext

from . import hooks
from .engine import fit_label, render_reasons
from .selectors import cpv_labels

AUDIENCES = ("company", "officer", "cluster")


def fit_words(score: float) -> str:
    """The fit level in words ("strong fit", "good fit", "possible fit"), "weak fit" below."""
    return fit_label(score, gettext) or gettext("weak fit")


def percent(score: float) -> int:
    return round(score * 100)


def score_words(score: float) -> str:
    """The score as people read it: "53% · strong fit"."""
    return gettext("%(percent)s%% · %(fit)s") % {
        "percent": percent(score),
        "fit": fit_words(score),
    }


def match_reasons(match, *, audience: str) -> list[str]:
    """The sentences behind a stored match's score, for ``audience``, strongest first, then the
    notes of the apps above (each registered hook may add one).

    Reads ``match.company`` and ``match.call``: load them with the match (``select_related``).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, not {audience!r}")
    company, call = match.company, match.call
    lines = render_reasons(
        match.components or [],
        audience=audience,
        labels=cpv_labels(),
        company_name=company.name,
        call_title=call.title,
        gettext=gettext,
    )
    return [*lines, *hooks.notes_for(company, call, audience=audience)]


# --------------------------------------------------------------------------- infrastructures
def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _code(code: str | None) -> str:
    label = cpv_labels().get(code or "")
    return f"{code} {label}" if label else (code or "")


def infrastructure_reasons(components) -> list[str]:
    """Why an infrastructure needs what the company does, for the company, from the stored
    components of an :class:`~matchmaking.models.InfrastructureFit` (strongest first)."""
    out: list[tuple[float, str]] = []
    for comp in components or ():
        detail = comp.get("detail") or {}
        weight = float(comp.get("contribution", 0.0))
        if comp.get("name") == "text":
            terms = detail.get("company_terms") or detail.get("terms") or []
            if terms:
                out.append(
                    (
                        weight,
                        gettext("your profile and its calls both name %(terms)s")
                        % {"terms": _join(terms[:4])},
                    )
                )
            elif detail.get("topics"):
                topics = [f"CPV {_code(t)}" for t in detail["topics"][:2]]
                out.append(
                    (
                        weight,
                        gettext("your profile and its calls are about the same things: %(topics)s")
                        % {"topics": _join(topics)},
                    )
                )
        elif comp.get("name") == "cpv" and detail.get("match"):
            m = detail["match"]
            if int(m.get("level", 0)) == 8:
                text = gettext("your code %(mine)s is one of the codes of its calls") % {
                    "mine": _code(m.get("company_code"))
                }
            else:
                text = gettext("your code %(mine)s is close to %(theirs)s, a code of its calls") % {
                    "mine": _code(m.get("company_code")),
                    "theirs": _code(m.get("call_code")),
                }
            out.append((weight, text))
        elif comp.get("name") == "track_record" and detail.get("same_buyer"):
            out.append(
                (
                    weight,
                    gettext("you have worked for this infrastructure before")
                    if detail.get("same_buyer_recent", True)
                    else gettext("you worked for this infrastructure some years ago"),
                )
            )
    out.sort(key=lambda pair: -pair[0])
    return [text for _weight, text in out]
