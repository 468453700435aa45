"""Small pieces the apps' views share: the loader of a page's object, the view of an object's
buttons, a confirmation page whose POST runs one service call, a file to download.

:func:`visible_or_404` is the one rule of loading what a page is about for a user: what does not
exist, and what the user may not see, answer 404 alike (a draft, another organisation's things:
saying 403 would tell that they exist). An app's ``views/access.py`` names one loader a kind::

    opportunity_or_404 = visible_or_404(selectors.opportunity_detail, permissions.can_view_opportunity)

    opportunity = opportunity_or_404(request, pk)
    opportunity = opportunity_or_404(request, pk, permissions.can_edit_opportunity)  # or 403
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .refusals import refusals


def visible_or_404(find: Callable, can_view: Callable, *, message=None) -> Callable:
    """A loader ``(request, key, allowed=None) -> object``: ``find(key)`` when there is one
    (``find`` returns None or raises a model's ``DoesNotExist`` when there is none) and
    ``can_view(user, it)``, else ``Http404`` (saying ``message``, a lazy text, when given);
    and, for a page that changes it, ``allowed(user, it)``, else ``PermissionDenied``."""

    def load(request, key, allowed: Callable | None = None):
        try:
            obj = find(key)
        except ObjectDoesNotExist:
            obj = None
        if obj is None or not can_view(request.user, obj):
            raise Http404(str(message)) if message else Http404
        return permitted(request, obj, allowed)

    return load


def permitted(request, obj, allowed: Callable | None):
    """``obj`` if ``allowed(user, obj)`` (or nothing to ask), else ``PermissionDenied``."""
    if allowed is not None and not allowed(request.user, obj):
        raise PermissionDenied
    return obj


def object_actions(load: Callable, actions: dict, *, name: str) -> Callable:
    """The one view of the buttons of an object's page, a POST to ``(pk, action)``: ``actions``
    maps each action to who may (``allowed(user, obj)``), the service (called with the object
    as ``name`` and the ``user``) and what the page says after it (a text, or a function of the
    object). Back to the object's page, with that or the service's refusal; an action nobody may
    take: 404, a user who may not: 403."""

    @login_required
    @require_POST
    def view(request, pk, action: str):
        obj = load(request, pk)
        if action not in actions:
            raise Http404
        allowed, service, done = actions[action]
        if not allowed(request.user, obj):
            raise PermissionDenied
        with refusals(request):
            service(**{name: obj, "user": request.user})
            messages.success(request, str(done(obj) if callable(done) else done))
        return redirect(obj)

    return view


def confirm(request, template: str, context: dict, *, act: Callable, done: str, then):
    """GET shows the confirmation page; POST does ``act()`` (a service call) and goes to
    ``then`` with ``done`` as the message, or with the service's refusal."""
    if request.method != "POST":
        return render(request, template, context)
    with refusals(request):
        act()
        messages.success(request, done)
    return redirect(then)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """``content`` as an attachment named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
