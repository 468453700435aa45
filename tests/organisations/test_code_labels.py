"""Each code with its own label in the reader's language (``organisations.code_labels`` and the
``{% codes %}`` chips): issue 18, finding 4."""

import pytest
from django.template import Context, Template
from django.utils import translation

from organisations.code_labels import (
    CodeLabel,
    code_labels,
    cpv_with_labels,
    labelled,
)
from organisations.models import CPVCode, NACECode

pytestmark = pytest.mark.django_db

CODES = ["31711420", "31711424", "31630000"]


def _labels(language):
    return {c.code: c.labels[language] for c in CPVCode.objects.filter(code__in=CODES)}


def test_code_labels_name_every_code_in_the_language_in_one_query(django_assert_num_queries):
    danish = _labels("da")
    with django_assert_num_queries(1):
        found = code_labels([*CODES, "99999999", ""], language="da")
    assert found == danish  # an unknown code is left out
    assert len(set(found.values())) == 3  # each code its own label
    with django_assert_num_queries(0):
        assert code_labels([], language="da") == {}


def test_code_labels_fall_back_to_english_and_follow_the_active_language():
    english = dict(CPVCode.objects.filter(code__in=CODES).values_list("code", "label"))
    assert code_labels(CODES, language="nb") == english  # no official Norwegian labels
    assert code_labels(CODES, language="de-ch") == _labels("de")
    assert code_labels(CODES, language="'; drop") == english  # not a language: English
    with translation.override("sv"):
        assert code_labels(CODES) == _labels("sv")


def test_nace_codes_read_their_english_label():
    nace = NACECode.objects.get(pk="28.25")
    assert code_labels(["28.25"], language="da", scheme="nace") == {"28.25": nace.label}


def test_labelled_names_text_instances_and_prefetched_codes(django_assert_num_queries):
    danish = _labels("da")
    with django_assert_num_queries(0):  # the page's labels are given
        assert labelled(["31711420", "31711420", "99999999"], danish, language="da") == [
            CodeLabel("31711420", danish["31711420"]),
            CodeLabel("99999999", ""),
        ]
    whole = list(CPVCode.objects.filter(code__in=CODES))
    annotated = list(cpv_with_labels("da").filter(code__in=CODES))
    deferred = list(CPVCode.objects.only("code", "label").filter(code__in=CODES))
    with django_assert_num_queries(0):
        assert labelled(whole, language="da") == [CodeLabel(c, danish[c]) for c in sorted(CODES)]
        assert labelled(annotated) == [CodeLabel(c, danish[c]) for c in sorted(CODES)]
    with django_assert_num_queries(1):  # their labels were not loaded: one query for all
        assert labelled(deferred, language="da") == [CodeLabel(c, danish[c]) for c in sorted(CODES)]


def test_the_codes_tag_shows_each_code_with_its_own_label_escaped():
    template = Template('{% load organisations_tags %}{% codes items href="/o/?cpv=" wrap=True %}')
    html = template.render(
        Context({"items": [CodeLabel("31711420", "<b>Tubes</b>"), CodeLabel("317", "")]})
    )
    assert 'class="code-list list-unstyled code-list-wrap"' in html
    assert '<a class="code-item-code" href="/o/?cpv=31711420">31711420</a>' in html
    assert '<span class="code-item-label">· &lt;b&gt;Tubes&lt;/b&gt;</span>' in html
    assert 'title="31711420 · &lt;b&gt;Tubes&lt;/b&gt;"' in html
    assert html.count("code-item-label") == 1  # an unknown code has no label


def test_a_pages_labels_are_read_once_per_process_and_a_changed_label_shows(
    django_assert_num_queries,
):
    code = CPVCode.objects.get(code=CODES[0])
    first = code_labels(CODES, language="da")
    with django_assert_num_queries(0):
        assert code_labels(CODES, language="da") == first
        assert code_labels([], language="da") == {}
    with django_assert_num_queries(1):  # another language, another read
        code_labels(CODES, language="sv")
    code.labels = {**code.labels, "da": "Nyt navn"}
    code.save()
    assert code_labels(CODES, language="da")[CODES[0]] == "Nyt navn"


def test_the_chips_of_a_set_of_codes_are_rendered_once_and_follow_their_labels():
    template = Template('{% load organisations_tags %}{% codes items label="CPV codes" %}')
    first = template.render(Context({"items": [CodeLabel("31711420", "Electronic parts")]}))
    assert first == template.render(Context({"items": [CodeLabel("31711420", "Electronic parts")]}))
    assert 'aria-label="CPV codes"' in first and "· Electronic parts" in first
    # another label of the same code (another language) is other chips, not the memoised ones
    other = template.render(Context({"items": [CodeLabel("31711420", "Elektroniske dele")]}))
    assert "· Elektroniske dele" in other and "Electronic parts" not in other
    escaped = template.render(Context({"items": [CodeLabel("31711420", "<script>x</script>")]}))
    assert "<script>" not in escaped and "&lt;script&gt;" in escaped
