from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from bigscience_portal.core.panels import attention, dashboard

        from . import panels

        dashboard.register("organisations", "organisations/_dashboard.html", order=10)
        attention.register(
            "organisations",
            "organisations/_home_attention.html",
            order=10,
            context=panels.home_attention,
        )

        from bigscience_portal.core.pagecache import invalidate_on, public_pages

        from .models import ClusterMembership, ContractReference, CPVCode, Organisation

        # what the public pages show of the directory: a write to it renders them again
        invalidate_on(public_pages, Organisation, ClusterMembership, ContractReference, CPVCode)
