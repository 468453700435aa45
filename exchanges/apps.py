from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangesConfig(AppConfig):
    """Exchanges between clusters: ClusterXchange visits and 360 Xchange programmes (on top
    of events), the applications of other clusters' members with the host's selection and
    waiting list, and partnerships between clusters (shown on both cluster profiles)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchanges"
    verbose_name = _("Cluster exchanges")

    def ready(self) -> None:
        from bigscience_portal.core.pagecache import invalidate_on, public_pages
        from bigscience_portal.core.panels import dashboard
        from organisations.panels import organisation_page
        from people.signals import account_deleting

        from . import panels
        from .models import Exchange, Partnership
        from .receivers import withdraw_applications_of

        account_deleting.connect(withdraw_applications_of, dispatch_uid="exchanges_account")

        # a cluster's public page shows its partnerships and the exchanges it hosts
        invalidate_on(public_pages, Exchange, Partnership)

        dashboard.register(
            "exchanges", "exchanges/_dashboard.html", order=45, context=panels.dashboard_context
        )
        organisation_page.register(
            "exchanges",
            "exchanges/_organisation_panel.html",
            order=60,
            context=panels.organisation_context,
        )
