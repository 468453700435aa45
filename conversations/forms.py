from django import forms
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin


class MessageForm(PortalFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReportForm(PortalFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why do you report this conversation?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Staff will read the conversation and your reason."),
    )
