from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Site-wide pieces: home page, dashboard, health check, background-job records."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "bigscience_portal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(sync_site, sender=self, dispatch_uid="core.sync_site")


def sync_site(sender=None, using="default", **kwargs) -> None:
    """Keep the Sites framework's site equal to ``SITE_DOMAIN`` / ``SITE_NAME`` (feeds link to it,
    allauth's mails greet from it): never the ``example.com`` Django creates."""
    from django.conf import settings
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": settings.SITE_DOMAIN, "name": settings.SITE_NAME}
    )
