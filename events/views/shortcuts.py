"""What several events pages answer in the same way: calendars (with
``bigscience_portal.core.views_kit``'s ``download``)."""

CALENDAR = "text/calendar; charset=utf-8"
