from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from bigscience_portal.core.panels import dashboard
        from matchmaking import hooks

        from . import panels, receivers, return_hooks

        dashboard.register(
            "outcomes", "outcomes/_dashboard.html", order=15, context=panels.dashboard
        )
        hooks.register_favoured_countries(return_hooks.favoured_countries)
        hooks.register_reason_note(return_hooks.reason_note)
        receivers.connect()
