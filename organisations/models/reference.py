"""Reference classifications of the directory: CPV and NACE codes, certifications, technology
domains (loaded by ``load_reference_data`` from ``REFERENCE_DATA_DIR``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bigscience_portal.core.text import ONE_LINE_VALIDATORS


class CPVCode(models.Model):
    """A Common Procurement Vocabulary code (CPV 2008), hierarchical by its digits.

    ``prefix`` is the significant part of the code (trailing padding zeros removed, at least the
    two division digits); every descendant's code starts with it, which makes "this code and
    everything beneath it" a single indexed ``startswith`` query.
    """

    class Level(models.IntegerChoices):
        DIVISION = 2, _("division")
        GROUP = 3, _("group")
        CLASS = 4, _("class")
        CATEGORY = 5, _("category")
        SUBCATEGORY_6 = 6, _("sub-category")
        SUBCATEGORY_7 = 7, _("sub-category (7)")
        SUBCATEGORY_8 = 8, _("sub-category (8)")

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    check_digit = models.CharField(_("check digit"), max_length=1)
    label = models.CharField(_("label"), max_length=400)
    # db_index on PostgreSQL also creates the varchar_pattern_ops index ``startswith`` uses.
    prefix = models.CharField(_("significant prefix"), max_length=8, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # the official label in each of the 24 EU languages ({"de": "Vakuumpumpen", ...}), loaded by
    # load_reference_data from REFERENCE_DATA_DIR; and their stems, each in its language, which
    # the CPV lookup searches (code_search.cpv_search)
    labels = models.JSONField(_("labels in the EU languages"), default=dict, blank=True)
    search_stems = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    def label_in(self, language: str | None = None) -> str:
        """The official label in ``language`` (the active one by default), else the English one
        (Norwegian has no official CPV labels)."""
        language = (language or get_language() or "en").split("-")[0].lower()
        return (self.labels or {}).get(language) or self.label


class NACECode(models.Model):
    """A NACE Rev. 2 economic activity: section (A), division (01), group (01.1), class (01.11)."""

    class Level(models.IntegerChoices):
        SECTION = 1, _("section")
        DIVISION = 2, _("division")
        GROUP = 3, _("group")
        CLASS = 4, _("class")

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    label = models.CharField(_("label"), max_length=400)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    # the stems of the English label (the only language nace_rev2.csv has): code_search.nace_search
    search_stems = models.TextField(blank=True, default="", editable=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("NACE code")
        verbose_name_plural = _("NACE codes")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def label_in(self, language: str | None = None) -> str:
        """The label (nace_rev2.csv is English only), as :meth:`CPVCode.label_in` asks."""
        return self.label


class Certification(models.Model):
    """A quality or product certification a company can hold and a call can require."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=ONE_LINE_VALIDATORS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name


class TechnologyDomain(models.Model):
    """A technology domain Big Science buys in (cryogenics, vacuum, RF and power, ...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, validators=ONE_LINE_VALIDATORS)

    class Meta:
        ordering = ["name"]
        verbose_name = _("technology domain")
        verbose_name_plural = _("technology domains")

    def __str__(self) -> str:
        return self.name
