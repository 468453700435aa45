"""The funnel's stages and how far a company got with a call: pure Python.

A company's way with a call goes recommended → reached (forwarded by a cluster or invited by the
buyer) → interest → bid → awarded, or ends lost or withdrawn. The stage of a (company, call) is
the furthest step it has; an award outranks a loss recorded before the award notice came.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RECOMMENDED = "recommended"
REACHED = "reached"
INTEREST = "interest"
BID = "bid"
AWARDED = "awarded"
LOST = "lost"
WITHDRAWN = "withdrawn"

STAGE_ORDER = (RECOMMENDED, REACHED, INTEREST, BID, WITHDRAWN, LOST, AWARDED)
TERMINAL = (AWARDED, LOST, WITHDRAWN)
STAGE_LABELS = {
    RECOMMENDED: _("Recommended"),
    REACHED: _("Forwarded or invited"),
    INTEREST: _("Interest expressed"),
    BID: _("Bid submitted"),
    AWARDED: _("Awarded"),
    LOST: _("Lost"),
    WITHDRAWN: _("Withdrawn"),
}
#: the stage each kind of step reaches (FunnelStep.Kind values)
STAGE_OF_KIND = {
    "forwarded": REACHED,
    "invited": REACHED,
    "interest": INTEREST,
    "bid": BID,
    "awarded": AWARDED,
    "lost": LOST,
    "withdrawn": WITHDRAWN,
}


def stage_of(kinds) -> str:
    """The furthest stage of a set of step kinds (recommended when there is none)."""
    stages = {STAGE_OF_KIND[k] for k in kinds if k in STAGE_OF_KIND}
    return max(stages, key=STAGE_ORDER.index) if stages else RECOMMENDED
