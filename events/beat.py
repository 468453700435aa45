"""Periodic tasks of the events app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

BEAT_SCHEDULE = {
    "events-send-event-reminders": {
        "task": "events.send_event_reminders",
        "schedule": 3600.0,  # hourly; each registration is reminded once, about a day before
    },
}
