"""Forms of the directory: profiles, references, people, cluster requests and member import."""

from __future__ import annotations

import re

from django import forms
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import PortalFormMixin

from .countries import country_choices, flat_country_choices
from .country_picker import EEA, EU, CountryPickerField, chosen_preset
from .member_import import MAX_FILE_BYTES
from .models import (
    PROFILE_FIELDS,
    ContractReference,
    CPVCode,
    Membership,
    NACECode,
    Organisation,
)
from .pickers import CodePickerInput

# EU SME definition: the size class an employee count belongs to.
SIZE_BY_EMPLOYEES = [
    (10, Organisation.SizeClass.MICRO),
    (50, Organisation.SizeClass.SMALL),
    (250, Organisation.SizeClass.MEDIUM),
]

#: Largest logo accepted (bytes).
MAX_LOGO_BYTES = 2 * 1024 * 1024


class CodeListField(forms.CharField):
    """Codes typed as text (separated by spaces, commas or semicolons), checked against a table.

    Works without JavaScript; its widget (``pickers.CodePickerInput``) lists the chosen codes
    with their labels, and ``static/js/organisations.js`` adds remove buttons and a type-ahead.
    """

    #: a profile's or a call's codes typed in one line: some 200 codes (8 digits and a space)
    MAX_LENGTH = 2000

    #: one code only (a call's main code): the picker replaces the code instead of adding one
    single = False

    def __init__(self, *, model, picker: str, search_url, **kwargs):
        self.model = model
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", self.MAX_LENGTH)
        kwargs.setdefault(
            "widget",
            CodePickerInput(model=model, picker=picker, search_url=search_url, single=self.single),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            return " ".join(getattr(item, "pk", item) for item in items)
        return value

    def normalise_token(self, token: str) -> str:
        return token

    def has_changed(self, initial, data) -> bool:
        # An empty field of a new form (initial None, data "") is unchanged: an untouched extra
        # form of a formset stays empty instead of asking for its required fields.
        before = self.to_python(self.prepare_value(initial) or "")
        return before != self.to_python(data)

    def to_python(self, value):
        text = super().to_python(value)
        tokens = []
        for token in re.split(r"[\s,;]+", text or ""):
            token = self.normalise_token(token.strip())
            if token and token not in tokens:
                tokens.append(token)
        return tokens

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def well_formed(self, token: str) -> bool:
        return True

    def unknown_message(self, unknown: list[str]) -> str:
        return _("Unknown %(kind)s codes: %(codes)s. Look them up in the code search.") % {
            "kind": self.model._meta.verbose_name.split()[0],
            "codes": ", ".join(unknown),
        }

    def clean(self, value):
        tokens = super().clean(value)
        found = {obj.pk: obj for obj in self.model.objects.filter(pk__in=tokens)}
        unknown = [t for t in tokens if t not in found]
        # Name what is not a code at all before codes that are not in the table.
        unknown.sort(key=self.well_formed)
        if unknown:
            raise forms.ValidationError(self.unknown_message(unknown), code="unknown_codes")
        return [found[t] for t in tokens]


# --- suggested CPV codes ------------------------------------------------------------------------
#: functions ``(text, k) -> [{"code", "label", "why"}]`` that suggest the CPV codes fitting a text
#: (a company's capabilities, a call's title and description), best first. Organisations sits
#: below the apps that know how (matchmaking's engine): they register one from their
#: ``AppConfig.ready()``, as upper apps add panels to the pages of lower ones.
cpv_suggesters: list = []

#: the longest text suggestions are made from (a profile's capabilities hold 10,000 characters)
SUGGEST_MAX_TEXT = 20_000


def register_cpv_suggester(function) -> None:
    if function not in cpv_suggesters:
        cpv_suggesters.append(function)


def suggest_cpv_codes(text: str, k: int = 5) -> list[dict]:
    """The registered suggester's codes for ``text`` (none when no app registered one)."""
    for function in cpv_suggesters:
        return list(function(text, k))
    return []


class SuggestForm(PortalFormMixin, forms.Form):
    """The text CPV codes are suggested from (the code pickers' "suggest codes" button)."""

    text = forms.CharField(
        label=_("Text to suggest codes from"),
        max_length=SUGGEST_MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What your company does, or what the call buys, in any of the 24 EU languages."
        ),
    )


class CPVCodeListField(CodeListField):
    def __init__(self, **kwargs):
        super().__init__(
            model=CPVCode,
            picker="cpv",
            search_url=reverse_lazy("organisations:cpv_search"),
            **kwargs,
        )

    def well_formed(self, token: str) -> bool:
        return bool(re.fullmatch(r"\d{8}", token))

    def normalise_token(self, token: str) -> str:
        # "42123000-5" (with its check digit) is how notices print codes.
        match = re.fullmatch(r"(\d{8})-\d", token)
        return match.group(1) if match else token


class CPVCodeField(CPVCodeListField):
    """Exactly one CPV code (a call's main code); cleans to a :class:`CPVCode` or None."""

    single = True

    def unknown_message(self, unknown: list[str]) -> str:
        return _("Unknown CPV code: %(codes)s. Look it up in the code search.") % {
            "codes": ", ".join(unknown)
        }

    def clean(self, value):
        codes = super().clean(value)
        if not codes:
            return None
        if len(codes) != 1:
            raise forms.ValidationError(_("Enter exactly one CPV code."), code="one_code")
        return codes[0]


class NACECodeListField(CodeListField):
    def __init__(self, **kwargs):
        super().__init__(
            model=NACECode,
            picker="nace",
            search_url=reverse_lazy("organisations:nace_search"),
            **kwargs,
        )

    def normalise_token(self, token: str) -> str:
        return token.upper()


class OrganisationForm(PortalFormMixin, forms.ModelForm):
    """The profile: common fields, company fields, infrastructure fields, visibility.

    The kind is chosen when the organisation is registered and not edited afterwards: an
    infrastructure, a cluster or a public authority waits for staff's approval, and staff
    change a kind in the admin (which asks for approval again when it becomes one of those).
    """

    cpv_codes = CPVCodeListField(
        label=_("CPV codes"),
        help_text=_(
            "8-digit codes separated by spaces or commas, e.g. 42123000 39700000. "
            "Type a word in the search box to find codes."
        ),
    )
    nace_codes = NACECodeListField(
        label=_("NACE codes"),
        help_text=_("NACE Rev. 2 codes separated by spaces, e.g. 28.25 25.62."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    member_states = CountryPickerField(
        label=_("Member or participating states"),
        # no "any country": for an infrastructure an empty list says "none recorded", not "all"
        presets=(EU, EEA),
        help_text=_("For research infrastructures."),
    )

    class Meta:
        model = Organisation
        fields = list(PROFILE_FIELDS)
        widgets = {
            "certifications": forms.CheckboxSelectMultiple,
            "technology_domains": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
            "capabilities": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        country.required = True
        choices = [("", _("Choose a country")), *country_choices()]
        own = str(self.instance.country or "")
        if own and own not in dict(flat_country_choices()):
            choices.append((own, self.instance.country.name))  # kept, not offered to others
        country.choices = choices
        if self.instance.pk:
            del self.fields["kind"]
            if self.instance.is_infrastructure:
                self.initial["member_states"] = [str(c) for c in self.instance.member_states]
            else:  # an infrastructure's field: a company's profile does not show it
                del self.fields["member_states"]
        else:
            self.fields["kind"].help_text = _(
                "Research infrastructures, clusters and public authorities act in the "
                "portal's name: they are shown and can act once the portal staff approved them."
            )

    @property
    def country_preset(self) -> str:
        """The member states' preset chosen without JavaScript ("" for the ticked ones)."""
        if "member_states" not in self.fields:
            return ""
        name = self.add_prefix("member_states")
        return chosen_preset(self.data, name, self.fields["member_states"].presets)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo != self.initial.get("logo") and logo.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(
                _("The logo is larger than %(mb)s MB.") % {"mb": MAX_LOGO_BYTES // (1024 * 1024)}
            )
        return logo

    def clean(self):
        data = super().clean()
        kind = data.get("kind") if "kind" in self.fields else self.instance.kind
        employees = data.get("employees")
        size = data.get("size_class")
        if kind in Organisation.COMPANY_KINDS and not size:
            self.add_error("size_class", _("Companies state their size class."))
        if employees is not None and size:
            expected = next(
                (cls for limit, cls in SIZE_BY_EMPLOYEES if employees < limit),
                Organisation.SizeClass.LARGE,
            )
            if expected != size:
                self.add_error(
                    "size_class",
                    _("%(n)s employees make a “%(cls)s” enterprise by the EU definition.")
                    % {"n": employees, "cls": Organisation.SizeClass(expected).label},
                )
        if kind != Organisation.Kind.RESEARCH_INFRASTRUCTURE and "member_states" in data:
            data["member_states"] = []  # registering: only an infrastructure has member states
        if kind == Organisation.Kind.SME and size == Organisation.SizeClass.LARGE:
            self.add_error(
                "kind" if "kind" in self.fields else "size_class",
                _("A large enterprise is not an SME: choose “Large company”."),
            )
        return data


class ContractReferenceForm(PortalFormMixin, forms.ModelForm):
    """A past contract: the client picked from the directory's research infrastructures (so
    that matchmaking can tell "you have worked for this infrastructure before"), or named in
    words when it is not in the directory; what was delivered (CPV codes) and when."""

    client = forms.ModelChoiceField(
        label=_("Client in the directory"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Not in the directory: name it below"),
        help_text=_("The research infrastructure you worked for, if it is in the directory."),
    )
    cpv_codes = CPVCodeListField(
        label=_("CPV codes of what you delivered"),
        help_text=_("8-digit codes separated by spaces, e.g. 42131142."),
    )

    class Meta:
        model = ContractReference
        fields = ["client", "client_name", "year", "value_band", "cpv_codes", "description"]
        labels = {"client_name": _("Client's name")}
        help_texts = {"client_name": _("Filled from the directory when you pick the client.")}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, clients: list[Organisation] | None = None, **kwargs):
        """``clients``: the :func:`reference_clients` already read (by the formset, once for
        all its forms); the field then renders them instead of querying again."""
        super().__init__(*args, **kwargs)
        field = self.fields["client"]
        queryset = reference_clients()
        if self.instance.client_id:  # a client set before (by staff, an import) stays valid
            queryset = queryset | Organisation.objects.filter(pk=self.instance.client_id)
        field.queryset = queryset.order_by("name")
        if clients is not None and (
            not self.instance.client_id or self.instance.client_id in {c.pk for c in clients}
        ):
            choice = field.iterator(field).choice
            field.choices = [("", field.empty_label), *(choice(c) for c in clients)]
        self.fields["client_name"].required = False

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 1950 <= year <= timezone.now().year:
            raise forms.ValidationError(_("Enter a year between 1950 and this year."))
        return year

    def clean(self):
        data = super().clean()
        client, name = data.get("client"), (data.get("client_name") or "").strip()
        if client is None and not name and "client_name" not in self.errors:
            self.add_error("client_name", _("Pick the client from the directory or type its name."))
        elif client is not None and not name:
            data["client_name"] = client.name[:200]
        return data


def reference_clients():
    """The clients a reference can pick: the directory's published research infrastructures
    that may act."""
    return Organisation.objects.acting().filter(
        kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE, status=Organisation.Status.PUBLISHED
    )


class BaseContractReferenceFormSet(forms.BaseInlineFormSet):
    """A profile's references: their CPV codes and the client choices are read once for all
    the forms, not once per reference row."""

    def __init__(self, *args, queryset=None, **kwargs):
        if queryset is None:
            queryset = ContractReference.objects.prefetch_related("cpv_codes")
        super().__init__(*args, queryset=queryset, **kwargs)

    @cached_property
    def _clients(self) -> list[Organisation]:
        return list(reference_clients().order_by("name"))

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "clients": self._clients}


ContractReferenceFormSet = forms.inlineformset_factory(
    Organisation,
    ContractReference,
    form=ContractReferenceForm,
    formset=BaseContractReferenceFormSet,
    fk_name="organisation",
    extra=1,
    max_num=30,
    can_delete=True,
)


class InvitationForm(PortalFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR
    )


class JoinRequestForm(PortalFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the administrators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClusterMembershipRequestForm(PortalFormMixin, forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=Organisation.objects.acting().filter(
            kind=Organisation.Kind.CLUSTER, status=Organisation.Status.PUBLISHED
        ),
    )
    message = forms.CharField(
        label=_("Message to the cluster manager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(PortalFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class ApprovalDecisionForm(PortalFormMixin, forms.Form):
    """Staff approve a research infrastructure, cluster or public authority, or refuse it
    with a reason its administrators read."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (for a rejection)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the organisation's administrators."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why, for its administrators."))
        return data


class MemberImportForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Member sheet (.csv or .xlsx)"),
        help_text=_(
            "First row: name, country, website, contact e-mail, CPV codes, capabilities. "
            "At most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option.

    The directory's filter form has selects of ~250 countries; Django's template-per-option
    rendering made that the slowest part of the list page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (
                        "" if v is None else str(v),
                        mark_safe(" selected") if str("" if v is None else v) in selected else "",
                        label,
                    )
                    for v, label in choices
                ),
            )

        # a group's label is a list of choices: an <optgroup> (as Django's Select renders it)
        html = format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<optgroup label="{}">{}</optgroup>', v, options(label))
                    if isinstance(label, list | tuple)
                    else options([(v, label)]),
                )
                for v, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), html)


class CodeLookupForm(PortalFormMixin, forms.Form):
    """The code search of the pages that work without JavaScript (``?q=``)."""

    HELP = {
        "cpv": _("e.g. “vacuum”, “cryogenic”, or the first digits of a code such as 4212."),
        "nace": _("e.g. “machinery”, or a code such as 28.2."),
    }

    q = forms.CharField(
        label=_("Code or words"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, scheme: str = "cpv", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = self.HELP[scheme]


# --- profiles handed over -----------------------------------------------------------------------


class ClaimForm(PortalFormMixin, forms.Form):
    """Which of the user's verified addresses proves they work for the company."""

    email = forms.ChoiceField(
        label=_("Your verified e-mail address at the company's domain"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, addresses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(a, a) for a in addresses]
        if addresses:
            self.fields["email"].initial = addresses[0]


class MemberInvitationForm(PortalFormMixin, forms.Form):
    """A cluster manager invites someone of a member company (its administrator when nobody
    has the profile yet: then there is no choice of role)."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR
    )

    def __init__(self, *args, choose_role: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_role:
            del self.fields["role"]


class RoleChangeForm(PortalFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Membership.Role.choices)


class ClusterInvitationForm(PortalFormMixin, forms.Form):
    """A cluster's manager invites a company of the directory to become a member."""

    member = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Only organisations with administrators in the portal can accept."),
    )
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, cluster: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Organisation.objects.acting()
            .exclude(kind__in=Organisation.PRIVILEGED_KINDS)
            .filter(
                status=Organisation.Status.PUBLISHED,
                memberships__role=Membership.Role.ADMIN,
            )
            .exclude(clusters_joined__cluster=cluster)
            .distinct()
            .order_by("name")
        )
