"""The label of each CPV or NACE code a page shows, in the reader's language.

One way for every page that shows codes: the page's codes go to :func:`code_labels` once (one
query for the whole page, whatever the number of rows and of codes per row), or a list's
prefetch of its rows' codes reads each code's label in the language with them
(:func:`cpv_with_labels`); :func:`labelled` names them from what is at hand; the chips are rendered by ``{% codes %}``
(``organisations_tags``, ``templates/organisations/_codes.html``): "31711420 · Electronic
components", each code with its own label.

CPV labels are the official ones of the EU languages (``CPVCode.labels``); a language without
them (Norwegian) reads the English label. NACE Rev. 2 is English only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from .models import CPVCode, NACECode

SCHEMES = {"cpv": CPVCode, "nace": NACECode}


class CodeLabel(NamedTuple):
    """A code as a chip shows it: the code and its label (empty when the code is unknown)."""

    code: str
    label: str


def language_key(language: str | None = None) -> str:
    """The key of ``CPVCode.labels`` for ``language`` (the active one by default): "da" for
    "da-dk"; English for what is not a language code."""
    key = (language or get_language() or "en").split("-")[0].lower()
    return key if re.fullmatch(r"[a-z]{2,3}", key) else "en"


#: {(scheme, language key): {code: its label, or None for an unknown code}} of the codes this
#: process has read: reference data, so a page's labels cost no query once its codes were seen.
#: A save or delete of a code (the admin, a factory) empties it; ``load_reference_data`` writes
#: in bulk, so the portal's processes read the new labels once restarted (as after a deploy).
_MEMO: dict[tuple[str, str], dict[str, str | None]] = {}
#: codes kept per scheme and language (the memo of one starts again when it grows past this)
MEMO_SIZE = 20_000
_UNREAD = object()


def forget_labels(*args, **kwargs) -> None:
    """Empty the memo of labels (connected to the codes' saves and deletes)."""
    _MEMO.clear()


for _model in SCHEMES.values():
    _uid = f"code_labels:{_model._meta.label}"
    post_save.connect(forget_labels, sender=_model, weak=False, dispatch_uid=f"{_uid}:save")
    post_delete.connect(forget_labels, sender=_model, weak=False, dispatch_uid=f"{_uid}:delete")


def _read_labels(model, codes: set[str], language: str) -> dict[str, str]:
    found = model.objects.filter(code__in=codes)
    if model is NACECode:
        return dict(found.values_list("code", "label"))
    rows = found.annotate(localised=KT(f"labels__{language}")).values_list(
        "code", "label", "localised"
    )
    return {code: localised or label for code, label, localised in rows}


def code_labels(
    codes: Iterable[str], *, language: str | None = None, scheme: str = "cpv"
) -> dict[str, str]:
    """{code: label in ``language``} for the known codes among ``codes``, in one query for the
    codes this process has not read yet (none for no codes or only known ones); the English
    label where the language has none."""
    wanted = {str(code) for code in codes if code}
    if not wanted:
        return {}
    model = SCHEMES[scheme]
    language = language_key(language) if model is CPVCode else "en"
    memo = _MEMO.setdefault((scheme, language), {})
    if len(memo) > MEMO_SIZE:
        memo.clear()
    labels: dict[str, str | None] = {}
    missing: set[str] = set()
    for code in wanted:
        label = memo.get(code, _UNREAD)
        if label is _UNREAD:
            missing.add(code)
        else:
            labels[code] = label
    if missing:
        found = _read_labels(model, missing, language)
        for code in missing:
            labels[code] = memo[code] = found.get(code)
    return {code: label for code, label in labels.items() if label is not None}


def cpv_with_labels(language: str | None = None) -> QuerySet[CPVCode]:
    """CPV codes carrying their label in ``language`` as ``localised_label`` (the English one
    where there is none), for the prefetch of a list's codes: the labels come in the prefetch's
    one query, without every language's."""
    return CPVCode.objects.only("code", "label").annotate(
        localised_label=KT(f"labels__{language_key(language)}")
    )


def _loaded_label(item, language: str) -> str | None:
    """The label of a code instance without a query: from :func:`cpv_with_labels`, or from its
    labels when they are loaded (a prefetch of whole rows); None when they were deferred."""
    localised = getattr(item, "localised_label", None)
    if localised is not None:
        return localised
    if isinstance(item, CPVCode):
        if hasattr(item, "localised_label"):  # the language has no label of it
            return item.label
        if "labels" in item.get_deferred_fields():
            return None
    return item.label_in(language)


def labelled(
    items: Iterable,
    labels: Mapping[str, str] | None = None,
    *,
    language: str | None = None,
    scheme: str = "cpv",
) -> list[CodeLabel]:
    """``items`` (codes as text, ``CPVCode``/``NACECode`` instances or ``CodeLabel``) as
    ``CodeLabel``, each once, in order. Codes as text are named by ``labels`` when given (the
    page's one :func:`code_labels`), else by one query for all of them; loaded instances are
    named by their own labels (no query)."""
    language = language_key(language)
    out: list[CodeLabel] = []
    missing: list[int] = []
    seen: set[str] = set()
    for item in items or ():
        if isinstance(item, CodeLabel):
            code, label = item
        elif isinstance(item, str):
            code, label = item, None
        else:
            code, label = item.code, _loaded_label(item, language)
        if not code or code in seen:
            continue
        seen.add(code)
        if label is None:
            if labels is not None:
                label = labels.get(code, "")
            else:
                missing.append(len(out))
        out.append(CodeLabel(code, label or ""))
    if missing:
        found = code_labels((out[i].code for i in missing), language=language, scheme=scheme)
        for i in missing:
            out[i] = CodeLabel(out[i].code, found.get(out[i].code, ""))
    return out
