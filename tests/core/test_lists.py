"""The shared list stack: page sizes, page numbers, pagination that counts only when it must."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bigscience_portal.core.lists import (
    MAX_PAGE_NUMBER,
    MAX_PAGE_SIZE,
    active_filters,
    page_number,
    page_size,
    paginate,
)
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("raw", "size"),
    [(None, 25), ("", 25), ("abc", 25), ("10", 10), ("0", 1), ("-5", 1), ("100000", MAX_PAGE_SIZE)],
)
def test_page_size_is_one_rule_for_every_list(raw, size):
    assert page_size(raw) == size


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (None, 1),
        ("abc", 1),
        ("-3", 1),
        ("0", 1),
        ("7", 7),
        ("last", MAX_PAGE_NUMBER),
        ("99999999999999999999999", MAX_PAGE_NUMBER),
    ],
)
def test_page_number_never_reaches_the_database_unbounded(raw, number):
    assert page_number(raw) == number


@pytest.mark.django_db
def test_a_page_that_is_not_full_is_counted_without_a_count_query():
    UserFactory.create_batch(7)
    users = get_user_model().objects.order_by("pk")
    with CaptureQueriesContext(connection) as queries:
        page = paginate(users, size=5, number=2, cap=None)
        assert page.paginator.count == 7
    assert len(queries) == 1
    assert [u.pk for u in page] == [u.pk for u in users[5:7]]


@pytest.mark.django_db
def test_a_huge_page_number_gives_the_last_page():
    UserFactory.create_batch(7)
    page = paginate(
        get_user_model().objects.order_by("pk"), size=5, number=page_number("9" * 30), cap=None
    )
    assert page.number == 2
    assert len(page) == 2


@pytest.mark.django_db
def test_counts_are_capped_for_broad_lists():
    UserFactory.create_batch(12)
    page = paginate(get_user_model().objects.order_by("pk"), size=2, number=1, cap=5)
    assert page.paginator.capped
    assert page.paginator.count == 5
    assert page.has_next()


@pytest.mark.django_db
def test_active_filters_name_each_filter_and_link_to_the_list_without_it(rf):
    from django.http import QueryDict

    from tenders.filtersets import CallFilterSet
    from tenders.models import ProcurementCall

    request = rf.get("/calls/", {"q": "magnet", "stage": "market_survey", "page": "2"})
    request.user = get_user_model()()
    filterset = CallFilterSet(
        QueryDict("q=magnet&stage=market_survey&page=2"),
        queryset=ProcurementCall.objects.all(),
        request=request,
    )
    shown = {f["name"]: f for f in active_filters(filterset)}
    assert shown["q"]["value"] == "magnet"
    assert shown["stage"]["value"] == str(ProcurementCall.Stage("market_survey").label)
    assert shown["q"]["remove_querystring"] == "stage=market_survey"
