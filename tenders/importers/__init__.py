"""Import services: TED notices and OCDS release packages into procurement calls.

The pure parsers in :mod:`tenders.notices` turn bytes into dataclasses; these modules match the
buyer, compare with what is stored and write only what changed, one transaction per file
(``common``: what they share; ``ted``: R2.0.9 and eForms notices; ``ocds``: release packages).
A second import of the same files changes no row (``updated_at`` included).
"""

from tenders.buyers import buyer_match_or_create

from .common import ImportOutcome
from .ocds import ocds_package_import
from .ted import ted_file_import, ted_files_import, ted_notice_import, ted_uploads_import

__all__ = [
    "ImportOutcome",
    "buyer_match_or_create",
    "ocds_package_import",
    "ted_file_import",
    "ted_files_import",
    "ted_notice_import",
    "ted_uploads_import",
]
