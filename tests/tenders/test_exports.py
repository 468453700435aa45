"""Exports of the calls app (``tenders.exports``): the expressions of interest as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from bigscience_portal.core.spreadsheets import escape_cell as csv_safe
from tenders import services
from tests.factories import ProcurementCallFactory


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Normal text", "Normal text"),
        (None, ""),
    ],
)
def test_csv_cells_are_protected_against_formulas(value, expected):
    assert csv_safe(value) == expected


@pytest.mark.django_db
def test_eoi_export_rows(client, buyer, company, sme_user, officer):
    call = ProcurementCallFactory(buyer=buyer)
    services.eoi_submit(
        call=call,
        organisation=company,
        user=sme_user,
        message="=cmd|'/C calc'!A0",
        partners="Partner One\nPartner Two",
    )
    client.force_login(officer)
    response = client.get(reverse("tenders:eoi_export", kwargs={"pk": call.pk}))
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Company", "Country", "Submitted by"]
    assert rows[1][0] == "CryoTest ApS"
    assert rows[1][1] == "DK"
    assert rows[1][3] == sme_user.email
    assert rows[1][4] == "'=cmd|'/C calc'!A0"
    assert rows[1][5] == "Partner One; Partner Two"
    assert rows[1][6] == "Active"
