"""A signed-in person's chosen language, on a browser that has no choice of its own yet."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from .preferences import language_of


class ProfileLanguageMiddleware:
    """After ``AuthenticationMiddleware``: when the request carries no language cookie (a new
    browser, the cookie cleared), the language the person chose in their profile, rather than
    the browser's, and that browser keeps it as its cookie; the switcher's cookie, once set,
    decides as for a visitor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
        ):
            language = language_of(user)
            if language and language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
                response = self.get_response(request)
                # the browser now has the choice: the next requests need no profile read
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                )
                return response
        return self.get_response(request)
