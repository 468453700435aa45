"""Loading the CPV and NACE reference classifications (staff and ``load_reference_data``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from bigscience_portal.core.errors import ActionRefused
from bigscience_portal.core.search import lookup_text

from .. import reference
from ..models import CPVCode, NACECode


@dataclass(frozen=True)
class ReferenceLoadReport:
    cpv_created: int
    cpv_updated: int
    cpv_total: int
    nace_created: int
    nace_updated: int
    nace_total: int
    cpv_labels_updated: int = 0


#: the official CPV labels in the 24 EU languages (optional: without it, English only)
CPV_LABELS_FILE = "cpv_labels_24_languages.json"


def _cpv_translations(path: Path) -> dict[str, dict[str, str]]:
    """{code: {language: label}} from the 24-language file; {} when absent or unreadable (the
    look-up then searches the English labels only)."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
    except (OSError, ValueError):
        return {}
    out: dict[str, dict[str, str]] = {}
    for record in raw if isinstance(raw, list) else []:
        if not isinstance(record, dict) or not isinstance(record.get("labels"), dict):
            continue
        code = str(record.get("code", ""))[:8]
        labels = {
            str(lang)[:2]: " ".join(str(label).split())[:400]
            for lang, label in record["labels"].items()
            if label
        }
        if len(code) == 8 and code.isdigit():
            out[code] = labels
    return out


def _load_search_stems(model, translations: dict[str, dict[str, str]] | None = None) -> int:
    """Fill the labels and the look-up stems of every code whose labels changed; returns how
    many were written (0 on a rerun)."""
    changed = []
    for obj in model.objects.all():
        labels = {"en": obj.label}
        if translations is not None:
            labels = {**translations.get(obj.pk, {}), "en": obj.label}
            if obj.labels == labels and obj.search_stems:
                continue
            obj.labels = labels
        stems = lookup_text(labels)
        if translations is None and obj.search_stems == stems:
            continue
        obj.search_stems = stems
        changed.append(obj)
    fields = ["labels", "search_stems"] if translations is not None else ["search_stems"]
    model.objects.bulk_update(changed, fields, batch_size=1000)
    return len(changed)


def _upsert(model, rows: list, fields: list[str], key: str) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated)."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        values = {f: getattr(row, f if f != "parent_id" else "parent") for f in fields}
        pk = getattr(row, key)
        current = existing.get(pk)
        if current is None:
            to_create.append(model(**{key: pk}, **values))
        elif any(getattr(current, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(current, f, v)
            to_update.append(current)
    # Parents come before children in both files, but insert without parents first to be safe.
    parents = {obj.pk: obj.parent_id for obj in to_create}
    for obj in to_create:
        obj.parent_id = None
    model.objects.bulk_create(to_create, batch_size=1000)
    for obj in to_create:
        obj.parent_id = parents[obj.pk]
    model.objects.bulk_update(to_create, ["parent_id"], batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=1000)
    return len(to_create), len(to_update)


@transaction.atomic
def reference_data_load(*, data_dir: Path) -> ReferenceLoadReport:
    """Load CPV and NACE codes from ``data_dir``; idempotent; all or nothing.

    Both files are parsed and checked before anything is written, so a missing or malformed
    file is refused (the message names the file and the line) and the tables stay as they were.
    """
    try:
        cpv_rows = reference.parse_cpv(data_dir / reference.CPV_FILE)
        nace_rows = reference.parse_nace(data_dir / reference.NACE_FILE)
    except reference.ReferenceDataError as exc:
        raise ActionRefused(str(exc), code="reference_data") from exc
    cpv_created, cpv_updated = _upsert(
        CPVCode, cpv_rows, ["check_digit", "label", "prefix", "level", "parent_id"], "code"
    )
    nace_created, nace_updated = _upsert(
        NACECode, nace_rows, ["label", "level", "order", "parent_id"], "code"
    )
    cpv_labels_updated = _load_search_stems(CPVCode, _cpv_translations(data_dir / CPV_LABELS_FILE))
    _load_search_stems(NACECode)
    return ReferenceLoadReport(
        cpv_created=cpv_created,
        cpv_updated=cpv_updated,
        cpv_total=CPVCode.objects.count(),
        nace_created=nace_created,
        nace_updated=nace_updated,
        nace_total=NACECode.objects.count(),
        cpv_labels_updated=cpv_labels_updated,
    )
