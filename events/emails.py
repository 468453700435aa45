"""The e-mails of the events app: each says what happened and links to the page.

One function per occasion, called by the services inside their transaction: it builds the
subject, body and calendar file and hands them to :func:`~bigscience_portal.core.mail.mail_queue`
with a key naming the occasion, so the mail is written as a delivery record with the change,
sent by ``core.send_mail`` after the commit, and never sent twice for the same occasion.

Texts are lazy and handed over as callables, so each recipient reads them in their own language
(``mail_queue`` calls them in it).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.dates import when
from bigscience_portal.core.mail import mail_queue

from . import ics, selectors
from .models import MeetingRequest, Registration

CALENDAR = "text/calendar"


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _event_url(event) -> str:
    return settings.SITE_URL + event.get_absolute_url()


def _when(event) -> str:
    return _("%(start)s to %(end)s (%(zone)s)") % {
        "start": when(event.starts_at, event.tzinfo),
        "end": when(event.ends_at, event.tzinfo),
        "zone": event.time_zone,
    }


def _calendar(event) -> list[tuple[str, bytes, str]]:
    return [("event.ics", ics.event_calendar(event), CALENDAR)]


def _mail(registration: Registration, key: str, subject, body, attachments=()) -> None:
    """One mail to the person of ``registration`` for the occasion ``key``; ``subject`` and
    ``body`` are callables giving the text in the language active when called."""
    user = registration.user
    mail_queue(
        key=key, to=[(user.email, user)], subject=subject, body=body, attachments=attachments
    )


def _about_registration(
    registration: Registration,
    occasion: str,
    subject: str,
    body: str,
    *,
    calendar: bool = False,
    once_per: str = "",
    **extra,
) -> None:
    """A mail about someone's registration, once per registration and ``occasion`` (and
    ``once_per``, e.g. the start time of the event); the texts may name the event's ``title``,
    ``when`` and ``link``, and the ``extra`` values."""
    event = registration.event

    def values() -> dict:
        return {"title": event.title, "when": _when(event), "link": _event_url(event), **extra}

    key = f"events.{occasion}:registration={registration.pk}" + (f":{once_per}" if once_per else "")
    _mail(
        registration,
        key,
        lambda: subject % values(),
        lambda: body % values(),
        _calendar(event) if calendar else (),
    )


def registration_confirmed(registration: Registration) -> None:
    _about_registration(
        registration,
        "registration_confirmed",
        _("Registration confirmed: %(title)s"),
        _(
            "Your registration for %(title)s is confirmed.\n\nWhen: %(when)s\n\n"
            "The attached calendar file adds it to your calendar. Details, and a way to cancel:\n"
            "%(link)s\n"
        ),
        calendar=True,
    )


def registration_waitlisted(registration: Registration) -> None:
    _about_registration(
        registration,
        "registration_waitlisted",
        _("On the waiting list: %(title)s"),
        _(
            "%(title)s is full, so you are on its waiting list (position %(position)s).\n"
            "If a seat frees up you get it automatically and we will tell you by e-mail.\n\n"
            "%(link)s\n"
        ),
        position=selectors.waitlist_rank(registration),
    )


def registration_promoted(registration: Registration) -> None:
    _about_registration(
        registration,
        "registration_promoted",
        _("A seat freed up: you are registered for %(title)s"),
        _(
            "Someone cancelled, so you moved from the waiting list to the participants of "
            "%(title)s.\nYour registration is confirmed.\n\nWhen: %(when)s\n\n%(link)s\n"
        ),
        calendar=True,
    )


def registration_cancelled(registration: Registration) -> None:
    _about_registration(
        registration,
        "registration_cancelled",
        _("Registration cancelled: %(title)s"),
        _(
            "Your registration for %(title)s is cancelled. You can register again while "
            "registration is open:\n%(link)s\n"
        ),
    )


def event_reminder(registration: Registration) -> None:
    """The day before; once per registration and start time (a moved event reminds again)."""
    event = registration.event
    body = _("A reminder: %(title)s starts soon.\n\nWhen: %(when)s\nWhere: %(where)s\n\n%(link)s\n")
    if event.is_brokerage:
        body = format_lazy("{}{}", body, _("Your B2B meetings: %(agenda)s\n"))
    _about_registration(
        registration,
        "reminder",
        _("Tomorrow: %(title)s"),
        body,
        calendar=True,
        once_per=f"{event.starts_at:%Y%m%d%H%M}",
        where=", ".join(p for p in (event.venue, event.venue_city) if p) or event.online_url,
        agenda=_url("events:agenda", slug=event.slug),
    )


def meeting_request_notice(request: MeetingRequest) -> None:
    """Tell both sides what happened to the request: a new one (the recipient is asked, the
    requester gets a receipt), or its answer or cancellation."""
    event = request.event
    link = _url("events:meeting_requests", slug=event.slug)
    requester, recipient = request.requester, request.recipient
    key = f"events.meeting_request:request={request.pk}:{request.status}"
    if request.status == MeetingRequest.Status.REQUESTED:
        _mail(
            recipient,
            f"{key}:received",
            lambda: _("Meeting request from %(who)s") % {"who": requester.display_name},
            lambda: (
                _(
                    "%(who)s would like to meet you at %(title)s.\n\nTheir message:\n%(message)s\n\n"
                    "Accept or decline here: %(link)s\n"
                )
                % {
                    "who": requester.display_name,
                    "title": event.title,
                    "message": request.message or "-",
                    "link": link,
                }
            ),
        )
        _mail(
            requester,
            f"{key}:sent",
            lambda: _("Meeting request sent to %(who)s") % {"who": recipient.display_name},
            lambda: (
                _(
                    "Your meeting request to %(who)s at %(title)s is sent; we will tell you the answer.\n%(link)s\n"
                )
                % {"who": recipient.display_name, "title": event.title, "link": link}
            ),
        )
        return
    verb = {
        MeetingRequest.Status.ACCEPTED: _("accepted"),
        MeetingRequest.Status.DECLINED: _("declined"),
        MeetingRequest.Status.CANCELLED: _("cancelled"),
    }[request.status]
    for reg, other in ((requester, recipient), (recipient, requester)):
        _mail(
            reg,
            f"{key}:registration={reg.pk}",
            lambda other=other: (
                _("Meeting with %(who)s %(verb)s") % {"who": other.display_name, "verb": verb}
            ),
            lambda other=other: (
                _(
                    "The meeting request between you and %(who)s at %(title)s was %(verb)s.\n"
                    "Accepted meetings get a time and table when the organiser publishes the schedule.\n"
                    "%(link)s\n"
                )
                % {"who": other.display_name, "title": event.title, "verb": verb, "link": link}
            ),
        )


def schedule_published(registration: Registration, count: int, published_at) -> None:
    """Once per participant and publication: publishing again tells everyone again."""
    event = registration.event
    _mail(
        registration,
        f"events.schedule_published:event={event.pk}:registration={registration.pk}"
        f":{published_at:%Y%m%dT%H%M%S%f}",
        lambda: _("Your B2B meetings at %(title)s") % {"title": event.title},
        lambda: (
            _(
                "The meeting schedule of %(title)s is published: you have %(count)s meeting(s).\n"
                "Your agenda, with a calendar file: %(link)s\n"
            )
            % {"title": event.title, "count": count, "link": _url("events:agenda", slug=event.slug)}
        ),
    )
