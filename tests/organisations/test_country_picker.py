"""The one country picker (``organisations.country_picker``): presets and the widget."""

from django import forms

from organisations.countries import EEA_COUNTRIES, EU_COUNTRIES
from organisations.country_picker import (
    CountryPickerField,
    chosen_preset,
    preset_countries,
    resolve_preset,
)


def test_eu_and_eea_constants():
    assert len(EU_COUNTRIES) == 27
    assert "NO" not in EU_COUNTRIES and "CH" not in EU_COUNTRIES
    assert set(EEA_COUNTRIES) - set(EU_COUNTRIES) == {"IS", "LI", "NO"}


def test_presets_resolve_into_countries():
    assert preset_countries("eu") == list(EU_COUNTRIES)
    assert preset_countries("eea") == list(EEA_COUNTRIES)
    assert preset_countries("any") == []
    assert preset_countries("buyer", buyer_states=["FR", "DE"]) == ["FR", "DE"]
    assert preset_countries("") is None
    assert preset_countries("mars") is None


def test_a_preset_replaces_the_ticked_countries_and_none_keeps_them():
    assert resolve_preset("eu", chosen=["US"]) == list(EU_COUNTRIES)
    assert resolve_preset("", chosen=["US"]) == ["US"]
    assert resolve_preset("buyer", chosen=["US"], buyer_states=["CH"]) == ["CH"]


def test_chosen_preset_reads_the_fields_select():
    assert chosen_preset({"countries_preset": "eea"}, "countries") == "eea"
    assert chosen_preset({"countries_preset": "bogus"}, "countries") == ""
    assert chosen_preset(None, "countries") == ""


class _Form(forms.Form):
    countries = CountryPickerField(label="Countries")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].offer_buyer_states({"": ["FR"]})


def test_the_widget_renders_grouped_checkboxes_presets_and_a_filter():
    html = str(_Form(initial={"countries": ["FR"]})["countries"])
    assert 'type="checkbox"' in html and 'value="FR"' in html
    assert "checked" in html
    assert "Member countries" in html and "Other countries" in html
    assert 'name="countries_preset"' in html
    for label in ("The buyer&#x27;s member states", "EU/EEA", "Any country"):
        assert label in html
    assert "data-country-filter" in html


def test_the_field_takes_ticked_codes():
    form = _Form({"countries": ["FR", "DE"]})
    assert form.is_valid()
    assert form.cleaned_data["countries"] == ["FR", "DE"]


class _OwnForm(forms.Form):
    countries = CountryPickerField(label="Countries", presets=("buyer", "eu", "any"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].offer_buyer_states({"7": ["FR"]}, label="The owner's states")


def test_a_form_offers_only_its_presets_and_names_the_owners_one():
    html = str(_OwnForm()["countries"])
    assert "The owner&#x27;s states" in html and "member states" not in html
    assert 'value="eu"' in html and 'value="any"' in html and 'value="eea"' not in html
    offered = _OwnForm().fields["countries"].presets
    assert chosen_preset({"countries_preset": "eea"}, "countries", offered) == ""
    assert chosen_preset({"countries_preset": "eu"}, "countries", offered) == "eu"
