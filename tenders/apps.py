from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tenders"
    verbose_name = _("Tenders")

    def ready(self):
        from bigscience_portal.core.pagecache import invalidate_on, public_pages
        from bigscience_portal.core.panels import attention, dashboard, home

        from .models import Amendment, Award, CallDocument, Clarification, Lot, ProcurementCall

        # a call's page, and the organisation pages that list calls, show these
        invalidate_on(
            public_pages, ProcurementCall, Lot, CallDocument, Award, Clarification, Amendment
        )
        from organisations.panels import organisation_page

        from . import selectors

        dashboard.register("tenders", "tenders/_dashboard.html", order=20)

        from . import panels

        home.register("tenders", "tenders/_home_calls.html", order=10, context=panels.home_calls)
        attention.register(
            "tenders", "tenders/_home_attention.html", order=20, context=panels.home_attention
        )

        def organisation_calls(request, organisation):
            calls = selectors.organisation_calls(organisation)
            if not calls and not organisation.is_infrastructure:
                return None  # a company posts no calls: no empty "Calls" heading on its page
            return {"calls": calls}

        organisation_page.register(
            "calls", "tenders/_organisation_calls.html", order=10, context=organisation_calls
        )

        from organisations.panels import approval_page

        def imported_calls(request, organisation):
            calls = selectors.organisation_imported_calls(organisation)
            if not calls:
                return None
            return {"organisation": organisation, "calls": calls}

        approval_page.register(
            "imported_calls", "tenders/_approval_imported_calls.html", context=imported_calls
        )

        # Every write that can change the calls list invalidates its cached pages.
        from .caches import connect_invalidation

        connect_invalidation()
