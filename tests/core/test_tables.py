"""The shared table component: columns, escaping, captions and the empty state."""

from django.template.loader import render_to_string

from bigscience_portal.core.tables import Column, Table


class PeopleTable(Table):
    caption = "People"
    empty_text = "Nobody yet."
    row_header = True
    columns = [
        Column("Name", "name"),
        Column("City", "address.city"),
        Column("Shout", lambda row: row["name"].upper()),
        Column("Link", inline='<a href="/p/{{ row.id }}/">{{ row.name }}</a>'),
    ]


def test_a_table_renders_its_columns_with_headers_and_a_caption():
    rows = [{"id": 1, "name": "Ada <b>", "address": {"city": "Aarhus"}}]
    html = render_to_string("core/_table.html", {"table": PeopleTable(rows)})
    assert "<caption" in html and "People" in html
    assert html.count('<th scope="col"') == 4
    assert '<th scope="row">Ada &lt;b&gt;</th>' in html  # escaped, first column names the row
    assert "<td>Aarhus</td>" in html
    assert "ADA &lt;B&gt;" in html
    assert '<a href="/p/1/">Ada &lt;b&gt;</a>' in html  # cell templates escape too


def test_an_empty_table_says_so_instead_of_showing_headers():
    html = render_to_string("core/_table.html", {"table": PeopleTable([])})
    assert "Nobody yet." in html
    assert "<table" not in html


def test_a_missing_value_shows_a_dash():
    html = render_to_string("core/_table.html", {"table": PeopleTable([{"id": 2, "name": "B"}])})
    assert "<td>\u2013</td>" in html  # an en dash
