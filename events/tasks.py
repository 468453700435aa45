"""Thin Celery tasks: they take primary keys and call a service or an e-mail."""

from __future__ import annotations

from celery import shared_task

from . import emails, services
from .models import MeetingRequest, Registration

_OPTS = {"acks_late": True, "autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


def _registration(pk: int) -> Registration | None:
    return (
        Registration.objects.select_related("event", "user", "organisation").filter(pk=pk).first()
    )


@shared_task(name="events.send_registration_confirmation", **_OPTS)
def send_registration_confirmation(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration:
        emails.registration_confirmation(registration)


@shared_task(name="events.send_registration_promoted", **_OPTS)
def send_registration_promoted(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration and registration.status == Registration.Status.CONFIRMED:
        emails.registration_promoted(registration)


@shared_task(name="events.send_registration_cancelled", **_OPTS)
def send_registration_cancelled(registration_id: int) -> None:
    registration = _registration(registration_id)
    if registration and registration.status == Registration.Status.CANCELLED:
        emails.registration_cancelled(registration)


@shared_task(name="events.send_meeting_request_notice", **_OPTS)
def send_meeting_request_notice(request_id: int) -> None:
    request = (
        MeetingRequest.objects.select_related(
            "event",
            "requester__user",
            "requester__organisation",
            "recipient__user",
            "recipient__organisation",
        )
        .filter(pk=request_id)
        .first()
    )
    if request:
        emails.meeting_request_notice(request)


@shared_task(name="events.send_schedule_published", **_OPTS)
def send_schedule_published(event_id: int) -> int:
    return services.schedule_publication_notify(event_id=event_id)


@shared_task(name="events.send_event_reminders", acks_late=True)
def send_event_reminders() -> int:
    """Periodic: remind confirmed participants the day before; each reminder is sent once."""
    return services.reminders_send()
