"""Which call a request may reach: the one place the views load a call for a user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .. import permissions, selectors
from ..models import ProcurementCall


def visible_call_or_404(request, pk: int) -> ProcurementCall:
    """The call, or a 404 for one the user may not see (drafts do not exist for them)."""
    try:
        call = selectors.call_detail(pk)
    except ProcurementCall.DoesNotExist:
        raise Http404(_("No such call.")) from None
    if not permissions.can_view_call(request.user, call):
        raise Http404(_("No such call."))
    return call


def managed_call_or_deny(request, pk: int) -> ProcurementCall:
    """The call, if the user is one of its buyer's liaison officers (or staff)."""
    call = visible_call_or_404(request, pk)
    if not permissions.can_manage_call(request.user, call):
        raise PermissionDenied(_("Only the buyer's liaison officers can do this."))
    return call
