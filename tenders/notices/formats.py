"""One entry point for TED notices in either format: R2.0.9 (before October 2023) or eForms.

The file is parsed once, by the hardened parser both formats share (size cap before parsing,
no DTD, no entities, no external references), and its root element decides which parser reads it.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from tenders.notices.eforms import EFORMS_NAMESPACES, parse_eforms_root
from tenders.notices.ted import (
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedNotice,
    _parse_xml,
    parse_ted_root,
)

__all__ = ["EFORMS", "TED_R209", "detect_notice_format", "parse_notice"]

TED_R209 = "ted-r2.0.9"
EFORMS = "eforms"


def _root_format(root: Element) -> str | None:
    namespace, _, local = (
        root.tag[1:].rpartition("}") if root.tag.startswith("{") else ("", "", root.tag)
    )
    if local == "TED_EXPORT":
        return TED_R209
    if namespace in EFORMS_NAMESPACES:
        return EFORMS
    return None


def detect_notice_format(
    data: bytes, *, filename: str = "notice", max_bytes: int = MAX_NOTICE_BYTES
) -> str | None:
    """``"ted-r2.0.9"``, ``"eforms"``, or None for well-formed XML that is neither.

    Input that is refused whatever its format (too large, not XML, DTD, entities, malformed)
    raises :class:`NoticeRejected`, as ``parse_notice`` would.
    """
    return _root_format(_parse_xml(data, filename, max_bytes))


def parse_notice(data: bytes, *, filename: str, max_bytes: int = MAX_NOTICE_BYTES) -> TedNotice:
    """Parse a TED notice in R2.0.9 or eForms; raise :class:`NoticeRejected` for anything else."""
    root = _parse_xml(data, filename, max_bytes)
    found = _root_format(root)
    if found == TED_R209:
        return parse_ted_root(root, filename=filename)
    if found == EFORMS:
        return parse_eforms_root(root, filename=filename)
    raise NoticeRejected(
        filename,
        f"root element <{root.tag.rsplit('}', 1)[-1]}> is neither a TED R2.0.9 notice "
        "(<TED_EXPORT>) nor an eForms notice (ContractNotice, ContractAwardNotice, "
        "PriorInformationNotice)",
        "unknown_format",
    )
