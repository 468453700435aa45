"""Every B2B cooperation opportunity becomes a partnership opportunity of the innovation app,
shown at its event only (as it was), published, valid for a year from when it was made; the
registration keeps it through an EventOpportunity. Backwards, each link becomes a cooperation
opportunity of its registration again."""

import datetime as dt

from django.db import migrations


def _year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def forwards(apps, schema_editor):
    Old = apps.get_model("events", "CooperationOpportunity")
    Link = apps.get_model("events", "EventOpportunity")
    Opportunity = apps.get_model("innovation", "PartnershipOpportunity")
    Change = apps.get_model("innovation", "OpportunityStatusChange")
    for old in Old.objects.select_related("registration").order_by("pk").iterator():
        registration = old.registration
        new = Opportunity.objects.create(
            kind=old.kind,
            title=old.title,
            summary=old.description[:600],
            description=old.description,
            organisation_id=registration.organisation_id,
            contact_id=registration.user_id,
            created_by_id=registration.user_id,
            visibility="event",
            status="published",
            published_at=old.created_at,
            expires_on=_year_after(old.created_at.date()),
        )
        # keep the original dates (auto_now_add set them to now)
        Opportunity.objects.filter(pk=new.pk).update(created_at=old.created_at)
        new.cpv_codes.set(list(old.cpv_codes.values_list("code", flat=True)))
        Change.objects.create(
            opportunity=new, from_status="", to_status="published", note="Moved from a B2B event"
        )
        link = Link.objects.create(registration_id=registration.pk, opportunity=new)
        Link.objects.filter(pk=link.pk).update(created_at=old.created_at)


def backwards(apps, schema_editor):
    Old = apps.get_model("events", "CooperationOpportunity")
    Link = apps.get_model("events", "EventOpportunity")
    for link in Link.objects.select_related("opportunity").order_by("pk").iterator():
        opportunity = link.opportunity
        old = Old.objects.create(
            registration_id=link.registration_id,
            kind=opportunity.kind,
            title=opportunity.title,
            description=opportunity.description[:4000],
        )
        old.cpv_codes.set(list(opportunity.cpv_codes.values_list("code", flat=True)))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_opportunity"),
        ("innovation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
