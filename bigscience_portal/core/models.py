from django.db import models
from django.utils.translation import gettext_lazy as _


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
