from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import WorkerHeartbeat

HEARTBEAT_RETENTION = timedelta(days=7)


@transaction.atomic
def heartbeat_record(*, task_id: str, hostname: str) -> WorkerHeartbeat:
    """Store one heartbeat (a rerun of the same task changes nothing) and prune old ones."""
    heartbeat, _ = WorkerHeartbeat.objects.get_or_create(
        task_id=task_id, defaults={"hostname": hostname}
    )
    WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    return heartbeat
