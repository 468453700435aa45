"""Scoring one call or one company (``services.scoring``): what is stored (the score and its
components, from which every page renders the reasons for its reader), and how the incremental
runs agree with a full recompute."""

import pytest

from matchmaking import loaders, reasons, selectors, services
from matchmaking.engine import MatchContext, MatchIndex, render_reasons, score
from matchmaking.models import Match, MatchRun
from organisations.signals import profile_changed
from tenders.signals import call_published, call_status_changed

from .helpers import stored_rows

pytestmark = pytest.mark.django_db


def test_publishing_a_call_stores_its_suppliers_with_reasons_after_commit(
    market, django_capture_on_commit_callbacks
):
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_published.send(sender=None, call_id=market["call"].pk)
        run = MatchRun.objects.get(kind="call", target_id=market["call"].pk)
        assert run.status == "queued"
        assert not Match.objects.exists()  # nothing before the commit
    for cb in callbacks:
        cb()
    run.refresh_from_db()
    assert run.status == "succeeded" and run.pairs_scored == 3 and run.duration_seconds is not None
    assert run.enqueued_at is not None and run.attempts == 1
    suppliers = list(
        Match.objects.filter(call=market["call"], rank_for_call__isnull=False).order_by(
            "rank_for_call"
        )
    )
    assert suppliers[0].company == market["gyro"]
    # the German company is excluded (country not eligible), never just ranked lower
    assert market["german"].pk not in [m.company_id for m in suppliers]
    top = suppliers[0]
    assert {c["name"] for c in top.components} == {"text", "cpv", "requirements", "track_record"}
    # the reasons, for the company and for the buyer's liaison officer
    mine = reasons.match_reasons(top, audience="company")
    assert "you hold the required ISO 9001" in mine
    assert any(r.startswith("your code 31600000 ") and "31670000" in r for r in mine), mine
    assert any("gyrotron" in r.lower() for r in mine), mine
    officer = reasons.match_reasons(top, audience="officer")
    assert "GyroTech holds the required ISO 9001" in officer
    assert not any(r.startswith("your code") for r in officer)


def test_reasons_are_rendered_from_the_engine_components(market):
    services.recompute_all_inline()
    stored = Match.objects.get(company=market["gyro"], call=market["call"])
    companies, calls = loaders.load_companies(), loaders.load_open_calls()
    ctx = MatchContext(index=MatchIndex(companies, calls))
    result = score(
        next(c for c in companies if c.id == market["gyro"].pk),
        next(c for c in calls if c.id == market["call"].pk),
        ctx,
    )
    for audience in ("company", "officer", "cluster"):
        assert reasons.match_reasons(stored, audience=audience) == render_reasons(
            result,
            audience=audience,
            labels=selectors.cpv_labels(),
            company_name="GyroTech",
        )
    assert stored.score == pytest.approx(result.score)
    contributions = {c["name"]: c["contribution"] for c in stored.components}
    assert sum(contributions.values()) == pytest.approx(stored.score)


def test_batched_explanations_equal_the_engine_pair_by_pair(market):
    """score_many (one block per call) gives exactly engine.score's components."""
    services.recompute_all_inline()
    companies, calls = loaders.load_companies(), loaders.load_open_calls()
    ctx = MatchContext(index=MatchIndex(companies, calls))
    by_id = {c.id: c for c in companies}
    calls_by_id = {c.id: c for c in calls}
    stored = list(Match.objects.all())
    assert len(stored) >= 4
    for m in stored:
        components = services.explain(by_id[m.company_id], calls_by_id[m.call_id], ctx)
        assert [(c["name"], c["detail"]) for c in m.components] == [
            (c["name"], c["detail"]) for c in components
        ]
        for mine, theirs in zip(m.components, components, strict=True):
            assert mine["value"] == pytest.approx(theirs["value"], abs=1e-12)


def test_profile_change_rescores_the_company(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    vacuum = market["vacuum"]
    vacuum.capabilities = "Gyrotron tubes, RF sources, superconducting magnets."
    vacuum.cpv_codes.set(["31670000"])
    vacuum.save()
    before = Match.objects.get(company=vacuum, call=market["call"]).score
    with django_capture_on_commit_callbacks(execute=True):
        profile_changed.send(sender=None, organisation_id=vacuum.pk)
    after = Match.objects.get(company=vacuum, call=market["call"]).score
    assert after > before
    assert MatchRun.objects.filter(kind="company", target_id=vacuum.pk, status="succeeded").exists()


def test_closed_call_loses_its_matches(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    c = market["call"]
    c.status = "closed"
    c.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_status_changed.send(sender=None, call_id=c.pk, status="closed")
    assert not Match.objects.filter(call=c).exists()
    assert Match.objects.filter(call=market["other"]).exists()
    # and the companies' own lists were re-ranked without it
    for company_id in (market["gyro"].pk, market["vacuum"].pk):
        ranks = sorted(
            Match.objects.filter(company_id=company_id, rank_for_company__isnull=False).values_list(
                "rank_for_company", flat=True
            )
        )
        assert ranks == list(range(1, len(ranks) + 1))


def test_incremental_runs_agree_with_a_full_recompute(market, django_capture_on_commit_callbacks):
    services.recompute_all_inline()
    full = {(c, k): (s, rc, rp) for c, k, s, rc, rp, *_ in stored_rows()}
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for c in (market["call"], market["other"]):
            services.call_score_enqueue(call_id=c.pk)
    incremental = {(c, k): (s, rc, rp) for c, k, s, rc, rp, *_ in stored_rows()}
    assert incremental.keys() == full.keys()
    for key, (s, rc, rp) in full.items():
        assert incremental[key][0] == pytest.approx(s)
        assert incremental[key][1:] == (rc, rp)


def test_reasons_are_written_in_the_readers_language(market):
    """The same stored components read in Danish for a Danish reader: the sentences are
    rendered when the page is shown, in its language."""
    from django.utils import translation

    services.recompute_all_inline()
    stored = Match.objects.select_related("company", "call").get(
        company=market["gyro"], call=market["call"]
    )
    english = reasons.match_reasons(stored, audience="company")
    with translation.override("da"):
        danish = reasons.match_reasons(stored, audience="company")
        certificate = translation.gettext("you hold the required {cert}")
    assert len(danish) == len(english) and danish != english
    assert certificate != "you hold the required {cert}"
    assert certificate.format(cert="ISO 9001") in danish
