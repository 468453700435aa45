"""Writes of the person's own account."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bigscience_portal.core.errors import ActionRefused

from . import personal_data
from .models import PersonProfile


@transaction.atomic
def profile_update(*, user, first_name: str, last_name: str, job_title: str, languages) -> None:
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    profile.job_title = job_title.strip()
    profile.languages = list(languages)
    profile.save()


@transaction.atomic
def mail_preferences_update(*, user, mail_mode: str, muted_topics) -> PersonProfile:
    profile, _ = PersonProfile.objects.get_or_create(user=user)
    profile.mail_mode = mail_mode
    profile.muted_topics = list(muted_topics)
    profile.save()
    return profile


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete the account and everything personal, as the privacy page says.

    - Records that are the person's own go with the account (``on_delete=CASCADE``: memberships,
      join requests, registrations and their meeting requests, saved searches, alerts,
      notifications, profile, e-mail addresses).
    - Records that belong to an organisation keep their content and lose the person
      (``SET_NULL``: an expression of interest, a question asked, feedback on a match, a message
      sent, a status change; the organisation's history stays whole, nobody is named).
    - Rows that hold one of their addresses: an optional address is blanked (an organisation's
      contact address), a row that exists only for that address is deleted (a mail sent to it,
      an invitation to it).
    """
    if user.is_superuser:
        raise ActionRefused(
            _("A superuser account is deleted by another superuser in the administration.")
        )
    addresses = personal_data.addresses_of(user)
    user_model = personal_data.user_model()
    for relation in personal_data.relations():
        if relation.kind != "email" or relation.model is user_model:
            continue
        rows = personal_data.rows_of(user, relation, addresses)
        if relation.field.blank:
            rows.update(**{relation.field.name: ""})
        else:
            rows.delete()
    user.delete()
