from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Notification, WorkerHeartbeat

HEARTBEAT_RETENTION = timedelta(days=7)


@transaction.atomic
def heartbeat_record(*, task_id: str, hostname: str) -> WorkerHeartbeat:
    """Store one heartbeat (a rerun of the same task changes nothing) and prune old ones."""
    heartbeat, _ = WorkerHeartbeat.objects.get_or_create(
        task_id=task_id, defaults={"hostname": hostname}
    )
    WorkerHeartbeat.objects.filter(created_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    return heartbeat


def notifications_read(*, user, pks=None) -> int:
    """Mark the user's notifications read (``pks``: only those); returns how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())
