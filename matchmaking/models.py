"""Stored matches, feedback, runs of the scoring tasks, and alerts.

The engine (``matchmaking.engine``) computes; these models keep what it computed so that pages
read it with one query, and record every run so that staff can see what happened.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.model_bases import EngineScore, Timestamped
from bigscience_portal.core.models import TaskRecord, acting_user
from organisations.models import Organisation
from tenders.models import ProcurementCall

from .limits import FIT_THRESHOLDS


class MatchRun(TaskRecord):
    """One execution of a scoring task: what it scored, when, how many pairs, and how it ended.

    A :class:`~bigscience_portal.core.models.TaskRecord`: written queued with the change that
    asks for it (a publish, a profile change, feedback), handed to its task after the commit,
    claimed once by that task. Only one run per target waits at a time (``uniq_queued_matchrun``):
    a second change while it is queued is scored by the same run.
    """

    class Kind(models.TextChoices):
        CALL = "call", _("One call against all companies")
        COMPANY = "company", _("One company against all open calls")
        FEEDBACK = "feedback", _("Re-score after feedback")
        NIGHTLY = "nightly", _("Full recompute")
        INFRASTRUCTURES = "infrastructures", _("Infrastructures that need what companies do")

    #: kinds whose task scores one company (``target_id`` is the company)
    COMPANY_KINDS = (Kind.COMPANY, Kind.FEEDBACK)
    #: a full recompute stays running while its chunks work through every company: only a run
    #: this old is taken for lost (a dead worker's own message takes its run over at once)
    stale_after = timedelta(hours=2)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    target_id = models.BigIntegerField(_("target id"), null=True, blank=True)
    scored_at = models.DateTimeField(
        _("reference time"),
        null=True,
        blank=True,
        help_text=_("The 'now' every chunk of the run scores with (deadlines are compared to it)."),
    )
    pairs_scored = models.BigIntegerField(_("pairs scored"), default=0)
    duration_seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    chunk_count = models.PositiveIntegerField(_("chunks"), default=0)
    chunk_plan = models.JSONField(
        _("chunk plan"), default=list, blank=True, help_text=_("[chunk, first id, last id]")
    )
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    rows_stored = models.PositiveIntegerField(_("rows stored"), default=0)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id"],
                condition=models.Q(status="queued"),
                name="uniq_queued_matchrun",
            )
        ]

    def __str__(self) -> str:
        target = f" #{self.target_id}" if self.target_id else ""
        return f"{self.get_kind_display()}{target} ({self.get_status_display()})"

    def task_signature(self):
        from . import tasks

        if self.kind == self.Kind.CALL:
            return tasks.score_call.si(self.pk)
        if self.kind in self.COMPANY_KINDS:
            return tasks.score_company.si(self.pk)
        if self.kind == self.Kind.INFRASTRUCTURES:
            return tasks.score_infrastructures.si(self.pk)
        return tasks.nightly_recompute.si(self.pk)


class MatchRunChunk(models.Model):
    """The partial top-k lists one chunk of a full recompute produced (staging for the merge).

    Unique per (run, chunk): a redelivered chunk finds its row and does not write it twice.
    The payload is emptied after the merge; the row stays as a record of who did what.
    """

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    chunk_no = models.PositiveIntegerField(_("chunk"))
    first_company_id = models.BigIntegerField()
    last_company_id = models.BigIntegerField()
    payload = models.JSONField(_("partial top-k"), default=dict)
    pairs_scored = models.BigIntegerField(default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "chunk_no"]
        verbose_name = _("matching run chunk")
        verbose_name_plural = _("matching run chunks")
        constraints = [
            models.UniqueConstraint(fields=["run", "chunk_no"], name="uniq_matchrun_chunk")
        ]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.chunk_no}"


class Match(EngineScore):
    """A stored company-call score with its components (the engine's MatchResult as JSON).

    Kept for the top-k companies of each open call (``rank_for_call``) and the top-k calls of
    each company (``rank_for_company``); a row is in one list or both. The reasons in words are
    rendered from the components when a page or a mail shows them, for its reader
    (``matchmaking.reasons``), so that they can be reworded and translated without a recompute.
    """

    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="matches", verbose_name=_("company")
    )
    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="matches", verbose_name=_("call")
    )
    score = models.FloatField(_("score"), db_index=True)
    rank_for_call = models.PositiveIntegerField(_("rank among the call's companies"), null=True)
    rank_for_company = models.PositiveIntegerField(_("rank among the company's calls"), null=True)
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-score", "company_id", "call_id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["company", "call"], name="uniq_match_company_call")
        ]
        indexes = [
            models.Index(fields=["call", "rank_for_call"]),
            models.Index(fields=["company", "rank_for_company"]),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} x {self.call_id}: {self.score:.3f}"


class InfrastructureFit(EngineScore):
    """An infrastructure that needs what a company does: its score for the company and the
    components behind it (the engine's ``rank_infrastructures_for_company``), stored by a
    background run (``MatchRun.Kind.INFRASTRUCTURES``) like the call matches, so that no page
    runs the engine. The best ``K_INFRASTRUCTURES`` of each company are kept (``rank``)."""

    company = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="infrastructure_fits",
        verbose_name=_("company"),
    )
    infrastructure = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("infrastructure")
    )
    rank = models.PositiveIntegerField(_("rank among the company's infrastructures"))
    run = models.ForeignKey(
        MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["company_id", "rank"]
        verbose_name = _("infrastructure fit")
        verbose_name_plural = _("infrastructure fits")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "infrastructure"], name="uniq_infrastructure_fit"
            )
        ]
        indexes = [models.Index(fields=["company", "rank"])]

    def __str__(self) -> str:
        return f"{self.company_id} x infrastructure {self.infrastructure_id}: {self.score:.3f}"


class Feedback(models.Model):
    """A company member's judgement of a recommended call. "Not relevant" excludes it for good."""

    class Reason(models.TextChoices):
        WRONG_DOMAIN = "wrong_domain", _("Wrong domain")
        TOO_LARGE = "too_large", _("Too large for us")
        NOT_ELIGIBLE = "not_eligible", _("We are not eligible")
        ALREADY_KNOWN = "already_known", _("Already known")

    user = acting_user()
    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="match_feedback"
    )
    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="match_feedback"
    )
    relevant = models.BooleanField(_("relevant"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("feedback on a match")
        verbose_name_plural = _("feedback on matches")
        indexes = [models.Index(fields=["company", "relevant"])]

    def __str__(self) -> str:
        verdict = "relevant" if self.relevant else f"not relevant ({self.reason})"
        return f"{self.company_id} x {self.call_id}: {verdict}"


#: the longest note a cluster manager adds to a forward
FORWARD_NOTE_LENGTH = 1000


class SentOnce(models.Model):
    """Abstract: a message about a call sent once to a company's people (whom, and when)."""

    recipients = models.JSONField(_("recipients"), default=list)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class SupplierInvitation(SentOnce):
    """A liaison officer invited a suggested company to express interest in a call (sent once)."""

    call = models.ForeignKey(
        ProcurementCall, on_delete=models.CASCADE, related_name="supplier_invitations"
    )
    company = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="call_invitations"
    )
    invited_by = acting_user()

    class Meta(SentOnce.Meta):
        verbose_name = _("invitation to express interest")
        verbose_name_plural = _("invitations to express interest")
        constraints = [
            models.UniqueConstraint(fields=["call", "company"], name="uniq_supplier_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.company_id} invited to {self.call_id}"


class MatchForward(SentOnce):
    """A cluster manager forwarded a call to a member company (sent once per cluster)."""

    cluster = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="+")
    forwarded_by = acting_user()
    note = models.TextField(
        _("note to the member"),
        blank=True,
        max_length=FORWARD_NOTE_LENGTH,
        validators=[MaxLengthValidator(FORWARD_NOTE_LENGTH)],
    )

    class Meta(SentOnce.Meta):
        verbose_name = _("call forwarded to a member")
        verbose_name_plural = _("calls forwarded to members")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "company", "call"], name="uniq_match_forward"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id} → {self.company_id} (by {self.cluster_id})"


def _token() -> str:
    return secrets.token_urlsafe(24)


def _from_percent(message: str, level: str):
    """A choice label naming a fit level and the percentage it starts at, translated lazily."""
    threshold = FIT_THRESHOLDS[level]
    return lazy(lambda: gettext(message) % {"percent": round(threshold * 100)}, str)()


_FIT_OR_BETTER = {
    "strong": gettext_noop("Strong fit only (from %(percent)s%%)"),
    "good": gettext_noop("Good fit or better (from %(percent)s%%)"),
    "possible": gettext_noop("Possible fit or better (from %(percent)s%%)"),
}
#: "at least this fit" in the words the pages show beside every score: [(level, label)] for the
#: filters of the lists, [(threshold, label)] for the alert settings
FIT_LEVEL_CHOICES = [
    (level, _from_percent(_FIT_OR_BETTER[level], level)) for level in FIT_THRESHOLDS
]
ALERT_THRESHOLDS = [(FIT_THRESHOLDS[level], label) for level, label in FIT_LEVEL_CHOICES]


class AlertSubscription(Timestamped):
    """How often a user wants e-mails of new recommendations, and from which fit level on."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("As soon as they are found")
        DAILY = "daily", _("Daily digest")
        WEEKLY = "weekly", _("Weekly digest")
        OFF = "off", _("No e-mails")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts"
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    threshold = models.FloatField(
        _("minimum fit"),
        choices=ALERT_THRESHOLDS,
        default=FIT_THRESHOLDS["strong"],
        help_text=_("Only calls that fit your company at least this well are e-mailed."),
    )
    deadline_reminders = models.BooleanField(
        _("deadline reminders"),
        default=True,
        help_text=_("A reminder a week before the deadline of calls you expressed interest in."),
    )
    token = models.CharField(max_length=64, default=_token, editable=False)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")

    def __str__(self) -> str:
        return f"{self.user} ({self.frequency}, ≥ {self.threshold:.2f})"

    @property
    def fit_level(self) -> str:
        """ "strong", "good" or "possible": the fit level the threshold asks for."""
        return next((lvl for lvl, t in FIT_THRESHOLDS.items() if self.threshold >= t), "possible")


class AlertDelivery(models.Model):
    """One item e-mailed to one user, so that it is never e-mailed again."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("New recommendation")
        DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")

    subscription = models.ForeignKey(
        AlertSubscription,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alert_deliveries"
    )
    call = models.ForeignKey(ProcurementCall, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    score = models.FloatField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("alert delivery")
        verbose_name_plural = _("alert deliveries")
        constraints = [
            models.UniqueConstraint(fields=["user", "call", "kind"], name="uniq_alert_delivery")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.call_id} → {self.user_id}"
