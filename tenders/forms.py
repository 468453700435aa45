"""Forms for calls, lots, documents, awards, questions, interest, saved searches and the TED
upload; rendered through ``core/_field.html`` (which gives every widget its Bootstrap class)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.dates import ZonedTimesMixin, time_zone_choices
from bigscience_portal.core.text import PortalFormMixin
from organisations.country_picker import CountryPickerField, chosen_preset
from organisations.forms import CPVCodeField, CPVCodeListField
from organisations.models import Certification, Organisation

from .filtersets import LANGUAGE_CHOICES
from .models import CallDocument, Lot, ProcurementCall
from .notices import MAX_NOTICE_BYTES
from .services.lifecycle import AMENDABLE_FIELDS

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "txt",
    "csv",
    "zip",
    "png",
    "jpg",
    "jpeg",
    "dwg",
    "step",
    "stp",
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class CallForm(PortalFormMixin, ZonedTimesMixin, forms.ModelForm):
    """A call's content; its deadlines are entered and shown in its ``time_zone``."""

    zoned_fields = ("enquiry_period_end", "tender_period_end")

    main_cpv_code = CPVCodeField(
        label=_("Main CPV code"),
        required=True,
        help_text=_("Eight digits, e.g. 31682000 (the check digit is optional)."),
    )
    additional_cpv_codes = CPVCodeListField(
        label=_("Additional CPV codes"),
        help_text=_("Separated by commas or spaces."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    eligible_countries = CountryPickerField(
        label=_("Eligible countries"),
        help_text=_("Leave empty when companies from any country may bid."),
    )

    class Meta:
        model = ProcurementCall
        # the call's amendable content (the main CPV code has a field of its own), its buyer
        fields = [
            "buyer",
            *(f for f in AMENDABLE_FIELDS if f != "main_cpv"),
            "required_certifications",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
            "award_criteria": forms.Textarea(attrs={"rows": 3}),
            "enquiry_period_end": DateTimeLocalInput(),
            "tender_period_end": DateTimeLocalInput(),
            "required_certifications": forms.CheckboxSelectMultiple,
            "time_zone": forms.Select(choices=time_zone_choices),
        }

    # the CPV codes (by code) where the main CPV code stands among the amendable fields
    field_order = [
        "buyer",
        *AMENDABLE_FIELDS[: AMENDABLE_FIELDS.index("main_cpv")],
        "main_cpv_code",
        "additional_cpv_codes",
    ]

    def __init__(self, *args, buyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].required = False
        self.fields["time_zone"].initial = self.own_zone()
        zone_name = self["time_zone"].value() or self.own_zone()
        for name in ("enquiry_period_end", "tender_period_end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
            self.fields[name].help_text = _(
                "Date and time in the call's time zone, chosen above (%(zone)s unless you change "
                "it)."
            ) % {"zone": zone_name}
        self.setup_zoned_times(input_format=DATETIME_FORMAT)
        self.fields["required_certifications"].queryset = Certification.objects.all()
        self.fields["tender_period_end"].required = True
        if buyers is not None:
            self.fields["buyer"].queryset = buyers
            if buyers.count() == 1 and not self.instance.pk:
                self.fields["buyer"].initial = buyers.first()
        self._setup_countries(buyers)
        self.fields["value_band"].help_text = _(
            "Derived from the estimated value when it is given; choose it yourself only when "
            "the value is not published."
        )
        if self.instance.pk:
            # The buyer of an existing call does not change.
            del self.fields["buyer"]
            self.fields["main_cpv_code"].initial = self.instance.main_cpv_id or ""
            self.fields["additional_cpv_codes"].initial = ", ".join(
                c.code for c in self.instance.additional_cpv.all()
            )

    def _setup_countries(self, buyers) -> None:
        """The country picker, with each possible buyer's member states as a preset."""
        if self.instance.pk:
            states = {"": [str(c) for c in self.instance.buyer.member_states]}
            self.initial["eligible_countries"] = [str(c) for c in self.instance.eligible_countries]
        else:
            states = {
                str(b.pk): [str(c) for c in b.member_states]
                for b in (buyers if buyers is not None else [])
            }
        self.fields["eligible_countries"].offer_buyer_states(
            states, buyer_field="" if self.instance.pk else self.add_prefix("buyer")
        )

    @property
    def country_preset(self) -> str:
        """The eligible countries' preset chosen without JavaScript ("" for the ticked ones)."""
        return chosen_preset(self.data, self.add_prefix("eligible_countries"))

    def own_zone(self) -> str:
        return self.instance.time_zone or settings.TIME_ZONE

    def entered_zone(self, cleaned: dict) -> str:
        return cleaned.get("time_zone") or self.own_zone()

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or self.own_zone()

    def clean(self):
        data = super().clean()
        enquiry, tender = data.get("enquiry_period_end"), data.get("tender_period_end")
        if enquiry and tender and enquiry > tender:
            self.add_error(
                "enquiry_period_end",
                _("The clarification deadline must be before the submission deadline."),
            )
        return data

    def service_fields(self) -> dict:
        """Cleaned values for the services (model fields, main CPV resolved)."""
        skip = {"buyer", "required_certifications", "main_cpv_code", "additional_cpv_codes"}
        fields = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        fields["main_cpv"] = self.cleaned_data["main_cpv_code"]
        return fields


class LotForm(PortalFormMixin, forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["number", "title", "description", "value_amount"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


LotFormSet = inlineformset_factory(
    ProcurementCall, Lot, form=LotForm, extra=1, can_delete=True, max_num=50
)


class _DownloadableFile:
    """The stored file as the file input shows it: its name, linked to the download view."""

    def __init__(self, file, url: str):
        self.file = file
        self.url = url

    def __str__(self) -> str:
        return Path(self.file.name).name


class DocumentFileInput(forms.ClearableFileInput):
    """ "Currently: <file>" links to the call's document view (nothing serves MEDIA_URL)."""

    download_url: str | None = None

    def format_value(self, value):
        value = super().format_value(value)
        if value and self.download_url and self.is_initial(value):
            return _DownloadableFile(value, self.download_url)
        return value


class DocumentForm(PortalFormMixin, forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")

    class Meta:
        model = CallDocument
        fields = ["title", "file", "url"]
        widgets = {"file": DocumentFileInput}
        help_texts = {
            "file": _("Up to 10 MB: PDF, office documents, drawings, images or ZIP."),
            "url": _("Or a link to the document on the buyer's site."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.file:
            self.fields["file"].widget.download_url = reverse(
                "tenders:call_document",
                kwargs={"pk": self.instance.call_id, "doc_pk": self.instance.pk},
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "size") and upload != self.initial.get("file"):
            if upload.size > MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
            ext = Path(upload.name).suffix.lower().lstrip(".")
            if ext not in DOCUMENT_EXTENSIONS:
                raise forms.ValidationError(
                    _("Files of type “.%(ext)s” are not accepted. Accepted: %(allowed)s.")
                    % {"ext": ext, "allowed": ", ".join(DOCUMENT_EXTENSIONS)}
                )
        return upload

    def clean(self):
        data = super().clean()
        if self.cleaned_data.get("DELETE"):
            return data
        if not data.get("file") and not data.get("url") and data.get("title"):
            raise forms.ValidationError(_("Upload a file or give a link."))
        if data.get("file") and data.get("url"):
            raise forms.ValidationError(_("Give either a file or a link, not both."))
        return data


DocumentFormSet = inlineformset_factory(
    ProcurementCall, CallDocument, form=DocumentForm, extra=1, can_delete=True, max_num=30
)


def _text(label, max_length: int, rows: int, help_text="", required: bool = True):
    """A multi-line text field of ``rows`` rows."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class StatusNoteForm(PortalFormMixin, forms.Form):
    note = _text(_("Note (optional)"), 2000, 2, required=False)


class AwardForm(PortalFormMixin, forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier in the directory"),
        # published companies only: an award names a supplier in public (OCDS included)
        queryset=Organisation.objects.filter(
            kind__in=Organisation.COMPANY_KINDS, status=Organisation.Status.PUBLISHED
        )
        .only("pk", "name")
        .order_by("name"),
        required=False,
    )
    supplier_name = forms.CharField(label=_("Or supplier name"), max_length=255, required=False)
    lot_number = forms.CharField(label=_("Lot"), max_length=20, required=False)
    value_amount = forms.DecimalField(
        label=_("Value"), max_digits=16, decimal_places=2, required=False, min_value=0
    )
    value_currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("supplier") and not data.get("supplier_name"):
            raise forms.ValidationError(_("Choose a supplier or write its name."))
        return data


AwardFormSet = forms.formset_factory(AwardForm, extra=3, max_num=20)


class ClarificationForm(PortalFormMixin, forms.Form):
    question = _text(
        _("Your question"),
        4000,
        3,
        _(
            "Answers are published for every bidder; your name is never shown. The buyer may "
            "edit the published question to remove anything that identifies you."
        ),
    )


class AnswerForm(PortalFormMixin, forms.Form):
    published_question = _text(
        _("Question as published"),
        4000,
        3,
        _(
            "Every bidder reads the question as written here. Remove anything that identifies "
            "the asker: names of people, companies, products or places. Left empty, the "
            "question is published as asked."
        ),
        required=False,
    )
    answer = _text(
        _("Answer"),
        8000,
        4,
        _("The question and the answer become public; the asker stays anonymous."),
    )


class InterestForm(PortalFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none())
    message = _text(_("Message to the buyer"), 4000, 4, required=False)
    partners = _text(
        _("Consortium partners (optional)"), 2000, 2, _("One per line."), required=False
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:
            self.fields["organisation"].initial = only[0]


# --- the staff's TED upload -------------------------------------------------------------------

MAX_UPLOAD_FILES = 100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class TedUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("TED notices (XML)"),
        help_text=_(
            "One or more TED notice files (eForms or XML R2.0.9), each at most %(size)s MB."
        )
        % {"size": MAX_NOTICE_BYTES // (1024 * 1024)},
        widget=MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )

    confirm_out_of_scope = forms.BooleanField(
        label=_("Import notices outside the interest profile too"),
        required=False,
        help_text=_(
            "Notices whose buyer and CPV codes are not in the portal's interest profile are not "
            "imported unless you tick this."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Choose at least one file."))
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("At most %(n)d files at a time.") % {"n": MAX_UPLOAD_FILES}
            )
        return files


class BuyerMergeForm(PortalFormMixin, forms.Form):
    """The organisation of the directory that an imported buyer is the same as."""

    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Organisation.objects.none(),
        help_text=_("Its calls go to this organisation; the imported buyer is removed."),
    )

    def __init__(self, *args, buyer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Organisation.objects.acting()
            .filter(kind__in=Organisation.PRIVILEGED_KINDS)
            .exclude(pk=buyer.pk)
            .order_by("name")
        )
