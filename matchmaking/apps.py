from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from bigscience_portal.core.panels import dashboard
        from organisations.panels import organisation_page
        from tenders.panels import call_page

        dashboard.register("matchmaking", "matchmaking/_dashboard.html", order=30)
        organisation_page.register("matches", "matchmaking/_organisation_panel.html", order=30)
        call_page.register("suppliers", "matchmaking/_call_detail_panel.html", order=10)

        from .panels import call_outreach

        call_page.register(
            "outreach", "matchmaking/_call_outreach_panel.html", order=5, context=call_outreach
        )

        from tenders.marks import register_call_mark

        from . import selectors

        register_call_mark(
            "forwarded", _("Forwarded to you"), selectors.forwarded_rows, badge="text-bg-info"
        )
        register_call_mark(
            "relevant", _("Marked relevant"), selectors.relevant_rows, badge="text-bg-light border"
        )
        register_call_mark(
            "not_relevant",
            _("Not relevant"),
            selectors.not_relevant_rows,
            badge="text-bg-secondary",
        )

        from organisations.forms import register_cpv_suggester

        from .suggestions import suggest_codes

        register_cpv_suggester(suggest_codes)

        from organisations.signals import profile_changed
        from tenders.signals import call_changed, call_published, call_status_changed

        from . import receivers

        profile_changed.connect(receivers.on_profile_changed, dispatch_uid="mm_profile_changed")
        call_published.connect(receivers.on_call_published, dispatch_uid="mm_call_published")
        call_changed.connect(receivers.on_call_changed, dispatch_uid="mm_call_changed")
        call_status_changed.connect(
            receivers.on_call_status_changed, dispatch_uid="mm_call_status_changed"
        )
