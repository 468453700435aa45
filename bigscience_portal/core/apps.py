from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Site-wide pieces: home page, dashboard, health check, background-job records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bigscience_portal.core"
    label = "core"
    verbose_name = _("Core")
