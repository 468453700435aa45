"""Every kind of page the demo roles reach, checked by axe-core in a real chromium at 1280 and
390 pixels: no serious and no critical violation (issue 18).

One journey per role on the demo data (``load_demo``): from the home page and the user's area,
every page linked from there, and from those, and so on until nothing new is linked, is visited
once per URL name and role, so that a list of 300 calls costs one visit, not 300. Each is checked
at 1280 pixels for every role that reaches it, and at 390 pixels once (the first role that
reaches it: the layout of a phone does not change with the role). What is not an HTML page (CSV, Excel, calendars,
feeds, JSON), the admin, and links that act (log out) are left out.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.browser import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "demo-portal-2026"
ROLES = {
    "visitor": None,
    "SME member": "sme@demo.bigscience.example",
    "cluster manager": "cluster@demo.bigscience.example",
    "liaison officer": "ilo@demo.bigscience.example",
    "staff": "staff@demo.bigscience.example",
}
WIDTHS = (1280, 390)
SKIP_PREFIXES = ("/admin/", "/accounts/logout", "/static/", "/media/", "/healthz")
SKIP_SUFFIXES = (".csv", ".xlsx", ".ics", ".xml", ".json", ".zip", ".pdf", ".png", ".jpg")


def _url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], header a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path
        if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return found


def _serious(axe: Axe, page) -> list[tuple]:
    results = axe.run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_of_every_demo_role_passes_axe_at_both_widths(browser_page, live_server):
    call_command("load_demo", stdout=io.StringIO())
    page = browser_page
    page.set_default_timeout(60000)  # a heavy page on a loaded machine; a wait, not an assertion
    axe = Axe()
    origin = live_server.url
    failures: dict[str, list] = {}
    visited_total = 0
    phone_checked: set[str] = set()
    for role, email in ROLES.items():
        page.context.clear_cookies()
        if email:
            log_in(page, email, password=PASSWORD)
        queue = ["/", "/me/"] if email else ["/"]
        seen_names: set[str] = set()
        visited = 0
        queued = set(queue)
        while queue:
            path = queue.pop(0)
            name = _url_name(path)
            if name is None or name in seen_names:
                continue
            seen_names.add(name)
            try:
                response = page.goto(path)
            except PlaywrightError as error:  # a link that downloads a file: not a page
                if "Download is starting" in str(error):
                    continue
                raise
            if (
                response is None
                or response.status != 200
                or not response.headers.get("content-type", "").startswith("text/html")
            ):
                continue
            visited += 1
            links = _links(page, origin)
            widths = WIDTHS if name not in phone_checked else WIDTHS[:1]
            phone_checked.add(name)
            for width in widths:
                page.set_viewport_size({"width": width, "height": 900})
                bad = _serious(axe, page)
                if bad:
                    failures[f"{role} {path} @{width}"] = bad
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            for link in links:
                if link not in queued:
                    queued.add(link)
                    queue.append(link)
        assert visited >= 5, f"{role}: only {visited} pages reached"
        visited_total += visited
    assert not failures, "\n".join(f"{where}: {bad}" for where, bad in failures.items())
    assert visited_total >= 40
    print(f"axe: {visited_total} pages of {len(phone_checked)} URL names, every role")
