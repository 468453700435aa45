"""The directory's exports: pure functions from objects to bytes (views only wrap them)."""

from __future__ import annotations

from collections.abc import Iterable

from bigscience_portal.core.spreadsheets import to_csv

from .models import ClusterMembership

MEMBER_COLUMNS = ("name", "country", "website", "email", "cpv_codes", "capabilities", "verified")


def member_row(cm: ClusterMembership) -> list[str]:
    """One member as the cells of the export (``to_csv`` escapes what a spreadsheet would run)."""
    org = cm.member
    return [
        org.name,
        org.country.code if org.country else "",
        org.website,
        org.email,
        " ".join(c.code for c in org.cpv_codes.all()),
        org.capabilities,
        org.verified_at.date().isoformat() if org.verified_at else "",
    ]


def members_csv(memberships: Iterable[ClusterMembership]) -> bytes:
    """A cluster's members as UTF-8 CSV with a byte-order mark (so that Excel reads it right)."""
    return to_csv([(None, list(MEMBER_COLUMNS), [member_row(cm) for cm in memberships])])
