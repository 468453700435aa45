"""OCDS release packages into procurement calls."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from bigscience_portal.core.mail import one_line
from organisations.models import Organisation
from tenders import services
from tenders.buyers import buyer_match_or_create
from tenders.models import ProcurementCall
from tenders.notices import (
    NoticeRejected,
    parse_ocds_package,
)
from tenders.notices.ocds import OcdsRelease
from tenders.services import NoticeCall

from .common import ImportOutcome, Status, _call_values, _known_cpv, _money


def _ocds_buyer(release: OcdsRelease) -> Organisation:
    from django_countries import countries

    country = None
    if release.buyer_country:
        value = release.buyer_country.strip()
        if len(value) == 2 and value.upper() in dict(countries):
            country = value.upper()
        else:
            country = countries.by_name(value) or None
    buyer, _ = buyer_match_or_create(name=release.buyer_name or "", country=country)
    return buyer


def _ocds_call(release: OcdsRelease, buyer: Organisation, known: list[str]) -> NoticeCall:
    """What one OCDS release says about its call."""
    reference = release.reference or ""
    if release.ocid.endswith(f"-{reference}"):
        reference = ""  # tender.id only repeats the ocid: no reference of the buyer's own
    status = release.status
    deadline = release.submission_deadline
    if status == Status.PUBLISHED and deadline is not None and deadline <= timezone.now():
        status = Status.CLOSED  # OCDS keeps a tender "active" after its deadline
    values = _call_values(
        release,
        buyer=buyer,
        reference=reference,
        value=release.value,
        published=release.published_at or release.date,
    )
    values["enquiry_period_end"] = release.clarification_deadline
    if release.eligibility_criteria:
        values["selection_criteria"] = release.eligibility_criteria
    return NoticeCall(
        source=ProcurementCall.Source.OCDS,
        source_id=release.ocid[:100],
        status=status,
        note=f"OCDS release {release.id or release.ocid}"[:2000],
        values=values,
        main_cpv=known[0] if known else None,
        additional_cpv=list(known[1:]),
        lots=[
            {
                "number": lot.id[:20],
                "title": one_line(lot.title or "", 400),
                "description": lot.description or "",
                "value_amount": _money(lot.value),
                "cpv_codes": [],
            }
            for lot in release.lots
        ],
        awards=[
            {
                "lot_number": (a.lot_ids[0] if a.lot_ids else "")[:20],
                "contract_number": a.id[:100],
                "supplier_name": ("; ".join(n for _, n in a.suppliers if n) or "(not published)")[
                    :255
                ],
                "supplier_country": "",
                "supplier_id": None,
                "value_amount": _money(a.value),
                "value_currency": (a.currency or values["value_currency"])[:3],
                "date": a.date.date() if a.date else None,
            }
            for a in release.awards
            if a.status in (None, "active")
        ],
    )


@transaction.atomic
def ocds_package_import(*, data: bytes, filename: str) -> list[ImportOutcome]:
    """Create or update calls (source "ocds", keyed by ocid) from an OCDS release package.

    All or nothing: a package that is not valid OCDS 1.1 is refused as a whole (NoticeRejected).
    Releases of one ocid are applied oldest first, so the newest state wins.
    """
    releases = parse_ocds_package(data, filename=filename, strict=True)
    for i, release in enumerate(releases):
        if not release.title:
            raise NoticeRejected(
                filename, f"release {i} ({release.ocid}) has no tender title", "invalid_release"
            )
        if not release.buyer_name:
            raise NoticeRejected(
                filename, f"release {i} ({release.ocid}) names no buyer", "invalid_release"
            )
    ordered = sorted(releases, key=lambda r: r.date or dt.datetime.min.replace(tzinfo=dt.UTC))
    outcomes: dict[str, ImportOutcome] = {}
    for release in ordered:
        buyer = _ocds_buyer(release)
        known, unknown = _known_cpv(release.cpv_codes)
        notice = _ocds_call(release, buyer, known)
        own = (
            ProcurementCall.objects.select_for_update()
            .filter(source=ProcurementCall.Source.OCDS, source_id=notice.source_id)
            .first()
        )
        result = services.call_import(call=own, notice=notice)
        action, became = result.action, result.became_published
        previous = outcomes.get(release.ocid)
        if previous is not None:
            if previous.action == "created" or action == "unchanged":
                action = previous.action
            became = became or previous.became_published
        outcome = ImportOutcome(
            filename=filename,
            action=action,
            source_id=release.ocid,
            call_id=result.call.pk,
            became_published=became,
            notes=result.notes,
        )
        if unknown:
            outcome.notes.append("unknown CPV codes skipped: " + ", ".join(unknown))
        outcomes[release.ocid] = outcome
    announced = set(
        services.calls_announce(
            call_ids=[o.call_id for o in outcomes.values() if o.became_published]
        )
    )
    for outcome in outcomes.values():
        outcome.became_published = outcome.call_id in announced
    return list(outcomes.values())
