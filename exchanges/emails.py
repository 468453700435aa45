"""The e-mails of the exchanges app: each says what happened and links to the page.

One function per occasion, called by the services inside their transaction; each hands the
mail to :func:`~bigscience_portal.core.mail.mail_queue` with a key naming the occasion (so the
person also finds it in the notification centre, and a rerun mails nobody twice).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from bigscience_portal.core.dates import day, when
from bigscience_portal.core.mail import mail_queue, one_line
from organisations.selectors import organisation_admins

from . import selectors
from .models import Application, Partnership


def _link(path: str) -> str:
    return settings.SITE_URL + path


def _dates(exchange) -> str:
    first = day(exchange.starts_on)
    last = day(exchange.ends_on)
    return first if first == last else f"{first} \u2013 {last}"


def _agenda_text(items, exchange) -> str:
    lines = []
    for item in items:
        line = f"- {when(item.start, exchange.tzinfo)}  {one_line(item.shown_title)}"
        if item.event_id:
            line += f"\n  {_link(item.event.get_absolute_url())}"
        lines.append(line)
    return "\n".join(lines) or _("(The host has not published the agenda items yet.)")


def _to_applicant(application: Application, occasion: str, subject, body, url="") -> None:
    """``subject`` and ``body``: callables giving the texts in the recipient's language."""
    user = application.applicant
    mail_queue(
        key=f"exchanges.{occasion}:application={application.pk}",
        to=[(user.email, user)],
        subject=subject,
        body=body,
        url=url or _link(application.get_absolute_url()),
    )


def _values(application: Application) -> dict:
    """The values the texts name, in the language active when called (the dates)."""
    exchange = application.exchange
    return {
        "title": one_line(exchange.title),
        "host": exchange.host_cluster.name,
        "dates": _dates(exchange),
        "company": application.organisation.name,
        "link": _link(application.get_absolute_url()),
        "agenda_link": _link(reverse("exchanges:agenda", kwargs={"slug": exchange.slug})),
    }


def _person(application: Application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


def _to_host(application: Application, occasion: str, subject, body) -> None:
    """The host cluster's managers, about the application; ``subject`` and ``body``: callables
    giving the texts in the recipient's language from the values that name the applicant."""
    mail_queue(
        key=f"exchanges.{occasion}:application={application.pk}",
        to=organisation_admins(application.exchange.host_cluster),
        subject=lambda: subject() % _values(application),
        body=lambda: body() % {**_values(application), "person": _person(application)},
        url=_link(application.get_absolute_url()),
    )


def application_received(application: Application) -> None:
    """The host's managers: a new application to decide."""
    _to_host(
        application,
        "application_received",
        lambda: _("New application to %(title)s"),
        lambda: _(
            "%(person)s of %(company)s applied for a place in %(title)s (%(dates)s).\n\n"
            "Read the motivation and accept or decline:\n%(link)s\n"
        ),
    )


def application_accepted(application: Application, *, promoted: bool = False) -> None:
    """The participant: accepted (or moved up from the waiting list), with the agenda."""
    exchange = application.exchange
    registered = exchange.is_360 and application.registrations.exists()
    items = list(selectors.agenda(exchange))

    def subject() -> str:
        return (
            _("Moved up from the waiting list: %(title)s") if promoted else _("Accepted: %(title)s")
        ) % _values(application)

    def body() -> str:
        values = _values(application)
        intro = (
            _(
                "A place became free in %(title)s (%(dates)s) and it is yours: you moved up from the waiting list."
            )
            if promoted
            else _("%(host)s accepted your application for %(title)s (%(dates)s).")
        ) % values
        return _(
            "%(intro)s\n\n%(registered)sThe agenda:\n%(agenda)s\n\nThe agenda page:\n%(link)s\n"
        ) % {
            "intro": intro,
            "registered": (
                _("You are registered for the linked events on behalf of %(company)s.\n\n") % values
                if registered
                else ""
            ),
            "agenda": _agenda_text(items, exchange),
            "link": values["agenda_link"],
        }

    _to_applicant(
        application,
        "application_promoted" if promoted else "application_accepted",
        subject,
        body,
        url=_values(application)["agenda_link"],
    )


def application_waitlisted(application: Application) -> None:
    _to_applicant(
        application,
        "application_waitlisted",
        lambda: _("On the waiting list: %(title)s") % _values(application),
        lambda: (
            _(
                "%(host)s would take you on %(title)s (%(dates)s), but every place is taken: you "
                "are on the waiting list, position %(position)s. If a place becomes free you move "
                "up and we tell you.\n\n%(link)s\n"
            )
            % {**_values(application), "position": application.waitlist_position}
        ),
    )


def application_declined(application: Application) -> None:
    _to_applicant(
        application,
        "application_declined",
        lambda: _("Application declined: %(title)s") % _values(application),
        lambda: (
            _("%(host)s declined your application for %(title)s (%(dates)s).\n\n%(link)s\n")
            % _values(application)
        ),
    )


def _reason_text(reason: str) -> str:
    return _("The reason given:\n%(reason)s\n\n") % {"reason": reason} if reason else ""


def application_cancelled(application: Application) -> None:
    """The participant: the host cancelled their place (and the registrations made for it)."""
    had_registrations = application.registrations.exists()
    _to_applicant(
        application,
        "application_cancelled",
        lambda: _("Place cancelled: %(title)s") % _values(application),
        lambda: (
            _(
                "%(host)s cancelled the place of %(company)s in %(title)s (%(dates)s).\n\n"
                "%(reason)s%(registrations)s%(link)s\n"
            )
            % {
                **_values(application),
                "reason": _reason_text(application.cancel_reason),
                "registrations": (
                    _(
                        "Your registrations for the linked events, made with the acceptance, "
                        "are cancelled.\n\n"
                    )
                    if had_registrations
                    else ""
                ),
            }
        ),
    )


def application_withdrawn(application: Application) -> None:
    """The host's managers: a participant or applicant withdrew."""
    _to_host(
        application,
        "application_withdrawn",
        lambda: _("Application withdrawn: %(title)s"),
        lambda: _(
            "%(person)s of %(company)s withdrew their application for %(title)s.\n\n%(link)s\n"
        ),
    )


def partnership_proposed(partnership: Partnership) -> None:
    link = _link(partnership.get_absolute_url())
    values = {
        "cluster": partnership.proposer.name,
        "partner": partnership.partner.name,
        "goals": partnership.goals,
        "link": link,
    }
    mail_queue(
        key=f"exchanges.partnership_proposed:partnership={partnership.pk}",
        to=organisation_admins(partnership.partner),
        subject=lambda: _("%(cluster)s proposes a partnership") % values,
        body=lambda: (
            _(
                "%(cluster)s proposes a cluster partnership to %(partner)s.\n\nGoals:\n%(goals)s\n\n"
                "Accept or decline it here:\n%(link)s\n"
            )
            % values
        ),
        url=link,
    )


def partnership_decided(partnership: Partnership) -> None:
    link = _link(partnership.get_absolute_url())
    accepted = partnership.status == Partnership.Status.ACTIVE
    values = {"partner": partnership.partner.name, "link": link}
    mail_queue(
        key=f"exchanges.partnership_decided:partnership={partnership.pk}",
        to=organisation_admins(partnership.proposer),
        subject=lambda: (
            (
                _("%(partner)s accepted the partnership")
                if accepted
                else _("%(partner)s declined the partnership")
            )
            % values
        ),
        body=lambda: (
            (
                _(
                    "%(partner)s accepted your cluster partnership. Your exchanges are now open to "
                    "its members, and theirs to yours.\n\n%(link)s\n"
                )
                if accepted
                else _("%(partner)s declined your cluster partnership.\n\n%(link)s\n")
            )
            % values
        ),
        url=link,
    )


def partnership_ended(partnership: Partnership) -> None:
    """Both clusters' managers: the partnership is over, their exchanges closed to each other."""
    link = _link(partnership.get_absolute_url())

    def values() -> dict:
        return {
            "proposer": partnership.proposer.name,
            "partner": partnership.partner.name,
            "date": day(partnership.ended_on),
            "reason": _reason_text(partnership.end_reason),
            "link": link,
        }

    mail_queue(
        key=f"exchanges.partnership_ended:partnership={partnership.pk}",
        to=organisation_admins(partnership.proposer) + organisation_admins(partnership.partner),
        subject=lambda: _("Partnership ended: %(proposer)s and %(partner)s") % values(),
        body=lambda: (
            _(
                "The cluster partnership of %(proposer)s and %(partner)s ended on %(date)s. Each "
                "cluster's exchanges are no longer open to the other's members through it "
                "(applications already made stay).\n\n%(reason)s%(link)s\n"
            )
            % values()
        ),
        url=link,
    )
