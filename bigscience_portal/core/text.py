"""Limits on what people type: one-line fields hold one line, free text has a sane length.

Every form of the portal inherits :class:`PortalFormMixin` (with ``forms.Form`` or
``forms.ModelForm``): a text input refuses line breaks and control characters (a name or title
that holds a CR/LF breaks mail headers and calendar files and is never meant), and every text
field gets a length limit that a real profile or call never reaches (``MAX_TEXT_LENGTH``) unless
it has a smaller one. Models use :data:`LONG_TEXT_VALIDATORS` on their ``TextField``\\ s so that
``full_clean`` in the services holds the same limit for writes that do not come from a form
(imports, the API of a later day).
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

#: free text (capabilities, descriptions, messages): about four pages; the longest real profile
#: of the demo data is under 2,000 characters, the longest real TED description under 4,000
MAX_TEXT_LENGTH = 10_000
#: a one-line field without its own limit
MAX_LINE_LENGTH = 500

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # tab (\x09) is folded, not refused


def validate_one_line(value: str) -> None:
    """A one-line text has no line breaks or control characters."""
    if value and _CONTROL.search(str(value)):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="not_one_line",
        )


LONG_TEXT_VALIDATORS = [MaxLengthValidator(MAX_TEXT_LENGTH)]
ONE_LINE_VALIDATORS = [validate_one_line]


class PortalFormMixin:
    """One-line inputs hold one line; every text has a length limit (see the module)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            widget = field.widget
            textarea = isinstance(widget, forms.Textarea)
            single_line = isinstance(widget, forms.TextInput) and not isinstance(
                widget, forms.PasswordInput
            )
            if single_line and validate_one_line not in field.validators:
                field.validators.append(validate_one_line)
            if field.max_length is None:
                field.max_length = MAX_TEXT_LENGTH if textarea else MAX_LINE_LENGTH
                field.validators.append(MaxLengthValidator(field.max_length))
                widget.attrs.setdefault("maxlength", str(field.max_length))


def free_slug(text: str, taken, *, fallback: str, reserved=frozenset()) -> str:
    """A slug for ``text`` that no row of ``taken`` (a queryset) has and that is not one of
    ``reserved`` (an app's own paths): ``name``, ``name-2``, ``name-3``...; ``fallback`` when
    the text has no letter a slug keeps."""
    base = slugify(text)[:200] or fallback
    slug, n = base, 2
    while slug in reserved or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
