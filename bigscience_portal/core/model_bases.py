"""Abstract models that several apps' models are made of: the fields and behaviour a family of
models shares, declared once (each concrete model adds what is its own)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import acting_user
from .text import ONE_LINE_VALIDATORS


class Timestamped(models.Model):
    """Abstract: when a row was created and last saved."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Attachment(models.Model):
    """Abstract: a document uploaded to something (checked before it is stored), with its title,
    size and who uploaded it. A concrete attachment adds the link to what it belongs to and
    its ``file`` field (each kind of document is stored in its own folder)."""

    title = models.CharField(_("title"), max_length=200, validators=ONE_LINE_VALIDATORS)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    uploaded_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class EngineScore(models.Model):
    """Abstract: a fit the matching engine scored, stored with the components behind it (from
    which the reasons are rendered for whoever reads them), the engine's version and when. A
    concrete score adds the two sides it relates and the run that stored it."""

    score = models.FloatField(_("score"))
    components = models.JSONField(_("components"), default=list)
    engine_version = models.CharField(_("engine version"), max_length=20)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return round(self.score * 100)


class DetailPage:
    """A model with a page of its own: the URL named ``detail_url_name``, which takes the row's
    ``detail_url_key`` (its ``pk``, or its ``slug``) as its keyword argument."""

    #: the URL name of the row's page
    detail_url_name = ""
    #: the field the URL names the row by
    detail_url_key = "pk"

    def get_absolute_url(self) -> str:
        key = self.detail_url_key
        return reverse(self.detail_url_name, kwargs={key: getattr(self, key)})
