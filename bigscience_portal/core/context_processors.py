from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisations.permissions import roles_of


def site(request):
    """The site name, and the user's roles for the navigation (evaluated only when used)."""
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "user_roles": SimpleLazyObject(lambda: roles_of(user)),
    }
