"""The one country picker of every form that takes a list of countries.

Without JavaScript it is a plain list of checkboxes (the portal's member countries first, then
the others, each group alphabetical in the reader's language) and a select of presets ("the
buyer's member states", "EU", "EU/EEA", "any country") that the server resolves into countries
(:func:`resolve_preset`): a chosen preset replaces the ticked boxes. ``static/js/organisations.js``
shows the presets as buttons that tick the boxes at once, and adds a box that filters the list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from django import forms
from django.utils.translation import gettext_lazy as _

from .countries import EEA_COUNTRIES, EU_COUNTRIES, country_choices

BUYER = "buyer"
EU = "eu"
EEA = "eea"
ANY = "any"

#: The presets in the order offered, with their labels.
PRESETS = (
    (BUYER, _("The buyer's member states")),
    (EU, _("EU")),
    (EEA, _("EU/EEA")),
    (ANY, _("Any country")),
)

PRESET_SUFFIX = "_preset"


def preset_countries(preset: str, *, buyer_states: Iterable[str] = ()) -> list[str] | None:
    """The country codes of a preset ([] for "any country"), or None for no or an unknown one."""
    if preset == BUYER:
        return [str(c) for c in buyer_states]
    if preset == EU:
        return list(EU_COUNTRIES)
    if preset == EEA:
        return list(EEA_COUNTRIES)
    if preset == ANY:
        return []
    return None


def resolve_preset(
    preset: str, *, chosen: Iterable[str], buyer_states: Iterable[str] = ()
) -> list[str]:
    """The countries a form stores: the preset's when one is chosen, else the ticked ones."""
    countries = preset_countries(preset or "", buyer_states=buyer_states)
    return [str(c) for c in chosen] if countries is None else countries


class CountryPickerWidget(forms.CheckboxSelectMultiple):
    """Grouped checkboxes, a preset select (buttons with JavaScript) and a filter box.

    ``buyer_states``: the member states of each buyer a form may choose, by the buyer's primary
    key ("" for a form whose buyer is fixed); without it the buyer's preset is not offered.
    ``buyer_field``: the name of the form's buyer select, whose value picks the buyer's states.
    ``presets``: the keys of :data:`PRESETS` a form offers (all of them unless it says);
    ``own_label``: the label of the buyer's preset where the owner is not a buyer (an
    opportunity's organisation, say).
    """

    template_name = "organisations/widgets/country_picker.html"
    use_fieldset = True

    def __init__(self, *, buyer_states: Mapping[str, list[str]] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.buyer_states = dict(buyer_states or {})
        self.buyer_field = ""
        self.presets = tuple(key for key, _label in PRESETS)
        self.own_label = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        presets = [
            {
                "value": key,
                "label": self.own_label if key == BUYER and self.own_label else label,
                "codes": preset_countries(key),
            }
            for key, label in PRESETS
            if key in self.presets and (key != BUYER or self.buyer_states)
        ]
        context["widget"].update(
            presets=presets,
            preset_name=name + PRESET_SUFFIX,
            buyer_states=self.buyer_states,
            buyer_states_json=json.dumps(self.buyer_states),
            buyer_field=self.buyer_field,
        )
        return context


class CountryPickerField(forms.MultipleChoiceField):
    """A list of countries (codes) chosen through :class:`CountryPickerWidget`."""

    widget = CountryPickerWidget

    def __init__(self, *, presets: Iterable[str] | None = None, **kwargs):
        """``presets``: the keys of :data:`PRESETS` offered (all by default); the buyer's is
        offered only once :meth:`offer_buyer_states` gave it states."""
        kwargs.setdefault("choices", country_choices)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        if presets is not None:
            self.widget.presets = tuple(presets)

    @property
    def presets(self) -> tuple[str, ...]:
        return self.widget.presets

    def offer_buyer_states(
        self, states: Mapping[str, list[str]], *, buyer_field: str = "", label=None
    ) -> None:
        """Offer the buyer's preset: ``states`` by buyer pk ("" for a fixed buyer), the buyer
        picked by the form's select ``buyer_field`` (none for a fixed buyer); ``label`` names
        the preset where the owner of the states is not a buyer."""
        self.widget.buyer_states = {k: list(v) for k, v in states.items() if v}
        self.widget.buyer_field = buyer_field
        self.widget.own_label = label


def chosen_preset(data, name: str, offered: Iterable[str] | None = None) -> str:
    """The preset a submitted form chose for its field ``name`` ("" for none); with
    ``offered`` (a field's :attr:`CountryPickerField.presets`), only one of those."""
    value = (data or {}).get(name + PRESET_SUFFIX, "") if data is not None else ""
    allowed = dict(PRESETS) if offered is None else set(offered)
    return value if value in allowed else ""
