"""Every list page and table of the portal is rendered by the shared stack."""

from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from bigscience_portal.core.lists import PortalListView

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}", entry.callback


def _list_templates() -> set[str]:
    """Templates that page through rows: those that include the shared pagination."""
    return {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "core/_pagination.html" in path.read_text() and not path.name.startswith("_")
    }


def test_every_page_that_pages_through_rows_is_a_portal_list_view():
    views = {}
    for name, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None)
        if view_class is not None and issubclass(view_class, PortalListView):
            views[view_class.template_name] = name
    missing = sorted(_list_templates() - set(views))
    assert missing == [], f"list templates not rendered by a PortalListView: {missing}"


def test_the_named_list_pages_are_portal_list_views():
    wanted = {
        "tenders:call_list",
        "tenders:saved_search_list",
        "tenders:my_calls",
        "organisations:organisation_list",
        "events:event_list",
        "events:participant_list",
        "events:catalogue",
        "matchmaking:recommended",
        "matchmaking:call_suppliers",
        "matchmaking:cluster_board",
        "matchmaking:run_list",
    }
    found = {name: cb for name, cb in _walk(get_resolver().url_patterns) if name in wanted}
    assert set(found) == wanted
    not_stack = sorted(
        name
        for name, cb in found.items()
        if not issubclass(getattr(cb, "view_class", type(None)), PortalListView)
    )
    assert not_stack == []


def test_no_template_writes_a_table_by_hand():
    hand_written = sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<table" in path.read_text() and path.relative_to(TEMPLATES) != Path("core/_table.html")
    )
    assert hand_written == []
