"""Periodic work of the events app. Its mails are delivery records sent by ``core.send_mail``."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="events.send_event_reminders", acks_late=True, soft_time_limit=600, time_limit=660
)
def send_event_reminders() -> int:
    """Periodic: remind confirmed participants the day before; each reminder is written once
    (with its delivery record) and sent once, however often beat fires or the task is retried."""
    return services.reminders_send()
