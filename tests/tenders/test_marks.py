"""Marks on the calls list (``tenders.marks``, issue 18 finding 5): what the user's companies
did with a call ("Interest expressed"; matchmaking's "Not relevant", "Forwarded to you") shown
in words on its row, read in one query for the page, never for a visitor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tenders import marks
from tests.factories import (
    ClusterFactory,
    ExpressionOfInterestFactory,
    FeedbackFactory,
    MatchForwardFactory,
    OrganisationFactory,
    ProcurementCallFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("tenders:call_list")


def _row(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[start : html.index("</li>", start)]


@pytest.fixture
def calls(buyer, company):
    interested = ProcurementCallFactory(buyer=buyer, title="Cryostat", deadline_days=10)
    dismissed = ProcurementCallFactory(buyer=buyer, title="Klystron", deadline_days=11)
    forwarded = ProcurementCallFactory(buyer=buyer, title="Magnet", deadline_days=12)
    plain = ProcurementCallFactory(buyer=buyer, title="Valve", deadline_days=13)
    ExpressionOfInterestFactory(call=interested, organisation=company)
    FeedbackFactory(call=dismissed, company=company)
    MatchForwardFactory(call=forwarded, company=company, cluster=ClusterFactory())
    other = OrganisationFactory(name="Another SME")
    ExpressionOfInterestFactory(call=plain, organisation=other)  # someone else's interest
    FeedbackFactory(call=plain, company=other)
    return {"interested": interested, "dismissed": dismissed, "forwarded": forwarded}


def test_the_rows_mark_what_the_users_company_did(client, sme_user, calls):
    client.force_login(sme_user)
    html = client.get(URL).content.decode()
    assert "Interest expressed</span>" in _row(html, "Cryostat")
    assert "Not relevant</span>" in _row(html, "Klystron")
    assert "Forwarded to you</span>" in _row(html, "Magnet")
    valve = _row(html, "Valve")
    assert not any(m in valve for m in ("Interest expressed", "Not relevant", "Forwarded"))


def test_a_withdrawn_interest_is_no_mark(client, sme_user, calls):
    calls["interested"].expressions_of_interest.update(status="withdrawn")
    client.force_login(sme_user)
    assert "Interest expressed" not in _row(client.get(URL).content.decode(), "Cryostat")


def test_a_visitor_and_a_user_without_a_company_see_no_mark(client, plain_user, calls):
    assert "Interest expressed" not in client.get(URL).content.decode()
    client.force_login(plain_user)
    html = client.get(URL).content.decode()
    assert "Interest expressed" not in html and "Not relevant</span>" not in html


def test_the_marks_are_one_query_whatever_the_page_size(client, buyer, company, sme_user):
    for i in range(40):
        call = ProcurementCallFactory(buyer=buyer, title=f"Call {i}", deadline_days=10 + i)
        if i % 3 == 0:
            ExpressionOfInterestFactory(call=call, organisation=company)
        if i % 3 == 1:
            FeedbackFactory(call=call, company=company)
    client.force_login(sme_user)
    client.get(URL + "?per_page=10")  # warm the per-process memos
    counts = []
    for size in (10, 40):
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(URL + f"?per_page={size}").content.decode()
        assert html.count("Interest expressed</span>") == len(range(0, size, 3))
        union = [
            q["sql"] for q in ctx.captured_queries if "tenders_expressionofinterest" in q["sql"]
        ]
        assert len(union) == 1 and "UNION" in union[0]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_call_marks_keeps_the_registered_order_and_reads_nothing_for_no_calls(company, calls):
    assert marks.call_marks(organisation_ids=[company.pk], call_ids=[]) == {}
    found = marks.call_marks(organisation_ids=[company.pk], call_ids=[c.pk for c in calls.values()])
    assert {pk: [m.code for m in ms] for pk, ms in found.items()} == {
        calls["interested"].pk: ["interest"],
        calls["dismissed"].pk: ["not_relevant"],
        calls["forwarded"].pk: ["forwarded"],
    }
    ExpressionOfInterestFactory(call=calls["forwarded"], organisation=company)
    found = marks.call_marks(organisation_ids=[company.pk], call_ids=[calls["forwarded"].pk])
    assert [m.code for m in found[calls["forwarded"].pk]] == ["interest", "forwarded"]
