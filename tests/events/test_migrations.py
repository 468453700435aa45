"""The data migration that moves the B2B cooperation opportunities into the innovation app's
partnership opportunities (events 0004): each becomes a published, event-only opportunity of
the registration's organisation, linked to its registration, with its CPV codes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0002_one_line_titles_and_text_limits")]
AFTER = [("events", "0005_delete_cooperationopportunity")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema():
    """The tests after this one need every migration applied again (the ones after AFTER too)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_cooperation_opportunities_become_event_only_partnership_opportunities():
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Cryo SME")
    user = UserFactory()
    old_apps = _migrate(BEFORE)
    try:
        Event = old_apps.get_model("events", "Event")
        Registration = old_apps.get_model("events", "Registration")
        Old = old_apps.get_model("events", "CooperationOpportunity")
        event = Event.objects.create(
            slug="b2b",
            title="B2B",
            kind="brokerage",
            starts_at="2026-05-01T09:00Z",
            ends_at="2026-05-01T17:00Z",
        )
        registration = Registration.objects.create(
            event=event, user_id=user.pk, organisation_id=organisation.pk
        )
        old = Old.objects.create(
            registration=registration,
            kind="technology_offer",
            title="Helium transfer lines",
            description="Vacuum-insulated lines.",
        )
        old.cpv_codes.set(["42131000"])
    finally:
        new_apps = _migrate(AFTER)
    Opportunity = new_apps.get_model("innovation", "PartnershipOpportunity")
    Link = new_apps.get_model("events", "EventOpportunity")
    (moved,) = Opportunity.objects.all()
    assert (moved.title, moved.kind, moved.visibility, moved.status) == (
        "Helium transfer lines",
        "technology_offer",
        "event",
        "published",
    )
    assert moved.organisation_id == organisation.pk and moved.contact_id == user.pk
    assert list(moved.cpv_codes.values_list("code", flat=True)) == ["42131000"]
    (link,) = Link.objects.all()
    assert link.opportunity_id == moved.pk
