"""Periodic work of the calls app (merged into CELERY_BEAT_SCHEDULE by the settings)."""

BEAT_SCHEDULE = {
    "tenders-close-expired-calls": {
        "task": "tenders.close_expired_calls",
        "schedule": 300.0,  # every five minutes: a call closes at most 5 min after its deadline
    },
    "tenders-ted-harvest": {
        "task": "tenders.start_ted_harvest",
        "schedule": 3600.0 * 6,  # four times a day; a failed harvest is resumed by the next one
    },
    "tenders-saved-search-digests": {
        "task": "tenders.send_saved_search_digests",
        "schedule": 3600.0 * 24,  # daily; weekly searches are sent when 7 days have passed
    },
}
