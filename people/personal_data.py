"""Everything the portal holds about one person, found by introspection (never a list kept by
hand): every model with a field pointing to the user model, and every e-mail field.

A new app's model that points to users is covered the day it is added; the tests check that a
download has each kind of record and that a deletion leaves none of the person's ids or
addresses anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

#: fields never handed out, even to their owner
SECRET_FIELDS = {"password"}


@dataclass(frozen=True)
class Relation:
    """A field of ``model`` that holds a person: their id (``kind == "user"``) or address."""

    model: type[models.Model]
    field: models.Field
    kind: str  # "user" or "email"


def user_model():
    return apps.get_model(settings.AUTH_USER_MODEL)


def relations() -> list[Relation]:
    """Every (model, field) of every installed app that holds a user id or an e-mail address."""
    user = user_model()
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False):
                continue
            if field.is_relation and field.related_model is user:
                found.append(Relation(model, field, "user"))
            elif isinstance(field, models.EmailField):
                found.append(Relation(model, field, "email"))
    return found


def addresses_of(user) -> list[str]:
    from allauth.account.models import EmailAddress

    found = {user.email.lower()} if user.email else set()
    found |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return sorted(found)


def rows_of(user, relation: Relation, addresses=None):
    """The rows of ``relation.model`` that hold this person."""
    manager = relation.model._default_manager
    if relation.kind == "user":
        return manager.filter(**{relation.field.name: user})
    if relation.model is user_model():
        return manager.filter(pk=user.pk)
    addresses = addresses if addresses is not None else addresses_of(user)
    query = models.Q()
    for address in addresses:
        query |= models.Q(**{f"{relation.field.name}__iexact": address})
    return manager.filter(query) if addresses else manager.none()


def _value(obj, field):
    if field.is_relation:
        return getattr(obj, field.attname)
    return field.value_from_object(obj)


def _row(obj) -> dict:
    return {
        field.name: _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


def collect(user) -> dict[str, list[dict]]:
    """``{"app.Model": [row, ...]}`` for every kind of record that holds this person."""
    addresses = addresses_of(user)
    out: dict[str, dict] = {}
    for relation in relations():
        label = relation.model._meta.label
        for obj in rows_of(user, relation, addresses).order_by("pk"):
            out.setdefault(label, {})[obj.pk] = _row(obj)
    return {label: list(rows.values()) for label, rows in sorted(out.items())}


class _Encoder(DjangoJSONEncoder):
    """Dates, decimals and UUIDs as Django writes them; anything else (a country, a file) as text."""

    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def as_json(data: dict) -> bytes:
    return json.dumps(data, cls=_Encoder, indent=2, ensure_ascii=False).encode()


def _cell(value) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, cls=_Encoder, ensure_ascii=False)
    text = "" if value is None else str(value)
    # a cell that a spreadsheet would run as a formula is shown as text
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def as_csv_zip(data: dict) -> bytes:
    """One CSV per kind of record (``app.Model.csv``), in one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label, rows in data.items():
            text = io.StringIO()
            columns = list(rows[0]) if rows else []
            writer = csv.writer(text)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
            archive.writestr(f"{label}.csv", text.getvalue())
    return buffer.getvalue()
