"""Forms of technology transfer and innovation, rendered through ``core/_field.html``.

Every form inherits ``PortalFormMixin`` (one-line fields hold one line, texts have a limit);
a file field is checked by :func:`innovation.uploads.check_attachment` (size, type, content)
before anything is saved, and a file the request refused while it streamed in is named.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin
from organisations.country_picker import CountryPickerField, chosen_preset
from organisations.forms import CPVCodeListField, NACECodeListField
from organisations.models import Organisation

from . import process, uploads
from .models import (
    AnswerKind,
    InnovationChallenge,
    PartnershipOpportunity,
    PartnershipType,
    SolutionProposal,
)

TRL_LABELS = [
    ("", _("Not stated")),
    (1, _("1: basic principles observed")),
    (2, _("2: technology concept formulated")),
    (3, _("3: experimental proof of concept")),
    (4, _("4: technology validated in the lab")),
    (5, _("5: technology validated in a relevant environment")),
    (6, _("6: technology demonstrated in a relevant environment")),
    (7, _("7: system prototype demonstrated in an operational environment")),
    (8, _("8: system complete and qualified")),
    (9, _("9: actual system proven in an operational environment")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ModelFieldsMixin:
    """A model form whose service takes the model's fields as a dict (``fields=``)."""

    def model_fields(self) -> dict:
        """The cleaned values of ``Meta.fields`` (those the form still has)."""
        return {n: self.cleaned_data[n] for n in self.Meta.fields if n in self.cleaned_data}


class CodesMultipleChoiceField(forms.MultipleChoiceField):
    """Choices stored as comma-separated codes (the models' ``partnership_types``)."""

    widget = forms.CheckboxSelectMultiple

    def prepare_value(self, value):
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return value

    def clean(self, value):
        return ",".join(super().clean(value))


class AttachmentMixin:
    """An optional file field ``attachment`` (with ``attachment_title``), checked here."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["attachment_title"] = forms.CharField(
            label=_("Title of the attachment"), max_length=200, required=False
        )
        self.fields["attachment"] = forms.FileField(
            label=_("Attachment"), required=False, help_text=uploads.help_text()
        )

    def clean_attachment(self):
        refused = uploads.refused_message(self.request, self.add_prefix("attachment"))
        if refused:
            raise forms.ValidationError(refused)
        upload = self.cleaned_data.get("attachment")
        if upload:
            uploads.check_attachment(upload)
        return upload

    def attachments(self) -> list[tuple[str, object]]:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return []
        return [(self.cleaned_data.get("attachment_title") or upload.name, upload)]


class OpportunityForm(PortalFormMixin, AttachmentMixin, ModelFieldsMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level (TRL)"),
        choices=TRL_LABELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    partnership_types = CodesMultipleChoiceField(
        label=_("Partnership types sought"), choices=PartnershipType.choices, required=False
    )
    target_countries = CountryPickerField(
        label=_("Target countries"),
        help_text=_("Where partners are sought; leave empty for any country."),
    )
    cpv = CPVCodeListField(
        label=_("CPV codes"),
        help_text=_("8-digit codes separated by spaces or commas, e.g. 31700000 38000000."),
    )
    nace = NACECodeListField(
        label=_("NACE codes"), help_text=_("NACE Rev. 2 codes separated by spaces, e.g. 26.51.")
    )

    class Meta:
        model = PartnershipOpportunity
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "trl",
            "stage",
            "ipr_status",
            "ipr_details",
            "partnership_types",
            "target_countries",
            "programme",
            "call_deadline",
            "expires_on",
            "visibility",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": 600}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "call_deadline": DateInput(),
            "expires_on": DateInput(),
        }
        help_texts = {
            "expires_on": _("Leave empty for one year from publication (two years at most)."),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organisation"]
            self.initial["cpv"] = list(self.instance.cpv_codes.all())
            self.initial["nace"] = list(self.instance.nace_codes.all())
            self.initial["target_countries"] = [str(c) for c in self.instance.target_countries]
            owners = [self.instance.organisation] if self.instance.organisation else []
        else:
            self.fields["organisation"].queryset = organisations
            owners = list(organisations) if organisations is not None else []
        self._setup_countries(owners)
        self.order_fields(["organisation", *self.Meta.fields])

    def _setup_countries(self, owners) -> None:
        """The country picker, with the member states of each infrastructure the opportunity
        may belong to as a preset (by the organisation select's value; fixed when editing)."""
        states = {
            ("" if self.instance.pk else str(o.pk)): [str(c) for c in o.member_states]
            for o in owners
            if o.is_infrastructure
        }
        self.fields["target_countries"].offer_buyer_states(
            states,
            buyer_field="" if self.instance.pk else self.add_prefix("organisation"),
            label=_("The organisation's member states"),
        )

    @property
    def country_preset(self) -> str:
        """The target countries' preset chosen without JavaScript ("" for the ticked ones)."""
        return chosen_preset(self.data, self.add_prefix("target_countries"))


class AttachmentForm(PortalFormMixin, AttachmentMixin, forms.Form):
    def clean(self):
        data = super().clean()
        if not data.get("attachment") and not self.errors:
            raise forms.ValidationError(_("Choose a file to attach."))
        return data


class ReviewForm(PortalFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("return", _("Return to the authors"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return it: what should change."),
    )


class InterestForm(PortalFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What interests you, and what you would bring. Only the offering organisation reads it."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


# --- challenges -----------------------------------------------------------------------------


class ChallengeForm(PortalFormMixin, ModelFieldsMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("Challenge owner"), queryset=Organisation.objects.none(), empty_label=None
    )
    answer_kinds = CodesMultipleChoiceField(
        label=_("Kind of answer sought"), choices=AnswerKind.choices, required=False
    )
    cpv = CPVCodeListField(
        label=_("CPV codes"), help_text=_("Optional: what a solution would be bought as.")
    )
    proposals_deadline = forms.DateTimeField(
        label=_("Deadline for proposals"),
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    class Meta:
        model = InnovationChallenge
        fields = [
            "title",
            "summary",
            "need",
            "goal",
            "goal_detail",
            "data_available",
            "constraints",
            "personal_data",
            "budget_amount",
            "budget_currency",
            "timeline",
            "answer_kinds",
            "who_may_answer",
            "proposals_deadline",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 600}),
            "need": forms.Textarea(attrs={"rows": 5}),
            "goal_detail": forms.Textarea(attrs={"rows": 3}),
            "data_available": forms.Textarea(attrs={"rows": 3}),
            "constraints": forms.Textarea(attrs={"rows": 3}),
            "timeline": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_currency"].widget = forms.Select(
            choices=[(c, c) for c in ("EUR", "DKK", "SEK", "NOK", "CHF", "GBP")]
        )
        self.fields["proposals_deadline"].help_text = _("Time in %(tz)s.") % {
            "tz": timezone.get_current_timezone_name()
        }
        if self.instance.pk:
            del self.fields["owner"]
            self.initial["cpv"] = list(self.instance.cpv_codes.all())
            if self.instance.proposals_deadline:
                self.initial["proposals_deadline"] = timezone.localtime(
                    self.instance.proposals_deadline
                ).strftime("%Y-%m-%dT%H:%M")
        else:
            self.fields["owner"].queryset = owners
        self.order_fields(["owner", *self.Meta.fields])


class ProposalForm(PortalFormMixin, AttachmentMixin, ModelFieldsMixin, forms.ModelForm):
    lead = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Consortium partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Other organisations of the directory in the consortium. Hold Ctrl (or ⌘) to choose several."
        ),
    )

    class Meta:
        model = SolutionProposal
        fields = ["title", "summary", "approach", "budget_amount"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2, "maxlength": 600}),
            "approach": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, leads=None, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices
        if self.instance.pk:
            del self.fields["lead"]
            self.initial["partners"] = [p.organisation_id for p in self.instance.partners.all()]
        else:
            self.fields["lead"].queryset = leads
        self.order_fields(["lead", "title", "summary", "approach", "budget_amount", "partners"])


class ChecklistForm(PortalFormMixin, forms.Form):
    """The current stage's deliverables that are ticked by hand, each with a note or link."""

    def __init__(self, *args, challenge, done: set[str], notes: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [d for d in process.checklist(challenge.stage) if not d.computed]
        for d in self.items:
            label = str(d.title) + ("" if d.required else f" ({_('optional')})")
            self.fields[f"done_{d.key}"] = forms.BooleanField(
                label=label, required=False, initial=d.key in done
            )
            self.fields[f"note_{d.key}"] = forms.CharField(
                label=_("Note or link: %(item)s") % {"item": d.title},
                required=False,
                max_length=500,
                initial=notes.get(d.key, ""),
            )

    def done(self) -> set[str]:
        return {d.key for d in self.items if self.cleaned_data.get(f"done_{d.key}")}

    def notes(self) -> dict[str, str]:
        return {d.key: self.cleaned_data.get(f"note_{d.key}", "") for d in self.items}


class GateForm(PortalFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=process.DECISION_CHOICES,
        widget=forms.RadioSelect,
        initial=process.GO,
    )
    to_stage = forms.ChoiceField(label=_("Next stage"), choices=())
    reasons = forms.CharField(
        label=_("Reasons"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        # every stage may be asked for: the service refuses a skip with its reason
        self.fields["to_stage"].choices = [
            (s, process.label(s))
            for s in process.STAGES
            if s not in (process.NEED, process.STOPPED)
        ]
        following = process.NEXT.get(challenge.stage, ())
        if following:
            self.fields["to_stage"].initial = following[0]


class SummaryForm(PortalFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Public summary"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Shown to everyone on the challenge's public summary page. Leave empty to withdraw it."
        ),
    )


class SelectForm(PortalFormMixin, forms.Form):
    note = forms.CharField(label=_("Note to the consortium"), max_length=2000, required=False)


class ProcurementForm(PortalFormMixin, forms.Form):
    buyer = forms.ModelChoiceField(
        label=_("Buyer"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title of the call"), max_length=400)
    description = forms.CharField(
        label=_("Description"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    cpv = CPVCodeListField(label=_("CPV codes"), help_text=_("The first is the call's main code."))

    def __init__(self, *args, buyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = buyers
