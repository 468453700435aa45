"""Forms of the exchanges app, rendered through ``core/_field.html``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin
from events.forms import EventTimesMixin
from organisations.country_picker import ANY, EEA, EU, CountryPickerField, chosen_preset
from organisations.models import Organisation

from .models import MOTIVATION_MAX, REASON_MAX, Exchange, Partnership


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ExchangeForm(PortalFormMixin, forms.ModelForm):
    places = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=10_000,
        help_text=_("Once they are taken, further acceptances go to the waiting list."),
    )
    host_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations to visit"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("The infrastructures, laboratories or companies that open their doors."),
    )
    eligible_clusters = forms.ModelMultipleChoiceField(
        label=_("Open to the members of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Members of the host's active partner clusters may apply too."),
    )
    eligible_countries = CountryPickerField(
        label=_("Countries"),
        presets=(EU, EEA, ANY),
        help_text=_("The applicant company's country; leave empty for any country."),
    )

    class Meta:
        model = Exchange
        fields = [
            "kind",
            "title",
            "host_cluster",
            "status",
            "theme",
            "description",
            "starts_on",
            "ends_on",
            "time_zone",
            "applications_close_on",
            "places",
            "host_organisations",
            "facilities",
            "covered",
            "eligible_clusters",
            "eligible_countries",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "applications_close_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "facilities": forms.Textarea(attrs={"rows": 3}),
            "covered": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, host_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_cluster"].queryset = host_choices
        self.fields["host_cluster"].empty_label = None
        acting = Organisation.objects.acting().filter(status=Organisation.Status.PUBLISHED)
        self.fields["host_organisations"].queryset = acting.exclude(
            kind=Organisation.Kind.CLUSTER
        ).order_by("name")
        self.fields["eligible_clusters"].queryset = acting.filter(
            kind=Organisation.Kind.CLUSTER
        ).order_by("name")
        if self.instance.pk:
            self.initial["host_organisations"] = list(self.instance.host_organisations.all())
            self.initial["eligible_clusters"] = list(self.instance.eligible_clusters.all())
            self.initial["eligible_countries"] = [str(c) for c in self.instance.eligible_countries]

    @property
    def country_preset(self) -> str:
        """The eligible countries' preset chosen without JavaScript ("" for the ticked ones)."""
        name = self.add_prefix("eligible_countries")
        return chosen_preset(self.data, name, self.fields["eligible_countries"].presets)


class AgendaItemForm(PortalFormMixin, EventTimesMixin, forms.Form):
    zoned_fields = ("starts_at", "ends_at")

    event = forms.ModelChoiceField(
        label=_("Linked event"),
        queryset=None,
        required=False,
        help_text=_(
            "An event your cluster organises or co-organises (a facility visit, a conference, a "
            "B2B session): accepted participants are registered for it. Or leave it empty and "
            "describe an item of your own below."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), required=False)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class ApplicationForm(PortalFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("On behalf of"), queryset=None, empty_label=None)
    motivation = forms.CharField(
        label=_("Motivation"),
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why your company wants to take part and what it hopes to find (at most "
            "%(max)s characters)."
        )
        % {"max": MOTIVATION_MAX},
        error_messages={"required": _("Tell the host why your company wants to take part.")},
    )

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = companies


class PartnershipForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["proposer", "partner", "goals", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, proposer_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = proposer_choices
        self.fields["proposer"].empty_label = None
        self.fields["partner"].queryset = (
            Organisation.objects.acting()
            .filter(kind=Organisation.Kind.CLUSTER, status=Organisation.Status.PUBLISHED)
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The partnership cannot end before it starts."))
        return cleaned

    def _post_clean(self):
        # the service validates the whole row (and refuses with a message)
        pass


class ReasonForm(PortalFormMixin, forms.Form):
    """The optional reason on the confirmation of a cancelled place or an ended partnership;
    it goes into the mail of those told."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent with the e-mail (at most %(max)s characters).") % {"max": REASON_MAX},
    )
