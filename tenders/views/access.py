"""Which call a request may reach: the one place the views load a call for a user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bigscience_portal.core.views_kit import visible_or_404

from .. import permissions, selectors
from ..models import ProcurementCall

#: the call, or a 404 for one the user may not see (drafts do not exist for them)
visible_call_or_404 = visible_or_404(
    selectors.call_detail, permissions.can_view_call, message=gettext_lazy("No such call.")
)


def managed_call_or_deny(request, pk: int) -> ProcurementCall:
    """The call, if the user is one of its buyer's liaison officers (or staff)."""
    call = visible_call_or_404(request, pk)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied(_("Only the buyer's liaison officers can do this."))
    return call
