"""The one route from a service to an e-mail: :func:`mail_queue`.

A service that tells someone what happened calls ``mail_queue(key=..., to=..., subject=...,
template=..., context=...)`` inside its transaction. That writes one
:class:`~bigscience_portal.core.models.MailDelivery` per recipient (the rendered subject and
body, attachments as text) and hands it to the ``core.send_mail`` task after the commit; the
task claims the row and sends it with :func:`mail_deliver`. So a mail exists only if the change
it reports was committed, a broker outage delays it (the sweeper hands it over later) instead of
failing the change, and neither a rerun of the service (same ``key``) nor a retry of the task
sends it twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from . import records
from .models import MailDelivery, Notification

#: (user, key) -> bool: False keeps the mail of occasion ``key`` from being sent to ``user``
#: (their mail preferences, registered by an upper app's ``ready()``); the notification is
#: written all the same
mail_filters: list[Callable[[object, str], bool]] = []

_LINE_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")
SUBJECT_MAX = 200


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """``text`` on one line (line breaks and control characters become spaces), cut at
    ``limit``: what a mail subject or a calendar name may hold, whatever was stored."""
    flat = _LINE_BREAKS.sub(" ", str(text or "")).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def accounts_of(addresses: Iterable[str]) -> dict[str, object]:
    """The active account of each address (its own address, or a verified added one), keyed by
    the address in lower case; addresses without one are left out. Two queries at most,
    however many addresses."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db.models.functions import Lower

    wanted = {address.lower() for address in addresses if address}
    if not wanted:
        return {}
    found: dict[str, object] = {}
    users = get_user_model().objects.annotate(address=Lower("email"))
    for user in users.filter(address__in=wanted, is_active=True).order_by("-pk"):
        found[user.address] = user  # the oldest account of an address wins, as .first() did
    rest = wanted - found.keys()
    if rest:
        added = (
            EmailAddress.objects.annotate(address=Lower("email"))
            .filter(address__in=rest, verified=True, user__is_active=True)
            .select_related("user")
            .order_by("-pk")
        )
        for email in added:
            found[email.address] = email.user
    return found


def _recipients(to) -> list[tuple[str, object]]:
    """(address, user or None) pairs, deduplicated, from addresses, users or (address, user)."""
    out: dict[str, object] = {}
    seen: set[str] = set()
    for item in [to] if isinstance(to, str | tuple) or hasattr(to, "email") else to:
        if isinstance(item, tuple):
            address, user = item
        elif hasattr(item, "email"):
            address, user = item.email, item
        else:
            address, user = item, None
        address = (address or "").strip()
        if address and address.lower() not in seen:
            seen.add(address.lower())
            out[address] = user
    return list(out.items())


#: user -> language code or None: the language a person's mails are written in (their choice,
#: registered by an upper app's ``ready()``); None, or no hook: the site's ``LANGUAGE_CODE``
mail_languages: list[Callable[[object], str | None]] = []

Text = str | Callable[[], str]


def recipient_language(user) -> str:
    """The language ``user``'s mails and notifications are written in."""
    if user is not None:
        for language_of in mail_languages:
            language = language_of(user)
            if language:
                return language
    return settings.LANGUAGE_CODE


def _text(value: Text) -> str:
    return str(value() if callable(value) else value)


@transaction.atomic
def mail_queue(
    *,
    key: str,
    to: str | Iterable,
    subject: Text,
    body: Text | None = None,
    template: str | None = None,
    context: dict | None = None,
    attachments: Iterable[tuple[str, str | bytes, str]] = (),
    url: str = "",
) -> list[MailDelivery]:
    """Queue one mail per recipient for the occasion ``key``; returns the new deliveries.

    Every recipient with an account also gets the same news in the portal's notification centre
    (a :class:`~bigscience_portal.core.models.Notification` linking to ``url``, the page the mail
    is about), and the mail links to it.

    ``to``: an address, a user, or a list of addresses, users or (address, user) pairs. Give
    ``body``, or a ``template`` rendered with ``context`` plus SITE_NAME and SITE_URL.
    ``attachments`` are (filename, content, mimetype); binary content must be UTF-8 text
    (calendar files). A recipient already mailed for this ``key`` is not mailed again.

    Each recipient's mail and notification are written in their language
    (:func:`recipient_language`): the template is rendered in it, and a ``subject`` or ``body``
    given as a callable (``lambda: _("Your role in %(org)s ...") % {...}``) is called in it; a
    plain string stays as it was written.
    """
    recipients = _recipients(to)
    if not recipients:
        return []
    files = [
        {
            "filename": name,
            "content": content.decode() if isinstance(content, bytes) else content,
            "mimetype": mimetype,
        }
        for name, content, mimetype in attachments
    ]
    if url.startswith(settings.SITE_URL):
        url = url[len(settings.SITE_URL) :] or "/"  # a path: the notification opens on any host
    rendered: dict[str, tuple[str, str, str, str]] = {}

    def render(language: str) -> tuple[str, str, str, str]:
        """(notification title, mail subject, body, the footer's words) in ``language``."""
        if language not in rendered:
            with translation.override(language):
                text = _text(subject)
                if body is None:
                    content = render_to_string(
                        template,
                        {
                            "SITE_NAME": settings.SITE_NAME,
                            "SITE_URL": settings.SITE_URL,
                            **(context or {}),
                        },
                    )
                else:
                    content = _text(body)
                rendered[language] = (
                    one_line(text),
                    one_line(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{text}"),
                    content,
                    gettext("This is also in your notifications on the portal"),
                )
        return rendered[language]

    created = []
    accounts = accounts_of(a for a, user in recipients if not getattr(user, "pk", None))
    for address, user in recipients:
        if not getattr(user, "pk", None):
            user = accounts.get(address.lower())
        title, mail_subject, text, in_portal = render(recipient_language(user))
        if user is not None:
            notification, _new = Notification.objects.get_or_create(
                user=user,
                key=key[:255],
                defaults={"title": title, "body": text[:4000], "url": url[:500]},
            )
            text = f"{text.rstrip()}\n\n-- \n{in_portal}: {settings.SITE_URL}{notification.get_absolute_url()}\n"
            if not all(wanted(user, key) for wanted in mail_filters):
                continue  # they asked for no mail of this kind: the notification is enough
        delivery, new = MailDelivery.objects.get_or_create(
            key=f"{key}:{address.lower()}"[:255],
            defaults={
                "to": address,
                "user": user,
                "subject": mail_subject,
                "body": text,
                "attachments": files,
            },
        )
        if new:
            created.append(records.dispatch(delivery))
    return created


def mail_deliver(delivery: MailDelivery) -> None:
    """Send one delivery through the configured e-mail backend (the task's work)."""
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.to],
    )
    for item in delivery.attachments or []:
        message.attach(item["filename"], item["content"], item["mimetype"])
    message.send()
