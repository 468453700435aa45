"""The one role-matrix helper: every app's permission tests are a table of :class:`Access` rows.

    ROLES = ("anonymous", "other_org", "member", "staff")
    CASES = [
        Access("list", "get", lambda w: reverse("events:event_list"), PUBLIC),
        Access("edit", "post", lambda w: w.event_edit_url, expect(anonymous=LOGIN, other_org=404,
               member=302, staff=302), data=lambda w: {...}, effect=lambda w: ...),
    ]

    @pytest.mark.parametrize(("case", "role"), matrix(CASES, ROLES))
    def test_access(client, world, case, role):
        check_access(client, world, case, role)

``world`` is the test module's fixture: an object (or dict) with ``users`` mapping each role to
a user (``None`` for anonymous) and whatever the URLs and effects need. ``expect`` maps a role to
the status it gets, or :data:`LOGIN` (redirected to log in). For a write, ``effect(world)`` tells
whether it happened: it must have for a role that gets a success (2xx, or 3xx other than the
log-in redirect) and must not have for a refused one (no change by editing an id in the URL).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url

LOGIN = "login"
#: the four actors every view is tested with; apps add their own (a participant, a partner)
ROLES = ("anonymous", "other_org", "right_role", "staff")


def expect(**statuses) -> dict[str, Any]:
    return statuses


def same_for(roles, status) -> dict[str, Any]:
    return dict.fromkeys(roles, status)


@dataclass
class Access:
    """One request of the matrix: what is asked, and what each role gets."""

    name: str
    method: str
    url: Callable[[Any], str]
    expect: dict[str, Any]
    data: Callable[[Any], dict] | None = None
    effect: Callable[[Any], bool] | None = None
    setup: Callable[[Any], None] | None = None
    files: Callable[[Any], dict] | None = None
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def matrix(cases, roles=ROLES) -> list[tuple[Access, str]]:
    """(case, role) pairs for ``pytest.mark.parametrize``, every case with every role it names."""
    return [(case, role) for case in cases for role in roles if role in case.expect]


def _users(world):
    return world["users"] if isinstance(world, dict) else world.users


def check_access(client, world, case: Access, role: str):
    """Make the request as ``role`` and assert its status and effect; returns the response."""
    if case.setup is not None:
        case.setup(world)
    user = _users(world).get(role)
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    url = case.url(world)
    send = getattr(client, case.method)
    kwargs = dict(case.extra)
    if case.method == "post":
        data = case.data(world) if case.data else {}
        if case.files is not None:
            data = {**data, **case.files(world)}
        response = send(url, data, **kwargs)
    else:
        response = send(url, case.data(world) if case.data else None, **kwargs)
    wanted = case.expect[role]
    login_url = resolve_url(settings.LOGIN_URL)
    if wanted == LOGIN:
        assert response.status_code == 302, f"{case} as {role}: {response.status_code}"
        assert response["Location"].startswith(login_url), (
            f"{case} as {role}: {response['Location']}"
        )
    else:
        assert response.status_code == wanted, (
            f"{case} as {role}: got {response.status_code}, wanted {wanted}"
        )
    if case.effect is not None:
        allowed = wanted != LOGIN and 200 <= int(wanted) < 400
        happened = case.effect(world)
        assert happened == allowed, (
            f"{case} as {role}: effect {'missing' if allowed else 'happened'}"
        )
    return response
