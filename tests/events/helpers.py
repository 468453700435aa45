"""Small steps several events tests take."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import services
from organisations.code_labels import forget_labels


def accept(a, b, message=""):
    """A meeting request from ``a`` to ``b``, accepted by ``b`` (through the services)."""
    req = services.meeting_request_create(requester=a, recipient=b, message=message)
    return services.meeting_request_decide(request=req, accept=True)


def queries_by_page_size(client, url, sizes=(10, 50, 100)):
    """The number of queries of the list at ``url`` for each page size, and the responses."""
    counts, responses = [], []
    for size in sizes:
        cache.clear()  # each size from cold: memoised filter choices would hide their queries
        forget_labels()  # and so would the memoised code labels
        with CaptureQueriesContext(connection) as ctx:
            responses.append(client.get(url, {"per_page": size}))
        counts.append(len(ctx.captured_queries))
    return counts, responses
