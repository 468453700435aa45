"""Template helpers of the shared stack (``{% load portal_tags %}``)."""

from __future__ import annotations

from django import forms, template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from bigscience_portal.core import dates

register = template.Library()


# --- dates and languages: the one way every page shows them ------------------------------------


@register.filter
def when(value, tz=None):
    """``{{ call.tender_period_end|when:call.time_zone }}``: the moment in the language's
    ``DATETIME_FORMAT`` in the zone (an IANA name or a tzinfo; the site's by default), with
    the zone's abbreviation ("15 March 2026, 17:00 CET"). See ``core/dates.py``."""
    return dates.when(value, tz)


@register.filter
def day(value, tz=None):
    """``{{ value|day }}``: the day of a date or moment in the language's ``DATE_FORMAT``."""
    return dates.day(value, tz)


@register.filter
def language_name(code):
    """A language code ("de") as the reader's language names it ("German", "tysk"); the code
    itself for one Django does not know."""
    if not code:
        return ""
    try:
        return get_language_info(str(code).lower())["name_translated"]
    except KeyError:
        return code


_SELECTS = (forms.Select, forms.SelectMultiple, forms.NullBooleanSelect)


def widget_css(widget) -> str:
    """The Bootstrap class of a widget (none for groups of checkboxes or radios)."""
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, _SELECTS):
        return "form-select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "form-control"
    return "form-control"


@register.filter
def widget(bound_field):
    """A field's widget with its Bootstrap class, ``aria-describedby`` (help text and errors)
    and ``aria-invalid``: the one way every form and filter of the portal renders a control."""
    attrs = {}
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described and not bound_field.use_fieldset:
        attrs["aria-describedby"] = " ".join(described)
    css = widget_css(bound_field.field.widget)
    if bound_field.errors and css:
        css += " is-invalid"
    own = bound_field.field.widget.attrs.get("class", "")
    if css and css.split()[0] not in own.split():
        attrs["class"] = f"{own} {css}".strip()
    return bound_field.as_widget(attrs=attrs)


# --- the filter form's fields, rendered once per content ----------------------------------------
#
# A list page renders its filter form on every request, and most of that form is the same from
# one request to the next: the same selects with the same options, nothing or the same few values
# chosen. Rendering a select through the widget templates costs about a millisecond per field
# (most of a list page's Python time), so the filter form's fields are memoised in the process:
#
# * on a list with a page cache (``PortalListView.page_cache``), keyed by the list's version
#   (pinned for the request), the language, the field's name and id and the value shown: such a
#   list declares that what its page shows, its filters' choices too, changes only with its
#   version (an infrastructure added to the buyer filter bumps the calls list's version);
# * elsewhere, keyed by everything the field's markup depends on: its name, id, label, help text
#   and required flag, the widget and its attributes, its options (the choices themselves), the
#   value shown and the language.
#
# A field with errors is rendered afresh; so, without a version, is one whose choices come from a
# query (a ``ModelChoiceField``: reading them is the query).

_FIELD_MEMO: dict[tuple, str] = {}
#: Entries kept per process (the memo is emptied when it grows past this).
FIELD_MEMO_SIZE = 4096


def _choices_key(choices) -> tuple:
    return tuple(
        (str(value), _choices_key(label) if isinstance(label, list | tuple) else str(label))
        for value, label in choices
    )


def _field_key(bound_field, compact, version: tuple | None) -> tuple | None:
    field = bound_field.field
    if bound_field.errors:
        return None
    # not the form class itself: django-filter builds a new one for every FilterSet
    form = (type(bound_field.form).__name__, bound_field.html_name, bound_field.auto_id)
    value = repr(bound_field.value())
    if version is not None:
        return (*version, *form, compact, value)
    if isinstance(field, forms.ModelChoiceField):
        return None
    widget = field.widget
    choices = getattr(widget, "choices", None)
    return (
        *form,
        bound_field.form.use_required_attribute,
        str(bound_field.label),
        str(bound_field.help_text),
        field.required,
        field.disabled,
        compact,
        get_language(),
        type(widget),
        repr(sorted(widget.attrs.items())),
        getattr(widget, "format", None),
        value,
        repr(bound_field.initial),
        _choices_key(choices) if choices is not None else (),
    )


def _field_html(bound_field, compact, version) -> str:
    key = _field_key(bound_field, compact, version)
    html = _FIELD_MEMO.get(key) if key is not None else None
    if html is None:
        html = get_template("core/_field.html").render({"field": bound_field, "compact": compact})
        if key is not None:
            if len(_FIELD_MEMO) >= FIELD_MEMO_SIZE:
                _FIELD_MEMO.clear()
            _FIELD_MEMO[key] = html
    return html


@register.simple_tag(takes_context=True)
def filter_fields(context, form, compact=""):
    """Every field of a list's filter form through ``core/_field.html``, each from the memo
    when it can be (``core/_filters.html``)."""
    page_cache = getattr(context.get("view"), "page_cache", None)
    version = (
        (page_cache.namespace, page_cache.version(), get_language())
        if page_cache is not None
        else None
    )
    # every value was escaped by the template engine that rendered its field
    return mark_safe("".join(_field_html(field, compact, version) for field in form))  # noqa: S308


# --- fragments rendered once per content ---------------------------------------------------------

_FRAGMENT_MEMO: dict[tuple, str] = {}
#: Fragments kept per process (the memo is emptied when it grows past this).
FRAGMENT_MEMO_SIZE = 8192


#: The sections of the main navigation, by the first part of their paths.
SITE_SECTIONS = ("calls", "organisations", "events", "exchanges")


@register.filter
def site_section(path) -> str:
    """The main link a path is under ("/calls/12/" -> "calls"; "" for none): the key of the
    memoised navigation (``core/_site_nav.html``)."""
    first = str(path).lstrip("/").split("/", 1)[0]
    return first if first in SITE_SECTIONS and str(path).startswith(f"/{first}/") else ""


@register.simple_tag
def memo_include(template_name, key, **context):
    """``{% memo_include "app/_part.html" key name=value %}``: the template rendered with the
    given context alone (nothing of the page's), memoised in the process by its name, the
    language and ``key``, which must name everything the fragment shows.

    For a fragment that comes back the same on page after page (the calls list's unbound
    "save this search" fields). Not for parts that seldom repeat, such as the rows of a
    filtered list: a miss costs a template render of its own, more than the part inline.
    """
    memo_key = (template_name, get_language(), key)
    html = _FRAGMENT_MEMO.get(memo_key)
    if html is None:
        html = get_template(template_name).render(context)
        if len(_FRAGMENT_MEMO) >= FRAGMENT_MEMO_SIZE:
            _FRAGMENT_MEMO.clear()
        _FRAGMENT_MEMO[memo_key] = html
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)
