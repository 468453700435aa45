"""The calls list's filters: one FilterSet, shared by the page, the feeds, the OCDS package and
saved searches."""

from __future__ import annotations

from functools import lru_cache

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from bigscience_portal.core import search
from bigscience_portal.core.lists import PortalFilterSet, SortFilter
from organisations import permissions as org_perms
from organisations.filtersets import CPVFilter
from organisations.models import Organisation
from organisations.reference import typed_cpv_prefix

from .models import HarvestRun, ProcurementCall
from .scope import MEMBER_COUNTRIES

LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("cs", _("Czech")),
    ("lt", _("Lithuanian")),
]

SORT_CHOICES = [
    ("deadline", _("Deadline (soonest first)")),
    ("newest", _("Newest first")),
    ("relevance", _("Relevance (with a search)")),
]

#: The significant digits of a typed CPV code (a whole code's stored ``CPVCode.prefix``).
cpv_prefix = typed_cpv_prefix


def user_country(user) -> str:
    """The country of the user's company (else of any organisation they belong to)."""
    orgs = org_perms.member_organisations(user).exclude(country="")
    company = orgs.filter(kind__in=Organisation.COMPANY_KINDS).values_list("country", flat=True)
    return company.first() or orgs.values_list("country", flat=True).first() or ""


#: Countries offered by the eligibility filter: Europe (the member states of the Big Science
#: organisations, the interest profile's countries, and the other participating states) and the
#: states that most often take part in their calls.
FILTER_COUNTRIES = [
    *MEMBER_COUNTRIES,
    "AL",
    "AD",
    "AM",
    "AZ",
    "BA",
    "BY",
    "GE",
    "IL",
    "MC",
    "MD",
    "ME",
    "MK",
    "RS",
    "RU",
    "SM",
    "TR",
    "UA",
    "VA",
    "CA",
    "IN",
    "JP",
    "KR",
    "US",
]


@lru_cache(maxsize=16)
def _country_choices_for(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(((code, str(countries.name(code))) for code in FILTER_COUNTRIES), key=lambda c: c[1])
    )


def _country_choices():
    """Country names translated and sorted once per language, not once per request."""
    return _country_choices_for(get_language() or "en")


_buyers_memo: dict[int, list[tuple[str, str]]] = {}


def _buyer_choices():
    """The infrastructures, read once per list version (an infrastructure's write bumps it)."""
    from .caches import calls_page_cache

    version = calls_page_cache.version()
    choices = _buyers_memo.get(version)
    if choices is None:
        rows = Organisation.objects.filter(
            kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE, status=Organisation.Status.PUBLISHED
        ).values_list("slug", "name", "acronym")
        choices = [
            (slug, f"{name} ({acronym})" if acronym else name) for slug, name, acronym in rows
        ]
        _buyers_memo.clear()
        _buyers_memo[version] = choices
    return choices


class CallFilterSet(PortalFilterSet):
    # no field depends on the user ("mine" filters by the user's country, it is not a choice)
    static_form = True

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. gyrotron")}),
        help_text=_(
            "Words in any language; other forms of a word match too (cryogenic, cryogenics). "
            "Put - before a word to leave it out."
        ),
    )
    buyer = django_filters.ChoiceFilter(
        field_name="buyer__slug",
        choices=_buyer_choices,
        label=_("Buyer"),
        empty_label=_("Any infrastructure"),
    )
    stage = django_filters.ChoiceFilter(
        choices=ProcurementCall.Stage.choices, label=_("Stage"), empty_label=_("Any stage")
    )
    procedure = django_filters.ChoiceFilter(
        field_name="procurement_method",
        choices=ProcurementCall.Procedure.choices,
        label=_("Procedure"),
        empty_label=_("Any procedure"),
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in ProcurementCall.Status.choices if c[0] != "draft"],
        label=_("Status"),
        empty_label=_("Any status"),
    )
    cpv = CPVFilter()
    country = django_filters.ChoiceFilter(
        method="filter_country",
        choices=_country_choices,
        label=_("Eligible country"),
        empty_label=_("Any country"),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Eligible for my country"),
        widget=forms.CheckboxInput,
    )
    deadline_after = django_filters.DateFilter(
        field_name="tender_period_end",
        lookup_expr="date__gte",
        label=_("Deadline from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    deadline_before = django_filters.DateFilter(
        field_name="tender_period_end",
        lookup_expr="date__lte",
        label=_("Deadline until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    value_band = django_filters.ChoiceFilter(
        choices=ProcurementCall.ValueBand.choices, label=_("Value band"), empty_label=_("Any")
    )
    language = django_filters.ChoiceFilter(
        choices=LANGUAGE_CHOICES, label=_("Language"), empty_label=_("Any language")
    )
    include_closed = django_filters.BooleanFilter(
        method="filter_noop",
        label=_("Include closed calls"),
        widget=forms.CheckboxInput,
    )
    sort = SortFilter(SORT_CHOICES)

    class Meta:
        model = ProcurementCall
        fields: list[str] = []

    # --- filters ---
    def filter_search(self, queryset, name, value):
        """Stemmed, ranked full-text search of titles, references and descriptions in any
        language, the same on SQLite (FTS5) and PostgreSQL (core.search)."""
        return search.apply_search(queryset, value)

    def filter_cpv(self, queryset, name, value):
        prefix = cpv_prefix(value)
        if prefix is None:
            return queryset.none()
        through = ProcurementCall.additional_cpv.through
        extra = through.objects.filter(
            procurementcall_id=OuterRef("pk"), cpvcode__code__startswith=prefix
        )
        return queryset.filter(Q(main_cpv__code__startswith=prefix) | Q(Exists(extra)))

    @staticmethod
    def _eligible(queryset, code: str):
        # Codes are stored comma-separated ("DE,DK"); two letters never straddle a comma, so
        # ``contains`` matches exactly one whole code.
        return queryset.filter(Q(eligible_countries="") | Q(eligible_countries__contains=code))

    def filter_country(self, queryset, name, value):
        return self._eligible(queryset, value) if value else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        code = user_country(user) if user is not None else ""
        return self._eligible(queryset, code) if code else queryset

    def ordered_by_rank(self) -> bool:
        """True when the list is a full-text search sorted by relevance: the database ranks
        every match, so counting them all in the same query costs next to nothing."""
        if not self.is_valid():
            return False
        data = self.form.cleaned_data
        searching = bool(search.parse_query(data.get("q") or ""))
        sort = data.get("sort") or ("relevance" if searching else "deadline")
        return searching and sort == "relevance"

    # --- open only by default, sorting ---
    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("include_closed") and not data.get("status"):
            queryset = queryset.open()
        sort = data.get("sort") or ("relevance" if data.get("q") else "deadline")
        if self.ordered_by_rank():
            return queryset.order_by("-rank", "tender_period_end", "pk")
        if sort == "newest":
            return queryset.order_by(F("published_at").desc(nulls_last=True), "-pk")
        return queryset.order_by(F("tender_period_end").asc(nulls_last=True), "pk")


class HarvestFilterSet(PortalFilterSet):
    """The staff's list of TED harvests, by status."""

    static_form = True  # the status choices are the same for everyone

    class Meta:
        model = HarvestRun
        fields = ["status"]
