"""The e-mails of technology transfer and innovation: one function per occasion.

Called by the services inside their transaction; each hands the mail to
:func:`~bigscience_portal.core.mail.mail_queue` with a key naming the occasion and the URL of
the page it is about (so it is also a notification in the portal), written as a delivery record
with the change and never sent twice for the same occasion.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bigscience_portal.core.mail import mail_queue, one_line
from organisations.models import Membership

from . import permissions
from .models import (
    GateDecision,
    InnovationChallenge,
    Interest,
    PartnershipOpportunity,
    SolutionProposal,
)


def _absolute(obj_or_path) -> str:
    path = obj_or_path if isinstance(obj_or_path, str) else obj_or_path.get_absolute_url()
    return f"{settings.SITE_URL}{path}"


def people_of(*organisation_ids, admins_only: bool = False) -> list:
    """The active accounts of these organisations (their administrators only, if asked)."""
    memberships = Membership.objects.filter(organisation_id__in=[i for i in organisation_ids if i])
    if admins_only:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    return list(
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


def _send(key: str, to, subject, body, url: str) -> None:
    """``subject`` and ``body``: callables giving the texts in the language active when called
    (``mail_queue`` calls them in each recipient's)."""
    mail_queue(key=key, to=to, subject=lambda: one_line(subject()), body=body, url=url)


def _sign(text: str) -> str:
    return f"{text.rstrip()}\n\n-- \n{settings.SITE_NAME}\n"


def _date(day) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


# --- opportunities -----------------------------------------------------------------------------


def opportunity_people(opportunity: PartnershipOpportunity) -> list:
    """The opportunity's organisation's people, and its contact (always)."""
    people = people_of(opportunity.organisation_id)
    if opportunity.contact_id and opportunity.contact not in people:
        people.insert(0, opportunity.contact)
    return people


def review_requested(opportunity: PartnershipOpportunity, reviewers: list, *, serial: int) -> None:
    url = _absolute(opportunity)
    _send(
        f"innovation.review_requested:opportunity={opportunity.pk}:n={serial}",
        reviewers,
        lambda: _("To review: %(title)s") % {"title": opportunity.title},
        lambda: _sign(
            _(
                "%(org)s asks to publish the partnership opportunity “%(title)s” (%(kind)s).\n\n"
                "Read it and publish it, or return it with your reasons:\n%(url)s"
            )
            % {
                "org": opportunity.organisation.name if opportunity.organisation else "",
                "title": opportunity.title,
                "kind": opportunity.get_kind_display(),
                "url": url,
            }
        ),
        url,
    )


def review_decided(
    opportunity: PartnershipOpportunity, *, published: bool, note: str, serial: int
) -> None:
    url = _absolute(opportunity)

    def subject() -> str:
        if published:
            return _("Published: %(title)s") % {"title": opportunity.title}
        return _("Returned: %(title)s") % {"title": opportunity.title}

    def body() -> str:
        if published:
            text = _(
                "The partnership opportunity “%(title)s” is published (reference %(ref)s) and "
                "valid until %(until)s. Companies that fit it are being found now.\n\n%(url)s"
            )
        else:
            text = _(
                "The partnership opportunity “%(title)s” was returned to you before "
                "publication.\n\nWhy: %(note)s\n\nChange it and submit it again:\n%(url)s"
            )
        return _sign(
            text
            % {
                "title": opportunity.title,
                "ref": opportunity.reference,
                "until": _date(opportunity.expires_on),
                "note": note or "-",
                "url": url,
            }
        )

    _send(
        f"innovation.review_decided:opportunity={opportunity.pk}:n={serial}",
        opportunity_people(opportunity),
        subject,
        body,
        url,
    )


def _validity_mail(opportunity: PartnershipOpportunity, occasion: str, subject, text) -> None:
    """A mail about the opportunity's validity: ``subject`` and ``text`` give the texts (in the
    language active when called) that name its ``title``, ``until`` (the last day) and ``url``."""
    url = _absolute(opportunity)

    def values() -> dict:
        return {"title": opportunity.title, "until": _date(opportunity.expires_on), "url": url}

    _send(
        f"innovation.{occasion}:opportunity={opportunity.pk}:expires={opportunity.expires_on}",
        opportunity_people(opportunity),
        lambda: subject() % values(),
        lambda: _sign(text() % values()),
        url,
    )


def renewal_reminder(opportunity: PartnershipOpportunity) -> None:
    _validity_mail(
        opportunity,
        "renewal_reminder",
        lambda: _("Renew before %(until)s: %(title)s"),
        lambda: _(
            "The partnership opportunity “%(title)s” is valid until %(until)s. After that "
            "day it leaves the public list and the matching.\n\nRenew it for another year "
            "on its page:\n%(url)s"
        ),
    )


def expired_notice(opportunity: PartnershipOpportunity) -> None:
    _validity_mail(
        opportunity,
        "expired",
        lambda: _("Expired: %(title)s"),
        lambda: _(
            "The partnership opportunity “%(title)s” expired on %(until)s: it is no longer "
            "listed or matched. Renew it on its page to publish it again:\n%(url)s"
        ),
    )


def interest_received(interest: Interest) -> None:
    opportunity = interest.opportunity
    url = _absolute(interest)
    _send(
        f"innovation.interest:interest={interest.pk}",
        opportunity_people(opportunity),
        lambda: (
            _("%(org)s is interested in “%(title)s”")
            % {"org": interest.organisation.name, "title": opportunity.title}
        ),
        lambda: _sign(
            _(
                "%(org)s wrote about your partnership opportunity “%(title)s”:\n\n%(message)s\n\n"
                "Answer on the portal:\n%(url)s"
            )
            % {
                "org": interest.organisation.name,
                "title": opportunity.title,
                "message": interest.message,
                "url": url,
            }
        ),
        url,
    )


# --- challenges ---------------------------------------------------------------------------------


def proposal_submitted(proposal: SolutionProposal) -> None:
    challenge = proposal.challenge
    url = _absolute(proposal)
    partners = ", ".join(p.organisation.name for p in proposal.partners.all())

    def values() -> dict:
        return {
            "lead": proposal.lead.name,
            "partners": partners or _("no partners"),
            "title": proposal.title,
            "challenge": challenge.title,
            "url": url,
        }

    _send(
        f"innovation.proposal_submitted:proposal={proposal.pk}:owner",
        people_of(challenge.owner_id),
        lambda: _("New solution proposal for “%(challenge)s”") % values(),
        lambda: _sign(
            _(
                "%(lead)s (with %(partners)s) submitted “%(title)s” to your challenge "
                "“%(challenge)s”.\n\n%(url)s"
            )
            % values()
        ),
        url,
    )
    consortium = permissions.consortium_ids(proposal)
    _send(
        f"innovation.proposal_submitted:proposal={proposal.pk}:consortium",
        people_of(*consortium),
        lambda: _("Submitted: “%(title)s” to “%(challenge)s”") % values(),
        lambda: _sign(
            _(
                "The solution proposal “%(title)s” led by %(lead)s with %(partners)s is "
                "submitted to the challenge “%(challenge)s”. Every partner can read it here:\n"
                "%(url)s"
            )
            % values()
        ),
        url,
    )


def proposal_decided(proposal: SolutionProposal) -> None:
    consortium = permissions.consortium_ids(proposal)
    url = _absolute(proposal)
    selected = proposal.status == SolutionProposal.Status.SELECTED
    values = {
        "title": proposal.title,
        "challenge": proposal.challenge.title,
        "url": url,
        "note": proposal.decision_note or "-",
    }
    _send(
        f"innovation.proposal_decided:proposal={proposal.pk}:{proposal.status}",
        people_of(*consortium),
        lambda: (
            (_("Selected: “%(title)s”") if selected else _("Not selected: “%(title)s”")) % values
        ),
        lambda: _sign(
            (
                _(
                    "Your proposal “%(title)s” is selected for the challenge “%(challenge)s”: "
                    "you are now part of its project team and can follow the process.\n\n%(url)s"
                )
                if selected
                else _(
                    "Your proposal “%(title)s” to “%(challenge)s” was not selected.\n\n"
                    "The owner's note: %(note)s\n\n%(url)s"
                )
            )
            % values
        ),
        url,
    )


def gate_decided(decision: GateDecision, team: list) -> None:
    challenge = decision.challenge
    from . import process  # the labels

    url = _absolute(reverse("innovation:process", kwargs={"slug": challenge.slug}))

    def values() -> dict:  # the stages' labels in the language active when called
        return {
            "challenge": challenge.title,
            "from": process.label(decision.from_stage),
            "to": process.label(decision.to_stage),
            "reasons": decision.reasons,
            "url": url,
        }

    _send(
        f"innovation.gate:decision={decision.pk}",
        team,
        lambda: (
            (
                _("Gate passed: “%(challenge)s” moves to %(to)s")
                if decision.decision == process.GO
                else _("Stopped: “%(challenge)s”")
            )
            % values()
        ),
        lambda: _sign(
            _(
                "Gate decision on “%(challenge)s”: from %(from)s to %(to)s.\n\nReasons: "
                "%(reasons)s\n\nWhere the project stands and what is missing:\n%(url)s"
            )
            % values()
        ),
        url,
    )


def partner_added(proposal: SolutionProposal, organisation_id: int) -> None:
    url = _absolute(proposal)
    _send(
        f"innovation.partner_added:proposal={proposal.pk}:org={organisation_id}",
        people_of(organisation_id),
        lambda: _("You are a partner of “%(title)s”") % {"title": proposal.title},
        lambda: _sign(
            _(
                "%(lead)s named your organisation as a consortium partner of the solution "
                "proposal “%(title)s” to the challenge “%(challenge)s”.\n\n%(url)s"
            )
            % {
                "lead": proposal.lead.name,
                "title": proposal.title,
                "challenge": proposal.challenge.title,
                "url": url,
            }
        ),
        url,
    )


def challenge_opened(challenge: InnovationChallenge) -> None:
    """Told to the owner's people (the others find it in the list and in digests)."""
    url = _absolute(challenge)
    _send(
        f"innovation.challenge_opened:challenge={challenge.pk}",
        people_of(challenge.owner_id),
        lambda: _("Open for proposals: “%(title)s”") % {"title": challenge.title},
        lambda: _sign(
            _(
                "The challenge “%(title)s” is open for solution proposals until %(deadline)s.\n\n%(url)s"
            )
            % {
                "title": challenge.title,
                "deadline": date_format(challenge.proposals_deadline, "DATETIME_FORMAT"),
                "url": url,
            }
        ),
        url,
    )
