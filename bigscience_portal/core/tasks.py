"""Thin tasks of the ground: heartbeats, sending one e-mail, sweeping records up."""

from celery import shared_task

from . import mail, records, services
from .models import MailDelivery


@shared_task(name="core.record_heartbeat", bind=True, acks_late=True)
def record_heartbeat(self) -> int:
    """Record that a worker consumed a task; idempotent per task id."""
    heartbeat = services.heartbeat_record(
        task_id=self.request.id or "eager", hostname=self.request.hostname or "in-process"
    )
    return heartbeat.pk


@shared_task(
    bind=True, base=records.RecordTask, record_model="core.MailDelivery", name="core.send_mail"
)
def send_mail(self, record_id: int) -> bool:
    """Send one queued e-mail; a delivery already sent (or being sent) is left alone."""
    with records.running(MailDelivery, record_id, task=self) as delivery:
        if delivery is None:
            return False
        mail.mail_deliver(delivery)
    return True


@shared_task(name="core.sweep_records", acks_late=True, soft_time_limit=120, time_limit=150)
def sweep_records() -> int:
    """Hand to the broker every record it never took (an outage) or whose worker died."""
    return records.sweep()
