from django import forms
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin

from .models import LANGUAGES, TOPICS, PersonProfile


class SignupForm(PortalFormMixin, forms.Form):
    """The name asked at sign-up (allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``), so that lists of
    participants and expressions of interest show a person, not a blank."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.save(update_fields=["first_name", "last_name"])


class ProfileForm(PortalFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MailPreferencesForm(PortalFormMixin, forms.Form):
    mail_mode = forms.ChoiceField(
        label=_("E-mails"),
        choices=PersonProfile.MailMode.choices,
        widget=forms.RadioSelect,
        help_text=_("Everything is always in your notifications on the portal."),
    )
    muted_topics = forms.MultipleChoiceField(
        label=_("No e-mail about"),
        choices=TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AccountDeleteForm(PortalFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"), help_text=_("Type it to confirm that you mean it.")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != (self.user.email or "").lower():
            raise forms.ValidationError(_("This is not the address of your account."))
        return email
