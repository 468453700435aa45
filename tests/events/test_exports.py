"""``events.exports``: the participant list as CSV and Excel, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from events import services
from tests.factories import RegistrationQuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowded(event, member):
    q = RegistrationQuestionFactory(event=event, text="Dietary needs")
    evil_user, evil_org = member()
    evil_org.name = '=HYPERLINK("http://evil.example")'
    evil_org.save()
    evil = services.registration_create(
        event=event, user=evil_user, organisation=evil_org, answers={q.pk: "+1+2"}
    )
    plain_user, plain_org = member()
    services.registration_create(event=event, user=plain_user, organisation=plain_org)
    return event, evil, plain_user


def test_export_csv_escapes_formulas(client, organiser, crowded):
    event, evil, plain_user = crowded
    client.force_login(organiser)
    url = reverse("events:participant_export", kwargs={"slug": event.slug})
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="{event.slug}-participants.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "E-mail", "Organisation"] and rows[0][-1] == "Dietary needs"
    by_email = {r[1]: r for r in rows[1:]}
    assert by_email[evil.user.email][2] == '\'=HYPERLINK("http://evil.example")'
    assert by_email[evil.user.email][-1] == "'+1+2"
    assert plain_user.email in by_email


def test_export_xlsx_escapes_formulas_and_follows_the_filter(client, organiser, crowded):
    event, evil, _plain = crowded
    client.force_login(organiser)
    url = reverse("events:participant_export", kwargs={"slug": event.slug})
    response = client.get(url, {"format": "xlsx", "q": evil.user.email})
    assert response["Content-Disposition"].endswith('-participants.xlsx"')
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.values)
    assert len(values) == 2  # header + the one filtered participant
    assert values[1][2] == '\'=HYPERLINK("http://evil.example")'
    assert all(not str(v).startswith("=") for row in values for v in row if v)
