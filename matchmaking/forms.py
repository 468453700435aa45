from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AlertSubscription, Feedback


class FeedbackForm(forms.Form):
    company = forms.IntegerField(widget=forms.HiddenInput)
    call = forms.IntegerField(widget=forms.HiddenInput)
    relevant = forms.TypedChoiceField(
        choices=[("1", _("Relevant")), ("0", _("Not relevant"))],
        coerce=lambda v: v == "1",
        label=_("Is this call relevant?"),
    )
    reason = forms.ChoiceField(
        choices=[("", _("Why not?")), *Feedback.Reason.choices],
        required=False,
        label=_("Reason"),
    )

    def clean(self):
        data = super().clean()
        if data.get("relevant") is False and not data.get("reason"):
            self.add_error("reason", _("Tell us why the call is not relevant."))
        return data


class AlertSubscriptionForm(forms.ModelForm):
    class Meta:
        model = AlertSubscription
        fields = ["frequency", "threshold", "deadline_reminders"]
        widgets = {"threshold": forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 1})}

    def clean_threshold(self):
        value = self.cleaned_data["threshold"]
        if not 0 <= value <= 1:
            raise forms.ValidationError(_("Enter a score between 0 and 1."))
        return value
