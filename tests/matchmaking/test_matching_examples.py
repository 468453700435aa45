"""``manage.py matching_examples`` writes the examples document."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_matching_examples_writes_both_directions(demo_data, tmp_path):
    out = tmp_path / "examples.md"
    call_command("matching_examples", output=str(out))
    text = out.read_text()
    assert "## Top 5 companies per call" in text
    assert "### Gyrotron supply" in text
    assert "## Top 5 calls for three companies" in text
    assert "GyroTech" in text and "matched: " in text
    assert "## Where the ranking is still wrong" in text
