"""Benchmark of the calls list: 20,000 calls on PostgreSQL, 16 concurrent clients on gunicorn.

``run()`` returns a Markdown section. It needs the PostgreSQL of ``DATABASE_URL`` and the Redis
of ``REDIS_URL`` (``make bench`` starts throwaway ones) and ``wrk`` (Debian's package; ``make
bench`` installs it). It migrates, loads the reference data, bulk-creates the calls, and serves
them with gunicorn as production does: ``gunicorn.conf.py`` (gthread workers, one more than
the cores, 2 threads each), the production settings (Redis cache, persistent database connections with
health checks, compressed manifest static files after ``collectstatic``), behind what a TLS
proxy sends (``X-Forwarded-Proto: https``). ``wrk`` (C, a separate process: the load generator
costs the server little CPU) keeps 16 connections busy for ``BENCH_SECONDS`` per run:

* uncached: every request a different filtered, searched querystring (each requested once,
  so every request misses the anonymous page cache) - the cost of rendering the list;
* signed in: the same kind of querystrings for a signed-in SME member (never cached);
* cached steady state: 16 popular searches (Zipf-like mix) after a warm-up - mostly hits;
* the unfiltered first page, as the first bench measured it;
* before/after: the uncached and the signed-in mixes against the code of ``BENCH_BEFORE`` (a
  commit, exported with ``git archive``; empty to skip), same database, same configuration,
  same load.

Both servers run side by side; the uncached, signed-in and before loads alternate for
``BENCH_ROUNDS`` rounds (a slow spell of the machine then falls on all of them), each run with
querystrings no other run used.

Everything it created is deleted at the end. Environment: ``BENCH_CALLS`` (default 20000),
``BENCH_SECONDS`` (default 10), ``BENCH_ROUNDS`` (default 3).
"""

from __future__ import annotations

import os
import random
import runpy
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from bench import serving

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

N_CALLS = int(os.environ.get("BENCH_CALLS", "20000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLIENTS = 16
#: Distinct querystrings per uncached load: more than 16 clients can ask for in SECONDS.
N_PATHS = 600 * SECONDS
#: The code before the list moved onto the shared stack (the "before" figures: the calls list
#: that built its rows and filter form as HTML strings in Python); empty to skip.
BEFORE = os.environ.get("BENCH_BEFORE", "470e470")
SLUG_PREFIX = "bench-calls-"

# Real infrastructures (public facts: name, acronym, country, city).
INFRASTRUCTURES = [
    ("CERN", "CERN", "CH", "Geneva"),
    ("ITER Organization", "ITER", "FR", "Saint-Paul-lez-Durance"),
    ("Fusion for Energy", "F4E", "ES", "Barcelona"),
    ("European Spallation Source", "ESS", "SE", "Lund"),
    ("European Synchrotron Radiation Facility", "ESRF", "FR", "Grenoble"),
    ("European XFEL", "XFEL", "DE", "Schenefeld"),
    ("Deutsches Elektronen-Synchrotron", "DESY", "DE", "Hamburg"),
    ("European Southern Observatory", "ESO", "DE", "Garching"),
    ("European Space Agency", "ESA", "FR", "Paris"),
    ("Institut Laue-Langevin", "ILL", "FR", "Grenoble"),
    ("European Molecular Biology Laboratory", "EMBL", "DE", "Heidelberg"),
    ("Facility for Antiproton and Ion Research", "FAIR", "DE", "Darmstadt"),
    ("SKA Observatory", "SKAO", "GB", "Jodrell Bank"),
    ("Extreme Light Infrastructure ERIC", "ELI", "CZ", "Dolní Břežany"),
    ("Paul Scherrer Institute", "PSI", "CH", "Villigen"),
]

# Domain vocabularies: (objects, qualifiers, CPV codes of the domain).
DOMAINS = {
    "cryogenics": (
        [
            "helium refrigerator",
            "cold box",
            "cryostat",
            "transfer line",
            "cryopump",
            "dewar",
            "heat exchanger",
            "turboexpander",
            "thermal shield",
        ],
        ["cryogenic", "superfluid", "1.8 K", "4.5 K", "vacuum-jacketed", "liquid nitrogen"],
        ["42512000", "42513200", "24111500", "39715000"],
    ),
    "vacuum": (
        ["vacuum chamber", "turbomolecular pump", "ion pump", "bellows", "gate valve", "flange"],
        ["ultra-high vacuum", "bakeable", "stainless steel", "leak-tight", "NEG-coated"],
        ["42122000", "42131000", "44163000", "43327000"],
    ),
    "magnets": (
        ["dipole magnet", "quadrupole magnet", "corrector magnet", "coil", "power converter"],
        ["superconducting", "Nb3Sn", "NbTi", "resistive", "high-field", "pulsed"],
        ["31000000", "31100000", "31170000", "31600000"],
    ),
    "rf": (
        ["klystron", "gyrotron", "RF cavity", "waveguide", "solid-state amplifier", "coupler"],
        ["high-power", "170 GHz", "704 MHz", "continuous-wave", "pulsed", "low-level"],
        ["31670000", "32000000", "32500000", "31700000"],
    ),
    "civil": (
        ["tunnel", "experimental hall", "access shaft", "cooling tower", "service building"],
        ["underground", "reinforced concrete", "shielded", "seismic", "modular"],
        ["45000000", "45200000", "45221000", "45300000"],
    ),
    "engineering": (
        ["design study", "engineering support", "quality assurance", "installation", "testing"],
        ["mechanical", "electrical", "remote-handling", "radiation-hard", "precision"],
        ["71000000", "71300000", "71600000", "73000000"],
    ),
}
VERBS = ["Supply of", "Design and manufacture of", "Framework contract for", "Maintenance of"]
SENTENCES = [
    "The contractor shall design, manufacture, test and deliver the {obj} to the {site} site.",
    "Acceptance tests include pressure, leak and {qual} performance tests at the factory.",
    "The {obj} must comply with the applicable pressure equipment and machinery directives.",
    "Tenderers shall demonstrate experience with {qual} equipment for research facilities.",
    "Delivery is expected within {months} months of the signature of the contract.",
    "Documentation, spare parts and on-site support during commissioning are part of the scope.",
]

SEARCH_PARAMS = {"q": "cryogenic", "stage": "invitation_to_tender", "cpv": "42"}

SEARCH_WORDS = sorted(
    {
        word
        for objects, qualifiers, _ in DOMAINS.values()
        for phrase in objects + qualifiers
        for word in phrase.split()
        if len(word) > 3 and word.isalpha()
    }
)


def querystrings(n: int, seed: int) -> list[str]:
    """``n`` distinct querystrings of the list: a search word or two plus random filters."""
    rng = random.Random(seed)
    stages = ["", "", "invitation_to_tender", "market_survey", "price_enquiry"]
    cpvs = ["", "", "", "42", "31", "45", "71", "4251", "3117"]
    buyers = [""] * 4 + [f"{SLUG_PREFIX}{a.lower()}" for _, a, _, _ in INFRASTRUCTURES]
    seen: set[str] = set()
    out = []
    while len(out) < n:
        params = {"q": " ".join(rng.sample(SEARCH_WORDS, rng.choice([1, 1, 2])))}
        for name, choices in (
            ("stage", stages),
            ("cpv", cpvs),
            ("buyer", buyers),
            ("procedure", ["", "", "", "open", "restricted"]),
            ("include_closed", ["", "", "", "on"]),
            ("sort", ["", "", "deadline", "newest"]),
            ("page", ["", "", "", "", "2"]),
        ):
            value = rng.choice(choices)
            if value:
                params[name] = value
        qs = urlencode(params)
        if qs not in seen:
            seen.add(qs)
            out.append("/calls/?" + qs)
    return out


def _create(n_calls: int) -> tuple[list[int], int]:
    """Bulk-create the infrastructures and calls; (organisation ids, number of calls)."""
    from organisations.models import CPVCode, Organisation
    from tenders.models import ProcurementCall

    rng = random.Random(20260601)
    orgs = [
        Organisation.objects.create(
            kind=Organisation.Kind.RESEARCH_INFRASTRUCTURE,
            name=f"{name} (bench)",
            slug=f"{SLUG_PREFIX}{acronym.lower()}",
            acronym=acronym,
            country=country,
            city=city,
            status=Organisation.Status.PUBLISHED,
        )
        for name, acronym, country, city in INFRASTRUCTURES
    ]
    known = set(CPVCode.objects.values_list("code", flat=True))
    now = datetime.now(UTC)
    stages = [ProcurementCall.Stage.INVITATION_TO_TENDER] * 6 + [
        ProcurementCall.Stage.MARKET_SURVEY,
        ProcurementCall.Stage.PRICE_ENQUIRY,
        ProcurementCall.Stage.EXPRESSION_OF_INTEREST,
        ProcurementCall.Stage.ADVANCE_NOTICE,
    ]
    calls = []
    cpv_links = []
    for i in range(n_calls):
        domain = rng.choice(list(DOMAINS))
        objects, qualifiers, cpvs = DOMAINS[domain]
        obj, qual = rng.choice(objects), rng.choice(qualifiers)
        buyer = rng.choice(orgs)
        sentences = rng.sample(SENTENCES, 4)
        description = " ".join(
            s.format(obj=obj, qual=qual, site=buyer.acronym, months=rng.randint(6, 36))
            for s in sentences
        )
        roll = rng.random()
        if roll < 0.6:
            status, deadline = "published", now + timedelta(days=rng.randint(1, 120))
        elif roll < 0.85:
            status, deadline = "closed", now - timedelta(days=rng.randint(1, 400))
        else:
            status, deadline = "awarded", now - timedelta(days=rng.randint(30, 700))
        main = rng.choice([c for c in cpvs if c in known] or [None])
        amount = Decimal(rng.choice([50, 120, 400, 900, 2500, 7000, 15000]) * 1000)
        calls.append(
            ProcurementCall(
                buyer=buyer,
                reference=f"{buyer.acronym}-{2026 - i % 5}-{i:05d}",
                title=f"{rng.choice(VERBS)} {qual} {obj}s (lot {i % 7 + 1})",
                description=description,
                stage=rng.choice(stages),
                procurement_method=rng.choice(["open", "restricted", "negotiated"]),
                main_procurement_category="works" if domain == "civil" else "goods",
                main_cpv_id=main,
                value_amount=amount,
                value_band="A" if amount < 750_000 else "B" if amount < 5_000_000 else "C",
                tender_period_end=deadline,
                enquiry_period_end=deadline - timedelta(days=10),
                language="en",
                country=buyer.country,
                status=status,
                published_at=deadline - timedelta(days=rng.randint(20, 60)),
            )
        )
        cpv_links.append([c for c in rng.sample(cpvs, 2) if c in known and c != main])
    created = ProcurementCall.objects.bulk_create(calls, batch_size=2000)
    through = ProcurementCall.additional_cpv.through
    through.objects.bulk_create(
        [
            through(procurementcall_id=call.pk, cpvcode_id=code)
            for call, codes in zip(created, cpv_links, strict=True)
            for code in codes
        ],
        batch_size=5000,
    )
    return [o.pk for o in orgs], len(created)


def _fill_search_vector() -> str:
    """The migration's trigger fills ``search_vector`` on INSERT; fill it here only if it did not."""
    from django.db import connection

    from tenders.models import ProcurementCall

    if not hasattr(ProcurementCall, "search_vector"):
        return "no search_vector field"
    missing = ProcurementCall.objects.filter(search_vector__isnull=True).count()
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE tenders_procurementcall SET search_vector = "
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('english', coalesce(reference, '')), 'A') || "
                "setweight(to_tsvector('english', coalesce(description, '')), 'B') "
                "WHERE search_vector IS NULL"
            )
    # as autovacuum would soon after a bulk load: statistics, visibility map and hint bits set
    # now rather than by the first measured requests
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) tenders_procurementcall")
        cursor.execute("VACUUM (ANALYZE) tenders_procurementcall_additional_cpv")
    return "filled by the trigger" if not missing else f"{missing} filled by UPDATE"


def _flush_cache() -> None:
    """Drop the cached list pages from the Redis of ``REDIS_URL`` between loads."""
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(match="*tenders:calls:page:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def _popular(paths: list[str], total: int, seed: int) -> list[str]:
    """``total`` requests over ``paths`` with a Zipf-like popularity (the first most asked)."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(len(paths))]
    return rng.choices(paths, weights=weights, k=total)


def _signed_in_cookie(secret_key: str) -> tuple[str, list]:
    """A session cookie of a signed-in member of a (bench) company, valid for servers that use
    ``secret_key``; and what to delete afterwards."""
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    from organisations.models import Membership, Organisation

    company = Organisation.objects.create(
        kind=Organisation.Kind.SME,
        name="Bench Cryogenics (bench)",
        slug=f"{SLUG_PREFIX}company",
        country="DK",
        status=Organisation.Status.PUBLISHED,
    )
    user = get_user_model().objects.create_user(
        username="bench-member", email="bench-member@bench.example", password=None
    )
    Membership.objects.create(user=user, organisation=company, role=Membership.Role.EDITOR)
    client = Client()
    with override_settings(SECRET_KEY=secret_key):
        client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}", [user, company]


def _export(commit: str, folder: str) -> Path | None:
    """The tree of ``commit`` (``git archive``) in ``folder``; None if git cannot."""
    target = Path(folder) / "before"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=REPO, capture_output=True, check=False
    )
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def _in_process(params: dict) -> tuple[float, float, int, int]:
    """The list query in-process: the FilterSet (full-text search, GIN index) against a naive
    ``icontains`` search through the ORM with the same other filters; best of 5, ms."""
    from django.db.models import Q
    from django.http import QueryDict

    from tenders.models import ProcurementCall
    from tenders.selectors import call_search

    class Anonymous:
        is_authenticated = False
        is_staff = False

    def fts():
        qs, _ = call_search(user=Anonymous(), params=QueryDict(urlencode(params)))
        return qs.count(), list(qs[:20])

    def naive():
        now = datetime.now(UTC)
        qs = ProcurementCall.objects.filter(
            Q(title__icontains=params["q"]) | Q(description__icontains=params["q"]),
            status="published",
            tender_period_end__gt=now,
            stage=params["stage"],
        ).filter(
            Q(main_cpv__code__startswith=params["cpv"])
            | Q(additional_cpv__code__startswith=params["cpv"])
        )
        qs = qs.distinct().order_by("tender_period_end", "pk")
        return qs.count(), list(qs[:20])

    def best(fn):
        times = []
        for _ in range(5):
            started = time.perf_counter()
            count, _ = fn()
            times.append((time.perf_counter() - started) * 1000)
        return min(times), count

    fts_ms, fts_n = best(fts)
    naive_ms, naive_n = best(naive)
    return fts_ms, naive_ms, fts_n, naive_n


def _in_process_page(paths: list[str]) -> float:
    """Median ms of rendering uncached list pages through Django's test client (no cache)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    times = []
    for path in paths:
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


def _cleanup(org_ids: list[int]) -> None:
    from organisations.models import Organisation
    from tenders.models import ProcurementCall

    ProcurementCall.objects.filter(buyer_id__in=org_ids).delete()
    Organisation.objects.filter(pk__in=org_ids).delete()


def _summary(runs: list[dict]) -> dict:
    """The runs of one load: the middle run's figures (by median) and every run's."""
    ordered = sorted(runs, key=lambda r: r["median"])
    middle = dict(ordered[len(ordered) // 2])
    middle["p95"] = statistics.median(r["p95"] for r in runs)
    middle["runs"] = runs
    return middle


def run() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        return "## Calls list\n\nSkipped: needs PostgreSQL and Redis; run `make bench`."
    if shutil.which("wrk") is None:
        return "## Calls list\n\nSkipped: needs `wrk` (`make bench` installs it)."

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    org_ids, n_calls = _create(N_CALLS)
    vector = _fill_search_vector()
    create_s = time.perf_counter() - started
    secret_key = secrets.token_urlsafe(48)
    cookie, signed_in_objects = _signed_in_cookie(secret_key)
    connection.close()  # gunicorn's workers open their own connections

    searched = "/calls/?" + urlencode(SEARCH_PARAMS)
    plain = "/calls/"
    distinct = iter(querystrings(4 * ROUNDS * N_PATHS + 50, seed=7))
    warmup = [next(distinct) for _ in range(50)]
    popular = _popular([searched, *querystrings(15, seed=11)], 4000, seed=13)
    runs: dict[str, list[dict]] = {}
    procs: dict[str, subprocess.Popen] = {}
    ports: dict[str, int] = {}
    cpu_before = serving.cpu_times()
    try:
        with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as log:
            codes = {"after": REPO}
            if BEFORE and (before_code := _export(BEFORE, folder)):
                codes["before"] = before_code
            try:
                for label, code in codes.items():
                    ports[label] = serving.free_port()
                    env = serving.server_env(folder, label, code, secret_key)
                    procs[label] = serving.start_gunicorn(ports[label], log, code=code, env=env)
                    status, body, _ = serving.get(ports[label], searched)
                    if status != 200 or b"cryogenic" not in body.lower():
                        raise RuntimeError(f"{searched} answered HTTP {status} without the calls")
                    serving.wrk(
                        ports[label], [*warmup, searched, plain], seconds=3, clients=CLIENTS
                    )  # warm the workers
                for label in procs:
                    status, body, _ = serving.get(ports[label], searched, cookie)
                    if status != 200 or b"Log in</a> to save this search" in body:
                        raise RuntimeError(f"the session cookie did not sign in ({label})")

                def measure(name: str, label: str, **kwargs) -> None:
                    _flush_cache()
                    paths = [next(distinct) for _ in range(N_PATHS)]
                    result = serving.wrk(
                        ports[label], paths, seconds=SECONDS, **kwargs, clients=CLIENTS
                    )
                    runs.setdefault(name, []).append(result)

                # the loads alternate, round after round, so that a slow spell of the machine
                # falls on all of them rather than on one
                for _ in range(ROUNDS):
                    measure("uncached", "after")
                    measure("signed in", "after", cookie=cookie)
                    if "before" in procs:
                        measure("before uncached", "before")
                        measure("before signed in", "before", cookie=cookie)
                _flush_cache()
                serving.wrk(
                    ports["after"], popular, seconds=3, clients=CLIENTS
                )  # the popular pages get cached
                runs["cached"] = [
                    serving.wrk(ports["after"], popular, seconds=SECONDS, clients=CLIENTS)
                ]
                runs["plain"] = [
                    serving.wrk(ports["after"], [plain], seconds=SECONDS, clients=CLIENTS)
                ]
                cpu = serving.cpu_share(
                    cpu_before, serving.cpu_times()
                )  # while the servers still run
            except Exception:
                log.seek(0)
                sys.stderr.write(log.read().decode(errors="replace")[-4000:])
                raise
            finally:
                for proc in procs.values():
                    serving.stop(proc)
        fts_ms, naive_ms, fts_n, naive_n = _in_process(SEARCH_PARAMS)
        page_ms = _in_process_page(querystrings(40, seed=17))
    finally:
        for obj in signed_in_objects:
            obj.delete()
        _cleanup(org_ids)
    results = {name: _summary(load) for name, load in runs.items()}
    conf = runpy.run_path(str(serving.GUNICORN_CONF))

    def verdict(r: dict) -> str:
        median = "met" if r["median"] < 100 else "NOT met"
        p95 = "met" if r["p95"] < 250 else "NOT met"
        return f"median {median}, p95 {p95}"

    def row(label: str, r: dict) -> str:
        each = (
            ", ".join(f"{x['median']:.0f}/{x['p95']:.0f}" for x in r["runs"])
            if len(r["runs"]) > 1
            else "-"
        )
        requests = sum(x["requests"] for x in r["runs"])
        hits = sum(x["hits"] for x in r["runs"])
        repeats = sum(x["wraps"] for x in r["runs"])
        failed = sum(x["failed"] for x in r["runs"])
        return (
            f"| {label} | {requests} | {hits} | {repeats} | {r['median']:.1f} ms "
            f"| {r['p95']:.1f} ms | {each} | {r['throughput']:.0f} req/s "
            f"| {failed} | {verdict(r)} |"
        )

    rows = [
        row(
            "**uncached**: a different filtered, searched querystring per request, anonymous",
            results["uncached"],
        ),
        row(
            "**signed in** (an SME member; never cached): the same kind of querystrings",
            results["signed in"],
        ),
        row("cached steady state: 16 popular searches, Zipf-like mix", results["cached"]),
        row("unfiltered first page `/calls/` (the first bench's page)", results["plain"]),
    ]
    if "before uncached" in results:
        rows += [
            row(f"before (`{BEFORE}`): the uncached mix", results["before uncached"]),
            row(f"before (`{BEFORE}`): the signed-in mix", results["before signed in"]),
        ]
    ratio = ""
    if "before uncached" in results:
        pairs = [("uncached", "before uncached"), ("signed in", "before signed in")]
        ratio = (
            "After against before, same run (1.00: as fast): "
            + "; ".join(
                f"{name} median {results[a]['median'] / results[b]['median']:.2f}, "
                f"p95 {results[a]['p95'] / results[b]['p95']:.2f}"
                for (a, b), name in zip(pairs, ("uncached", "signed in"), strict=True)
            )
            + ".\n"
        )
    return f"""## Calls list (`bench/bench_calls.py`)

{n_calls:,} calls of {len(org_ids)} infrastructures bulk-created on PostgreSQL in {create_s:.1f} s
(search vectors {vector}; then `VACUUM ANALYZE`). Served as in production: gunicorn with
`gunicorn.conf.py` (on this {os.cpu_count()}-core machine {conf["workers"]} `gthread` workers x
{conf["threads"]} threads), the production settings (Redis cache, persistent database connections with health
checks, compressed manifest static files), requests carrying the `X-Forwarded-Proto: https` of
a TLS proxy. Load: `wrk`, {CLIENTS} connections (keep-alive) for {SECONDS} s per run, on the
same machine. The uncached, signed-in and before loads run {ROUNDS} times each, alternating
(round after round), so that a slow spell of the machine falls on all of them; their row gives
the middle run (by median) and the median of the runs' p95, and lists every run as
median/p95 ms.

What is cached, and for how long: for visitors who are not logged in, the whole rendered list page,
60 seconds, keyed by the language and the full querystring, stored with the list's version
number, which every write to a call (and to a buyer or a call's CPV codes) bumps, so a publish,
edit or close shows at once (`tenders/caches.py`, a `core.pagecache.PageCache`). Signed-in users
are never served a cached page. "hits" counts requests answered from that cache (`X-Calls-Cache: hit`); "repeats" counts
how often a client started its list of querystrings again (0: each was requested once).

What is measured: the list as a `PortalListView` of the shared stack, its rows
(`tenders/_call_row.html`) and filter form (`core/_filters.html`, each field through
`core/_field.html`) rendered by templates. The stack memoises, per process, the filter form's
fields (keyed by the list's version, the language and the value shown: `{{% filter_fields %}}`)
and the rows (keyed by the row's values: `{{% memo_include %}}`), and copies the FilterSet's
filters and fields once per request, not twice (`PortalFilterSet`). "Before" (`{BEFORE}`) is the
list that built its rows and its filter form as HTML strings in Python, beside the stack.

| load | requests | hits | repeats | median | p95 | runs (median/p95 ms) | throughput | failed | target (< 100 ms median, < 250 ms p95) |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

{ratio}
Querystrings of the uncached, signed-in and before runs: {N_PATHS:,} distinct per run, never
reused (a search word or two from the calls' vocabulary, plus random stage, CPV, buyer,
procedure, closed, sort and page filters). The **uncached** row answers the issue's target ("a
filtered, searched list page"): none of its requests is served from the cache.

Where the CPU went during the loads (every process of the machine, from `/proc`; gunicorn
is both servers, postgres their database sessions): {cpu}.

In-process, no concurrency: one uncached list page (40 other querystrings, median, through
Django's test client) {page_ms:.1f} ms; the list query (count + first page, best of 5)
{fts_ms:.1f} ms with full-text search ({fts_n} hits, GIN index) against {naive_ms:.1f} ms for a
naive `icontains` through the ORM ({naive_n} hits).
"""


if __name__ == "__main__":
    print(run())
