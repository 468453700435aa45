"""WSGI entry point (gunicorn bigscience_portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings.local")
application = get_wsgi_application()
