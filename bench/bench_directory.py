"""Directory list page at 10,000 organisations on PostgreSQL: filtered pages, and baselines.

Run by ``make bench`` (scripts/bench.sh sets DATABASE_URL to a throwaway PostgreSQL). Creates
10,000 organisations with CPV codes and certifications, times directory requests through
django.test.Client (median and p95 over repeated requests), compares with the same request
without our prefetching (the N+1 baseline) and with the unfiltered page, then deletes what it
created. Reports; asserts nothing about time.
"""

from __future__ import annotations

import os
import random
import statistics
import time

N_ORGS = 10_000
REPEATS = 50
TARGET_MS = 150.0
SLUG_PREFIX = "bench-dir-"

COUNTRIES = ["DK", "DE", "ES", "FI", "LT", "SE", "NO", "FR", "IT", "CH", "NL", "PL", "CZ", "GB"]
WORDS = [
    "vacuum",
    "cryogenic",
    "helium",
    "magnet",
    "RF amplifier",
    "laser",
    "detector",
    "machining",
    "welding",
    "PLC software",
    "tunnel",
    "mirror",
    "klystron",
    "cryostat",
    "power supply",
]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def _populate(rng: random.Random) -> None:
    from organisations.models import Certification, CPVCode, Organisation

    cpv_pool = list(
        CPVCode.objects.filter(prefix__regex=r"^(42|38|31|45|48|72)", level__gte=4).values_list(
            "code", flat=True
        )
    )
    certs = [
        Certification.objects.get_or_create(code=code, defaults={"name": code.upper()})[0]
        for code in ("iso-9001", "iso-14001", "en-9100", "ped")
    ]
    orgs = []
    for i in range(N_ORGS):
        words = rng.sample(WORDS, 3)
        orgs.append(
            Organisation(
                kind=Organisation.Kind.SME,
                name=f"Bench {rng.choice(WORDS).title()} {i:05d}",
                slug=f"{SLUG_PREFIX}{i:05d}",
                country=rng.choice(COUNTRIES),
                status=Organisation.Status.PUBLISHED,
                size_class=rng.choice(["micro", "small", "medium"]),
                capabilities=f"We build {words[0]} systems and offer {words[1]} and "
                f"{words[2]} services for research infrastructures.",
                is_demo=True,
            )
        )
    Organisation.objects.bulk_create(orgs, batch_size=2000)
    ids = list(
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
    )
    cpv_through = Organisation.cpv_codes.through
    cert_through = Organisation.certifications.through
    cpv_links, cert_links = [], []
    for pk in ids:
        for code in rng.sample(cpv_pool, 4):
            cpv_links.append(cpv_through(organisation_id=pk, cpvcode_id=code))
        for cert in rng.sample(certs, rng.randint(0, 2)):
            cert_links.append(cert_through(organisation_id=pk, certification_id=cert.pk))
    cpv_through.objects.bulk_create(cpv_links, batch_size=5000)
    cert_through.objects.bulk_create(cert_links, batch_size=5000)


def _time(client, url: str, params: dict) -> tuple[float, float, int, int]:
    """(median ms, p95 ms, queries, rows) of REPEATS requests after two warm-ups."""
    from django.db import connection

    for _ in range(2):
        client.get(url, params)
    # As a gunicorn worker does once it has loaded the app (bigscience_portal/wsgi.py).
    from bigscience_portal.core.runtime import freeze_startup_objects

    freeze_startup_objects()
    executed = []

    def count_queries(execute, sql, params_, many, context):
        executed.append(sql)
        return execute(sql, params_, many, context)

    with connection.execute_wrapper(count_queries):
        response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params}: HTTP {response.status_code}")
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from organisations.filtersets import OrganisationFilterSet
    from organisations.permissions import visible_organisations

    query = QueryDict(mutable=True)
    query.update(params)
    rows = OrganisationFilterSet(query, queryset=visible_organisations(AnonymousUser())).qs.count()
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), _percentile(samples, 95), len(executed), rows


def run() -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from organisations import permissions, selectors
    from organisations.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    rng = random.Random(7)
    Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    started = time.perf_counter()
    _populate(rng)
    populate_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    client = Client()
    url = reverse("organisations:organisation_list")
    cases = [
        (
            "CPV division 42 + country DE + search “vacuum”, 25 rows",
            {"cpv": "42000000", "country": "DE", "q": "vacuum"},
        ),
        (
            "CPV division 38 + country DK, 100 rows",
            {"cpv": "38000000", "country": "DK", "per_page": 100},
        ),
        (
            "CPV class 4212 (descendants) + verified=no, 50 rows",
            {"cpv": "42120000", "verified": "false", "per_page": 50},
        ),
        ("search “cryostat” + sort by country, 25 rows", {"q": "cryostat", "sort": "-country"}),
        ("unfiltered first page, 25 rows (baseline)", {}),
        ("unfiltered first page, 100 rows", {"per_page": 100}),
    ]
    rows = []
    try:
        for label, params in cases:
            median, p95, queries, count = _time(client, url, params)
            rows.append((label, median, p95, queries, count))
        # Baseline: the same filtered request without prefetching (one query per row and relation).
        original = selectors.directory_queryset
        selectors.directory_queryset = lambda user: permissions.visible_organisations(
            user
        ).order_by("name", "pk")
        try:
            label = "baseline: filtered 100 rows WITHOUT prefetching"
            median, p95, queries, count = _time(
                client, url, {"cpv": "38000000", "country": "DK", "per_page": 100}
            )
            rows.append((label, median, p95, queries, count))
        finally:
            selectors.directory_queryset = original
    finally:
        Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()

    load_1m = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    filtered = [r for r in rows if not r[0].startswith(("unfiltered", "baseline"))]
    worst_median = max(r[1] for r in filtered)
    worst_p95 = max(r[2] for r in filtered)
    p95_met = sum(1 for r in filtered if r[2] < TARGET_MS)
    verdict_median = "met" if worst_median < TARGET_MS else "NOT met"
    verdict_p95 = "met" if p95_met == len(filtered) else "NOT met"
    lines = [
        "## Directory list page (organisations)",
        "",
        f"{N_ORGS:,} published organisations with 4 CPV codes each (bulk-created in "
        f"{populate_s:.1f} s on {connection.vendor}), {REPEATS} requests per row through "
        "`django.test.Client` (full stack: URL, FilterSet, template), after two warm-ups. "
        f"Load average when the run ended: {load_1m:.1f} on {os.cpu_count()} cores "
        "(figures taken on a shared, busy machine are inflated accordingly).",
        "",
        "| request | median ms | p95 ms | SQL queries | matching organisations |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, median, p95, queries, count in rows:
        lines.append(f"| {label} | {median:.1f} | {p95:.1f} | {queries} | {count:,} |")
    lines += [
        "",
        f"Target: a filtered page in < {TARGET_MS:.0f} ms. By the median: worst filtered page "
        f"{worst_median:.1f} ms, target **{verdict_median}**. By the p95: worst {worst_p95:.1f} ms, "
        f"{p95_met} of {len(filtered)} filtered pages under the target, **{verdict_p95}** for all. "
        "The query count of a page does not depend on its size (prefetching); the baseline row "
        "shows the same request without it.",
    ]
    return "\n".join(lines)
