"""Forms of the outcomes pages (every one on PortalFormMixin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin

from .contribution_sheet import MAX_FILE_BYTES
from .models import MAX_AMOUNT, FunnelStep
from .selectors import Period

#: the longest period a dashboard covers
MAX_YEARS = 25


class PeriodForm(PortalFormMixin, forms.Form):
    """The period a dashboard shows (a bad one is said and the default period shown)."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        default = Period.default()
        start, end = data.get("start") or default.start, data.get("end") or default.end
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if start < dt.date(1950, 1, 1) or end > dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Choose dates between 1950 and 2100."))
        if (end - start).days > MAX_YEARS * 366:
            raise forms.ValidationError(
                _("Choose a period of at most %(n)d years.") % {"n": MAX_YEARS}
            )
        data["period"] = Period(start, end)
        return data

    def period(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["period"]
        return Period.default()


def _not_future(value: dt.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


class StepForm(PortalFormMixin, forms.Form):
    """A bid, a loss or a withdrawal the company records (or corrects)."""

    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[(k.value, k.label) for k in FunnelStep.COMPANY_RECORDED],
    )
    occurred_on = forms.DateField(
        label=_("On"), widget=forms.DateInput(attrs={"type": "date"}), validators=[_not_future]
    )
    value = forms.DecimalField(
        label=_("Value (optional)"),
        required=False,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        max_digits=16,
        decimal_places=2,
    )
    currency = forms.RegexField(
        label=_("Currency"),
        regex=r"^[A-Za-z]{3}$",
        initial="EUR",
        max_length=3,
        error_messages={"invalid": _("A currency is three letters, such as EUR or CHF.")},
    )
    value_shared = forms.BooleanField(
        label=_("Share the value with our cluster managers and the buyer's liaison officers"),
        required=False,
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def __init__(self, *args, correcting: FunnelStep | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if correcting is not None:
            del self.fields["kind"]
            if not correcting.is_company_recorded:
                for name in ("value", "currency", "value_shared"):
                    del self.fields[name]


class RetractForm(PortalFormMixin, forms.Form):
    note = forms.CharField(label=_("Why is this step wrong?"), max_length=500)


class AwardLinkForm(PortalFormMixin, forms.Form):
    organisation = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    none = forms.BooleanField(required=False)


class FiguresImportForm(PortalFormMixin, forms.Form):
    """A CSV of contribution shares (with its named source) or of exchange rates."""

    what = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[("contributions", _("Contribution shares")), ("rates", _("Exchange rates"))],
    )
    infrastructure = forms.ModelChoiceField(
        label=_("Infrastructure"), queryset=None, required=False
    )
    source_title = forms.CharField(label=_("Source of the figures"), max_length=300)
    source_url = forms.URLField(
        label=_("Link to the source"), required=False, max_length=200, assume_scheme="https"
    )
    illustrative = forms.BooleanField(label=_("The figures are illustrative"), required=False)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Contributions: columns country, year, share_percent. "
            "Rates: currency, valid_from (2024-01-31), eur_per_unit. At most 512 KB."
        ),
    )

    def __init__(self, *args, **kwargs):
        from organisations.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["infrastructure"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE
        ).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 512 KB."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload

    def clean(self):
        data = super().clean()
        if data.get("what") == "contributions" and not data.get("infrastructure"):
            self.add_error("infrastructure", _("Choose the infrastructure."))
        return data
