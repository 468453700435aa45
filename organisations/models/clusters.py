"""Cluster curation: which organisations a cluster has taken in as members."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.models import optional_user

from .organisation import Organisation
from .people import DecidedRequest


class ClusterMembership(DecidedRequest):
    """A member organisation of a cluster: requested by the company and decided by the
    cluster's manager, or offered by the cluster (``invited``) and decided by the company's
    administrators."""

    cluster = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cluster_memberships",
        limit_choices_to={"kind": Organisation.Kind.CLUSTER},
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="clusters_joined"
    )
    invited = models.BooleanField(
        _("invited by the cluster"),
        default=False,
        help_text=_("The cluster asked the company; the company's administrators decide."),
    )
    requested_by = optional_user()

    class Meta:
        ordering = ["member__name"]
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "member"], name="uniq_cluster_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.cluster} ({self.status})"
