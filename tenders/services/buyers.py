"""Buyers created by the imports of public notices, waiting for staff: merged into an
organisation of the directory (approving and hiding are the organisations app's decisions)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from organisations.models import Approval, Organisation

from ..models import Award, ProcurementCall


@transaction.atomic
def buyer_merge(*, buyer: Organisation, into: Organisation) -> int:
    """Give ``buyer``'s calls (and awards won) to ``into`` and remove ``buyer``; the number of
    calls moved. Only a buyer waiting for approval can be merged, and only into another one."""
    buyer = Organisation.objects.select_for_update().get(pk=buyer.pk)
    if buyer.approval != Approval.PENDING:
        raise ActionRefused(_("Only an organisation waiting for approval can be merged."))
    if into.pk == buyer.pk:
        raise ActionRefused(_("Choose another organisation to merge into."), field="into")
    moved = ProcurementCall.objects.filter(buyer=buyer).update(buyer=into)
    Award.objects.filter(supplier=buyer).update(supplier=into)
    try:
        buyer.delete()
    except ProtectedError as exc:
        raise ActionRefused(
            _("%(name)s is still used elsewhere in the portal and cannot be merged.")
            % {"name": buyer.name}
        ) from exc
    return moved
