"""The directory's FilterSet: every filter lives in the URL's query string."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core import search
from bigscience_portal.core.lists import SortFilter

from .countries import country_choices
from .forms import FastSelect
from .models import Certification, ClusterMembership, CPVCode, Decision, NACECode, Organisation
from .pickers import cpv_picker, nace_picker

CPVThrough = Organisation.cpv_codes.through


NACEThrough = Organisation.nace_codes.through


class CPVFilter(django_filters.CharFilter):
    """A CPV code or its first digits, typed or picked (``cpv_picker``); the FilterSet's
    ``filter_cpv`` (or the ``method`` it names) finds what has a code beneath it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("method", "filter_cpv")
        kwargs.setdefault("label", _("CPV code"))
        kwargs.setdefault(
            "help_text", _("A code or its first digits; includes every code beneath it.")
        )
        super().__init__(widget=cpv_picker(single=True), **kwargs)


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        help_text=_(
            "Name, acronym or capabilities, in any language; other forms of a word match too."
        ),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("Any kind")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=country_choices, empty_label=_("Any country")
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"),
        empty_label=_("Any cluster"),
        queryset=Organisation.objects.acting()
        .filter(kind=Organisation.Kind.CLUSTER, status=Organisation.Status.PUBLISHED)
        .only("pk", "name"),
        to_field_name="slug",
        method="filter_cluster",
    )
    cpv = CPVFilter(help_text=_("A code and everything beneath it, e.g. 42000000"))
    nace = django_filters.CharFilter(
        label=_("NACE code"),
        method="filter_nace",
        help_text=_("e.g. C, 28 or 28.25"),
        widget=nace_picker(single=True),
    )
    certification = django_filters.ModelChoiceFilter(
        label=_("Certification"),
        empty_label=_("Any certification"),
        queryset=Certification.objects.all(),
        to_field_name="code",
        field_name="certifications",
    )
    size_class = django_filters.ChoiceFilter(
        label=_("Size"), choices=Organisation.SizeClass.choices, empty_label=_("Any size")
    )
    verified = django_filters.BooleanFilter(
        label=_("Verified by a cluster"),
        method="filter_verified",
        widget=forms.Select(
            choices=[("", _("Verified or not")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Best match, then name"),
        fields=(("name", "name"), ("country", "country"), ("updated_at", "updated")),
        field_labels={"name": _("Name"), "country": _("Country"), "updated_at": _("Last update")},
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_fast_selects", False):
            for form_field in form.fields.values():
                if type(form_field.widget) is forms.Select:
                    widget = FastSelect(attrs=form_field.widget.attrs)
                    widget.choices = form_field.widget.choices
                    form_field.widget = widget
            form._fast_selects = True
        return form

    def filter_search(self, queryset, name, value):
        """Stemmed full-text search of names, acronyms (weight A), capabilities and descriptions
        (B), best match first unless a sort is chosen (core.search; same on both databases)."""
        if not search.parse_query(value):
            return search.apply_search(queryset, value)
        return search.apply_search(queryset, value).order_by("-rank", "name", "pk")

    def filter_cluster(self, queryset, name, value):
        return queryset.filter(
            Exists(
                ClusterMembership.objects.filter(
                    member=OuterRef("pk"), cluster=value, status=Decision.APPROVED
                )
            )
        )

    def filter_cpv(self, queryset, name, value):
        """The code and every descendant: codes whose significant prefix starts with its prefix."""
        code = value.strip().split("-")[0]
        node = CPVCode.objects.filter(code=code).only("prefix").first()
        if node is None:
            # A partial code ("421") works as a prefix too.
            prefix = code.rstrip("0") if code.isdigit() else None
            if not prefix:
                return queryset.none()
        else:
            prefix = node.prefix
        return queryset.filter(
            Exists(
                CPVThrough.objects.filter(
                    organisation_id=OuterRef("pk"), cpvcode__prefix__startswith=prefix
                )
            )
        )

    def filter_nace(self, queryset, name, value):
        """The NACE code and everything beneath it (sections, divisions, groups, classes)."""
        code = value.strip().upper()
        if not NACECode.objects.filter(code=code).exists():
            return queryset.none()
        beneath = (
            Q(nacecode=code)
            | Q(nacecode__parent=code)
            | Q(nacecode__parent__parent=code)
            | Q(nacecode__parent__parent__parent=code)
        )
        return queryset.filter(
            Exists(NACEThrough.objects.filter(beneath, organisation_id=OuterRef("pk")))
        )

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verified_at__isnull=not value)


class ClusterMemberFilterSet(django_filters.FilterSet):
    """The cluster manager's list of members and requests."""

    SORTS = {
        "pending": ("status_order", "member__name", "pk"),
        "name": ("member__name", "pk"),
        "newest": ("-created_at", "-pk"),
    }

    q = django_filters.CharFilter(
        label=_("Organisation"), field_name="member__name", lookup_expr="icontains"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Decision.choices, empty_label=_("Any status")
    )
    verified = django_filters.ChoiceFilter(
        label=_("Verified"),
        method="filter_verified",
        choices=[("yes", _("Verified")), ("no", _("Not verified"))],
        empty_label=_("Verified or not"),
    )
    taken_over = django_filters.ChoiceFilter(
        label=_("Taken over"),
        method="filter_taken_over",
        choices=[("yes", _("Has administrators")), ("no", _("Not taken over"))],
        empty_label=_("Taken over or not"),
    )
    sort = SortFilter(
        [
            ("pending", _("Requests to decide first")),
            ("name", _("Name")),
            ("newest", _("Newest first")),
        ],
        method="filter_sort",
    )

    class Meta:
        model = ClusterMembership
        fields: list[str] = []

    def filter_verified(self, queryset, name, value):
        return queryset.filter(member__verified_at__isnull=value != "yes")

    def filter_taken_over(self, queryset, name, value):
        return (
            queryset.filter(admin_count__gt=0) if value == "yes" else queryset.filter(admin_count=0)
        )

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, self.SORTS["pending"]))


class ApprovalFilterSet(django_filters.FilterSet):
    """The staff's queue of organisations waiting for approval."""

    q = django_filters.CharFilter(
        label=_("Organisation"), field_name="name", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in Organisation.PRIVILEGED_KINDS],
    )

    class Meta:
        model = Organisation
        fields: list[str] = []
