"""Periodic matchmaking work (merged into CELERY_BEAT_SCHEDULE by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "matchmaking-nightly-recompute": {
        # queues the run record; its task (matchmaking.nightly_recompute) follows the commit
        "task": "matchmaking.nightly_enqueue",
        "schedule": crontab(hour=2, minute=15),
    },
    "matchmaking-instant-alerts": {
        # catches matches stored by runs whose own alert task was lost
        "task": "matchmaking.send_alerts",
        "schedule": crontab(minute="*/15"),
        "args": ("instant",),
    },
    "matchmaking-daily-alerts": {
        "task": "matchmaking.send_alerts",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "matchmaking-weekly-alerts": {
        "task": "matchmaking.send_alerts",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
        "args": ("weekly",),
    },
    "matchmaking-deadline-reminders": {
        "task": "matchmaking.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
