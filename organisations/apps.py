from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from bigscience_portal.core.panels import dashboard

        dashboard.register("organisations", "organisations/_dashboard.html", order=10)
