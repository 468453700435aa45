from celery import shared_task

from . import services


@shared_task(name="core.record_heartbeat", bind=True, acks_late=True)
def record_heartbeat(self) -> int:
    """Record that a worker consumed a task; idempotent per task id."""
    heartbeat = services.heartbeat_record(
        task_id=self.request.id or "eager", hostname=self.request.hostname or "in-process"
    )
    return heartbeat.pk
