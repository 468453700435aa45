"""CPV codes suggested from a text (engine/suggest.py), in several languages and on the real
TED notices. Pure tests (no database)."""

from __future__ import annotations

import pytest

from bench.eval_matching import EnglishLabelBaseline, load_notices, suggestion_hits
from matchmaking.engine.suggest import Suggestion, suggest_cpv


def codes(text, **kw):
    return [s.code for s in suggest_cpv(text, **kw)]


def test_english_capabilities_get_their_codes_with_reasons():
    out = suggest_cpv("We build cryogenic control valves and safety valves for helium plants.")
    assert all(isinstance(s, Suggestion) for s in out)
    assert len(out) == 5
    valves = next(s for s in out if s.code == "42131142")
    assert valves.label == "Control valves"
    assert "valves" in valves.why
    assert "24111300" in [s.code for s in suggest_cpv("helium", k=3)]


@pytest.mark.parametrize(
    "text, code, label_word",
    [
        ("Kryogene Regelventile für Heliumanlagen", "42131142", "Regelventile"),
        ("Levering af vakuumpumper til et laboratorium", "42122450", "akuumpumpe"),
        ("Vakuuminių siurblių tiekimas", "42122450", "siurbliai"),
        ("Fourniture de pompes à vide", "42122450", "pompes"),
    ],
)
def test_codes_from_texts_in_other_languages(text, code, label_word):
    out = suggest_cpv(text)
    hit = next((s for s in out if s.code == code), None)
    assert hit is not None, [s.code for s in out]
    assert label_word.lower() in hit.label.lower()  # the label in the text's language


def test_k_language_and_empty_text():
    assert suggest_cpv("") == []
    assert suggest_cpv("   ") == []
    assert suggest_cpv("vacuum pumps", k=0) == []
    assert len(suggest_cpv("vacuum pumps", k=2)) == 2
    assert codes("vacuum pumps") == codes("vacuum pumps")  # deterministic
    assert "42122450" in codes("Vakuumpumpen", language="de")


def test_why_can_be_translated():
    out = suggest_cpv("control valves", gettext=lambda s: s.replace("the text names", "«T»"))
    assert out and all(s.why.startswith("«T»") or "several" in s.why for s in out)


def test_main_code_of_real_notices_in_the_top_five():
    """The notice's own main code among the top 5 from its title and description, against a
    TF-IDF match on the English labels only (see docs/matching.md for the figures: 0.222 vs
    0.111 when written; the 60% target of issue 12 is not reached)."""
    notices = load_notices()
    ours = suggestion_hits(notices, lambda t, k: codes(t, k=k))
    base = suggestion_hits(notices, EnglishLabelBaseline().top)
    assert ours["main"] >= 0.2
    assert ours["main"] > base["main"]
    assert ours["group"] > base["group"]
