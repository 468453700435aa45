"""The text model (engine/text.py, languages.py, codes.py) on its own and on real TED notices:
languages, generic words, translation through the CPV labels, cross-language retrieval.

Pure tests (no database); the real notices are read from ``REFERENCE_DATA_DIR``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bench.eval_matching import Engine, load_notices, ml_titles
from matchmaking.engine import (
    CallProfile,
    CompanyProfile,
    MatchIndex,
    TextConfig,
    TextIndex,
    score_chunk,
)
from matchmaking.engine.codes import label_index
from matchmaking.engine.languages import guess_language, is_word, tokenize

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def notices():
    return load_notices()


def test_word_tokens_need_letters():
    assert is_word("RF") and is_word("Nb3Sn") and is_word("cryostat")
    assert not any(is_word(t) for t in ("1e", "9", "G10", "2D", "170", "x"))


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Supply of cryogenic valves for the helium plant", "en"),
        ("Lieferung von kryogenen Ventilen für die Heliumanlage", "de"),
        ("Levering af kryogene ventiler til heliumanlægget", "da"),
        ("Kriogeninių vožtuvų tiekimas helio įrenginiui", "lt"),
        ("Fourniture de vannes cryogéniques pour l'installation d'hélium", "fr"),
    ],
)
def test_the_language_is_guessed_from_the_words(text, lang):
    assert guess_language(t for t, _, _ in tokenize(text)) == lang


def test_generic_words_and_number_tokens_never_match():
    docs = [
        "Design, testing and series production of industrial systems; rate 1e-9 mbar",
        "Design and testing of industrial systems, pre-series, rates 1e-9",
    ]
    words_only = TextConfig(code_weight=0.0, concept_weight=0.0)
    idx = TextIndex(docs, words_only)
    assert idx.similarity(0, 1) == 0.0  # all they share is generic
    assert idx.matched_terms(0, 1) == []
    with_generic = TextIndex(docs, dataclasses.replace(words_only, generic=False))
    terms = [t.lower() for t in with_generic.matched_terms(0, 1)]
    assert "design" in terms and "1e" not in terms  # "1e" is not even a word


def test_translation_through_the_labels():
    labels = label_index()
    de = labels.dictionary("de")
    assert "valv" in de.get("ventil", ())  # Ventil -> valve, read from the parallel labels
    assert "vacuum" in de.get("vakuumpump", ())
    assert labels.dictionary("en") == {}  # English is the pivot


def test_a_call_in_another_language_shares_the_cpv_topic_block():
    docs = [
        "Vacuum pumps and vacuum gauges for an accelerator",
        "Lieferung von Vakuumpumpen und Vakuummessgeräten",
        "Catering services for a school canteen",
    ]
    idx = TextIndex(docs)
    assert idx.similarity(0, 1) > 0.1
    assert idx.similarity(0, 1) > 5 * idx.similarity(1, 2)
    codes_only = TextIndex(
        docs, dataclasses.replace(TextConfig(), word_weight=0.0, concept_weight=0.0)
    )
    assert codes_only.similarity(0, 1) > 0.1  # both are about CPV 4212 Pumps and compressors
    assert codes_only.similarity(0, 1) > 5 * codes_only.similarity(1, 2)


def test_transform_of_a_corpus_text_equals_its_row():
    docs = ["Cryostats and helium transfer lines", "Kryogene Regelventile", "road works"]
    idx = TextIndex(docs)
    again = idx.transform(docs)
    assert abs(again - idx.matrix).max() < 1e-12


def _rank_calls(profile: str, calls: list[CallProfile], k: int) -> list:
    company = CompanyProfile(id="en-profile", country="DK", capabilities=profile)
    index = MatchIndex([company], calls, now=NOW)
    top = score_chunk([company], calls, index, k_per_call=1, k_per_company=k, now=NOW)
    return [cid for cid, _ in top.per_company[company.id]]


def _notice_calls(notices, text_of=lambda n: n.text):
    return [
        CallProfile(
            id=n.ident,
            buyer_id=f"buyer-{n.ident}",
            cpv_main=n.main or None,
            title=text_of(n),
        )
        for n in notices
    ]


def test_an_english_profile_finds_a_danish_call(notices):
    """20-587026: "IT-klientudstyr 2021-2025" (IT client equipment), written in Danish."""
    calls = _notice_calls(notices)
    top = _rank_calls(
        "We supply laptops, desktop computers, monitors and docking stations to public "
        "institutions.",
        calls,
        3,
    )
    assert top[0] == "20-587026-001-EXP"


def test_an_english_profile_finds_a_german_call(notices):
    """21-363066: "Fachplanungsleistung Heizung/Lüftung/Klimatisierung/Sanitär" (HVAC design)."""
    calls = _notice_calls(notices)
    top = _rank_calls(
        "Engineering design of heating, ventilation, air conditioning and plumbing "
        "installations for new buildings.",
        calls,
        3,
    )
    assert "21-363066-001-EXP" in top


def test_an_english_profile_finds_a_lithuanian_call(notices):
    """The notices' Lithuanian titles (ML_TITLES) as calls: laboratory furniture and computer
    equipment are found in Lithuanian ("Laboratorijos baldai", "Kompiuterinė įranga ...")."""
    with_lt = [n for n in notices if "lt" in n.titles]
    calls = _notice_calls(with_lt, text_of=lambda n: n.titles["lt"])
    assert _rank_calls("We make laboratory furniture.", calls, 1) == ["21-364236-001-EXP"]
    assert _rank_calls("Supply of laptops and computer equipment.", calls, 1) == [
        "20-587026-001-EXP"
    ]


def test_ml_titles_figure_does_not_fall(notices):
    """The English title finds its translation among all titles of each language: mean top-1
    over the languages, 0.914 when engine 2.0.0 was written (engine 1.1.0: 0.604)."""
    result = ml_titles(Engine, notices)
    assert result["mean"]["top1"] >= 0.91
    assert result["mean"]["mrr"] >= 0.94
