"""The portal's notification e-mails: one sender, one subject prefix, links to the site."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def send_notification(
    *,
    to: list[str],
    subject: str,
    body: str | None = None,
    template: str | None = None,
    context: dict | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
) -> None:
    """Send a plain-text mail that says what happened and links to the page.

    Give ``body``, or a ``template`` rendered with ``context`` plus SITE_NAME and SITE_URL.
    ``attachments`` are (filename, content, mimetype). Nothing is sent without recipients.
    """
    if not to:
        return
    if body is None:
        body = render_to_string(
            template, {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
        )
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
