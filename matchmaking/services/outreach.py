"""What people do with a match: a company's feedback, a liaison officer's invitation, a
cluster manager's forward. Invitations and forwards are sent once (a second click says so)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import refuse_unless
from bigscience_portal.core.mail import mail_queue
from organisations.models import Organisation
from tenders.models import ProcurementCall

from .. import selectors
from ..models import (
    FORWARD_NOTE_LENGTH,
    Feedback,
    Match,
    MatchForward,
    MatchRun,
    SupplierInvitation,
)
from .runs import company_score_enqueue


@transaction.atomic
def feedback_give(
    *, user, company: Organisation, call: ProcurementCall, relevant: bool, reason: str = ""
) -> Feedback:
    """Record a judgement. "Not relevant" (which needs a reason) removes the match at once and
    re-scores the company, whose profile now excludes the call for good (an engine hard rule)."""
    refuse_unless(
        relevant or reason in Feedback.Reason.values,
        _("Tell us why the call is not relevant."),
        field="reason",
    )
    feedback = Feedback.objects.create(
        user=user, company=company, call=call, relevant=relevant, reason="" if relevant else reason
    )
    if not relevant:
        Match.objects.filter(company=company, call=call).delete()
        company_score_enqueue(company_id=company.pk, kind=MatchRun.Kind.FEEDBACK)
    return feedback


@transaction.atomic
def feedback_undo(*, user, company: Organisation, call: ProcurementCall) -> int:
    """Take back "not relevant": the company's dismissals of the call are removed and the
    company is re-scored, so that the call is recommended again if it still fits (at once
    when a stored match of the pair is still there). Returns how many dismissals went."""
    removed, _by_model = Feedback.objects.filter(
        company=company, call=call, relevant=False
    ).delete()
    refuse_unless(removed, _("“%s” was not marked not relevant.") % call.title)
    company_score_enqueue(company_id=company.pk, kind=MatchRun.Kind.FEEDBACK)
    return removed


def _send_once(model, *, identity: dict, by: dict, to, **mail):
    """The row of ``model`` for ``identity`` and whether it is new; the first one records its
    recipients and mails them (the template gets the identity's objects, and the stored match
    of the company and the call, whose fit and reasons it tells the company)."""
    row, created = model.objects.get_or_create(
        **identity, defaults={**by, "recipients": [address for address, _user in to]}
    )
    if created:
        match = (
            Match.objects.filter(company=identity["company"], call=identity["call"])
            .select_related("company", "call", "call__buyer")
            .first()
        )
        mail_queue(
            to=to,
            context={**identity, **by, "match": match},
            url=identity["call"].get_absolute_url(),
            **mail,
        )
    return row, created


@transaction.atomic
def supplier_invite(
    *, call: ProcurementCall, company: Organisation, user
) -> tuple[SupplierInvitation, bool]:
    """Invite a suggested company to express interest: (the invitation, whether it is new).
    The company's contact address and administrators are e-mailed with the first one only."""
    return _send_once(
        SupplierInvitation,
        identity={"call": call, "company": company},
        by={"invited_by": user},
        to=selectors.company_recipients(company),
        key=f"matchmaking.invitation:call={call.pk}:company={company.pk}",
        subject=lambda: _("Invitation to express interest: %(title)s") % {"title": call.title},
        template="matchmaking/email/invitation.txt",
    )


@transaction.atomic
def match_forward(
    *, cluster: Organisation, company: Organisation, call: ProcurementCall, user, note: str = ""
) -> tuple[MatchForward, bool]:
    """Forward a call to a member company's users: (the forward, whether it is new). Each
    cluster forwards a call to a member once; the manager's ``note`` goes with the mail and
    shows on the call's page to the member."""
    note = note.strip()
    refuse_unless(
        len(note) <= FORWARD_NOTE_LENGTH,
        _("A note has at most %(n)s characters.") % {"n": FORWARD_NOTE_LENGTH},
        field="note",
    )
    return _send_once(
        MatchForward,
        identity={"cluster": cluster, "company": company, "call": call},
        by={"forwarded_by": user, "note": note},
        to=selectors.member_recipients(company),
        key=f"matchmaking.forward:cluster={cluster.pk}:company={company.pk}:call={call.pk}",
        subject=lambda: (
            _("%(cluster)s suggests a call: %(title)s")
            % {"cluster": cluster.name, "title": call.title}
        ),
        template="matchmaking/email/forward.txt",
    )
