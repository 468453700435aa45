"""Development settings: the embedded default of ``make run``."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# In-process tasks would log every success on the console of `make run`; keep warnings only.
LOGGING["loggers"].update(  # noqa: F405
    {
        "celery.app.trace": {"level": "WARNING"},
        "kombu.connection": {"level": "ERROR"},  # "no hostname" for the in-memory broker
    }
)

# Demo data and its published passwords are for development machines (and the tests) only.
DEMO_DATA_ALLOWED = True
DEMO_ACCOUNTS_PUBLISHED_PASSWORD = True
