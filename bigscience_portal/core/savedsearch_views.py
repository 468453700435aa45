"""The pages of saved searches that every list's searches share: the user's searches, save the
list's filters, edit a search (its name and frequency; its filters on the list itself), delete
one, and stop a digest from its e-mail's link (``core.savedsearches`` does the writes).

An app declares its list's searches once, as a :class:`SavedSearchPages`, and includes their
URL sub-tree: ``path("saved-searches/", include(views.saved_searches.urls()))``.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import parse_qsl

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from . import savedsearches
from .lists import PortalListView
from .refusals import refusals
from .savedsearches import clean_querystring
from .text import PortalFormMixin
from .views_kit import confirm


def editing_search(request, model):
    """The user's own search whose filters the list edits (``?edit_search=<pk>``), or None;
    someone else's search, or no such search: 404."""
    raw = request.GET.get(model.EDIT_PARAM)
    if not raw or not request.user.is_authenticated:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(model, pk=int(raw), user=request.user)


def editing_context(request, model) -> dict:
    """What a list page adds when it edits a search's filters: the search, and the hidden
    field that keeps ``edit_search`` in the filter form's querystring."""
    search = editing_search(request, model)
    if search is None:
        return {}
    return {"editing_search": search, "hidden": [(model.EDIT_PARAM, search.pk)]}


def _filter_labels(querystring: str, filterset_class) -> list[tuple[str, str]]:
    """(label, value) of each filter of a saved querystring, labelled as the list labels it."""
    filters = getattr(filterset_class, "base_filters", {}) if filterset_class else {}
    out = []
    for key, value in parse_qsl(querystring, keep_blank_values=False):
        label = getattr(filters.get(key), "label", None) or key
        out.append((str(label), value))
    return out


class SavedSearchForm(PortalFormMixin, forms.ModelForm):
    """A saved search's name and digest frequency; its filters (the list's querystring) ride
    along hidden. :class:`SavedSearchPages` makes one for its model."""

    class Meta:
        fields = ["name", "frequency", "querystring"]
        widgets = {"querystring": forms.HiddenInput, "frequency": forms.RadioSelect}


class SavedSearchListView(PortalListView):
    """The user's saved searches of one list, in its pages' table (``pages`` says which)."""

    pages: SavedSearchPages
    context_object_name = "searches"
    login_required = True

    def get_queryset(self):
        return self.pages.searches(self.request.user)


_GET_POST = require_http_methods(["GET", "POST"])


class SavedSearchPages:
    """The saved-search pages of one list; an app declares what differs, as a list does::

        class CallSearchPages(SavedSearchPages):
            model = SavedSearch  # a SavedSearchBase
            frequency_label = gettext_lazy("E-mail me new calls")
            filterset_class = CallFilterSet  # labels the saved filters as the list does
            table_class = SavedSearchTable
            created_message = gettext_lazy("Search “%(name)s” saved; ... %(freq)s.")
            templates = {"list": ..., "form": ..., "delete": ..., "unsubscribe": ...}

            def searches(self, user): ...  # the user's searches (a selector)
            def find(self, token): ...  # the search of an unsubscribe token, or None

    and includes their URL sub-tree under the list's prefix (:meth:`urls`). The writes are
    ``core.savedsearches``' (an app overrides :meth:`create` and the others to do more).
    """

    model: type
    #: what the digest brings, for the frequency's label ("E-mail me new calls")
    frequency_label = ""
    filterset_class: type | None = None
    table_class: type
    #: formats ``name`` and ``freq``
    created_message = ""
    #: the ``list``, ``form``, ``delete`` (the confirmation) and ``unsubscribe`` templates
    templates: dict[str, str] = {}
    #: what the unsubscribe page adds to its context
    unsubscribe_context: dict = {}

    @cached_property
    def form_class(self) -> type[forms.ModelForm]:
        return forms.modelform_factory(
            self.model,
            form=SavedSearchForm,
            labels={"name": gettext_lazy("Name of the search"), "frequency": self.frequency_label},
        )

    def searches(self, user):
        raise NotImplementedError

    def find(self, token: str):
        raise NotImplementedError

    def create(self, **fields):
        return savedsearches.search_create(self.model, **fields)

    def update(self, **fields):
        return savedsearches.search_update(**fields)

    def delete(self, *, search) -> None:
        savedsearches.search_delete(search=search)

    def unsubscribe(self, *, search):
        return savedsearches.search_unsubscribe(search=search)

    def urls(self, *, name_prefix: str = "search_", pk: str = "pk") -> list:
        """The URL sub-tree of the pages, named ``<name_prefix>list``, ``…create``, ``…edit``,
        ``…delete`` and ``…unsubscribe``; ``pk`` names the search's part of the paths. The
        pages are included once (they redirect to the list of that name)."""
        self.name_prefix, self.pk_kwarg = name_prefix, pk
        list_view = type(  # a class of its own: the list stack and its tests read its template
            f"{self.model.__name__}ListView",
            (SavedSearchListView,),
            {
                "pages": self,
                "template_name": self.templates["list"],
                "table_class": self.table_class,
            },
        )
        return [
            path("", list_view.as_view(), name=f"{name_prefix}list"),
            path("new/", login_required(_GET_POST(self.create_page)), name=f"{name_prefix}create"),
            path(
                f"<int:{pk}>/edit/",
                login_required(_GET_POST(self.edit_page)),
                name=f"{name_prefix}edit",
            ),
            path(
                f"<int:{pk}>/delete/",
                login_required(_GET_POST(self.delete_page)),
                name=f"{name_prefix}delete",
            ),
            path(
                "unsubscribe/<str:token>/",
                _GET_POST(self.unsubscribe_page),
                name=f"{name_prefix}unsubscribe",
            ),
        ]

    def save_box(self, request, *, can_save: bool) -> dict:
        """What the list page gives ``core/_save_search.html``: its filters as a search keeps
        them, whether the user may save them, the unbound form (built only when its memoised
        fields are not) and, with ``?edit_search=``, the search whose filters the list edits."""
        context = editing_context(request, self.model) if can_save else {}
        context.update(
            filter_querystring=clean_querystring(request.GET.urlencode()),
            can_save_search=can_save,
            save_form=(
                SimpleLazyObject(
                    lambda: self.form_class(initial={"frequency": self.model.Frequency.WEEKLY})
                )
                if can_save
                else None
            ),
        )
        return context

    def _list_url_name(self, request) -> str:
        return f"{request.resolver_match.namespace}:{self.name_prefix}list"

    def _own_search(self, request, kwargs):
        """The user's own search of the path (someone else's, or none: 404)."""
        return get_object_or_404(self.model, pk=kwargs[self.pk_kwarg], user=request.user)

    def create_page(self, request):
        """Save the list's filters (``?q_string=``) under a name."""
        initial = {
            "querystring": clean_querystring(request.GET.get("q_string", "")),
            "frequency": self.model.Frequency.WEEKLY,
        }
        form = self.form_class(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form):
                search = self.create(user=request.user, **form.cleaned_data)
                messages.success(
                    request,
                    self.created_message
                    % {"name": search.name, "freq": search.get_frequency_display().lower()},
                )
                return redirect(self._list_url_name(request))
        return render(request, self.templates["form"], {"form": form})

    def edit_page(self, request, **kwargs):
        """Edit one of the user's own searches: its name and frequency here, its filters on the
        list (``get_edit_filters_url``), whose "Save changes" posts here too."""
        search = self._own_search(request, kwargs)
        saved_name = search.name  # the form's validation writes to the instance
        form = self.form_class(request.POST or None, instance=search)
        if request.method == "POST" and form.is_valid():
            with refusals(request, form=form):
                self.update(search=search, **form.cleaned_data)
                messages.success(request, _("Search “%(name)s” saved.") % {"name": search.name})
                return redirect(self._list_url_name(request))
        status = 400 if request.method == "POST" else 200
        return render(
            request,
            self.templates["form"],
            {
                "form": form,
                "search": search,
                "search_name": saved_name,
                "filters": _filter_labels(search.querystring, self.filterset_class),
            },
            status=status,
        )

    def delete_page(self, request, **kwargs):
        """Delete one of the user's own searches once confirmed; the confirmation's template is
        given the ``search``, a ``title``, a ``button`` and the ``back`` link."""
        search = self._own_search(request, kwargs)
        back = reverse(self._list_url_name(request))
        return confirm(
            request,
            self.templates["delete"],
            {
                "search": search,
                "title": _("Delete the saved search “%(name)s”?") % {"name": search.name},
                "button": _("Delete"),
                "back": back,
            },
            act=lambda: self.delete(search=search),
            done=_("Saved search deleted."),
            then=back,
        )

    def unsubscribe_page(self, request, token: str):
        """Works without logging in: the signed token of the digest's link is the key."""
        context = dict(self.unsubscribe_context)
        search = self.find(token)
        template = self.templates["unsubscribe"]
        if search is None:
            return render(request, template, {**context, "invalid": True}, status=404)
        done = False
        if request.method == "POST":
            self.unsubscribe(search=search)
            done = True
        return render(request, template, {**context, "search": search, "done": done})
