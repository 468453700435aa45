"""The demo recompute is idempotent; matching_examples writes the examples document."""

import pytest
from django.core.management import call_command

from matchmaking import demo
from matchmaking.models import Match, MatchRun
from tests.factories import InfrastructureFactory

from .helpers import call, company

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    infra = InfrastructureFactory(name="Fusion for Energy")
    company(name="GyroTech", capabilities="Gyrotron tubes and RF sources.", cpv=("31600000",))
    company(name="CryoWorks", capabilities="Cryostats and helium valves.", cpv=("42131142",))
    call(buyer=infra, title="Gyrotron supply")
    call(
        buyer=infra,
        title="Cryogenic control valves",
        description="Valves for helium.",
        main_cpv="42131142",
    )


def test_demo_load_recomputes_once_then_changes_nothing(data):
    demo.load()
    assert MatchRun.objects.filter(kind="nightly", status="succeeded").count() == 1
    rows = list(Match.objects.order_by("pk").values_list("pk", "score"))
    assert rows
    demo.load()
    assert MatchRun.objects.filter(kind="nightly").count() == 1
    assert list(Match.objects.order_by("pk").values_list("pk", "score")) == rows


def test_matching_examples_writes_both_directions(data, tmp_path):
    out = tmp_path / "examples.md"
    call_command("matching_examples", output=str(out))
    text = out.read_text()
    assert "## Top 5 companies per call" in text
    assert "### Gyrotron supply" in text
    assert "## Top 5 calls for three companies" in text
    assert "GyroTech" in text and "matched: " in text
    assert "## Where the ranking is still wrong" in text
