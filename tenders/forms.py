"""Forms for calls, lots, documents, awards, questions, interest and saved searches."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.forms import CPVCodeField, CPVCodeListField
from organisations.models import Certification, Organisation

from .filtersets import LANGUAGE_CHOICES
from .models import CallDocument, Lot, ProcurementCall, SavedSearch

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


class BootstrapMixin:
    """Bootstrap classes on every widget (labels, help and errors come from _field.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class CallForm(BootstrapMixin, forms.ModelForm):
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

    class Meta:
        model = ProcurementCall
        fields = [
            "buyer",
            "reference",
            "title",
            "description",
            "stage",
            "procurement_method",
            "main_procurement_category",
            "value_amount",
            "value_currency",
            "value_band",
            "enquiry_period_end",
            "tender_period_end",
            "eligible_countries",
            "sme_friendly",
            "required_certifications",
            "selection_criteria",
            "award_criteria",
            "language",
            "country",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "selection_criteria": forms.Textarea(attrs={"rows": 3}),
            "award_criteria": forms.Textarea(attrs={"rows": 3}),
            "enquiry_period_end": DateTimeLocalInput(),
            "tender_period_end": DateTimeLocalInput(),
            "required_certifications": forms.CheckboxSelectMultiple,
            "eligible_countries": forms.SelectMultiple(attrs={"size": 6}),
        }

    field_order = [
        "buyer",
        "reference",
        "title",
        "description",
        "stage",
        "procurement_method",
        "main_procurement_category",
        "main_cpv_code",
        "additional_cpv_codes",
    ]

    def __init__(self, *args, buyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("enquiry_period_end", "tender_period_end"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["required_certifications"].queryset = Certification.objects.all()
        self.fields["tender_period_end"].required = True
        if buyers is not None:
            self.fields["buyer"].queryset = buyers
            if buyers.count() == 1 and not self.instance.pk:
                self.fields["buyer"].initial = buyers.first()
        if self.instance.pk:
            # The buyer of an existing call does not change.
            del self.fields["buyer"]
            self.fields["main_cpv_code"].initial = self.instance.main_cpv_id or ""
            self.fields["additional_cpv_codes"].initial = ", ".join(
                c.code for c in self.instance.additional_cpv.all()
            )

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


class LotForm(BootstrapMixin, forms.ModelForm):
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


class DocumentForm(BootstrapMixin, forms.ModelForm):
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


class StatusNoteForm(BootstrapMixin, forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AwardForm(BootstrapMixin, forms.Form):
    supplier = forms.ModelChoiceField(
        label=_("Supplier in the directory"),
        queryset=Organisation.objects.filter(kind__in=Organisation.COMPANY_KINDS).only(
            "pk", "name"
        ),
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


class ClarificationForm(BootstrapMixin, forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Answers are published for every bidder; your name is never shown."),
    )


class AnswerForm(BootstrapMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The question and the answer become public; the asker stays anonymous."),
    )


class InterestForm(BootstrapMixin, forms.Form):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none())
    message = forms.CharField(
        label=_("Message to the buyer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    partners = forms.CharField(
        label=_("Consortium partners (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        only = list(organisations[:2])
        if len(only) == 1:
            self.fields["organisation"].initial = only[0]


class SavedSearchForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "querystring"]
        widgets = {"querystring": forms.HiddenInput, "frequency": forms.RadioSelect}
        labels = {"name": _("Name of the search"), "frequency": _("E-mail me new calls")}
