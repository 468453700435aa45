"""The one list stack: every list page of the portal is a :class:`PortalListView`.

A concrete list declares what differs and nothing else (NetBox's ``ObjectListView``)::

    class EventListView(PortalListView):
        template_name = "events/event_list.html"
        filterset_class = EventFilterSet
        table_class = EventTable            # optional: rows shown as a table
        context_object_name = "events"

        def get_queryset(self):
            return selectors.event_list(user=self.request.user)

What the stack carries, once for all lists:

* **who may see**: ``login_required`` and the :meth:`PortalListView.authorize` hook, where a
  list of one object's things loads that object and raises ``Http404`` for those who may not see
  it (a draft, another organisation's list) or ``PermissionDenied``;
* **filters**: the view's FilterSet, always bound to the querystring (filters live in the URL),
  given the request (for filters that depend on the user);
* **one page-size rule and one pagination**: :func:`page_size` (``?per_page=``, 1 to
  ``MAX_PAGE_SIZE``), :func:`page_number` (garbage and huge numbers never reach the database),
  and :func:`paginate`, which reads the page's rows first and counts only when it must, capped
  at ``count_cap`` (a page that is not full is the last one: its count is known);
* **the template side**: ``core/_filters.html`` (the filter form through ``core/_field.html``),
  ``core/_pagination.html``, ``core/_table.html`` (a :class:`~bigscience_portal.core.tables.Table`);
* **an anonymous page cache** (``page_cache``: a :class:`~bigscience_portal.core.pagecache.PageCache`)
  for the lists that visitors hit hardest; while a list with one renders, the filter form's
  fields come from a memo keyed by the language and the list's version
  (``portal_tags.filter_fields``): the view declares, by having a page cache, that what its page
  shows (its filters' choices too) changes only with that version;
* **a cheaper FilterSet** (:class:`PortalFilterSet`), for lists whose filter form is rendered on
  every request.
"""

from __future__ import annotations

import copy
import math
from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import pagecache

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
#: What the page-size menu offers (plus the current size, when another one was asked for).
PAGE_SIZES = (10, 25, 50, 100)
#: Beyond this page number nothing is read: the request gets the last page, as a page past
#: the end does (Django's ``Paginator.get_page``), without an OFFSET the database refuses.
MAX_PAGE_NUMBER = 100_000
#: Lists count their rows up to this many; past it the page says "more than 1,000".
COUNT_CAP = 1000
#: Query parameters that are not filters (kept out of the active-filters summary).
NOT_FILTERS = frozenset({"page", "per_page", "sort"})


def page_size(raw, default: int = DEFAULT_PAGE_SIZE) -> int:
    """The ``per_page`` parameter as a page size from 1 to ``MAX_PAGE_SIZE``."""
    try:
        size = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return max(1, min(size, MAX_PAGE_SIZE))


def page_number(raw) -> int:
    """The ``page`` parameter as a number from 1 to ``MAX_PAGE_NUMBER`` (``last`` is the end)."""
    text = str(raw or "").strip()
    if text == "last":
        return MAX_PAGE_NUMBER
    if not text.isdigit() or len(text) > 7:
        return MAX_PAGE_NUMBER if text.isdigit() else 1
    return max(1, min(int(text), MAX_PAGE_NUMBER))


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` + 1 rows (``SELECT count(*) ... LIMIT``).

    Counting every match of a broad filter over 20,000 calls was the calls list's dearest query.
    When there are more than ``cap`` rows, ``capped`` is true and the count is exact only if the
    requested page lies beyond the cap (then a full count is needed to know the last page).
    ``cap=None`` counts exactly.
    """

    def __init__(self, object_list, per_page, *, cap: int | None = COUNT_CAP, wanted: int = 1):
        super().__init__(object_list, per_page)
        self.cap = cap
        self.capped = False
        self.wanted = wanted

    @cached_property
    def count(self) -> int:
        if self.cap is None or not hasattr(self.object_list, "order_by"):
            return super().count
        limited = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        if limited <= self.cap:
            return limited
        if self.wanted * self.per_page >= self.cap:
            return self.object_list.order_by().count()
        self.capped = True
        return self.cap

    def known_count(self, count: int) -> None:
        self.__dict__["count"] = count  # the cached_property, known without a query


def paginate(
    object_list, *, size: int, number: int, cap: int | None = COUNT_CAP, total_of=None
) -> Page:
    """One page of ``object_list`` in one query when it can be, two at most.

    The rows come first: a page that is not full is the last one, so its count is known without
    counting. ``total_of(first_row)``, when given, reads the total from the rows (a window count
    that a ranked full-text search gets for free); other full pages count, capped.
    """
    paginator = CappedPaginator(object_list, size, cap=cap, wanted=number)
    offset = (number - 1) * size
    if number < MAX_PAGE_NUMBER:
        rows = list(object_list[offset : offset + size])
        if rows and total_of is not None:
            paginator.known_count(total_of(rows[0]))
            return Page(rows, number, paginator)
        if (rows and len(rows) < size) or (not rows and number == 1):
            paginator.known_count(offset + len(rows))
            return Page(rows, number, paginator)
        if rows:
            paginator.count  # noqa: B018 (counted now: it also sets ``capped``, which the page shows)
            return Page(rows, number, paginator)
    # past the end: the last page, as Paginator.get_page does
    last = max(1, math.ceil(paginator.count / size)) if paginator.count else 1
    return paginator.page(last)


def querystring_without(params, *names: str) -> str:
    """The querystring of ``params`` (a QueryDict) without ``names``, URL-encoded (as
    ``QueryDict.urlencode`` does it, without copying the QueryDict)."""
    if hasattr(params, "lists"):
        pairs = params.lists()
    else:  # a plain dict
        pairs = ((k, v if isinstance(v, list | tuple) else [v]) for k, v in params.items())
    return urlencode(
        [(key, value) for key, values in pairs if key not in names for value in values]
    )


def active_filters(filterset) -> list[dict]:
    """The filters the querystring sets, each with its label, the value shown and the URL of
    the same list without it (the "active filters" summary above the results)."""
    if filterset is None or not filterset.is_bound or not filterset.form.is_valid():
        return []
    out = []
    data = filterset.data
    for name, field in filterset.form.fields.items():
        if name in NOT_FILTERS:
            continue
        value = filterset.form.cleaned_data.get(name)
        if value in (None, "", [], False) or not data.get(name):
            continue
        shown = value
        choices = getattr(field, "choices", None)
        if choices is not None and not hasattr(value, "pk"):
            wanted = str(value)
            flat = (  # a group's label holds its choices (an <optgroup>)
                pair
                for key, label in choices
                for pair in (label if isinstance(label, list | tuple) else [(key, label)])
            )
            shown = next((label for key, label in flat if str(key) == wanted), value)
        if value is True:
            shown = _("yes")
        out.append(
            {
                "name": name,
                "label": field.label,
                "value": str(shown),
                "remove_querystring": querystring_without(data, name, "page"),
            }
        )
    return out


class _FilterCopies(dict):
    """A FilterSet class's ``base_filters``, copied per instance without deep-copying them.

    django-filter deep-copies every filter (its ``extra``: widgets, choices, labels) for each
    FilterSet; an instance only sets its own ``model`` and ``parent`` on its filters and builds
    its own form field from each, so a shallow copy per filter is enough (a method filter is
    bound again to its copy, a field built on the class's filter is not shared).
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, original in self.items():
            new = copy.copy(original)
            new.__dict__.pop("_field", None)
            if original.method is not None:
                new.method = original.method  # a FilterMethod bound to the copy
            copies[name] = new
        return copies


class _FreshFields(dict):
    """A filter form's ``base_fields``: new for every FilterSet (``get_form_class`` builds the
    class and its fields from the instance's filters), so its form need not copy them again."""

    def __deepcopy__(self, memo):
        return dict(self)


class PortalFilterSetMetaclass(django_filters.filterset.FilterSetMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_filters = _FilterCopies(new_class.base_filters)
        return new_class


class PortalFilterSet(django_filters.FilterSet, metaclass=PortalFilterSetMetaclass):
    """A ``django_filters.FilterSet`` that copies its filters and fields once per request, not
    twice (django-filter deep-copies both: a tenth of a filtered list page's Python time).

    Use it as any FilterSet. What it assumes, as django-filter's own FilterSet does: a filter
    keeps no state of its own beyond what its FilterSet sets (``model``, ``parent``).

    ``static_form = True`` says more: no field of the filter form depends on the request or the
    instance (no queryset or choices picked per user; callable choices are fine, they are read
    when the form is rendered or validated). The form class and its fields are then built once
    per FilterSet class and shared, read-only, by every request's form.
    """

    static_form = False

    def filter_noop(self, queryset, name, value):
        """The filters a FilterSet applies in its ``filter_queryset`` (a :class:`SortFilter`:
        the order acts when the filter is absent too)."""
        return queryset

    def get_form_class(self):
        if self.static_form:
            cls = type(self)
            form_class = cls.__dict__.get("_static_form_class")
            if form_class is None:
                form_class = super().get_form_class()
                form_class.base_fields = _FreshFields(form_class.base_fields)
                cls._static_form_class = form_class
            return form_class
        form_class = super().get_form_class()
        form_class.base_fields = _FreshFields(form_class.base_fields)
        return form_class


class SortFilter(django_filters.ChoiceFilter):
    """The order of a list, one of ``choices`` (no empty choice: the first is the default); the
    FilterSet's ``filter_queryset`` sorts by it (or the ``method`` it names does)."""

    def __init__(self, choices, *, method: str = "filter_noop", **kwargs):
        kwargs.setdefault("label", gettext_lazy("Sort by"))
        super().__init__(choices=choices, method=method, empty_label=None, **kwargs)


class WhenFilter(django_filters.ChoiceFilter):
    """ "Upcoming", "past" or any time: the one filter of the lists of dated things (events,
    exchanges). The FilterSet names the ``method`` that reads its dates."""

    def __init__(self, *, method: str = "filter_when", **kwargs):
        kwargs.setdefault("label", gettext_lazy("When"))
        kwargs.setdefault("empty_label", gettext_lazy("Any time"))
        choices = [("upcoming", gettext_lazy("Upcoming")), ("past", gettext_lazy("Past"))]
        super().__init__(choices=choices, method=method, **kwargs)


class PortalListView(View):
    """A filtered, paginated list page (see the module's docstring)."""

    template_name: str = ""
    filterset_class = None
    table_class = None
    context_object_name = "rows"
    paginate_by = DEFAULT_PAGE_SIZE
    count_cap: int | None = COUNT_CAP
    login_required = False
    page_cache = None
    http_method_names = ["get", "head", "options"]

    # --- who may see -------------------------------------------------------------------------
    def dispatch(self, request, *args, **kwargs):
        if self.login_required and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.authorize()
        return super().dispatch(request, *args, **kwargs)

    def authorize(self) -> None:
        """Decide whether the user may see this list (raise ``Http404`` or ``PermissionDenied``).

        Lists of one object's things load that object here (``self.call = ...``)."""

    # --- rows ----------------------------------------------------------------------------------
    def get_queryset(self):
        raise NotImplementedError(f"{type(self).__name__} must say which rows it lists")

    def get_filterset(self, queryset):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.request.GET, queryset=queryset, request=self.request)

    def filtered(self, filterset, queryset):
        """The rows the filters leave (an invalid filter keeps the others)."""
        return filterset.qs if filterset is not None else queryset

    def get_page_size(self) -> int:
        return page_size(self.request.GET.get("per_page"), self.paginate_by)

    def paginate(self, rows, size: int) -> Page:
        return paginate(
            rows, size=size, number=page_number(self.request.GET.get("page")), cap=self.count_cap
        )

    def get_rows(self, page: Page) -> list:
        """What the template shows for the page's objects (override to build row objects)."""
        return list(page.object_list)

    def get_table(self, rows):
        return self.table_class(rows, request=self.request)

    def get_context_data(self, **context) -> dict:
        """Extra context of the concrete list; call ``super()`` and add to what it returns."""
        return context

    # --- the page ------------------------------------------------------------------------------
    def list_context(self) -> dict:
        queryset = self.get_queryset()
        filterset = self.get_filterset(queryset)
        size = self.get_page_size()
        page = self.paginate(self.filtered(filterset, queryset), size)
        rows = self.get_rows(page)
        params = self.request.GET
        context = {
            "view": self,
            "filterset": filterset,
            "active_filters": active_filters(filterset),
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "count_capped": getattr(page.paginator, "capped", False),
            "per_page": size,
            "page_sizes": sorted({*PAGE_SIZES, size}),
            "querystring": querystring_without(params, "page"),
            self.context_object_name: rows,
        }
        if self.table_class is not None:
            context["table"] = self.get_table(rows)
        return self.get_context_data(**context)

    def render_list(self) -> HttpResponse:
        return render(self.request, self.template_name, self.list_context())

    def get(self, request, *args, **kwargs):
        cache = self.page_cache
        if cache is None:
            return self.render_list()
        if not pagecache.serves(request):
            with cache.pinned(cache.version()):  # the filter memos follow the list's version
                return self.render_list()
        return pagecache.respond(cache, request, self.render_list)
