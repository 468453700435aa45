"""A company-opportunity fit in words, from the engine's stored components.

The engine writes its sentences about a call ("{company} offers what your call buys: ...").
Its ``gettext`` hook is given every sentence template before it is filled in, so the same
sentences are re-worded here for an opportunity ("... what your offer is about: ...") and
then translated; no sentence is written twice and none contains a number.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from matchmaking.engine import fit_label, render_reasons

#: whole templates that read badly with a word replaced, re-worded as a whole
_TEMPLATES = {
    "{company} offers what your call buys: {terms}": "{company} works on what your {noun} is about: {terms}",
    "{company} offers what the call buys: {terms}": "{company} works on what the {noun} is about: {terms}",
    "{company} offers {offers}; your call buys {buys}": "{company} offers {offers}; your {noun} is about {buys}",
    "{company} offers {offers}; the call buys {buys}": "{company} offers {offers}; the {noun} is about {buys}",
}
#: then word by word, longest first
_WORDS = (
    ("your call's", "your {noun}'s"),
    ("the call's", "the {noun}'s"),
    ("your call", "your {noun}"),
    ("the call", "the {noun}"),
    ("this infrastructure", "this organisation"),
    ("your infrastructure", "your organisation"),
)


def reword(template: str, noun: str) -> str:
    """An engine sentence template about a call, about an opportunity (``noun``: "offer" or
    "request") instead. Placeholders other than the noun are kept for the engine to fill."""
    text = _TEMPLATES.get(template)
    if text is None:
        text = template
        for old, new in _WORDS:
            text = text.replace(old, new)
    return text.replace("{noun}", noun)


def _words(noun: str):
    def translate(template: str) -> str:
        return gettext(reword(template, noun))

    return translate


def opportunity_reasons(
    components,
    *,
    audience: str,
    noun: str = "offer",
    company_name: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """The reasons of a stored fit for ``audience``: "officer" (the offering organisation reads
    about a company) or "company" (the company reads about the opportunity)."""
    return render_reasons(
        components,
        audience=audience,
        labels=labels or {},
        company_name=company_name,
        gettext=_words(noun),
    )


def fit_words(score: float) -> str:
    return fit_label(score, gettext)
