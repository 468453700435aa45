# The portal's image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=bigscience_portal.settings.production \
    REFERENCE_DATA_DIR=/data/shared

WORKDIR /app
RUN useradd --create-home --uid 1000 portal

COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock

COPY . .
# collectstatic needs settings that import; the real key comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-only-$(head -c 32 /dev/urandom | base64 | tr -dc a-z0-9)-key-for-collectstatic \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R portal /app/media

USER portal
EXPOSE 8000
# Workers, threads and the bind address: gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "bigscience_portal.wsgi:application"]
