"""What the importers share: the outcome of one file, money, known CPV codes, the call's values
and status (its value band by ``tenders.value_bands``, the form's one rule), award rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone

from bigscience_portal.core.mail import one_line
from bigscience_portal.core.text import MAX_TEXT_LENGTH
from organisations.models import CPVCode, Organisation
from tenders import value_bands
from tenders.buyers import supplier_in_directory
from tenders.models import ProcurementCall
from tenders.notices import (
    TedAward,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
#: A notice without a submission deadline counts as current this long after publication.
UNDATED_NOTICE_CURRENT_FOR = dt.timedelta(days=183)
CENT = Decimal("0.01")

Status = ProcurementCall.Status
Stage = ProcurementCall.Stage

#: Notice kinds that follow up another notice (its awards, its changes).
FOLLOW_UP_KINDS = ("award", "corrigendum", "modification")
#: ContractFolderIDs that name no procedure: the converter from R2.0.9 writes this one into every
#: notice it converts (it is the eForms SDK's example id).
PLACEHOLDER_PROCEDURE_IDS = frozenset({"aff2863e-b4cc-4e91-baba-b3b85f709117"})
#: Notice ids (BT-701) that name no notice: the converter writes this one (the SDK example
#: pin-only_24's) into every notice it converts; such a notice is known by its number only.
PLACEHOLDER_NOTICE_IDS = frozenset({"f252f386-55ac-4fa8-9be4-9f950b9904c8"})


class ParsedNotice(Protocol):
    """What a parsed notice of every format (``TedNotice``, ``OcdsRelease``) names alike."""

    title: str | None
    description: str | None
    procedure: str | None
    main_category: str | None
    currency: str | None
    submission_deadline: dt.datetime | None
    language: str | None


@dataclass
class ImportOutcome:
    """What happened to one file (TED) or one release (OCDS)."""

    filename: str
    #: created | updated | unchanged | skipped (a family not imported) | out_of_scope | refused
    action: str
    source_id: str = ""
    call_id: int | None = None
    reason: str = ""  # why it was refused
    code: str = ""  # NoticeRejected.code when refused
    notes: list[str] = field(default_factory=list)  # e.g. unknown CPV codes skipped
    became_published: bool = False

    @property
    def ok(self) -> bool:
        return self.action != "refused"

    def line(self) -> str:
        """One line for the command's output and the upload report."""
        if self.action == "refused":
            return f"{self.filename}: refused: {self.reason}"
        if self.action == "skipped":
            return f"{self.filename}: skipped: {self.reason}"
        if self.action == "out_of_scope":
            return f"{self.filename}: not imported, outside the interest profile: {self.reason}"
        where = f" (call {self.call_id})" if self.call_id else ""
        notes = f" [{'; '.join(self.notes)}]" if self.notes else ""
        verb = "imported" if self.action == "created" else self.action
        return f"{self.filename}: {verb} {self.source_id}{where}{notes}"


def _money(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return value if abs(value) < Decimal("1e14") else None


def _known_cpv(codes: Iterable[str | None]) -> tuple[list[str], list[str]]:
    codes = [c for c in dict.fromkeys(codes) if c]
    known = set(CPVCode.objects.filter(code__in=codes).values_list("code", flat=True))
    return [c for c in codes if c in known], [c for c in codes if c not in known]


def _call_values(
    notice: ParsedNotice,
    *,
    buyer: Organisation,
    reference: str | None,
    value: Decimal | None,
    published: dt.datetime | None,
) -> dict[str, Any]:
    """The call's fields that every notice format gives, cut to the model's lengths: the
    ``notice``'s own (title, description, procedure, category, currency, deadline, language) and
    those each format names in its own way (the buyer's reference, the value, the publication)."""
    amount = _money(value)
    currency = (notice.currency or "EUR").upper()[:3]
    return {
        "buyer_id": buyer.pk,
        "reference": one_line(reference or "", 100),
        "title": one_line(notice.title or "", 400),
        "description": (notice.description or "")[:MAX_TEXT_LENGTH],
        "procurement_method": notice.procedure or ProcurementCall.Procedure.OTHER,
        "main_procurement_category": notice.main_category or ProcurementCall.MainCategory.GOODS,
        "value_amount": amount,
        "value_currency": currency,
        "value_band": value_bands.band_for(amount, currency),
        "tender_period_end": notice.submission_deadline,
        "language": (notice.language or "en")[:8],
        "published_at": published,
    }


def _status_for(*, deadline: dt.datetime | None, published: dt.datetime | None) -> str:
    now = timezone.now()
    if deadline is not None:
        return Status.PUBLISHED if deadline > now else Status.CLOSED
    if published is not None and published + UNDATED_NOTICE_CURRENT_FOR > now:
        return Status.PUBLISHED
    return Status.CLOSED


def _award_rows(awards: Iterable[TedAward], default_currency: str | None) -> list[dict[str, Any]]:
    rows = []
    for award in awards:
        if not award.awarded:
            continue
        names = [s.name for s in award.suppliers if s.name]
        supplier = None
        if len(award.suppliers) == 1:
            supplier = supplier_in_directory(award.suppliers[0].name, award.suppliers[0].country)
        rows.append(
            {
                "lot_number": (award.lot_number or "")[:20],
                "contract_number": (award.contract_number or "")[:100],
                "supplier_name": ("; ".join(names) or "(not published)")[:255],
                "supplier_country": next((s.country for s in award.suppliers if s.country), "")
                or "",
                "supplier_id": supplier,
                "value_amount": _money(
                    award.value if award.value is not None else award.value_high
                ),
                "value_currency": (award.currency or default_currency or "EUR")[:3],
                "date": award.date_concluded,
                "supplier_identifiers": [
                    i[:100] for s in award.suppliers for i in (s.identifiers or []) if i
                ][:20],
            }
        )
    return rows
