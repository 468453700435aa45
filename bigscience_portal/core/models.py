"""The ground's own records: worker heartbeats, and the shape of every background effect.

Every task that has an effect keeps a row (a :class:`TaskRecord`): written in the same
transaction as the change that causes it, so that a broker outage loses nothing (the sweeper,
``core.sweep_records``, enqueues what is still queued once the broker answers), a retry is
idempotent (a task claims its row, and a row that is done is never done again), and a page can
show what happened. A matching run (``matchmaking.MatchRun``) and a mail (:class:`MailDelivery`)
are such records; so is every new kind of background work.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import ONE_LINE_VALIDATORS


def optional_user(verbose_name=None, **options) -> models.ForeignKey:
    """A field naming a user who may be absent or leave (the link empties; no reverse
    accessor): a contact person, who created or decided something."""
    options = {"null": True, "blank": True, "related_name": "+", **options}
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, **options)


def acting_user(verbose_name=None, **options) -> models.ForeignKey:
    """A field naming the user who did something, set by the code that records it (a form
    never asks for it, so it is not ``blank``); the link empties when the user leaves."""
    return optional_user(verbose_name, blank=False, **options)


def status_field(choices, default=models.NOT_PROVIDED, *, max_length=10, **options):
    """A row's ``status``: one of ``choices`` (a ``TextChoices`` class), ``default`` at first."""
    return models.CharField(
        _("status"), max_length=max_length, choices=choices.choices, default=default, **options
    )


class WorkerHeartbeat(models.Model):
    """A beat written by a Celery worker: proof that workers consume the queue.

    Celery beat enqueues ``core.record_heartbeat`` periodically; the health check and the staff
    can see when a worker last answered and which one.
    """

    hostname = models.CharField(_("worker"), max_length=255)
    task_id = models.CharField(_("task id"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.created_at:%Y-%m-%d %H:%M:%S}"


class TaskRecord(models.Model):
    """Abstract: one piece of background work, from queued to succeeded or failed.

    A concrete record says which task does it (:meth:`task_signature`) and how long a run may
    take before the sweeper takes it for lost (``stale_after``: a worker killed with SIGKILL
    leaves its row ``running``; ``acks_late`` gives its message back to the queue as well, and
    the claim lets exactly one of the two go on).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        RETRYING = "retrying", _("Retrying")

    #: statuses in which a record still has to be (re)run
    PENDING = (Status.QUEUED, Status.RETRYING)
    #: a record running for longer than this is taken for lost (its worker died)
    stale_after = timedelta(minutes=40)

    status = status_field(Status, Status.QUEUED, db_index=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    enqueued_at = models.DateTimeField(
        _("handed to the broker"),
        null=True,
        blank=True,
        help_text=_("Empty while the broker has not taken it (it was down): the sweeper will."),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    celery_task_id = models.CharField(_("Celery task id"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    def task_signature(self):
        """The Celery signature that does this record's work (it takes the record's id)."""
        raise NotImplementedError

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)


class MailDelivery(TaskRecord):
    """One e-mail to one address: written when something happens, sent by ``core.send_mail``.

    The subject and body are rendered when the row is written (the mail says what happened
    then), in the same transaction as the change it reports. ``key`` names the occasion
    (``"events.reminder:registration=12:2026-06-11T09:00"``): the same occasion never gives a
    second row, so a rerun of whatever wrote it mails nobody twice; a retry of the sending task
    finds the row ``succeeded`` and sends nothing.
    """

    stale_after = timedelta(minutes=10)

    key = models.CharField(_("occasion"), max_length=255, unique=True)
    to = models.EmailField(_("to"), max_length=254)
    user = optional_user(_("recipient account"), related_name="mail_deliveries")
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    attachments = models.JSONField(
        _("attachments"), default=list, blank=True, help_text=_("[{filename, content, mimetype}]")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display()})"

    def task_signature(self):
        from .tasks import send_mail

        return send_mail.si(self.pk)


class Notification(models.Model):
    """What happened, for one person, in the portal: the notification centre's entry of a mail.

    Written by :func:`bigscience_portal.core.mail.mail_queue` for every recipient that has an
    account, with the same subject and text as the mail, so that nothing is said only by e-mail;
    ``url`` is the page the mail links to. Unique per (user, occasion), like the mail.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("occasion"), max_length=255)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="uniq_notification_occasion")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.title} → {self.user_id}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:notification_open", args=[self.pk])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def saved_search_token() -> str:
    """A fresh secret of a saved search's unsubscribe link."""
    import secrets

    return secrets.token_urlsafe(24)


class SavedSearchBase(models.Model):
    """Abstract: a user's saved filters on a list, e-mailed as a daily or weekly digest.

    A concrete search names the list it filters (``list_url_name``); its delivery model records
    what each digest sent (``core.savedsearches`` sends them).
    """

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    #: the URL name of the list page whose querystring the search keeps
    list_url_name = ""
    #: the URL name of the page that edits a search (its ``pk`` in the URL)
    edit_url_name = ""
    #: the list's query parameter that says which search the list edits the filters of
    EDIT_PARAM = "edit_search"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="%(app_label)s_%(class)s",
    )
    name = models.CharField(_("name"), max_length=120, validators=ONE_LINE_VALIDATORS)
    querystring = models.CharField(_("filters"), max_length=2000, blank=True)
    frequency = models.CharField(
        _("frequency"), max_length=6, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token = models.CharField(max_length=64, unique=True, default=saved_search_token, editable=False)
    is_active = models.BooleanField(_("e-mails on"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["user", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        url = reverse(self.list_url_name)
        return f"{url}?{self.querystring}" if self.querystring else url

    def get_edit_url(self) -> str:
        from django.urls import reverse

        return reverse(self.edit_url_name, args=[self.pk])

    def get_edit_filters_url(self) -> str:
        """The list with the search's filters, where "Save changes" replaces them."""
        from django.urls import reverse

        edit = f"{self.EDIT_PARAM}={self.pk}"
        query = f"{self.querystring}&{edit}" if self.querystring else edit
        return f"{reverse(self.list_url_name)}?{query}"


class SavedSearchDeliveryBase(models.Model):
    """Abstract: an item sent in a saved search's digest, so that it is sent at most once per
    search. A concrete delivery has a foreign key ``search`` to its search and one to its item,
    named by ``item_field`` (``call``, ``opportunity``), unique together."""

    #: the name of the foreign key to the item that was sent
    item_field = ""

    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.search} ← {getattr(self, self.item_field)}"
