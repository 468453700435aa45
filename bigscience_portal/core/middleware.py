"""Middleware of the ground."""

from __future__ import annotations

from django.http import Http404

#: the largest id any table holds (PostgreSQL ``bigint``); a larger number in a URL names nothing
MAX_ID = 2**63 - 1


def object_id(value) -> int:
    """The id a URL names, or ``Http404``: not a number, not positive, or larger than any table
    holds. For a captured string (a ``re_path`` group); an ``<int:...>`` argument needs nothing
    more than the middleware below."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404("No such object.") from None
    if not 0 < pk <= MAX_ID:
        raise Http404("No such object.")
    return pk


class OversizedIdMiddleware:
    """A URL whose integer argument no table can hold answers 404 (not the database's "value
    out of range" as a 500): ``/events/x/b2b/meetings/99999999999999999999/lock/``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if (
                isinstance(value, int)
                and not isinstance(value, bool)
                and not -MAX_ID <= value <= MAX_ID
            ):
                raise Http404("No such object.")
        return None
