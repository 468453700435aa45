"""Innovation challenges, the solution proposals that answer them, and the stage-gate process
(checklists and gate decisions) that carries a challenge to a pilot, a scale-up or a call."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.model_bases import Attachment, DetailPage, Timestamped
from bigscience_portal.core.models import acting_user, optional_user, status_field
from bigscience_portal.core.text import LONG_TEXT_VALIDATORS, ONE_LINE_VALIDATORS
from organisations.models import CPVCode, Organisation
from tenders.models import ProcurementCall

from .. import process
from .opportunities import choice_labels

REASON_VALIDATORS = [MaxLengthValidator(4000)]


class Goal(models.TextChoices):
    """The goal a challenge serves (green transition first: the InnoTech municipalities')."""

    ENERGY_EFFICIENCY = "energy_efficiency", _("Energy efficiency")
    CLIMATE_ADAPTATION = "climate_adaptation", _("Climate adaptation")
    RENEWABLE_ENERGY = "renewable_energy", _("Renewable energy")
    MOBILITY = "mobility", _("Sustainable mobility")
    CIRCULAR_ECONOMY = "circular_economy", _("Circular economy")
    HEALTH = "health", _("Health and care")
    RESEARCH_INFRASTRUCTURE = "research_infrastructure", _("Research infrastructure technology")
    OTHER = "other", _("Other")


class AnswerKind(models.TextChoices):
    SOLUTION = "solution", _("Solution proposal")
    PILOT = "pilot", _("Pilot")
    RESEARCH = "research", _("Research cooperation")


class WhoMayAnswer(models.TextChoices):
    ANYONE = (
        "anyone",
        _("Companies, universities and research organisations, alone or in consortium"),
    )
    COMPANIES = "companies", _("Companies (lead), alone or with partners")
    CONSORTIA = "consortia", _("Consortia of at least two organisations")


#: kinds of organisation that may post a challenge
OWNER_KINDS = (
    Organisation.Kind.PUBLIC_AUTHORITY,
    Organisation.Kind.RESEARCH_INFRASTRUCTURE,
    Organisation.Kind.CLUSTER,
    Organisation.Kind.SME,
    Organisation.Kind.LARGE_COMPANY,
)


class InnovationChallenge(DetailPage, Timestamped):
    """A need posted by a public authority, an infrastructure, a cluster or a company, answered by
    solution proposals and carried through the stage-gate process (:mod:`innovation.process`).

    While at the ``need`` stage it is a draft that only the owner's people see; passing the
    first gate opens it to proposals (until ``proposals_deadline``, or until the owner passes
    the next gate). ``public_summary`` is shown to everyone once the owner publishes it.
    """

    detail_url_name = "innovation:challenge_detail"
    detail_url_key = "slug"

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="innovation_challenges",
        verbose_name=_("challenge owner"),
    )
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(_("summary"), validators=[MaxLengthValidator(600)])
    need = models.TextField(
        _("the need and its context"),
        validators=LONG_TEXT_VALIDATORS,
        help_text=_("Who has the need, why now, what has been tried."),
    )
    goal = models.CharField(_("goal"), max_length=32, choices=Goal.choices, default=Goal.OTHER)
    goal_detail = models.TextField(
        _("the goal it serves"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    data_available = models.TextField(
        _("data available"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    constraints = models.TextField(
        _("constraints"),
        blank=True,
        validators=LONG_TEXT_VALIDATORS,
        help_text=_(
            "GDPR, cyber-security, standards and architecture principles, procurement rules."
        ),
    )
    personal_data = models.BooleanField(_("involves personal data (GDPR)"), default=False)
    budget_amount = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    timeline = models.TextField(_("timeline"), blank=True, validators=[MaxLengthValidator(2000)])
    #: comma-separated :class:`AnswerKind` codes
    answer_kinds = models.CharField(_("kind of answer sought"), max_length=100, blank=True)
    who_may_answer = models.CharField(
        _("who may answer"),
        max_length=12,
        choices=WhoMayAnswer.choices,
        default=WhoMayAnswer.ANYONE,
    )
    proposals_deadline = models.DateTimeField(_("deadline for proposals"))
    cpv_codes = models.ManyToManyField(
        CPVCode, blank=True, related_name="+", verbose_name=_("CPV codes")
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=process.STAGE_CHOICES,
        default=process.NEED,
        db_index=True,
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    published_at = models.DateTimeField(_("opened"), null=True, blank=True)
    public_summary = models.TextField(
        _("public summary of the process"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    summary_published_at = models.DateTimeField(_("summary published"), null=True, blank=True)
    procurement_call = models.ForeignKey(
        ProcurementCall,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="innovation_challenges",
        verbose_name=_("procurement call"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = optional_user()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("innovation challenge")
        verbose_name_plural = _("innovation challenges")

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.stage == process.NEED

    def accepts_proposals(self, now=None) -> bool:
        now = now or timezone.now()
        return self.stage == process.OPEN and self.proposals_deadline > now

    @property
    def stage_label(self) -> str:
        return process.label(self.stage)

    @property
    def answer_kind_labels(self) -> list[str]:
        return choice_labels(AnswerKind.choices, self.answer_kinds)

    @property
    def summary_is_public(self) -> bool:
        return self.summary_published_at is not None and bool(self.public_summary)


class ChallengeDeliverable(models.Model):
    """A deliverable of a challenge's checklist marked done (who, when, with a note or link).

    The checklist itself is :data:`innovation.process.CHECKLISTS`; a row exists once the item
    was ticked, and a ticked item can be unticked while its stage is current."""

    challenge = models.ForeignKey(
        InnovationChallenge, on_delete=models.CASCADE, related_name="deliverables"
    )
    key = models.CharField(_("deliverable"), max_length=40)
    stage = models.CharField(_("stage"), max_length=12, choices=process.STAGE_CHOICES)
    done_by = acting_user()
    done_at = models.DateTimeField(_("done"), default=timezone.now)
    note = models.CharField(
        _("note or link"), max_length=500, blank=True, validators=ONE_LINE_VALIDATORS
    )

    class Meta:
        ordering = ["challenge", "done_at", "pk"]
        verbose_name = _("deliverable done")
        verbose_name_plural = _("deliverables done")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "key"], name="uniq_challenge_deliverable")
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.key}"

    @property
    def title(self) -> str:
        item = process.DELIVERABLES.get(self.key)
        return str(item.title) if item else self.key


class GateDecision(models.Model):
    """A decision at a gate: from which stage to which, go or stop, by whom, when and why, with
    the checklist as it stood."""

    challenge = models.ForeignKey(
        InnovationChallenge, on_delete=models.CASCADE, related_name="gate_decisions"
    )
    from_stage = models.CharField(_("from"), max_length=12, choices=process.STAGE_CHOICES)
    to_stage = models.CharField(_("to"), max_length=12, choices=process.STAGE_CHOICES)
    decision = models.CharField(_("decision"), max_length=4, choices=process.DECISION_CHOICES)
    reasons = models.TextField(_("reasons"), validators=REASON_VALIDATORS)
    checklist = models.JSONField(_("checklist at the gate"), default=list)
    decided_by = acting_user()
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["challenge", "decided_at", "pk"]
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.from_stage} → {self.to_stage} ({self.decision})"


class SolutionProposal(DetailPage, Timestamped):
    """An answer to a challenge from a lead organisation, alone or with consortium partners
    (:class:`ProposalPartner`); the lead's and every partner's people see it, the challenge
    owner's once it is submitted."""

    detail_url_name = "innovation:proposal_detail"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: statuses the challenge owner sees
    SENT = (Status.SUBMITTED, Status.SELECTED, Status.NOT_SELECTED)

    challenge = models.ForeignKey(
        InnovationChallenge, on_delete=models.CASCADE, related_name="proposals"
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="led_proposals",
        verbose_name=_("lead organisation"),
    )
    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    summary = models.TextField(_("summary"), validators=[MaxLengthValidator(600)])
    approach = models.TextField(_("proposed solution and pilot"), validators=LONG_TEXT_VALIDATORS)
    budget_amount = models.DecimalField(
        _("estimated cost"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = status_field(Status, Status.DRAFT, max_length=12, db_index=True)
    decision_note = models.TextField(_("decision note"), blank=True, validators=REASON_VALIDATORS)
    created_by = acting_user()
    submitted_by = optional_user()
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["challenge", "-submitted_at", "pk"]
        verbose_name = _("solution proposal")
        verbose_name_plural = _("solution proposals")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "lead"], name="uniq_proposal_per_lead")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.status in self.SENT


class ProposalPartner(models.Model):
    """A consortium partner of a proposal (the lead is not one of its partners)."""

    proposal = models.ForeignKey(
        SolutionProposal, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="proposal_partnerships"
    )
    role = models.CharField(
        _("role in the consortium"), max_length=200, blank=True, validators=ONE_LINE_VALIDATORS
    )

    class Meta:
        ordering = ["proposal", "organisation__name"]
        verbose_name = _("consortium partner")
        verbose_name_plural = _("consortium partners")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="uniq_proposal_partner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.proposal}"


class ProposalAttachment(Attachment):
    """A document of a proposal, checked before it is stored."""

    proposal = models.ForeignKey(
        SolutionProposal, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="innovation/proposals/%Y/")

    class Meta:
        ordering = ["proposal", "pk"]
        verbose_name = _("proposal attachment")
        verbose_name_plural = _("proposal attachments")
