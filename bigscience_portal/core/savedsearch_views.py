"""The pages of saved searches that every list's searches share: save the list's filters, edit
a search (its name and frequency; its filters on the list itself), and stop a digest from its
e-mail's link (``core.savedsearches`` does the writes)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .refusals import refusals
from .savedsearches import clean_querystring


def search_create_page(
    request, *, model, form_class, create, saved_message, list_url_name, template
):
    """Save the list's filters (``?q_string=``) under a name; ``saved_message`` formats
    ``name`` and ``freq``. The view wrapping it asks for the login and the methods."""
    initial = {
        "querystring": clean_querystring(request.GET.get("q_string", "")),
        "frequency": model.Frequency.WEEKLY,
    }
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            search = create(
                user=request.user,
                name=form.cleaned_data["name"],
                querystring=form.cleaned_data["querystring"],
                frequency=form.cleaned_data["frequency"],
            )
            messages.success(
                request,
                saved_message
                % {"name": search.name, "freq": search.get_frequency_display().lower()},
            )
            return redirect(list_url_name)
    return render(request, template, {"form": form})


def search_unsubscribe_page(request, token: str, *, find, unsubscribe, template, context=None):
    """Works without logging in: the signed token of the digest's link is the key."""
    context = dict(context or {})
    search = find(token)
    if search is None:
        return render(request, template, {**context, "invalid": True}, status=404)
    done = False
    if request.method == "POST":
        unsubscribe(search=search)
        done = True
    return render(request, template, {**context, "search": search, "done": done})


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


def search_edit_page(
    request,
    pk: int,
    *,
    model,
    form_class,
    update,
    saved_message,
    list_url_name,
    template,
    filterset_class=None,
):
    """Edit one of the user's own searches (others': 404): its name and frequency here, its
    filters on the list (``get_edit_filters_url``), whose "Save changes" posts here too.
    ``saved_message`` formats ``name``. The view wrapping it asks for the login and methods."""
    search = get_object_or_404(model, pk=pk, user=request.user)
    saved_name = search.name  # the form's validation writes to the instance
    form = form_class(request.POST or None, instance=search)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            update(
                search=search,
                name=form.cleaned_data["name"],
                frequency=form.cleaned_data["frequency"],
                querystring=form.cleaned_data["querystring"],
            )
            messages.success(request, saved_message % {"name": search.name})
            return redirect(list_url_name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        template,
        {
            "form": form,
            "search": search,
            "search_name": saved_name,
            "filters": _filter_labels(search.querystring, filterset_class),
        },
        status=status,
    )
