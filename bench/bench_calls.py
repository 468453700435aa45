"""Benchmark of the calls list: 20,000 calls on PostgreSQL, 16 concurrent clients on gunicorn.

``run()`` returns a Markdown section. It needs the PostgreSQL of ``DATABASE_URL`` (``make bench``
starts a throwaway one), migrates it, loads the reference data, bulk-creates the calls, serves the
portal with gunicorn (4 workers, the test settings: DEBUG off) and measures a filtered, searched
list page against the unfiltered first page under the same load. Everything it created is deleted
at the end. Environment: ``BENCH_CALLS`` (default 20000), ``BENCH_REQUESTS`` (default 800).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

N_CALLS = int(os.environ.get("BENCH_CALLS", "20000"))
N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "800"))
CLIENTS = 16
WORKERS = 4
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tenders_procurementcall")
        cursor.execute("ANALYZE tenders_procurementcall_additional_cpv")
    return "filled by the trigger" if not missing else f"{missing} filled by UPDATE"


def _start_gunicorn(port: int, log) -> subprocess.Popen:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings.test")
    proc = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "bigscience_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {proc.returncode}")
        try:
            status, _ = _get(port, "/healthz")
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _load(port: int, path: str, total: int) -> dict:
    """``total`` GETs of ``path`` from CLIENTS threads; latencies in ms and throughput."""
    per_client = [total // CLIENTS + (1 if i < total % CLIENTS else 0) for i in range(CLIENTS)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        mine, bad = [], []
        for _ in range(n):
            started = time.perf_counter()
            try:
                status, _ = _get(port, path)
            except OSError as exc:
                bad.append(str(exc))
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                bad.append(f"HTTP {status}")
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "median": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else float("nan"),
        "throughput": len(latencies) / wall if wall else 0.0,
        "errors": errors,
        "n": len(latencies),
    }


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


def _cleanup(org_ids: list[int]) -> None:
    from organisations.models import Organisation
    from tenders.models import ProcurementCall

    ProcurementCall.objects.filter(buyer_id__in=org_ids).delete()
    Organisation.objects.filter(pk__in=org_ids).delete()


def run() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigscience_portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        return "## Calls list\n\nSkipped: needs PostgreSQL (DATABASE_URL); run `make bench`."

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    started = time.perf_counter()
    org_ids, n_calls = _create(N_CALLS)
    vector = _fill_search_vector()
    create_s = time.perf_counter() - started
    connection.close()  # gunicorn's workers open their own connections

    load_before = os.getloadavg()[0]
    searched = "/calls/?" + urlencode(SEARCH_PARAMS)
    plain = "/calls/"
    port = _free_port()
    proc = None
    with tempfile.TemporaryFile() as log:
        try:
            proc = _start_gunicorn(port, log)
            status, body = _get(port, searched)
            if status != 200 or b"cryogenic" not in body.lower():
                raise RuntimeError(f"{searched} answered HTTP {status} without the searched calls")
            for path in (searched, plain):  # warm every worker (templates, connections)
                _load(port, path, CLIENTS * 2)
            fast = _load(port, searched, N_REQUESTS)
            base = _load(port, plain, N_REQUESTS)
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read().decode(errors="replace")[-4000:])
            _cleanup(org_ids)
            raise
        finally:
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
    load_after = os.getloadavg()[0]
    try:
        fts_ms, naive_ms, fts_n, naive_n = _in_process(SEARCH_PARAMS)
    finally:
        _cleanup(org_ids)

    def verdict(value: float, target: float) -> str:
        return "met" if value < target else "NOT met"

    errors = len(fast["errors"]) + len(base["errors"])
    return f"""## Calls list (`bench/bench_calls.py`)

{n_calls:,} calls of {len(org_ids)} infrastructures bulk-created on PostgreSQL in {create_s:.1f} s
(search vectors {vector}); gunicorn with {WORKERS} sync workers and the test settings (DEBUG off);
{CLIENTS} concurrent clients (threads, `http.client`, a new connection per request), {N_REQUESTS}
requests per page after a warm-up. Filtered, searched page: `{searched}`
({fts_n} matching calls, first page of 20); baseline: the unfiltered first page `{plain}` under
the same load. Failed requests: {errors}. The machine has {os.cpu_count()} cores; its 1-minute load
average was {load_before:.1f} before and {load_after:.1f} after the load test (other work on the
machine shares the cores, and the 16 client threads run on the same machine as gunicorn and
PostgreSQL).

| what | figure | target | baseline |
|---|---|---|---|
| filtered, searched list page: median | {fast["median"]:.1f} ms | < 100 ms ({verdict(fast["median"], 100)}) | unfiltered first page: {base["median"]:.1f} ms |
| filtered, searched list page: p95 | {fast["p95"]:.1f} ms | < 250 ms ({verdict(fast["p95"], 250)}) | unfiltered first page: {base["p95"]:.1f} ms |
| throughput, 16 clients | {fast["throughput"]:.0f} req/s | - | unfiltered first page: {base["throughput"]:.0f} req/s |
| the list query in-process (count + first page, best of 5) | {fts_ms:.1f} ms (full-text search, {fts_n} hits) | - | naive `icontains` through the ORM: {naive_ms:.1f} ms ({naive_n} hits) |
"""


if __name__ == "__main__":
    print(run())
