"""The one CPV/NACE code picker of every form and filter that takes codes.

The control is a plain text input of codes separated by spaces, commas or semicolons, so a form
works without JavaScript; below it the widget lists the codes it holds, each with its label in
the reader's language (a failed save shows what was typed, named). ``static/js/organisations.js``
turns that list into chips with a remove button each and adds a type-ahead search box.
"""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy

from .code_labels import SCHEMES, code_labels

#: how codes are separated in the text input (as ``CodeListField.to_python`` splits them)
SEPARATORS = re.compile(r"[\s,;]+")


def code_tokens(value, *, upper: bool = False) -> list[str]:
    """The codes of a picker's text, each once, in order ("42123000-5" as "42123000")."""
    tokens: list[str] = []
    for token in SEPARATORS.split(str(value or "")):
        token = token.strip()
        match = re.fullmatch(r"(\d{8})-\d", token)
        token = match.group(1) if match else token
        token = token.upper() if upper else token
        if token and token not in tokens:
            tokens.append(token)
    return tokens


def chosen_codes(model, value, *, upper: bool = False) -> list[dict]:
    """``[{"code", "label"}]`` for the codes of ``value``: labels in the active language, an
    empty label for what is not a code of ``model`` (a mistyped code, a filter's prefix). One
    query, none for an empty value."""
    tokens = code_tokens(value, upper=upper)[:500]
    if not tokens:
        return []
    scheme = next(name for name, scheme_model in SCHEMES.items() if scheme_model is model)
    found = code_labels(tokens, scheme=scheme)
    return [{"code": token, "label": found.get(token, "")} for token in tokens]


class CodePickerInput(forms.TextInput):
    """A text input of codes with the chosen codes listed below it (see the module)."""

    template_name = "organisations/widgets/code_picker.html"

    def __init__(self, *, model, picker: str, search_url, single: bool = False, attrs=None):
        base = {
            "data-code-picker": picker,
            "data-search-url": search_url,
            "autocomplete": "off",
            "spellcheck": "false",
        }
        if single:
            base["data-code-single"] = "true"
        super().__init__(attrs={**base, **(attrs or {})})
        self.model = model
        self.upper = picker == "nace"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["chosen"] = chosen_codes(
            self.model, context["widget"]["value"], upper=self.upper
        )
        return context


def cpv_picker(*, single: bool = False) -> CodePickerInput:
    """The CPV picker for a form or filter field of its own (a ``CPVCodeListField`` has it)."""
    from .models import CPVCode

    return CodePickerInput(
        model=CPVCode,
        picker="cpv",
        search_url=reverse_lazy("organisations:cpv_search"),
        single=single,
    )


def nace_picker(*, single: bool = False) -> CodePickerInput:
    from .models import NACECode

    return CodePickerInput(
        model=NACECode,
        picker="nace",
        search_url=reverse_lazy("organisations:nace_search"),
        single=single,
    )
