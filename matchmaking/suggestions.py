"""CPV codes suggested from a text, for the code pickers of organisations' forms (registered
with ``organisations.forms.register_cpv_suggester`` from ``MatchmakingConfig.ready``)."""

from __future__ import annotations

from django.utils.translation import gettext

from .engine import suggest_cpv


def suggest_codes(text: str, k: int = 5) -> list[dict]:
    """[{"code", "label", "why"}] of the ``k`` codes that best fit ``text`` (any of the 24 EU
    languages; the label in the text's language), best first; "why" in the active language."""
    return [
        {"code": s.code, "label": s.label, "why": s.why}
        for s in suggest_cpv(text, k=k, gettext=gettext)
    ]
