"""Settings shared by every environment, read once from the environment.

With nothing configured the portal runs on SQLite in the project folder and executes Celery tasks
in-process, so that ``make run`` works on a bare machine. ``DATABASE_URL`` switches to PostgreSQL
(psycopg 3) and ``REDIS_URL`` to a real broker with real workers.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- core ------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
SITE_NAME = env("SITE_NAME", default="Big Science Matchmaking Portal")
# Absolute base URL used in e-mails and feeds, where no request is at hand (tasks, commands).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The Sites framework's site (feeds, allauth's mails) is kept equal to these after every migrate.
SITE_DOMAIN = SITE_URL.split("://", 1)[-1].split("/", 1)[0]

# Demo data (``manage.py load_demo``): allowed on development and test settings only, unless the
# command is given ``--on-production-settings``; the demo accounts get the published password
# only where this is true (elsewhere a random one, printed once).
DEMO_DATA_ALLOWED = False
DEMO_ACCOUNTS_PUBLISHED_PASSWORD = False

# OCDS: the ocid prefix registered with the Open Contracting Partnership for our releases.
# "ocds-bigsci" is a placeholder until one is registered; set OCDS_OCID_PREFIX in production.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-bigsci")
# TED's public search API (v3), harvested by tenders.harvest; the tests point it at a fake.
TED_API_URL = env("TED_API_URL", default="https://api.ted.europa.eu")
TED_HARVEST_PAGE_SIZE = env.int("TED_HARVEST_PAGE_SIZE", default=100)
TED_HARVEST_FIRST_DAYS = env.int("TED_HARVEST_FIRST_DAYS", default=7)

# Where the shared reference data (CPV, NACE, TED notices) lives; never copied into the repo.
REFERENCE_DATA_DIR = Path(
    env("REFERENCE_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data"))
)

#: the portal's own apps, lowest layer first (.importlinter holds the same order); each may have
#: a ``beat.py`` with its periodic tasks
PORTAL_APPS = [
    "organisations",
    "tenders",
    "matchmaking",
    "innovation",
    "events",
    "outcomes",
    "people",
    "conversations",
    "exchanges",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "django_countries",
    "allauth",
    "allauth.account",
    "csp",
    "bigscience_portal.core",
    *PORTAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "bigscience_portal.core.middleware.OversizedIdMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "bigscience_portal.urls"
# Widgets render through the project's templates first (templates/django/forms/: a select's
# options inline instead of one template include per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "bigscience_portal.wsgi.application"
ASGI_APPLICATION = "bigscience_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "bigscience_portal.core.context_processors.site",
                "organisations.context_processors.user_roles",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the in-process worker and the web server share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "bigscience_portal.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bsp",
            # an outage must make pages slower, never hang them: give up on Redis quickly
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database and are read through the cache (one Redis read per signed-in
# request instead of a database query, when Redis is there).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- auth and accounts (django-allauth) -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Big Science Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupForm"  # the name is asked too
ACCOUNT_ADAPTER = "bigscience_portal.core.accounts.AccountAdapter"
# How many proxies in front of the portal add to X-Forwarded-For (0: none, the client connects
# directly). Behind the production TLS proxy set 1, or every client shares the proxy's address in
# the log-in throttle.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Failed-login throttling: allauth counts failures per IP and per account (uses the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("ACCOUNT_LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# --- e-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Big Science Portal <noreply@bigscience.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 10

# --- i18n -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
#: the interface's languages: those of the clusters' members (Danish, Swedish, Norwegian Bokmål,
#: Finnish, German, Spanish, Lithuanian) beside English; catalogues in ``locale/``. URLs carry no
#: language: a page means the same in each, LocaleMiddleware picks the cookie's choice (the
#: switcher in the footer), else the browser's.
LANGUAGES = [
    ("en", _("English")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("fi", _("Finnish")),
    ("lt", _("Lithuanian")),
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
]
#: the switcher's choice is remembered for a year (Django's default: the browser session)
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
#: the portal's own date formats where a language's Django formats are not ours (24-hour English)
FORMAT_MODULE_PATH = ["bigscience_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads: refuse oversized requests before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- security headers (all environments; production tightens cookies and HSTS) ----------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Celery -----------------------------------------------------------------------------------
# Without REDIS_URL tasks run in-process (eager) so the embedded default needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Our tasks are idempotent: acknowledge after the work, and give a task back to the queue when
# the worker running it dies, so that it runs again rather than being lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Background records (core.records): a queued record whose message the broker lost is handed over
# again after this long; a running one is taken for lost (its worker died) after its model's
# ``stale_after`` unless this is set (tests shorten both).
RECORDS_REQUEUE_AFTER_SECONDS = env.int("RECORDS_REQUEUE_AFTER_SECONDS", default=300)
RECORDS_STALE_AFTER_SECONDS = env.int("RECORDS_STALE_AFTER_SECONDS", default=0)
# Publishing a task from a request: one quick retry, then give up (the record stays queued and
# the sweeper hands it over): a broker outage slows a write by a fraction of a second, no more.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The visibility timeout must exceed the longest countdown/ETA we use (max 1 day for digests)
# or Redis would hand the message to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 24 * 3600}
# Periodic work: the heartbeat here, and each app's ``<app>/beat.py`` ``BEAT_SCHEDULE`` (plain
# dicts, no Django import) for closing calls, digests, alerts, reminders, nightly recompute.
CELERY_BEAT_SCHEDULE: dict = {
    "worker-heartbeat": {"task": "core.record_heartbeat", "schedule": 300.0},
    # hands over what the broker never took (an outage) and what a dead worker left running
    "sweep-records": {
        "task": "core.sweep_records",
        "schedule": env.float("CELERY_SWEEP_SECONDS", default=60.0),
    },
}
for _app in PORTAL_APPS:
    try:
        _beat = __import__(f"{_app}.beat", fromlist=["BEAT_SCHEDULE"])
    except ModuleNotFoundError as _missing:
        if _missing.name != f"{_app}.beat":
            raise  # a beat.py that imports something missing is an error, not "no beat"
        continue
    CELERY_BEAT_SCHEDULE.update(_beat.BEAT_SCHEDULE)

# --- logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
