"""Forms of the matchmaking pages (rendered through ``core/_field.html``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin

from .models import FORWARD_NOTE_LENGTH, AlertSubscription, Feedback


class FeedbackForm(forms.Form):
    """A company's judgement of one recommended call. Each recommendation carries two: one
    that says "relevant", one that says "not relevant" with its reason (the service refuses a
    "not relevant" without one)."""

    company = forms.IntegerField(widget=forms.HiddenInput)
    call = forms.IntegerField(widget=forms.HiddenInput)
    relevant = forms.TypedChoiceField(
        choices=[("1", _("Relevant")), ("0", _("Not relevant"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
        label=_("Is this call relevant?"),
    )
    reason = forms.ChoiceField(
        choices=[("", _("Why not?")), *Feedback.Reason.choices],
        required=False,
        label=_("Not relevant because"),
        # shown on the "not relevant" button's form only, where a reason is needed
        widget=forms.Select(attrs={"class": "form-select-sm", "required": True}),
    )

    @classmethod
    def for_match(cls, match, *, relevant: bool) -> FeedbackForm:
        """The unbound form of one recommendation's button (ids unique on the page)."""
        return cls(
            initial={
                "company": match.company_id,
                "call": match.call_id,
                "relevant": "1" if relevant else "0",
            },
            auto_id=False if relevant else f"id_feedback_{match.call_id}_%s",
        )


class CompanyForm(forms.Form):
    """Which of the user's companies the recommendations are for."""

    company = forms.ModelChoiceField(queryset=None, label=_("Company"), empty_label=None)

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class AlertSubscriptionForm(PortalFormMixin, forms.ModelForm):
    """How often, and from which fit level on: the levels are the words shown beside every
    score ("good fit or better (from 25%)"), not a number between 0 and 1."""

    class Meta:
        model = AlertSubscription
        fields = ["frequency", "threshold", "deadline_reminders"]
        widgets = {"threshold": forms.Select}


class ForwardForm(forms.Form):
    """A cluster manager's forward of a call to a member, with an optional note."""

    note = forms.CharField(
        label=_("Note to the member"),
        required=False,
        max_length=FORWARD_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
