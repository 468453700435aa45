"""Forms of the events app, rendered through ``core/_field.html``. Times are entered in the
event's own time zone."""

from __future__ import annotations

import itertools
import zoneinfo

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.dates import ZonedTimesMixin, span
from bigscience_portal.core.text import PortalFormMixin
from innovation.models import PartnershipOpportunity
from organisations.forms import CPVCodeListField
from organisations.models import Organisation

from .models import (
    BrokerageSettings,
    Event,
    MeetingOutcome,
    MeetingSession,
    ProgrammeSession,
    RegistrationQuestion,
)

DT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DT_FORMAT, **kwargs)


class EventTimesMixin(ZonedTimesMixin):
    """:class:`~bigscience_portal.core.dates.ZonedTimesMixin` with ``datetime-local`` inputs:
    the ``zoned_fields`` are shown and read as wall-clock times in ``tz_name=`` (the event's
    or the exchange's zone, for the forms of its parts), or the zone :meth:`own_zone` names."""

    def __init__(self, *args, tz_name: str | None = None, **kwargs):
        self.tz_name = tz_name
        super().__init__(*args, **kwargs)
        for name in self.zoned_fields:
            field = self.fields[name]
            field.widget = LocalDateTimeInput()
            field.input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.setup_zoned_times(input_format=DT_FORMAT)

    def own_zone(self) -> str | None:
        return self.tz_name


class EventForm(PortalFormMixin, EventTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    organisers = forms.ModelMultipleChoiceField(
        label=_("Organisers"),
        queryset=Organisation.objects.none(),
        help_text=_("Members of these organisations manage the event."),
    )
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "b2b_meetings",
            "status",
            "organisers",
            "host_infrastructure",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue",
            "venue_city",
            "venue_country",
            "online_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "audience": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, organiser_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisers"].queryset = organiser_choices
        if self.instance.pk:
            self.initial["organisers"] = list(self.instance.organisers.all())

    def own_zone(self) -> str | None:
        return self.instance.time_zone if self.instance.pk else None

    def entered_zone(self, cleaned) -> str | None:
        """The zone the form names (its times are read in it), if it is a known one."""
        tz_name = cleaned.get("time_zone")
        return tz_name if tz_name in zoneinfo.available_timezones() else None

    def clean(self):
        cleaned = super().clean()
        if self.entered_zone(cleaned):
            for name in self.zoned_fields:
                setattr(self.instance, name, cleaned.get(name))
        return cleaned


class ProgrammeSessionForm(PortalFormMixin, EventTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at")

    class Meta:
        model = ProgrammeSession
        fields = ["starts_at", "ends_at", "room", "title", "speakers"]


ProgrammeFormSet = inlineformset_factory(
    Event, ProgrammeSession, form=ProgrammeSessionForm, extra=2, can_delete=True
)


class MeetingSessionForm(PortalFormMixin, EventTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at")

    class Meta:
        model = MeetingSession
        fields = ["name", "starts_at", "ends_at"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("A session must end after it starts."))
        return cleaned


class BaseMeetingSessionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        spans = sorted(
            (f.cleaned_data["starts_at"], f.cleaned_data["ends_at"])
            for f in self.forms
            if f.is_valid()
            and f.cleaned_data.get("starts_at")
            and f.cleaned_data.get("ends_at")
            and not f.cleaned_data.get("DELETE")
        )
        for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
            if s2 < e1:
                raise forms.ValidationError(
                    _("Meeting sessions must not overlap: a person could be booked twice.")
                )


MeetingSessionFormSet = inlineformset_factory(
    Event,
    MeetingSession,
    form=MeetingSessionForm,
    formset=BaseMeetingSessionFormSet,
    extra=1,
    can_delete=True,
)

QuestionFormSet = inlineformset_factory(
    Event,
    RegistrationQuestion,
    fields=["text", "help_text", "required", "order"],
    extra=1,
    can_delete=True,
)


class BrokerageSettingsForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = BrokerageSettings
        fields = ["slot_minutes", "tables", "max_meetings_per_participant"]


class RegistrationForm(PortalFormMixin, forms.Form):
    organisation = forms.ChoiceField(
        label=_("On behalf of"),
        help_text=_("The organisation you represent, or yourself as an individual."),
    )

    def __init__(self, *args, event, user_organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in user_organisations}
        self.fields["organisation"].choices = [
            *[(pk, o.name) for pk, o in self.organisations.items()],
            ("", _("Myself, as an individual")),
        ]
        self.fields["organisation"].required = False
        # a member registers for their organisation unless they choose otherwise
        self.fields["organisation"].initial = next(iter(self.organisations), "")
        self.questions = list(event.questions.all())
        for q in self.questions:
            self.fields[f"q_{q.pk}"] = forms.CharField(
                label=q.text,
                help_text=q.help_text,
                required=q.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_organisation(self):
        value = self.cleaned_data.get("organisation") or ""
        if value and value not in self.organisations:
            raise forms.ValidationError(_("Choose one of your organisations."))
        return self.organisations.get(value)

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q_{q.pk}", "") for q in self.questions}


class OpportunityForm(PortalFormMixin, forms.Form):
    """What a participant offers or seeks at the event: a partnership opportunity of the EEN
    types (``innovation``), shown at the event, and on request in the public list too."""

    kind = forms.ChoiceField(label=_("Type"), choices=PartnershipOpportunity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    cpv = CPVCodeListField(
        label=_("CPV codes"),
        help_text=_("One or more 8-digit CPV codes, separated by commas (e.g. 42123000)."),
    )
    public = forms.BooleanField(
        label=_("Also list it publicly among the partnership opportunities"),
        required=False,
        help_text=_(
            "After review by your organisation's administrators; then companies find it, are "
            "matched with it and can express interest. Not for participants registered as "
            "individuals."
        ),
    )


class AvailabilityForm(PortalFormMixin, forms.Form):
    sessions = forms.ModelMultipleChoiceField(
        label=_("I am available for meetings in"),
        queryset=MeetingSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = event.meeting_sessions.all()
        tz = event.tzinfo
        self.fields["sessions"].label_from_instance = lambda s: (
            f"{s.name or _('Session')}: {span(s.starts_at, s.ends_at, tz)}"
        )


class MeetingRequestForm(PortalFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you would like to meet: only the other participant reads it."),
    )


class MeetingMoveForm(PortalFormMixin, forms.Form):
    slot = forms.ChoiceField(label=_("Slot"))
    table = forms.IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, slots, tables, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.id, span(s.start, s.end, tz)) for s in slots]
        self.fields["table"].max_value = tables
        self.fields["table"].widget.attrs["max"] = tables


class OutcomeForm(PortalFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MeetingOutcome.Outcome.choices)
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
