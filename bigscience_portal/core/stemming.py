"""Words and stems of a text in the EU languages: pure Python, no Django.

The one definition of what a word is and how it is stemmed, shared by the portal's full-text
search (``core.search``) and the matching engine (``matchmaking.engine.languages``):

* **fold**: lower case, accents stripped ("Équipement" -> "equipement", "Kälte" -> "kalte");
* **is_word**: a token with at least two letters, and at least three when it also has digits
  ("RF" and "Nb3Sn" are words; "1e", "G10", "2D" and numbers are not);
* **stem**: PyStemmer's Snowball stemmer of the language where one exists (:data:`SNOWBALL`),
  else the first :data:`TRUNCATE` letters (Bulgarian, Latvian, Maltese, Slovenian); folded.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import lru_cache

import Stemmer

#: PyStemmer's Snowball algorithm per EU language (ISO 639-1); the others are cut to TRUNCATE
SNOWBALL = {
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hr": "serbian",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "sk": "czech",
    "sv": "swedish",
}
#: a word of a language without a Snowball stemmer is cut to this many letters
TRUNCATE = 6

_local = threading.local()


def fold(text: str) -> str:
    """Lower case without accents ("Équipement" -> "equipement")."""
    text = (text or "").lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_word(token: str) -> bool:
    """A token that can carry meaning: 2+ letters, 3+ when it has digits ("1e", "G10" are not)."""
    if token.isalpha():
        return len(token) >= 2
    letters = sum(ch.isalpha() for ch in token)
    if letters < 2:
        return False
    return letters >= 3 or not any(ch.isdigit() for ch in token)


def stemmer(language: str):
    """This thread's PyStemmer instance for ``language``, None where there is no Snowball
    stemmer (instances are not thread-safe)."""
    cache = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if language not in cache:
        algorithm = SNOWBALL.get(language)
        cache[language] = Stemmer.Stemmer(algorithm) if algorithm else None
    return cache[language]


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The folded stem of a lower-cased word in ``language`` (a pure function: cached, since
    the 24 languages' CPV labels repeat their words 230,000 times)."""
    snowball = stemmer(language)
    if snowball is None:
        return fold(word)[:TRUNCATE]
    return fold(snowball.stemWord(word))
