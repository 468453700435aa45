"""The search normaliser (``core.search``): folding, words, stems per language, query parsing
and the expressions both databases are given."""

from bigscience_portal.core import search


def test_fold_strips_accents_and_case():
    assert search.fold("Équipement KÄLTE") == "equipement kalte"


def test_words_skip_noise_tokens():
    assert search.words("1e-9 mbar, G10 and Nb3Sn; RF x") == ["mbar", "and", "nb3sn", "rf"]


def test_index_terms_stem_in_the_texts_language_and_keep_the_word():
    assert search.index_terms("Cryogenics", "en") == ["cryogen", "cryogenics"]
    # German stem of "kryogenen"; the folded word kept beside it
    assert search.index_terms("kryogenen", "de") == ["kryog", "kryogenen"]
    # no Snowball stemmer for Latvian: the first six letters
    assert search.index_terms("kriogēnika", "lv") == ["krioge", "kriogenika"]
    # unknown language: English
    assert search.index_terms("valves", "xx") == ["valv", "valves"]


def test_index_text_is_bounded():
    text = search.index_text("cryostat " * 20_000, language="en")
    assert len(text) <= search.MAX_INDEXED_CHARS
    assert text.startswith("cryostat")


def test_a_query_word_matches_its_stem_in_every_language():
    query = search.parse_query("Kryogen")
    (alternatives,) = query.include
    assert {"kryogen", "kryog"} <= alternatives  # English/Danish and German stems
    (plain,) = search.parse_query("cryogenics").include
    (accented,) = search.parse_query("CRYOGÉNICS").include
    assert plain <= accented


def test_parse_query_excludes_minus_words_and_ignores_noise():
    query = search.parse_query('-optics "x-ray" 1e ; <script>')
    assert "ray" in query.include[0] and "script" in query.include[1]  # "x-ray" is no minus
    assert len(query.exclude) == 1 and "optic" in query.exclude[0]
    assert not search.parse_query("-- ; 1e x")
    assert len(search.parse_query("pump " * 500).include) == search.MAX_QUERY_WORDS


def test_expressions_quote_every_term():
    query = search.parse_query("helium -valves")
    assert query.fts5() == '("heliu" OR "helium") NOT ("valv" OR "valve" OR "valves")'
    assert query.tsquery() == "('heliu' | 'helium') & !('valv' | 'valve' | 'valves')"


def test_lookup_text_and_q_match_word_starts_in_any_language():
    text = search.lookup_text({"en": "Vacuum pumps", "de": "Vakuumpumpen"})
    assert " vakuumpump " in text and " pump " in text and text.startswith(" ")
    q = search.lookup_q("search_stems", search.parse_query("vakuumpumpe"))
    assert "search_stems__contains" in str(q)
