"""Middleware of the ground."""

from __future__ import annotations

from django.http import Http404

#: the largest id any table holds (PostgreSQL ``bigint``); a larger number in a URL names nothing
MAX_ID = 2**63 - 1


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
