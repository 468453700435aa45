"""Expressions of interest: a company tells the buyer it means to bid, and may withdraw."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused
from organisations.models import Organisation

from ..models import ExpressionOfInterest, ProcurementCall


@transaction.atomic
def eoi_submit(
    *,
    call: ProcurementCall,
    organisation: Organisation,
    user,
    message: str = "",
    partners: str = "",
) -> ExpressionOfInterest:
    if not call.is_open:
        raise ActionRefused(_("This call no longer accepts expressions of interest."))
    if not organisation.is_company:
        raise ActionRefused(_("Only companies can express interest in a call."))
    eoi = (
        ExpressionOfInterest.objects.select_for_update()
        .filter(call=call, organisation=organisation)
        .first()
    )
    if eoi and eoi.status == ExpressionOfInterest.Status.ACTIVE:
        raise ActionRefused(
            _("%(org)s has already expressed interest in this call.") % {"org": organisation}
        )
    if eoi is None:
        eoi = ExpressionOfInterest(call=call, organisation=organisation)
    eoi.submitted_by = user
    eoi.message = message.strip()
    eoi.partners = partners.strip()
    eoi.status = ExpressionOfInterest.Status.ACTIVE
    eoi.withdrawn_at = None
    eoi.save()
    return eoi


@transaction.atomic
def eoi_withdraw(*, eoi: ExpressionOfInterest, user) -> ExpressionOfInterest:
    if eoi.status != ExpressionOfInterest.Status.ACTIVE:
        raise ActionRefused(_("This expression of interest was already withdrawn."))
    if not eoi.call.is_open:
        raise ActionRefused(_("The deadline has passed; the expression of interest stays."))
    eoi.status = ExpressionOfInterest.Status.WITHDRAWN
    eoi.withdrawn_at = timezone.now()
    eoi.save(update_fields=["status", "withdrawn_at"])
    return eoi
