"""The shared stack's template helpers: ``field|widget``, the filter form's memoised fields and
memoised fragments (``{% filter_fields %}``, ``{% memo_include %}``), and ``PortalFilterSet``."""

import django_filters
import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.template import Context, Template
from django.utils import translation

from bigscience_portal.core.lists import PortalFilterSet
from bigscience_portal.core.pagecache import PageCache
from bigscience_portal.core.templatetags import portal_tags

COLOURS = [("red", "Red"), ("blue", "Blue")]


class PeopleFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(field_name="username", lookup_expr="icontains", label="Search")
    colour = django_filters.ChoiceFilter(choices=COLOURS, method="by_colour", label="Colour")
    staff = django_filters.BooleanFilter(field_name="is_staff", widget=forms.CheckboxInput)

    class Meta:
        model = get_user_model()
        fields: list[str] = []

    def by_colour(self, queryset, name, value):
        return queryset.filter(first_name=value)


def filterset(query=""):
    return PeopleFilterSet(QueryDict(query), queryset=get_user_model().objects.all())


def render(form, view=None):
    template = Template("{% load portal_tags %}{% filter_fields form %}")
    return template.render(Context({"form": form, "view": view}))


@pytest.fixture(autouse=True)
def _empty_memo():
    portal_tags._FIELD_MEMO.clear()
    portal_tags._FRAGMENT_MEMO.clear()
    yield
    portal_tags._FIELD_MEMO.clear()
    portal_tags._FRAGMENT_MEMO.clear()


@pytest.mark.django_db
def test_a_memoised_field_is_the_field_as_the_include_renders_it():
    fresh = Template(
        '{% for f in form %}{% include "core/_field.html" with field=f %}{% endfor %}'
    ).render(Context({"form": filterset("colour=blue&q=ada").form}))
    assert render(filterset("colour=blue&q=ada").form) == fresh
    assert render(filterset("colour=blue&q=ada").form) == fresh  # from the memo now
    assert '<option value="blue" selected>Blue</option>' in fresh


@pytest.mark.django_db
def test_the_memo_follows_values_choices_checkboxes_and_errors():
    assert '<option value="red" selected>' in render(filterset("colour=red").form)
    assert 'value="red" selected' not in render(filterset().form)
    assert "checked" in render(filterset("staff=on").form)
    assert "checked" not in render(filterset().form)
    assert 'aria-invalid="true"' in render(filterset("colour=green").form)  # not a choice
    COLOURS.append(("green", "Green"))
    try:
        assert "Green" in render(filterset().form)  # the choices are in the key
    finally:
        COLOURS.pop()
    before = len(portal_tags._FIELD_MEMO)
    with translation.override("de"):
        render(filterset().form)
    assert len(portal_tags._FIELD_MEMO) == before + 3  # another language: its own markup


@pytest.mark.django_db
def test_with_a_page_cache_the_fields_are_keyed_by_the_list_version(settings):
    cache = PageCache("tests:people")

    class View:
        page_cache = cache

    with cache.pinned(1):
        first = render(filterset().form, View())
        COLOURS.append(("green", "Green"))
        try:
            assert render(filterset().form, View()) == first  # same version: same markup
        finally:
            COLOURS.pop()
    with cache.pinned(2):
        COLOURS.append(("green", "Green"))
        try:
            assert "Green" in render(filterset().form, View())  # a new version: rendered
        finally:
            COLOURS.pop()


def test_memo_include_renders_once_per_key_and_language():
    template = Template(
        '{% load portal_tags %}{% memo_include "core/_active_filters.html" k active_filters=f %}'
    )
    shown = [{"label": "Colour", "value": "Red", "remove_querystring": "q=x"}]
    html = template.render(Context({"k": ("red",), "f": shown}))
    assert "Colour: Red" in html
    # the key names the content: the same key gives the same markup
    assert template.render(Context({"k": ("red",), "f": []})) == html
    assert "Colour" not in template.render(Context({"k": ("none",), "f": []}))


@pytest.mark.django_db
def test_portal_filterset_copies_filters_per_instance_and_binds_methods():
    UserModel = get_user_model()
    UserModel.objects.create(username="ada", first_name="red")
    UserModel.objects.create(username="bob", first_name="blue")
    first, second = filterset("colour=red"), filterset("colour=blue")
    assert first.filters["colour"] is not second.filters["colour"]
    assert first.filters["colour"].parent is first and second.filters["colour"].parent is second
    assert [u.username for u in first.qs] == ["ada"]
    assert [u.username for u in second.qs] == ["bob"]
    assert first.form.fields["colour"] is not second.form.fields["colour"]
    first.form.fields["colour"].label = "Changed"
    assert second.form.fields["colour"].label == "Colour"
    assert PeopleFilterSet.base_filters["colour"].__dict__.get("_field") is None


class StaticPeopleFilterSet(PeopleFilterSet):
    static_form = True


@pytest.mark.django_db
def test_a_static_form_is_built_once_per_filterset_class_and_still_binds_each_request():
    get_user_model().objects.create(username="ada", first_name="red")
    first = StaticPeopleFilterSet(QueryDict("colour=red"), queryset=get_user_model().objects.all())
    second = StaticPeopleFilterSet(QueryDict("q=zed"), queryset=get_user_model().objects.all())
    assert type(first.form) is type(second.form)  # one class, its fields shared
    assert first.form.fields["colour"] is second.form.fields["colour"]
    assert [u.username for u in first.qs] == ["ada"] and list(second.qs) == []
    assert first.form.cleaned_data["colour"] == "red" and second.form.cleaned_data["q"] == "zed"
    # a FilterSet that does not say so gets a form class of its own per request
    assert type(filterset().form) is not type(filterset().form)


@pytest.mark.django_db
def test_the_main_link_of_a_page_is_marked_current_in_each_language(client):
    site_section = portal_tags.site_section
    assert [site_section(p) for p in ["/calls/12/", "/events/", "/callsx/", "/", "/me/"]] == [
        "calls",
        "events",
        "",
        "",
        "",
    ]
    page = client.get("/organisations/").content.decode()
    assert 'href="/organisations/" aria-current="page"' in page
    assert page.count('aria-current="page"') == 1
    # the memoised navigation follows the reader's language
    client.cookies["django_language"] = "da"
    page = client.get("/events/").content.decode()
    with translation.override("da"):
        events = translation.gettext("Events")
    assert f'href="/events/" aria-current="page">{events}</a>' in page
