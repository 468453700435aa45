"""Pure-Python notice parsing and OCDS building: bytes in, plain dataclasses out (no Django).

TED notices come in two formats, R2.0.9 (``ted``) and eForms (``eforms``); ``parse_notice`` reads
either and gives the same :class:`TedNotice`.
"""

from tenders.notices import eforms, formats, ocds, ted
from tenders.notices.eforms import *  # noqa: F403
from tenders.notices.formats import *  # noqa: F403
from tenders.notices.ocds import *  # noqa: F403
from tenders.notices.ted import *  # noqa: F403

#: every module's public names, from one place (each module's own ``__all__``)
__all__ = sorted({*eforms.__all__, *formats.__all__, *ocds.__all__, *ted.__all__})
