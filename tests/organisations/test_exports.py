"""organisations/exports.py: the cluster's member sheet (CSV) and its download page."""

import csv
import io

import pytest
from django.urls import reverse

from bigscience_portal.core.spreadsheets import escape_cell
from organisations import exports, selectors
from organisations.models import Decision
from tests.factories import ClusterMembershipFactory, OrganisationFactory

from .helpers import INJECTION

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_escapes_formula_cells(client, world):
    world.company.capabilities = INJECTION
    world.company.name = "@Acme"
    world.company.save()
    client.force_login(world.manager)
    response = client.get(reverse("organisations:member_export", args=[world.cluster.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="nordic-cluster-members.csv"'
    rows = _rows(response.content)
    assert rows[0][:2] == ["name", "country"]
    row = rows[1]
    assert row[0] == "'@Acme"
    assert row[5] == "'" + INJECTION
    for cell in (c for r in rows[1:] for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_sheet_holds_approved_members_only_with_their_codes(world):
    pending = OrganisationFactory(name="Pending Co")
    ClusterMembershipFactory(cluster=world.cluster, member=pending, status=Decision.PENDING)
    world.company.cpv_codes.set(["42123000", "39700000"])
    content = exports.members_csv(selectors.approved_members(world.cluster))
    assert content.startswith("\ufeff".encode())  # Excel reads UTF-8 with its mark
    rows = _rows(content)
    assert rows[0] == list(exports.MEMBER_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["Acme Cryo ApS"]
    assert rows[1][1] == "DK" and set(rows[1][4].split()) == {"42123000", "39700000"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_escape_cell_neutralises_every_trigger(value):
    assert escape_cell(value) == "'" + value
    assert escape_cell("plain text") == "plain text"
