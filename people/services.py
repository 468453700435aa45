"""Writes of the person's own account."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.mail import mail_queue
from bigscience_portal.core.models import Notification
from organisations.selectors import sole_administrations

from . import personal_data, signals
from .models import DIGEST_KEY, PersonProfile

#: the most notifications one digest lists (the rest: "and N more" with the link)
DIGEST_SIZE = 50


@transaction.atomic
def profile_update(*, user, first_name: str, last_name: str, job_title: str, languages) -> None:
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    profile.job_title = job_title.strip()
    profile.languages = list(languages)
    profile.save()


def language_set(*, user, language: str) -> None:
    """The language the person chose in the switcher, for their pages and e-mails."""
    PersonProfile.objects.update_or_create(user=user, defaults={"language": language})


@transaction.atomic
def mail_preferences_update(*, user, mail_mode: str, muted_topics) -> PersonProfile:
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    if mail_mode == PersonProfile.MailMode.DAILY and profile.mail_mode != mail_mode:
        profile.digest_until = timezone.now()  # what came before was mailed one by one
    profile.mail_mode = mail_mode
    profile.muted_topics = list(muted_topics)
    profile.save()
    return profile


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account and everything personal, as the privacy page says.

    - Records that are the person's own go with the account (``on_delete=CASCADE``: memberships,
      join requests, registrations and their meeting requests, saved searches, alerts,
      notifications, profile, e-mail addresses); a place at an event still to come is first
      cancelled, so that the next on the waiting list gets it.
    - Records that belong to an organisation keep their content and lose the person
      (``SET_NULL``: an expression of interest, a question asked, feedback on a match, a message
      sent, a status change; the organisation's history stays whole, nobody is named).
    - Rows that hold one of their addresses: an optional address is blanked (an organisation's
      contact address), a row that exists only for that address is deleted (a mail sent to it,
      an invitation to it).
    """
    if user.is_superuser:
        raise ActionRefused(
            _("A superuser account is deleted by another superuser in the administration.")
        )
    _check_no_organisation_left_without_admin(user)
    signals.account_deleting.send(sender=account_delete, user=user)
    _registrations_cancel(user)
    addresses = personal_data.addresses_of(user)
    user_model = personal_data.user_model()
    for relation in personal_data.relations():
        if relation.kind != "email" or relation.model is user_model:
            continue
        rows = personal_data.rows_of(user, relation, addresses)
        if relation.field.blank:
            rows.update(**{relation.field.name: ""})
        else:
            rows.delete()
    user.delete()


def _check_no_organisation_left_without_admin(user) -> None:
    """The last administrator of an organisation that has other people names one of them first
    (an organisation with people always keeps one). An organisation the person is alone in keeps
    its profile, with nobody: it can be claimed again and its join requests go to staff."""
    blocking = [org for org in sole_administrations(user) if org.others]
    if blocking:
        raise ActionRefused(
            ngettext(
                "You are the last administrator of %(orgs)s, which has other people. Make one of "
                "them an administrator on its People page first, then delete your account.",
                "You are the last administrator of %(orgs)s, which have other people. Make one "
                "of them an administrator on each one's People page first, then delete your "
                "account.",
                len(blocking),
            )
            % {"orgs": ", ".join(org.name for org in blocking)}
        )


def _registrations_cancel(user) -> None:
    """The person's places at events still to come are cancelled through the events' service
    before the registrations go with the account, so that the waiting list moves up and the
    open meeting requests are closed, as when they cancel themselves."""
    from events import services as event_services
    from events.models import Registration

    for registration in (
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("pk")
    ):
        event_services.registration_cancel(registration=registration)


def daily_digests_send(*, now=None) -> int:
    """For every person in daily mail mode: one mail with their notifications since the last
    digest (not those of topics they muted, nor earlier digests), then the mark moves on.
    Idempotent: a second run the same day finds nothing new, and the mail's key is the day.
    Returns the number of digests queued."""
    now = now or timezone.now()
    sent = 0
    for profile_id in PersonProfile.objects.filter(
        mail_mode=PersonProfile.MailMode.DAILY
    ).values_list("pk", flat=True):
        sent += daily_digest_send(profile_id=profile_id, now=now)
    return sent


@transaction.atomic
def daily_digest_send(*, profile_id: int, now) -> int:
    """One person's digest (see :func:`daily_digests_send`); 1 if a mail was queued."""
    profile = (
        PersonProfile.objects.select_for_update().select_related("user").filter(pk=profile_id)
    ).first()
    if profile is None or profile.mail_mode != PersonProfile.MailMode.DAILY:
        return 0
    news = Notification.objects.filter(user=profile.user, created_at__lte=now).exclude(
        key__startswith=DIGEST_KEY
    )
    if profile.digest_until is not None:
        news = news.filter(created_at__gt=profile.digest_until)
    news = [n for n in news.order_by("created_at", "pk") if not profile.muted(n.key)]
    profile.digest_until = now
    profile.save(update_fields=["digest_until", "updated_at"])
    if not news:
        return 0
    day = timezone.localdate(now)
    mail_queue(
        key=f"{DIGEST_KEY}:{day.isoformat()}",
        to=profile.user,
        subject=lambda: (
            ngettext("%(n)s notification on %(day)s", "%(n)s notifications on %(day)s", len(news))
            % {"n": len(news), "day": date_format(day, "DATE_FORMAT")}
        ),
        template="people/emails/daily_digest.txt",
        context={"notifications": news[:DIGEST_SIZE], "more": max(0, len(news) - DIGEST_SIZE)},
        url=reverse("core:notification_list"),
    )
    return 1
