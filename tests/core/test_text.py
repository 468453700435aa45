"""Limits on what people type: one line for one-line fields, a length for every text."""

import pytest
from django import forms

from bigscience_portal.core.text import MAX_TEXT_LENGTH, PortalFormMixin


class ProfileForm(PortalFormMixin, forms.Form):
    name = forms.CharField()
    capabilities = forms.CharField(widget=forms.Textarea)
    code = forms.CharField(max_length=8)


@pytest.mark.parametrize("name", ["Nord\r\nCryo", "Nord\nCryo", "Nord\x00Cryo", "Bcc:\x0bx"])
def test_a_one_line_field_refuses_line_breaks_and_control_characters(name):
    form = ProfileForm({"name": name, "capabilities": "x", "code": "1"})
    assert not form.is_valid()
    assert "name" in form.errors  # (a NUL has Django's own message)


def test_free_text_keeps_its_line_breaks_up_to_a_limit():
    ok = ProfileForm({"name": "NordCryo", "capabilities": "Cryostats.\nValves.", "code": "1"})
    assert ok.is_valid(), ok.errors
    huge = ProfileForm(
        {"name": "NordCryo", "capabilities": "x" * (MAX_TEXT_LENGTH + 1), "code": "1"}
    )
    assert not huge.is_valid()
    assert "capabilities" in huge.errors
    assert ProfileForm().fields["capabilities"].widget.attrs["maxlength"] == str(MAX_TEXT_LENGTH)


def test_a_field_with_its_own_limit_keeps_it():
    assert ProfileForm().fields["code"].max_length == 8


def test_an_oversized_id_in_a_url_is_a_404(client):
    assert client.get("/calls/99999999999999999999999/").status_code == 404
