from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Messages between the organisations a call, an expression of interest, a cluster
    membership, a meeting request or an interest in a technology offer brings together."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from innovation.panels import interest_page
        from innovation.signals import interest_expressed
        from tenders.panels import call_page

        from . import panels, receivers

        call_page.register(
            "conversations", "conversations/_call_panel.html", order=5, context=panels.call_panel
        )
        # the interest's page shows its conversation (above the B2B meeting panel of events)
        interest_page.register(
            "conversation",
            "conversations/_interest_panel.html",
            order=10,
            context=panels.interest_panel,
        )
        interest_expressed.connect(
            receivers.on_interest_expressed, dispatch_uid="conversations_interest_expressed"
        )
