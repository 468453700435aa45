from django.utils.functional import SimpleLazyObject

from .permissions import roles_of


def user_roles(request):
    """The user's roles for the navigation (evaluated only when a template uses them)."""
    user = getattr(request, "user", None)
    return {"user_roles": SimpleLazyObject(lambda: roles_of(user))}
