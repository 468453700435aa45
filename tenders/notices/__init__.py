"""Pure-Python notice parsing and OCDS building: bytes in, plain dataclasses out (no Django).

TED notices come in two formats, R2.0.9 (``ted``) and eForms (``eforms``); ``parse_notice`` reads
either and gives the same :class:`TedNotice`.
"""

from tenders.notices.eforms import parse_eforms_notice
from tenders.notices.formats import EFORMS, TED_R209, detect_notice_format, parse_notice
from tenders.notices.ocds import (
    AwardData,
    CallData,
    DocumentData,
    LotData,
    OcdsRelease,
    OrganisationData,
    build_release,
    parse_ocds_package,
    release_package,
    validate_package,
    validate_release,
)
from tenders.notices.ted import (
    MAX_NOTICE_BYTES,
    NoticeRejected,
    TedAward,
    TedChange,
    TedLot,
    TedNotice,
    TedOrganisation,
    TedSupplier,
    default_notice_dir,
    iter_notice_files,
    parse_ted_notice,
)

__all__ = [
    "EFORMS",
    "MAX_NOTICE_BYTES",
    "TED_R209",
    "AwardData",
    "CallData",
    "DocumentData",
    "LotData",
    "NoticeRejected",
    "OcdsRelease",
    "OrganisationData",
    "TedAward",
    "TedChange",
    "TedLot",
    "TedNotice",
    "TedOrganisation",
    "TedSupplier",
    "build_release",
    "default_notice_dir",
    "detect_notice_format",
    "iter_notice_files",
    "parse_eforms_notice",
    "parse_notice",
    "parse_ocds_package",
    "parse_ted_notice",
    "release_package",
    "validate_package",
    "validate_release",
]
