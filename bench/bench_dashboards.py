"""The outcomes dashboards at 10,000 organisations, 20,000 calls, 200,000 matches and 20,000
funnel steps on PostgreSQL, against naive baselines in the same run.

Run by ``make bench BENCH=dashboards`` (scripts/bench.sh sets DATABASE_URL to a throwaway
PostgreSQL). Bulk-creates the data, times each dashboard through ``django.test.Client`` (the
full stack: middleware, session, URL, view, selectors, templates) for three periods (1, 3 and 10
years), counts the SQL queries of each request (they must not depend on the period), then times
the cluster dashboard and the industrial-return page with naive selectors (one query per member,
and per award with its rate) as the baseline. Deletes what it created. Reports; asserts nothing
about time.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal
from unittest import mock

N_ORGS = 10_000
N_CALLS = 20_000
MATCHES_PER_COMPANY = 20  # 9,998 companies: 199,960 matches
N_STEPS = 20_000
N_AWARDS = 4_000
N_MEMBERS = 300
REPEATS = 20
TARGET_MS = 150.0
PREFIX = "bench-out-"
COUNTRIES = ["DK", "DE", "ES", "FI", "SE", "FR", "IT", "CH", "NL", "PL", "CZ", "GB", "NO", "AT"]


def _percentile(values, pct):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))]


def _populate(rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from matchmaking.models import Match
    from organisations.models import ClusterMembership, Decision, Membership, Organisation
    from outcomes.models import Contribution, ContributionSource, ExchangeRate, FunnelStep
    from tenders.models import Award, ProcurementCall

    now = timezone.now()
    infra = Organisation.objects.create(
        kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE,
        name="Bench Laboratory",
        slug=f"{PREFIX}lab",
        country="CH",
        status=Organisation.Status.PUBLISHED,
        member_states=COUNTRIES,
    )
    cluster = Organisation.objects.create(
        kind=Organisation.Kind.CLUSTER,
        name="Bench Cluster",
        slug=f"{PREFIX}cluster",
        country="DK",
        status=Organisation.Status.PUBLISHED,
    )
    Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.SME,
                name=f"Bench Company {i:05d}",
                slug=f"{PREFIX}{i:05d}",
                country=rng.choice(COUNTRIES),
                status=Organisation.Status.PUBLISHED,
                is_demo=True,
            )
            for i in range(N_ORGS - 2)
        ],
        batch_size=2000,
    )
    companies = list(
        Organisation.objects.filter(slug__startswith=PREFIX, kind=Organisation.Kind.SME)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ProcurementCall.objects.bulk_create(
        [
            ProcurementCall(
                buyer=infra,
                title=f"Bench call {i:05d}",
                reference=f"{PREFIX}{i}",
                status=rng.choice(["published", "closed", "awarded", "published"]),
                stage=rng.choice(["invitation_to_tender", "market_survey", "price_enquiry"]),
                published_at=now - dt.timedelta(days=rng.randint(0, 3650)),
                tender_period_end=now + dt.timedelta(days=rng.randint(-3000, 90)),
                value_currency="CHF",
            )
            for i in range(N_CALLS)
        ],
        batch_size=2000,
    )
    calls = list(
        ProcurementCall.objects.filter(buyer=infra).order_by("pk").values_list("pk", flat=True)
    )
    matches = []
    for ci, company in enumerate(companies):
        for k in range(MATCHES_PER_COMPANY):
            matches.append(
                Match(
                    company_id=company,
                    call_id=calls[(ci * 7 + k * 997) % len(calls)],
                    score=rng.random(),
                    engine_version="bench",
                    rank_for_company=k + 1,
                    computed_at=now,
                )
            )
    Match.objects.bulk_create(matches, batch_size=5000)
    members = companies[:N_MEMBERS]
    ClusterMembership.objects.bulk_create(
        [ClusterMembership(cluster=cluster, member_id=m, status=Decision.APPROVED) for m in members]
    )
    kinds = ["forwarded", "invited", "interest", "interest", "bid", "lost", "awarded"]
    steps = []
    for i in range(N_STEPS):
        company = rng.choice(members) if i % 2 == 0 else rng.choice(companies)
        kind = rng.choice(kinds)
        steps.append(
            FunnelStep(
                company_id=company,
                call_id=rng.choice(calls),
                kind=kind,
                occurred_at=now - dt.timedelta(days=rng.randint(0, 3650)),
                via=cluster if kind == "forwarded" else None,
                value_amount=Decimal(rng.randint(10_000, 5_000_000))
                if kind in ("bid", "awarded")
                else None,
                value_currency=rng.choice(["EUR", "CHF"]),
                value_shared=rng.random() < 0.5,
                source=f"bench:{i}",
            )
        )
    FunnelStep.objects.bulk_create(steps, batch_size=5000)
    Award.objects.bulk_create(
        [
            Award(
                call_id=rng.choice(calls),
                supplier_name=f"Bench supplier {i}",
                supplier_country=rng.choice(COUNTRIES),
                value_amount=Decimal(rng.randint(10_000, 5_000_000)),
                value_currency=rng.choice(["CHF", "CHF", "EUR"]),
                date=(now - dt.timedelta(days=rng.randint(0, 3650))).date(),
            )
            for i in range(N_AWARDS)
        ],
        batch_size=2000,
    )
    source = ContributionSource.objects.create(infrastructure=infra, title="Bench shares")
    Contribution.objects.bulk_create(
        [
            Contribution(
                infrastructure=infra,
                country=c,
                year=y,
                share_percent=Decimal(100) / len(COUNTRIES),
                source=source,
            )
            for c in COUNTRIES
            for y in range(now.year - 10, now.year + 1)
        ]
    )
    for year in range(now.year - 11, now.year + 1):
        for month in (1, 7):
            ExchangeRate.objects.get_or_create(
                currency="CHF",
                valid_from=dt.date(year, month, 1),
                defaults={"eur_per_unit": Decimal("1.05"), "source": f"{PREFIX}rate"},
            )
    User = get_user_model()
    users = {}
    for role, org in (("manager", cluster), ("officer", infra), ("company", None)):
        user = User.objects.create_user(
            username=f"{PREFIX}{role}@example.org", email=f"{PREFIX}{role}@example.org"
        )
        target = org if org is not None else Organisation.objects.get(pk=members[0])
        Membership.objects.create(user=user, organisation=target, role=Membership.Role.ADMIN)
        users[role] = user
    users["staff"] = User.objects.create_user(
        username=f"{PREFIX}staff@example.org", email=f"{PREFIX}staff@example.org", is_staff=True
    )
    return {
        "infra": infra,
        "cluster": cluster,
        "company": Organisation.objects.get(pk=members[0]),
        "users": users,
        "matches": len(matches),
    }


def _cleanup() -> None:
    from django.contrib.auth import get_user_model

    from organisations.models import Organisation
    from outcomes.models import Contribution, ContributionSource, ExchangeRate
    from tenders.models import ProcurementCall

    # contributions hold their source (PROTECT): they go first
    Contribution.objects.filter(infrastructure__slug__startswith=PREFIX).delete()
    ContributionSource.objects.filter(infrastructure__slug__startswith=PREFIX).delete()
    ProcurementCall.objects.filter(buyer__slug=f"{PREFIX}lab").delete()
    Organisation.objects.filter(slug__startswith=PREFIX).delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()
    ExchangeRate.objects.filter(source=f"{PREFIX}rate").delete()


def _time(client, url: str, params: dict) -> tuple[float, float, int]:
    from django.db import connection

    for _ in range(2):
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params}: HTTP {response.status_code}")
    executed = []

    def count(execute, sql, params_, many, context):
        executed.append(sql)
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(count):
        client.get(url, params)
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), _percentile(samples, 95), len(executed)


def _naive_cluster_funnel(*, cluster, period):
    """The baseline: what a first version does, one query per member and measure."""
    from decimal import Decimal

    from matchmaking.models import Match
    from outcomes import selectors
    from outcomes.models import FunnelStep

    rows = []
    for pk, name, country in selectors.cluster_members(cluster):
        steps = FunnelStep.objects.filter(
            company_id=pk, occurred_at__gte=period.start_at, occurred_at__lt=period.end_before
        )
        row = {"id": pk, "name": name, "country": country, "won": Decimal(0), "active": False}
        for measure, kind in (
            ("forwarded", "forwarded"),
            ("interest", "interest"),
            ("bids", "bid"),
            ("wins", "awarded"),
        ):
            row[measure] = steps.filter(kind=kind).count()
        for step in steps.filter(kind="awarded"):
            rate = selectors.rates_used({(step.value_currency, step.occurred_at.date())})
            factor = rate[0].eur_per_unit if rate else Decimal(1)
            row["won"] += (step.value_amount or 0) * factor
        row["recommended"] = Match.objects.filter(
            company_id=pk, rank_for_company__isnull=False
        ).count()
        row["meetings"] = row["agreements"] = 0
        row["active"] = any(row[m] for m in ("forwarded", "interest", "bids", "wins"))
        rows.append(row)
    totals = {m: sum(r[m] for r in rows) for m in selectors.CLUSTER_MEASURES}
    totals["members"] = len(rows)
    totals["supported"] = sum(1 for r in rows if r["active"])
    buckets = period.buckets()
    return {
        "rows": rows,
        "totals": totals,
        "values": {"won": sum(r["won"] for r in rows), "bids_shared": 0, "unconverted": 0},
        "over_time": [
            {"bucket": b, "label": period.label(b), **dict.fromkeys(selectors.CLUSTER_MEASURES, 0)}
            for b in buckets
        ],
    }


def _naive_award_values(infrastructure_id, period):
    """The baseline: every award read, its country and rate looked up one by one."""
    import datetime as dt

    from outcomes import industrial_return as ir
    from outcomes.models import ExchangeRate
    from tenders.models import Award

    out = []
    for award in Award.objects.filter(call__buyer_id=infrastructure_id, value_amount__isnull=False):
        day = award.date or award.call.published_at.date()
        if not (period.start.year <= day.year <= period.end.year):
            continue
        rate = (
            ExchangeRate.objects.filter(currency=award.value_currency, valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )
        country = award.supplier_country.code or (
            award.supplier.country.code if award.supplier_id else ""
        )
        out.append(
            ir.AwardValue(
                country,
                award.value_amount,
                award.value_currency,
                rate.valid_from
                if rate
                else (day if award.value_currency == "EUR" else dt.date.min),
                in_year=day.year,
            )
        )
    return out


def run() -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from outcomes import selectors

    call_command("migrate", verbosity=0)
    rng = random.Random(15)
    _cleanup()
    started = time.perf_counter()
    world = _populate(rng)
    populate_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = timezone.localdate()
    periods = [
        (
            "1 year",
            {"start": (today - dt.timedelta(days=365)).isoformat(), "end": today.isoformat()},
        ),
        ("3 years", {"start": dt.date(today.year - 2, 1, 1).isoformat(), "end": today.isoformat()}),
        (
            "10 years",
            {"start": dt.date(today.year - 9, 1, 1).isoformat(), "end": today.isoformat()},
        ),
    ]
    pages = [
        (
            "company pipeline",
            "company",
            reverse("outcomes:company_pipeline", args=[world["company"].slug]),
        ),
        (
            f"cluster dashboard ({N_MEMBERS} members)",
            "manager",
            reverse("outcomes:cluster_dashboard", args=[world["cluster"].slug]),
        ),
        (
            "cluster Excel export",
            "manager",
            reverse("outcomes:cluster_export", args=[world["cluster"].slug, "xlsx"]),
        ),
        (
            "officer dashboard",
            "officer",
            reverse("outcomes:infrastructure_dashboard", args=[world["infra"].slug]),
        ),
        (
            "industrial return",
            "officer",
            reverse("outcomes:industrial_return", args=[world["infra"].slug]),
        ),
        ("staff: portal health", "staff", reverse("outcomes:portal_health")),
    ]
    rows, baseline = [], []
    try:
        for label, role, url in pages:
            client = Client()
            client.force_login(world["users"][role])
            for period_label, params in periods:
                median, p95, queries = _time(client, url, params)
                rows.append((label, period_label, median, p95, queries))
        # the naive selectors where the views read them: the package's cluster_funnel, and
        # award_values in selectors/infrastructure.py (industrial_return calls it there)
        from outcomes.selectors import infrastructure as infrastructure_selectors

        naive = [
            (
                "cluster dashboard, naive (queries per member)",
                "manager",
                reverse("outcomes:cluster_dashboard", args=[world["cluster"].slug]),
                mock.patch.object(selectors, "cluster_funnel", _naive_cluster_funnel),
            ),
            (
                "industrial return, naive (queries per award)",
                "officer",
                reverse("outcomes:industrial_return", args=[world["infra"].slug]),
                mock.patch.object(infrastructure_selectors, "award_values", _naive_award_values),
            ),
        ]
        for label, role, url, patched in naive:
            client = Client()
            client.force_login(world["users"][role])
            with patched:
                baseline.append((label, "3 years", *_time(client, url, periods[1][1])))
    finally:
        _cleanup()
    load_1m = os.getloadavg()[0]
    worst = max(r[2] for r in rows)
    bounded = all(len({r[4] for r in rows if r[0] == label}) == 1 for label, _role, _url in pages)
    lines = [
        "## Outcomes dashboards",
        "",
        f"{N_ORGS:,} organisations, {N_CALLS:,} calls of one infrastructure, "
        f"{world['matches']:,} matches, {N_STEPS:,} funnel steps, "
        f"{N_AWARDS:,} awards (CHF and EUR, converted with dated rates) and a cluster of "
        f"{N_MEMBERS} members, bulk-created in {populate_s:.1f} s on {connection.vendor}; "
        f"{REPEATS} requests per row through `django.test.Client` (full stack) after two "
        f"warm-ups. Load average when the run ended: {load_1m:.1f} on {os.cpu_count()} cores.",
        "",
        "| page | period | median ms | p95 ms | SQL queries |",
        "|---|---|---:|---:|---:|",
    ]
    for label, period_label, median, p95, queries in rows + baseline:
        lines.append(f"| {label} | {period_label} | {median:.1f} | {p95:.1f} | {queries} |")
    lines += [
        "",
        f"Target: median < {TARGET_MS:.0f} ms for every dashboard and period: worst median "
        f"{worst:.1f} ms, **{'met' if worst < TARGET_MS else 'NOT met'}**. Query counts "
        f"{'are the same for every period of a page' if bounded else 'DIFFER between periods'} "
        "(grouped queries; the number of months, members or awards never adds one). The "
        "baseline rows run the same pages with selectors that ask once per member (the "
        "cluster) or once per award (the return).",
    ]
    return "\n".join(lines)
