"""Background work of the people app: thin, the service does the work."""

from celery import shared_task

from bigscience_portal.core.records import SCAN_OPTIONS


@shared_task(name="people.send_daily_digests", **SCAN_OPTIONS)
def send_daily_digests() -> int:
    from .services import daily_digests_send

    return daily_digests_send()
