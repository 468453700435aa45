"""Settings for the test suite: real PostgreSQL and Redis come from DATABASE_URL/REDIS_URL."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files are served from the finders in tests; no collectstatic manifest needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests that need a real worker start one; everything else runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Per-process cache so that rate-limit counters do not leak between tests (cleared per test).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Live-server threads must not keep connections open past a test (teardown drops the database).
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Demo data and its published passwords are for development machines (and the tests) only.
DEMO_DATA_ALLOWED = True
DEMO_ACCOUNTS_PUBLISHED_PASSWORD = True
