from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Messages between the organisations a call, an expression of interest, a cluster
    membership or a meeting request brings together."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from tenders.panels import call_page

        from . import panels

        call_page.register(
            "conversations", "conversations/_call_panel.html", order=5, context=panels.call_panel
        )
