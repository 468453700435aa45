"""Template filters of the innovation pages."""

from django import template

from ..reasons import fit_words as _fit_words

register = template.Library()


@register.filter
def fit_words(score) -> str:
    """A stored score as the engine's fit level in words ("good fit")."""
    try:
        return _fit_words(float(score))
    except (TypeError, ValueError):
        return ""
