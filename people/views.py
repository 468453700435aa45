"""The person's own account (``/me/account/``) and the privacy page (public)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from bigscience_portal.core.refusals import refusals
from organisations.selectors import sole_administrations

from . import personal_data, services
from .forms import AccountDeleteForm, MailPreferencesForm, ProfileForm
from .models import PersonProfile


def _profile(user) -> PersonProfile:
    return PersonProfile.objects.filter(user=user).first() or PersonProfile(user=user)


@login_required
def account(request):
    """Name, job title and languages; which mails; links to the data and to deletion."""
    user = request.user
    profile = _profile(user)
    profile_form = ProfileForm(
        initial={
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": profile.job_title,
            "languages": profile.languages,
        },
        prefix="profile",
    )
    mail_form = MailPreferencesForm(
        initial={"mail_mode": profile.mail_mode, "muted_topics": profile.muted_topics},
        prefix="mail",
    )
    if request.method == "POST":
        if "profile-first_name" in request.POST:
            profile_form = ProfileForm(request.POST, prefix="profile")
            if profile_form.is_valid():
                services.profile_update(user=user, **profile_form.cleaned_data)
                messages.success(request, _("Your profile is saved."))
                return redirect("people:account")
        else:
            mail_form = MailPreferencesForm(request.POST, prefix="mail")
            if mail_form.is_valid():
                services.mail_preferences_update(user=user, **mail_form.cleaned_data)
                messages.success(request, _("Your e-mail preferences are saved."))
                return redirect("people:account")
    return render(
        request,
        "people/account.html",
        {"profile_form": profile_form, "mail_form": mail_form, "profile": profile},
    )


@never_cache
@login_required
def data_download(request, fmt: str):
    """All the portal holds about the person: JSON, or one CSV per kind of record in a zip."""
    data = personal_data.collect(request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    if fmt == "json":
        response = HttpResponse(personal_data.as_json(data), content_type="application/json")
        name = f"my-data-{stamp}.json"
    else:
        response = HttpResponse(personal_data.as_csv_zip(data), content_type="application/zip")
        name = f"my-data-{stamp}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def account_delete(request):
    """Ask for the address as confirmation, then delete the account and log out."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form) as refused:
            services.account_delete(user=request.user)
        if not refused:
            logout(request)
            messages.success(request, _("Your account and your personal data are deleted."))
            return redirect("core:home")
    return render(
        request,
        "people/account_delete.html",
        {"form": form, "administrations": sole_administrations(request.user)},
    )


@csrf_exempt
@require_POST
def language_set(request):
    """The footer's language switcher: Django's ``set_language`` (the cookie, back to the page
    the person was on, only on this site), and for a signed-in person their profile's language,
    which their e-mails follow.

    A visitor's choice changes nothing but their own cookie, so it needs no CSRF token: the
    visitors' page cache serves one rendered footer to everyone, whose token would not match
    their cookie. A signed-in person's (whose pages are never cached) changes their profile and
    is checked as every other form."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda _request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_set(user=request.user, language=language)
    return response


def privacy(request):
    """What the portal keeps about a person, why, and what deletion does."""
    return render(request, "people/privacy.html")
