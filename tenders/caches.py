"""The calls list's page cache (``core.pagecache.PageCache``) and the writes that invalidate it.

Visitors who are not logged in get the rendered list page from the cache for up to a minute
(keyed by the language and the querystring, see ``bigscience_portal.core.pagecache``). Every
write that can change what the list shows bumps its version, so a publish, an edit or a close
shows at once: a call (saved or deleted), its additional CPV codes, an infrastructure (a buyer
on the rows and in the buyer filter), a CPV code's label. The version also keys the buyer
filter's choices (``tenders.filtersets``), read once per version per process.
"""

from __future__ import annotations

from bigscience_portal.core.pagecache import PageCache

calls_page_cache = PageCache("tenders:calls", header="X-Calls-Cache")


def connect_invalidation() -> None:
    """Connect the receivers that bump the version (from ``TendersConfig.ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from organisations.models import CPVCode, Organisation

    from .models import ProcurementCall

    def buyer_written(sender, instance, **kwargs):
        # Only infrastructures appear on the list (as buyers, and in the buyer filter).
        if instance.kind == Organisation.Kind.RESEARCH_INFRASTRUCTURE:
            calls_page_cache.bump()

    def cpv_m2m_changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            calls_page_cache.bump()

    # receivers are local functions or a bound method, hence ``weak=False``
    uid = "tenders.caches"
    bump = calls_page_cache.bump
    post_save.connect(bump, sender=ProcurementCall, dispatch_uid=f"{uid}.call.save", weak=False)
    post_delete.connect(bump, sender=ProcurementCall, dispatch_uid=f"{uid}.call.del", weak=False)
    post_save.connect(bump, sender=CPVCode, dispatch_uid=f"{uid}.cpv.save", weak=False)
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
