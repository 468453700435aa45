"""Periodic work of technology transfer and innovation (merged into CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "innovation-validity-scan": {
        # hourly: a reminder or a notice leaves within the hour of its day (each once)
        "task": "innovation.validity_scan",
        "schedule": crontab(minute=20),
    },
    "innovation-search-digests": {
        "task": "innovation.send_search_digests",
        "schedule": crontab(hour=7, minute=30),
    },
}
