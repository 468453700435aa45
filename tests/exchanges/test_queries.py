"""The exchanges' lists ask the same number of SQL queries for 2 rows as for 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchanges import services

from .conftest import ExchangeFactory, company_of, member

pytestmark = pytest.mark.django_db

MOTIVATION = "We build neutron choppers and want to meet the instrument teams."


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(clusters, exchange, n, start):
    for i in range(start, start + n):
        company = company_of(clusters.guest, name=f"Guest company {i}", country="LT")
        services.application_create(
            exchange=exchange, user=member(company), organisation=company, motivation=MOTIVATION
        )
        ExchangeFactory(host_cluster=clusters.host, eligible_clusters=[clusters.guest])


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("host_manager", lambda e: reverse("exchanges:application_list", args=[e.slug])),
        ("guest_manager", lambda e: reverse("exchanges:application_list", args=[e.slug])),
        ("host_manager", lambda e: reverse("exchanges:exchange_list")),
        ("host_manager", lambda e: reverse("exchanges:exchange_detail", args=[e.slug])),
    ],
)
def test_a_list_asks_as_many_queries_for_few_rows_as_for_many(client, clusters, exchange, who, url):
    client.force_login(getattr(clusters, who))
    _grow(clusters, exchange, 2, 0)
    few = _queries(client, url(exchange))
    _grow(clusters, exchange, 10, 2)
    assert _queries(client, url(exchange)) == few
