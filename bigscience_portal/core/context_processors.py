from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """The site's name, and the signed-in user's unread notifications (counted only when a
    template shows them)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    from .models import Notification

    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
