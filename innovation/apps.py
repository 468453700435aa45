from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationConfig(AppConfig):
    """Technology transfer and innovation challenges: partnership opportunities (the Enterprise
    Europe Network's profiles), their matching, interest and digests; challenges, solution
    proposals and the stage-gate process that carries them to a pilot, a scale-up or a call."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "innovation"
    verbose_name = _("Technology transfer and innovation")

    def ready(self) -> None:
        from bigscience_portal.core.panels import dashboard
        from organisations.panels import organisation_page
        from organisations.signals import profile_changed
        from tenders.panels import call_page

        from . import panels, receivers

        dashboard.register(
            "innovation", "innovation/_dashboard.html", order=40, context=panels.dashboard_context
        )
        organisation_page.register(
            "innovation",
            "innovation/_organisation_panel.html",
            order=40,
            context=panels.organisation_context,
        )
        call_page.register(
            "innovation", "innovation/_call_panel.html", order=20, context=panels.call_context
        )
        profile_changed.connect(receivers.on_profile_changed, dispatch_uid="innovation_profile")
