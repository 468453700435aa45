"""CPV codes suggested from a text (a company's capabilities, a call draft), in any EU language.

``suggest_cpv(text, k=5)`` matches the text against the official CPV labels of its language and
of English (:mod:`.codes`) and ranks the codes:

* every code whose label the text names gets its **fit** (coverage of the label's words by the
  text, squared, times how specific the matched words are);
* with ``hierarchy`` (the default), a code also collects evidence from the matched codes below
  it: ``score(a) = max(fit(a), SPREAD * sum of fit(d) * DECAY ** (levels from a to d))`` over
  its matched descendants d. A text naming "control valves", "safety valves" and "valve
  actuators" thus also suggests the class *Taps, cocks, valves and similar appliances*, which
  is how buyers often code (a class or group as the main code, details as additional codes).

Each suggestion says why in words: the words of the text that name the label.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .codes import label_index, label_stems
from .languages import guess_language, is_word, tokenize
from .text import code_prefixes, pad_code

SPREAD = 0.6
DECAY = 0.8
#: candidates considered before the hierarchy is applied
CANDIDATES = 40


@dataclass(frozen=True)
class Suggestion:
    """A suggested CPV code with its label (in the text's language when known) and why."""

    code: str
    label: str
    why: str
    score: float = 0.0
    words: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _stemmers():
    from .languages import Stemmers

    return Stemmers()


def _label_words(code: str, lang: str, text_stems: dict[str, str]) -> tuple[str, ...]:
    """Words of the text (as written) whose stems occur in the code's label."""
    labels = label_index()
    st = _stemmers()
    out: dict[str, None] = {}
    for lg in dict.fromkeys((lang, "en")):
        label = labels.labels.get(code, {}).get(lg, "")
        stems = {st.stem(t, lg) for t, _, _ in tokenize(label) if is_word(t)}
        for word_key, stem_key in text_stems.items():
            lg_w, stem = stem_key.split(":", 1)
            if lg_w == lg and stem in stems:
                out[word_key.split(":", 1)[1]] = None
    return tuple(out)


def suggest_cpv(
    text: str,
    k: int = 5,
    language: str | None = None,
    *,
    label_languages: str = "own+en",
    hierarchy: bool = True,
    gettext=None,
) -> list[Suggestion]:
    """The k CPV codes that best fit a text, best first (ties by code).

    ``language`` (ISO 639-1) skips the language guess; ``label_languages`` is "own+en" (the
    text's language and English), "own" or "en"; ``gettext`` translates the "why" sentence.
    """
    _ = gettext or (lambda s: s)
    if k <= 0 or not (text or "").strip():
        return []
    labels = label_index()
    if not labels.codes:
        return []
    toks = [t for t, _, _ in tokenize(text)]
    lang = (language or guess_language(toks)).lower()
    langs = {"own+en": (lang, "en"), "own": (lang,), "en": ("en",)}[label_languages]
    st = _stemmers()
    fits: dict[str, float] = {}
    text_stems: dict[str, str] = {}
    for lg in dict.fromkeys(langs):
        stems = label_stems(toks, lang, lg, st)
        for t in toks:
            s = st.stem(t, lg)
            if s in stems:
                text_stems.setdefault(f"{lg}:{t}", f"{lg}:{s}")
        m = labels.match([stems], lg)
        for j, f in zip(m.indices.tolist(), m.data.tolist(), strict=True):
            code = labels.codes[j]
            if f > fits.get(code, 0.0):
                fits[code] = f
    cand = sorted(fits.items(), key=lambda x: (-x[1], x[0]))[:CANDIDATES]
    scores = dict(cand)
    if hierarchy:
        known = set(labels.labels)
        spread: dict[str, float] = {}
        for code, f in cand:
            for up, p in enumerate(code_prefixes(code)[1:], 1):
                anc = pad_code(p)
                if anc in known:
                    spread[anc] = spread.get(anc, 0.0) + f * DECAY**up
        for anc, s in spread.items():
            scores[anc] = max(scores.get(anc, 0.0), SPREAD * s)
    ranked = sorted(scores.items(), key=lambda x: (-x[1], x[0]))[:k]
    out = []
    for code, s in ranked:
        words = _label_words(code, lang, text_stems)
        label = labels.label(code, lang)
        if words:
            why = _("the text names {words}").format(words=", ".join(f"“{w}”" for w in words))
        else:
            why = _("the text names several kinds of {label}").format(label=label.lower())
        out.append(Suggestion(code, label, why, round(min(1.0, s), 6), words))
    return out
