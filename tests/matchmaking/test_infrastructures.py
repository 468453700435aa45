"""Infrastructures that need what a company does (issue 12), computed in the background and
stored like the call matches (``InfrastructureFit``, ``MatchRun.Kind.INFRASTRUCTURES``), and the
recompute after an engine upgrade (``manage.py matching_recompute``, ``load_demo``)."""

from io import StringIO

import pytest
from django.core.management import call_command

from matchmaking import reasons, selectors, services
from matchmaking.engine import ENGINE_VERSION
from matchmaking.models import InfrastructureFit, Match, MatchRun
from organisations.models import Organisation
from organisations.signals import profile_changed
from tests.factories import ContractReferenceFactory

pytestmark = pytest.mark.django_db


def test_a_run_stores_each_companys_infrastructures_with_their_reasons(market):
    run = services.infrastructures_score_inline()
    assert run.status == "succeeded" and run.kind == "infrastructures"
    assert run.rows_stored == InfrastructureFit.objects.count() > 0
    fits = list(selectors.infrastructure_fits(market["gyro"]))
    assert [f.infrastructure.name for f in fits] == ["F4E"]
    (fit,) = fits
    assert fit.engine_version == ENGINE_VERSION and fit.run_id == run.pk
    lines = reasons.infrastructure_reasons(fit.components)
    assert lines and any("gyrotron" in line.lower() for line in lines), lines


def test_a_reference_with_the_infrastructure_is_a_reason(market):
    ContractReferenceFactory(
        organisation=market["vacuum"], client=market["infra"], client_name="F4E", year=2024
    )
    services.infrastructures_score_inline()
    fit = InfrastructureFit.objects.get(company=market["vacuum"], infrastructure=market["infra"])
    assert "you have worked for this infrastructure before" in reasons.infrastructure_reasons(
        fit.components
    )


def test_a_profile_change_queues_the_companys_run_and_only_it_is_replaced(
    market, django_capture_on_commit_callbacks
):
    services.infrastructures_score_inline()
    vacuum_rows = list(InfrastructureFit.objects.filter(company=market["vacuum"]).values())
    with django_capture_on_commit_callbacks(execute=True):
        profile_changed.send(sender=Organisation, organisation_id=market["gyro"].pk)
    run = MatchRun.objects.filter(kind="infrastructures", target_id=market["gyro"].pk).get()
    assert run.status == "succeeded"
    assert InfrastructureFit.objects.get(company=market["gyro"]).run_id == run.pk
    assert list(InfrastructureFit.objects.filter(company=market["vacuum"]).values()) == vacuum_rows


def test_an_infrastructures_profile_change_queues_the_run_of_every_company(
    market, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        profile_changed.send(sender=Organisation, organisation_id=market["infra"].pk)
    assert MatchRun.objects.filter(kind="infrastructures", target_id=None).count() == 1


def test_an_unpublished_infrastructure_is_not_shown_and_loses_its_rows(market):
    services.infrastructures_score_inline()
    assert InfrastructureFit.objects.filter(infrastructure=market["infra"]).exists()
    Organisation.objects.filter(pk=market["infra"].pk).update(status=Organisation.Status.DRAFT)
    assert not [
        f for f in selectors.infrastructure_fits(market["gyro"]) if f.infrastructure.name == "F4E"
    ]
    services.infrastructures_score_inline()
    assert not InfrastructureFit.objects.filter(infrastructure=market["infra"]).exists()


# --------------------------------------------------------------------------- engine upgrade
def test_the_recompute_command_replaces_matches_of_another_engine_version(market):
    services.recompute_all_inline()
    Match.objects.update(engine_version="1.1.0")
    out = StringIO()
    call_command("matching_recompute", "--if-outdated", "--inline", stdout=out)
    assert f"Recomputed with engine {ENGINE_VERSION}" in out.getvalue()
    assert not Match.objects.exclude(engine_version=ENGINE_VERSION).exists()
    assert Match.objects.exists() and InfrastructureFit.objects.exists()
    out = StringIO()
    call_command("matching_recompute", "--if-outdated", stdout=out)
    assert "nothing to do" in out.getvalue()


def test_the_recompute_command_queues_one_full_recompute(market):
    out = StringIO()
    call_command("matching_recompute", stdout=out)
    call_command("matching_recompute", stdout=StringIO())
    assert "Full recompute queued" in out.getvalue()
    assert MatchRun.objects.filter(kind="nightly", status="queued").count() == 1
    assert MatchRun.objects.filter(kind="infrastructures", status="queued").count() == 1
