"""Scores people can read (engine/explain.py): fit levels, reasons for the company, the liaison
officer and the cluster manager, rendered from stored JSON components; and the demo data's
known faults (docs/matching-examples.md) fixed.

Pure tests: the demo profiles are built from the demo data modules without a database.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from matchmaking.engine import (
    CallProfile,
    CompanyProfile,
    MatchContext,
    MatchIndex,
    Reference,
    load_cpv_labels,
    render_reasons,
    score,
    score_all,
)
from matchmaking.engine.explain import FIT_LEVELS, fit_label, fit_level, result_json
from matchmaking.engine.languages import reference_data_dir

NOW = datetime(2026, 11, 23, tzinfo=UTC)
NORDCRYO_ID = "demo-nordcryo-aps"
AUDIENCES = ("company", "officer", "cluster")


@pytest.fixture(scope="module")
def labels():
    return load_cpv_labels(reference_data_dir() / "cpv_codes.csv")


@pytest.fixture(scope="module")
def demo():
    """(companies, calls, context) of the demo data: the 320 generated companies, NordCryo with
    the codes organisations.demo.load gives it, and the 13 demo calls, open at NOW."""
    from organisations.demo import NORDCRYO, generate_companies
    from tenders.demo import CALLS

    companies = [
        CompanyProfile(
            id=c.slug,
            country=c.fields["country"],
            cpv_codes=tuple(c.cpv),
            certifications=frozenset(c.certifications),
            capabilities=c.fields["capabilities"],
            references=tuple(
                Reference(r["client_acronym"].lower(), (), r["year"]) for r in c.references
            ),
            verified=c.verified_days is not None,
        )
        for c in generate_companies()
    ]
    companies.append(
        CompanyProfile(
            id=NORDCRYO_ID,
            country="DK",
            cpv_codes=("24111300", "39700000", "42123000", "42513200"),
            certifications=frozenset({"ISO 9001", "PED"}),
            capabilities=NORDCRYO["capabilities"],
        )
    )
    calls = [
        CallProfile(
            id=i,
            buyer_id=c["buyer"],
            deadline=NOW + timedelta(days=c["days"]),
            cpv_main=c["main_cpv"],
            cpv_additional=tuple(c.get("additional_cpv") or ()),
            title=c["title"],
            description=c["description"],
        )
        for i, c in enumerate(CALLS)
    ]
    ctx = MatchContext(MatchIndex(companies, calls, now=NOW), NOW)
    return companies, calls, ctx


def _call(calls, title_start: str) -> CallProfile:
    return next(c for c in calls if c.title.startswith(title_start))


def _company(companies, cid) -> CompanyProfile:
    return next(c for c in companies if c.id == cid)


# ---------------------------------------------------------------- the known faults, fixed
def test_nordcryo_gets_the_transfer_lines_above_the_monochromator(demo):
    companies, calls, ctx = demo
    nord = _company(companies, NORDCRYO_ID)
    lines = score(nord, _call(calls, "Vacuum-insulated cryogenic transfer lines"), ctx)
    mono = score(nord, _call(calls, "Cryogenically cooled monochromator"), ctx)
    assert lines.score > mono.score
    ranked = sorted(calls, key=lambda c: -score(nord, c, ctx).score)
    assert ranked[0].title.startswith("Vacuum-insulated cryogenic transfer lines")


def test_the_valves_call_is_explained_by_valves_not_helium(demo, labels):
    companies, calls, ctx = demo
    valves = _call(calls, "Cryogenic control valves")
    top = score_all(companies, [valves], 5, 1, index=ctx.index, now=NOW).per_call[valves.id]
    assert len(top) == 5
    for company_id, _ in top:
        r = score(_company(companies, company_id), valves, ctx)
        for audience in AUDIENCES:
            first = render_reasons(
                r.components_json(), audience=audience, labels=labels, company_name="X"
            )[0]
            assert "valve" in first.lower() or "42131142" in first, first
            assert not first.lower().startswith(("your code 24111300", "x declares 24111300"))
    # a helium-only company: the additional code counts half, and says so
    helium = CompanyProfile(id="helium-only", country="DK", cpv_codes=("24111300",))
    index = MatchIndex([*companies, helium], calls, now=NOW)
    r = score(helium, valves, MatchContext(index, NOW))
    assert r.component("cpv").value == pytest.approx(0.5)
    assert "your code 24111300 Helium is one of the call's additional codes" in r.reasons(
        audience="company", labels=labels
    )


def test_adding_the_calls_main_code_to_nordcryo_raises_the_score(demo):
    companies, calls, ctx = demo
    nord = _company(companies, NORDCRYO_ID)
    valves = _call(calls, "Cryogenic control valves")
    before = score(nord, valves, ctx).score
    more = CompanyProfile(
        id=NORDCRYO_ID,
        country="DK",
        cpv_codes=(*nord.cpv_codes, "42131142"),
        certifications=nord.certifications,
        capabilities=nord.capabilities,
    )
    others = [c for c in companies if c.id != NORDCRYO_ID]
    index = MatchIndex([*others, more], calls, now=NOW)
    after = score(more, valves, MatchContext(index, NOW)).score
    assert after > before + 0.05
    assert fit_level(after) in ("good", "strong")


_NUMBER = re.compile(r"\b\d+\b")  # a number on its own ("Nb3Sn" is a name, not a number)


def _numbers_other_than_codes(sentence: str, certificates) -> list[str]:
    for cert in certificates:
        sentence = sentence.replace(cert, "")
    return [n for n in _NUMBER.findall(sentence) if len(n) != 8]


def test_no_reason_contains_a_raw_number(demo, labels):
    """Only CPV codes (8 digits) and certificate names carry digits; no value, weight, share,
    count, date or year."""
    companies, calls, ctx = demo
    top = score_all(companies, calls, 5, 3, index=ctx.index, now=NOW)
    pairs = {(comp, cid) for cid, lst in top.per_call.items() for comp, _ in lst}
    pairs |= {(comp, cid) for comp, lst in top.per_company.items() for cid, _ in lst}
    assert len(pairs) > 50
    by_id = {c.id: c for c in companies}
    calls_by_id = {c.id: c for c in calls}
    for comp, cid in sorted(pairs, key=str):
        r = score(by_id[comp], calls_by_id[cid], ctx)
        certs = [*by_id[comp].certifications, *calls_by_id[cid].required_certifications]
        for audience in AUDIENCES:
            for line in render_reasons(
                r.components_json(), audience=audience, labels=labels, company_name="NordCryo"
            ):
                assert not _numbers_other_than_codes(line, certs), line
        for line in render_reasons(r, labels):  # the engine 1.x sentence forms, too
            assert not _numbers_other_than_codes(line, certs), line


# ---------------------------------------------------------------- stored components
def test_reasons_render_from_stored_json_exactly_as_from_the_result(demo, labels):
    companies, calls, ctx = demo
    nord = _company(companies, NORDCRYO_ID)
    for call in calls:
        r = score(nord, call, ctx)
        stored = json.loads(json.dumps(r.components_json()))
        whole = json.loads(json.dumps(result_json(r)))
        for audience in AUDIENCES:
            kw = {"audience": audience, "labels": labels, "company_name": "NordCryo"}
            assert render_reasons(stored, **kw) == render_reasons(r, **kw)
            assert render_reasons(whole, **kw) == render_reasons(r, **kw)
        assert render_reasons(stored, labels) == render_reasons(r, labels)


def test_each_audience_reads_about_the_right_party(demo, labels):
    companies, calls, ctx = demo
    nord = _company(companies, NORDCRYO_ID)
    r = score(nord, _call(calls, "Vacuum-insulated cryogenic transfer lines"), ctx)
    company = r.reasons(audience="company", labels=labels)
    officer = r.reasons(audience="officer", labels=labels, company_name="NordCryo")
    cluster = r.reasons(audience="cluster", labels=labels, company_name="NordCryo")
    assert any(line.startswith("your ") for line in company)
    assert all("NordCryo" in line for line in officer)
    assert any("your call" in line for line in officer)
    assert all("NordCryo" in line for line in cluster)
    assert not any("your code" in line or "your call" in line for line in cluster)
    assert any("transfer" in line and "lines" in line for line in officer)


def test_every_sentence_goes_through_gettext(demo, labels):
    companies, calls, ctx = demo
    nord = _company(companies, NORDCRYO_ID)
    for call in calls[:6]:
        r = score(nord, call, ctx)
        for audience in AUDIENCES:
            marked = render_reasons(
                r.components_json(),
                audience=audience,
                labels=labels,
                company_name="NordCryo",
                gettext=lambda s: "«" + s,
            )
            assert all(line.startswith("«") for line in marked)


def test_an_unknown_audience_is_refused(demo):
    companies, calls, ctx = demo
    r = score(companies[0], calls[0], ctx)
    with pytest.raises(ValueError):
        render_reasons(r, audience="visitor")


def test_fit_levels_in_words():
    (strong, _), (good, _), (possible, _) = FIT_LEVELS
    assert fit_level(strong) == "strong" and fit_label(strong) == "strong fit"
    assert fit_level(good) == "good" and fit_label(good + 0.001) == "good fit"
    assert fit_level(possible) == "possible" and fit_label(possible) == "possible fit"
    assert fit_level(possible - 0.001) is None and fit_label(0.0) == ""
    assert fit_label(1.0, gettext=lambda s: s.upper()) == "STRONG FIT"


def test_every_sentence_of_the_reasons_is_in_the_catalogues():
    """Each sentence template of the engine's reasons (a string with a ``{placeholder}``, or one
    handed to ``gettext_noop`` or ``t``) has a translation, in every language of the portal:
    a branch whose template is not marked would stay English on a Danish page."""
    import ast
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    from matchmaking.engine import explain

    tree = ast.parse(Path(explain.__file__).read_text())
    marked = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (
            getattr(node.func, "id", None) == "gettext_noop"
            or getattr(node.func, "attr", None) == "t"
        ):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                marked.add(first.value)
    placeholders = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.search(r"\{[a-z_]+\}", node.value)
        and " " in node.value
    }
    sentences = marked | placeholders
    assert len(sentences) > 40
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        with translation.override(code):
            missing = sorted(s for s in sentences if translation.gettext(s) == s)
        assert not missing, f"{code}: {missing}"
