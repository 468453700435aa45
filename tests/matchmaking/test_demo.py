"""The demo recompute (``matchmaking.demo``) is idempotent."""

import pytest

from matchmaking import demo
from matchmaking.models import Match, MatchRun

pytestmark = pytest.mark.django_db


def test_demo_load_recomputes_once_then_changes_nothing(demo_data):
    demo.load()
    assert MatchRun.objects.filter(kind="nightly", status="succeeded").count() == 1
    rows = list(Match.objects.order_by("pk").values_list("pk", "score"))
    assert rows
    demo.load()
    assert MatchRun.objects.filter(kind="nightly").count() == 1
    assert list(Match.objects.order_by("pk").values_list("pk", "score")) == rows
