"""The pages of saved searches that every list's searches share: save the list's filters, and
stop a digest from its e-mail's link (``core.savedsearches`` does the writes)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

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
