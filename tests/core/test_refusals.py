"""One way to refuse: services raise ActionRefused, one view helper shows it."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.refusals import refusals


def _request(rf):
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


class DeadlineForm(forms.Form):
    deadline = forms.CharField()


def test_a_refusal_without_a_form_becomes_an_error_message(rf):
    request = _request(rf)
    ran_after = []
    with refusals(request) as refused:
        raise ActionRefused("A closed call cannot be published.")
        ran_after.append(True)  # pragma: no cover
    assert refused
    assert ran_after == []
    assert [str(m) for m in get_messages(request)] == ["A closed call cannot be published."]


def test_a_refusal_naming_a_field_goes_to_that_field(rf):
    form = DeadlineForm({"deadline": "yesterday"})
    form.is_valid()
    with refusals(_request(rf), form=form) as refused:
        raise ActionRefused("The deadline has passed.", field="deadline")
    assert refused
    assert form.errors["deadline"] == ["The deadline has passed."]


def test_model_validation_errors_keep_their_fields(rf):
    form = DeadlineForm({"deadline": "x"})
    form.is_valid()
    error = ValidationError({"deadline": ["Too late."], "other": ["Not on the form."]})
    with refusals(_request(rf), form=form):
        raise ActionRefused.from_validation_error(error)
    assert form.errors["deadline"] == ["Too late."]
    assert form.non_field_errors() == ["Not on the form."]


def test_a_block_that_is_not_refused_runs_to_its_end(rf):
    with refusals(_request(rf)) as refused:
        done = True
    assert done and not refused


def test_other_errors_are_not_swallowed(rf):
    import pytest

    with pytest.raises(KeyError), refusals(_request(rf)):
        raise KeyError("a bug is a bug")
