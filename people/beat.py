"""Periodic work of the people app (merged into CELERY_BEAT_SCHEDULE)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "people-daily-digests": {
        # once a day, early: the notifications of the day before, for people in daily mail mode
        "task": "people.send_daily_digests",
        "schedule": crontab(hour=6, minute=45),
    },
}
