"""The e-mails of the events app: each says what happened and links to the page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.mail import send_notification

from . import ics, selectors
from .models import MeetingRequest, Registration


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _when(event) -> str:
    start = timezone.localtime(event.starts_at, event.tzinfo)
    end = timezone.localtime(event.ends_at, event.tzinfo)
    return f"{start:%d %B %Y %H:%M} to {end:%d %B %Y %H:%M} ({event.time_zone})"


def _send(to: str, subject: str, body: str, attachment: tuple[str, bytes] | None = None) -> None:
    attachments = ((*attachment, "text/calendar; charset=utf-8"),) if attachment else ()
    send_notification(to=[to], subject=subject, body=body, attachments=attachments)


def registration_confirmation(registration: Registration) -> None:
    event = registration.event
    link = _url("events:event_detail", slug=event.slug)
    if registration.status == Registration.Status.CONFIRMED:
        subject = _("Registration confirmed: %(title)s") % {"title": event.title}
        body = _(
            "Your registration for %(title)s is confirmed.\n\nWhen: %(when)s\n\n"
            "The attached calendar file adds it to your calendar. Details, and a way to cancel:\n"
            "%(link)s\n"
        ) % {"title": event.title, "when": _when(event), "link": link}
        _send(registration.user.email, subject, body, ("event.ics", ics.event_calendar(event)))
    elif registration.status == Registration.Status.WAITLISTED:
        subject = _("On the waiting list: %(title)s") % {"title": event.title}
        body = _(
            "%(title)s is full, so you are on its waiting list (position %(position)s).\n"
            "If a seat frees up you get it automatically and we will tell you by e-mail.\n\n%(link)s\n"
        ) % {"title": event.title, "position": selectors.waitlist_rank(registration), "link": link}
        _send(registration.user.email, subject, body)


def registration_promoted(registration: Registration) -> None:
    event = registration.event
    subject = _("A seat freed up: you are registered for %(title)s") % {"title": event.title}
    body = _(
        "Someone cancelled, so you moved from the waiting list to the participants of %(title)s.\n"
        "Your registration is confirmed.\n\nWhen: %(when)s\n\n%(link)s\n"
    ) % {
        "title": event.title,
        "when": _when(event),
        "link": _url("events:event_detail", slug=event.slug),
    }
    _send(registration.user.email, subject, body, ("event.ics", ics.event_calendar(event)))


def registration_cancelled(registration: Registration) -> None:
    event = registration.event
    subject = _("Registration cancelled: %(title)s") % {"title": event.title}
    body = _(
        "Your registration for %(title)s is cancelled. You can register again while registration "
        "is open:\n%(link)s\n"
    ) % {"title": event.title, "link": _url("events:event_detail", slug=event.slug)}
    _send(registration.user.email, subject, body)


def event_reminder(registration: Registration) -> None:
    event = registration.event
    subject = _("Tomorrow: %(title)s") % {"title": event.title}
    where = ", ".join(p for p in (event.venue, event.venue_city) if p) or event.online_url
    body = _(
        "A reminder: %(title)s starts soon.\n\nWhen: %(when)s\nWhere: %(where)s\n\n%(link)s\n"
    ) % {
        "title": event.title,
        "when": _when(event),
        "where": where,
        "link": _url("events:event_detail", slug=event.slug),
    }
    if event.is_brokerage:
        body += _("Your B2B meetings: %(agenda)s\n") % {
            "agenda": _url("events:agenda", slug=event.slug)
        }
    _send(registration.user.email, subject, body, ("event.ics", ics.event_calendar(event)))


def meeting_request_notice(request: MeetingRequest) -> None:
    """Tell the side that did not act what happened to the request (both, for cancellation)."""
    event = request.event
    link = _url("events:meeting_requests", slug=event.slug)
    requester, recipient = request.requester, request.recipient
    if request.status == MeetingRequest.Status.REQUESTED:
        _send(
            recipient.user.email,
            _("Meeting request from %(who)s") % {"who": requester.display_name},
            _(
                "%(who)s would like to meet you at %(title)s.\n\nTheir message:\n%(message)s\n\n"
                "Accept or decline here: %(link)s\n"
            )
            % {
                "who": requester.display_name,
                "title": event.title,
                "message": request.message or "-",
                "link": link,
            },
        )
        _send(
            requester.user.email,
            _("Meeting request sent to %(who)s") % {"who": recipient.display_name},
            _(
                "Your meeting request to %(who)s at %(title)s is sent; we will tell you the answer.\n%(link)s\n"
            )
            % {"who": recipient.display_name, "title": event.title, "link": link},
        )
        return
    verb = {
        MeetingRequest.Status.ACCEPTED: _("accepted"),
        MeetingRequest.Status.DECLINED: _("declined"),
        MeetingRequest.Status.CANCELLED: _("cancelled"),
    }[request.status]
    for reg, other in ((requester, recipient), (recipient, requester)):
        _send(
            reg.user.email,
            _("Meeting with %(who)s %(verb)s") % {"who": other.display_name, "verb": verb},
            _(
                "The meeting request between you and %(who)s at %(title)s was %(verb)s.\n"
                "Accepted meetings get a time and table when the organiser publishes the schedule.\n"
                "%(link)s\n"
            )
            % {"who": other.display_name, "title": event.title, "verb": verb, "link": link},
        )


def schedule_published(registration: Registration, count: int) -> None:
    event = registration.event
    _send(
        registration.user.email,
        _("Your B2B meetings at %(title)s") % {"title": event.title},
        _(
            "The meeting schedule of %(title)s is published: you have %(count)s meeting(s).\n"
            "Your agenda, with a calendar file: %(link)s\n"
        )
        % {"title": event.title, "count": count, "link": _url("events:agenda", slug=event.slug)},
    )
