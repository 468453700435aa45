"""WSGI entry point (gunicorn bigscience_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings.local")
application = get_wsgi_application()

from bigscience_portal.core.runtime import freeze_startup_objects  # noqa: E402 -- needs setup

freeze_startup_objects()
