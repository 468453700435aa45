"""Soak of the public pages: 50 clients for 60 s over the mix a visitor reaches, on gunicorn
with the production settings, beside ``/healthz`` on the same server in the same run.

The data: the demo data set plus generated volume (``COMPANIES`` companies, ``CALLS`` calls of
the demo infrastructures, ``EVENTS`` events), on PostgreSQL. The mix: the home page, the calls
list with searches and filters, call pages, the directory with filters, organisation pages, the
events list and event pages (``mix()``: a few hundred distinct paths, walked in a shuffled
order by every client, again and again). Anonymous visitors, as a crawler or a newcomer is.

First, where each page's time goes, in-process (``django.test.Client``): the median time and
queries per page type, and the share of the template engine and of the database in a profile of
a round of every page. Then the load: ``wrk``, ``CLIENTS`` connections, ``SECONDS`` s on the
mix, after ``HEALTH_SECONDS`` s on ``/healthz``. Targets (issue 14): 0 errors, p99 <= 500 ms,
and the mix's rate at least a quarter of the ``/healthz`` rate.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from bench import serving

REPO = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_SOAK_CLIENTS", "50"))
SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))
HEALTH_SECONDS = int(os.environ.get("BENCH_SOAK_HEALTH_SECONDS", "30"))
COMPANIES = int(os.environ.get("BENCH_SOAK_COMPANIES", "2000"))
CALLS = int(os.environ.get("BENCH_SOAK_CALLS", "3000"))
EVENTS = int(os.environ.get("BENCH_SOAK_EVENTS", "150"))
SLUG_PREFIX = "bench-soak-"
#: the headers by which the page caches say "hit" (the calls list's own, and the others')
CACHE_HEADERS = "X-Page-Cache,X-Calls-Cache"
WORDS = [
    "cryogenic", "vacuum", "magnet", "valve", "detector", "laser", "cavity", "gyrotron",
    "cryostat", "shielding", "controls", "welding", "optics", "pump", "coil",
]  # fmt: skip


def _populate(rng: random.Random) -> None:
    """Bulk-create the generated companies, calls and events (marked by ``SLUG_PREFIX``)."""
    from events.models import Event
    from organisations.models import CPVCode, Organisation
    from tenders.models import ProcurementCall

    codes = list(CPVCode.objects.filter(level__gte=3).values_list("code", flat=True)[:400])
    companies = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=Organisation.Kind.SME,
                name=f"Soak {rng.choice(WORDS).title()} {n} (bench)",
                slug=f"{SLUG_PREFIX}company-{n}",
                country=rng.choice(["DK", "DE", "ES", "LT", "SE", "FI", "NO", "FR"]),
                city="Benchville",
                status=Organisation.Status.PUBLISHED,
                size_class=Organisation.SizeClass.SMALL,
                capabilities=" ".join(rng.sample(WORDS, 5)) + " systems for research facilities.",
            )
            for n in range(COMPANIES)
        ],
        batch_size=1000,
    )
    through = Organisation.cpv_codes.through
    through.objects.bulk_create(
        [
            through(organisation_id=c.pk, cpvcode_id=code)
            for c in companies
            for code in rng.sample(codes, 3)
        ],
        batch_size=5000,
    )
    buyers = list(
        Organisation.objects.filter(kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE).acting()
    )
    now = datetime.now(UTC)
    ProcurementCall.objects.bulk_create(
        [
            ProcurementCall(
                buyer=rng.choice(buyers),
                reference=f"SOAK-{n:05d}",
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} supply, lot {n % 9 + 1}",
                description=" ".join(rng.choices(WORDS, k=60)),
                main_cpv_id=rng.choice(codes),
                tender_period_end=now + timedelta(days=rng.randint(-200, 150)),
                status=rng.choice(["published"] * 6 + ["closed", "awarded"]),
                published_at=now - timedelta(days=rng.randint(1, 300)),
            )
            for n in range(CALLS)
        ],
        batch_size=2000,
    )
    organisers = list(Organisation.objects.filter(kind=Organisation.Kind.CLUSTER).acting()[:5])
    starts = [now + timedelta(days=rng.randint(-100, 200)) for _ in range(EVENTS)]
    events = Event.objects.bulk_create(
        [
            Event(
                kind=Event.Kind.WORKSHOP,
                title=f"{rng.choice(WORDS).title()} industry day {n}",
                slug=f"{SLUG_PREFIX}event-{n}",
                starts_at=starts[n],
                ends_at=starts[n] + timedelta(hours=8),
                time_zone="Europe/Copenhagen",
                venue="Bench Hall",
                venue_city="Aarhus",
                venue_country="DK",
                status=Event.Status.PUBLISHED,
                description=" ".join(rng.choices(WORDS, k=40)),
            )
            for n in range(EVENTS)
        ]
    )
    Event.organisers.through.objects.bulk_create(
        [
            Event.organisers.through(event_id=e.pk, organisation_id=rng.choice(organisers).pk)
            for e in events
        ]
    )


def mix(rng: random.Random) -> list[str]:
    """The public pages of the soak, each once, shuffled."""
    from events.models import Event
    from organisations.models import Organisation
    from tenders.models import ProcurementCall

    paths = ["/"] * 10
    for _ in range(40):
        params = {"q": rng.choice(WORDS)}
        if rng.random() < 0.5:
            params["stage"] = rng.choice(["invitation_to_tender", "market_survey", ""])
        if rng.random() < 0.3:
            params["include_closed"] = "on"
        paths.append("/calls/?" + urlencode({k: v for k, v in params.items() if v}))
    paths += ["/calls/"] * 10
    calls = list(ProcurementCall.objects.exclude(status="draft").values_list("pk", flat=True))
    paths += [f"/calls/{pk}/" for pk in rng.sample(calls, min(120, len(calls)))]
    for _ in range(30):
        params = {"q": rng.choice(WORDS)}
        if rng.random() < 0.5:
            params["country"] = rng.choice(["DK", "DE", "ES", "LT"])
        paths.append("/organisations/?" + urlencode(params))
    paths += ["/organisations/"] * 5
    slugs = list(
        Organisation.objects.filter(status="published").acting().values_list("slug", flat=True)
    )
    paths += [f"/organisations/{s}/" for s in rng.sample(slugs, min(120, len(slugs)))]
    paths += ["/events/"] * 5
    events = list(Event.objects.filter(status="published").values_list("slug", flat=True))
    paths += [f"/events/{s}/" for s in rng.sample(events, min(40, len(events)))]
    rng.shuffle(paths)
    return paths


def _kind(path: str) -> str:
    if path == "/":
        return "home"
    first = path.strip("/").split("/")[0].split("?")[0]
    listing = path.count("/") <= 2 and (path.endswith("/") or "?" in path)
    names = {"calls": "call", "organisations": "organisation", "events": "event"}
    return f"{first} list" if listing else f"{names.get(first, first)} page"


def _in_process(paths: list[str]) -> tuple[list[tuple[str, float, int, int]], str]:
    """Per page kind: (kind, median ms, median queries, pages); and where a round's time goes."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    for path in paths[:20]:
        client.get(path)  # warm-up
    by_kind: dict[str, list[tuple[float, int]]] = {}
    for path in paths:
        cache.clear()  # every page rendered, none served from the page cache
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        by_kind.setdefault(_kind(path), []).append((elapsed, len(queries)))
    rows = [
        (
            kind,
            statistics.median(t for t, _ in values),
            int(statistics.median(q for _, q in values)),
            len(values),
        )
        for kind, values in sorted(by_kind.items())
    ]
    profile = cProfile.Profile()
    profile.enable()
    for path in paths:
        cache.clear()
        client.get(path)
    profile.disable()
    stats = pstats.Stats(profile)
    top = stats.total_tt or 1.0
    share = {"templates": 0.0, "database driver": 0.0, "ORM (queries built)": 0.0}
    for (filename, _line, _name), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        if "django/template" in filename:
            share["templates"] += tt
        elif "psycopg" in filename:
            share["database driver"] += tt
        elif "django/db/models" in filename:
            share["ORM (queries built)"] += tt
    where = ", ".join(f"{name} {100 * value / top:.0f}%" for name, value in share.items())
    return rows, f"{where} of {top:.1f} s of Python for one round of {len(paths)} pages"


def _cleanup() -> None:
    from events.models import Event
    from organisations.models import Organisation
    from tenders.models import ProcurementCall

    ProcurementCall.objects.filter(reference__startswith="SOAK-").delete()
    Event.objects.filter(slug__startswith=SLUG_PREFIX).delete()
    Organisation.objects.filter(slug__startswith=SLUG_PREFIX).delete()


def run() -> str:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo", verbosity=0)
    _cleanup()
    rng = random.Random(20261201)
    started = time.perf_counter()
    _populate(rng)
    populate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    paths = mix(rng)
    rows, where = _in_process(paths)
    connection.close()  # gunicorn's workers open their own connections

    secret_key = secrets.token_urlsafe(50)
    cpu_before = serving.cpu_times()
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as log:
        port = serving.free_port()
        env = serving.server_env(folder, "soak", REPO, secret_key)
        proc = serving.start_gunicorn(port, log, code=REPO, env=env)
        try:
            serving.wrk(port, paths, seconds=5, clients=CLIENTS, cache_header=CACHE_HEADERS)
            health = serving.wrk(port, ["/healthz"], seconds=HEALTH_SECONDS, clients=CLIENTS)
            load = serving.wrk(
                port, paths, seconds=SECONDS, clients=CLIENTS, cache_header=CACHE_HEADERS
            )
            cpu = serving.cpu_share(cpu_before, serving.cpu_times())
        finally:
            serving.stop(proc)
    _cleanup()

    ratio = load["throughput"] / health["throughput"] if health["throughput"] else 0.0
    met = load["failed"] == 0 and health["failed"] == 0 and load["p99"] <= 500 and ratio >= 0.25
    kinds = "\n".join(f"| {kind} | {ms:.1f} | {queries} | {n} |" for kind, ms, queries, n in rows)
    return f"""## Soak of the public pages (`bench/bench_soak.py`)

Data: the demo data set plus {COMPANIES:,} companies, {CALLS:,} calls and {EVENTS:,} events
generated in {populate_s:.1f} s on {connection.vendor}. The mix: {len(paths)} paths (the home page,
the calls list with searches and filters, call pages, the directory with filters, organisation
pages, the events list and event pages), anonymous, walked by every client in a shuffled order.

Where each page's time goes (in-process, the page cache cleared before every request):

| page | median ms | queries | pages |
|---|---:|---:|---:|
{kinds}

A profile of one round of every page: {where}.

Load: gunicorn with `gunicorn.conf.py` and the production settings (Redis cache, the anonymous
page cache), `wrk` with {CLIENTS} connections: `/healthz` for {HEALTH_SECONDS} s, then the mix
for {SECONDS} s on the same server.

| load | requests | rate | median | p99 | errors | page-cache hits |
|---|---:|---:|---:|---:|---:|---:|
| `/healthz` | {health["requests"]:,} | {health["throughput"]:.0f} req/s | {health["median"]:.1f} ms | {health["p99"]:.1f} ms | {health["failed"]} | - |
| the public mix | {load["requests"]:,} | {load["throughput"]:.0f} req/s | {load["median"]:.1f} ms | {load["p99"]:.1f} ms | {load["failed"]} | {load["hits"]:,} |

Targets: 0 errors, p99 <= 500 ms, the mix at >= 25% of the `/healthz` rate: the mix ran at
{100 * ratio:.0f}% of it; **{"met" if met else "NOT met"}**. CPU during the loads: {cpu}.
"""
