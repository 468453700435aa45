from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tenders"
    verbose_name = _("Tenders")

    def ready(self):
        from bigscience_portal.core.panels import dashboard
        from organisations.panels import organisation_page

        from . import selectors

        dashboard.register("tenders", "tenders/_dashboard.html", order=20)

        def organisation_calls(request, organisation):
            calls = selectors.organisation_calls(organisation)
            if not calls and not organisation.is_infrastructure:
                return None  # a company posts no calls: no empty "Calls" heading on its page
            return {"calls": calls}

        organisation_page.register(
            "calls", "tenders/_organisation_calls.html", order=10, context=organisation_calls
        )

        # Every write that can change the calls list invalidates its cached pages
        # (tenders.listcache); receivers are local functions, hence ``weak=False``.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from organisations.models import CPVCode, Organisation

        from . import listcache
        from .models import ProcurementCall

        def call_written(sender, **kwargs):
            listcache.bump_list_version()

        def buyer_written(sender, instance, **kwargs):
            # Only infrastructures appear on the list (as buyers, and in the buyer filter).
            if instance.kind == Organisation.Kind.RESEARCH_INFRASTRUCTURE:
                listcache.bump_list_version()

        def cpv_m2m_changed(sender, action, **kwargs):
            if action in ("post_add", "post_remove", "post_clear"):
                listcache.bump_list_version()

        uid = "tenders.listcache"
        post_save.connect(
            call_written, sender=ProcurementCall, dispatch_uid=f"{uid}.call.save", weak=False
        )
        post_delete.connect(
            call_written, sender=ProcurementCall, dispatch_uid=f"{uid}.call.del", weak=False
        )
        post_save.connect(call_written, sender=CPVCode, dispatch_uid=f"{uid}.cpv.save", weak=False)
        post_save.connect(
            buyer_written, sender=Organisation, dispatch_uid=f"{uid}.org.save", weak=False
        )
        post_delete.connect(
            buyer_written, sender=Organisation, dispatch_uid=f"{uid}.org.del", weak=False
        )
        m2m_changed.connect(
            cpv_m2m_changed,
            sender=ProcurementCall.additional_cpv.through,
            dispatch_uid=f"{uid}.call.cpv",
            weak=False,
        )
