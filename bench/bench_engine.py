"""Benchmark of the matchmaking engine on generated data of realistic shape.

``run()`` returns a Markdown section; ``python bench/bench_engine.py`` prints it.
Environment: ``BENCH_COMPANIES`` (default 50000), ``BENCH_CALLS`` (default 5000) to scale down.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from matchmaking.engine import (  # noqa: E402
    CallProfile,
    CompanyProfile,
    Reference,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)

DOMAINS: dict[str, tuple[list[str], list[str]]] = {
    "cryogenics": (
        [
            "cryogenic",
            "helium",
            "refrigerator",
            "liquefier",
            "cold",
            "box",
            "cryostat",
            "cryoline",
            "transfer",
            "line",
            "superfluid",
            "helium",
            "1.8",
            "K",
            "heat",
            "exchanger",
            "turboexpander",
            "cryopump",
            "thermal",
            "shield",
            "multilayer",
            "insulation",
            "vacuum-jacketed",
            "piping",
            "dewar",
            "nitrogen",
            "precooling",
            "cold",
            "compressor",
            "helium",
            "recovery",
            "purifier",
        ],
        ["42123000", "42512000", "39712000", "44163000", "42500000"],
    ),
    "vacuum": (
        [
            "ultra-high",
            "vacuum",
            "chamber",
            "bakeout",
            "turbomolecular",
            "pump",
            "ion",
            "pump",
            "getter",
            "NEG",
            "coating",
            "leak",
            "detection",
            "helium",
            "leak",
            "test",
            "vacuum",
            "gauge",
            "flange",
            "CF",
            "gate",
            "valve",
            "beam",
            "pipe",
            "outgassing",
            "electropolishing",
            "bellows",
            "feedthrough",
            "residual",
            "gas",
            "analyser",
        ],
        ["42122000", "42123000", "38000000", "42131000"],
    ),
    "rf": (
        [
            "high-power",
            "RF",
            "gyrotron",
            "klystron",
            "solid-state",
            "amplifier",
            "waveguide",
            "RF",
            "cavity",
            "superconducting",
            "cavity",
            "niobium",
            "coupler",
            "circulator",
            "RF",
            "window",
            "modulator",
            "high-voltage",
            "power",
            "supply",
            "pulsed",
            "power",
            "converter",
            "IGBT",
            "thyristor",
            "transformer",
            "low-level",
            "RF",
            "electron",
            "cyclotron",
            "heating",
        ],
        ["31670000", "31600000", "31100000", "31170000", "32000000", "31682000"],
    ),
    "magnets": (
        [
            "superconducting",
            "magnet",
            "Nb3Sn",
            "NbTi",
            "coil",
            "winding",
            "dipole",
            "quadrupole",
            "corrector",
            "magnet",
            "yoke",
            "laminations",
            "quench",
            "protection",
            "current",
            "lead",
            "busbar",
            "cable",
            "in",
            "conduit",
            "toroidal",
            "field",
            "coil",
            "poloidal",
            "field",
            "coil",
            "impregnation",
            "epoxy",
            "magnetic",
            "measurement",
        ],
        ["31600000", "31640000", "31700000", "38000000"],
    ),
    "mechanics": (
        [
            "precision",
            "machining",
            "CNC",
            "milling",
            "5-axis",
            "welding",
            "electron",
            "beam",
            "welding",
            "stainless",
            "steel",
            "vacuum",
            "vessel",
            "support",
            "structure",
            "remote",
            "handling",
            "metrology",
            "coordinate",
            "measuring",
            "additive",
            "manufacturing",
            "copper",
            "OFHC",
            "brazing",
            "tolerance",
            "micrometre",
            "assembly",
            "titanium",
            "tungsten",
            "divertor",
        ],
        ["42600000", "42900000", "44000000", "38000000", "42000000"],
    ),
    "detectors": (
        [
            "particle",
            "detector",
            "silicon",
            "pixel",
            "sensor",
            "calorimeter",
            "scintillator",
            "photomultiplier",
            "SiPM",
            "readout",
            "electronics",
            "ASIC",
            "front-end",
            "FPGA",
            "data",
            "acquisition",
            "neutron",
            "detector",
            "gas",
            "detector",
            "wire",
            "chamber",
            "radiation",
            "hard",
            "timing",
            "trigger",
        ],
        ["38000000", "38341000", "31700000", "32000000", "38430000"],
    ),
    "optics": (
        [
            "laser",
            "optics",
            "mirror",
            "coating",
            "ultrafast",
            "femtosecond",
            "amplifier",
            "beam",
            "transport",
            "X-ray",
            "optics",
            "monochromator",
            "crystal",
            "diffraction",
            "grating",
            "interferometer",
            "spectrometer",
            "optical",
            "fibre",
            "lens",
            "alignment",
            "adaptive",
            "optics",
        ],
        ["38600000", "38636000", "38636100", "38000000", "31700000"],
    ),
    "software": (
        [
            "control",
            "system",
            "EPICS",
            "Tango",
            "PLC",
            "SCADA",
            "software",
            "development",
            "machine",
            "protection",
            "interlock",
            "timing",
            "system",
            "database",
            "web",
            "application",
            "cloud",
            "data",
            "management",
            "simulation",
            "GUI",
            "embedded",
            "software",
            "cybersecurity",
        ],
        ["48000000", "72000000", "72200000", "48100000", "72260000"],
    ),
    "civil": (
        [
            "civil",
            "works",
            "building",
            "construction",
            "concrete",
            "tunnel",
            "excavation",
            "shielding",
            "bunker",
            "foundation",
            "earthworks",
            "HVAC",
            "electrical",
            "installation",
            "cabling",
            "cleanroom",
            "laboratory",
            "fit-out",
            "steel",
            "frame",
            "roof",
        ],
        ["45000000", "45200000", "45300000", "45210000", "39000000", "39150000"],
    ),
}
FILLER = (
    "we design manufacture and deliver {a} and {b} for research facilities; "
    "our team has experience with {c} and {d}. ",
    "supply of {a} including {b}, with installation and commissioning of {c}. ",
    "development of {a} and {b} meeting demanding specifications for {c} and {d}. ",
    "expertise in {a}, {b} and {c}. ",
)
COUNTRIES = [
    "DE",
    "FR",
    "IT",
    "ES",
    "DK",
    "SE",
    "FI",
    "NL",
    "BE",
    "AT",
    "CH",
    "PL",
    "CZ",
    "PT",
    "LT",
    "NO",
    "GB",
    "IE",
    "HU",
    "RO",
]
BUYERS = ["CERN", "ITER", "F4E", "ESS", "ESRF", "XFEL", "DESY", "ESO", "ESA", "EMBL", "ELI", "FAIR"]
CERTS = ["ISO 9001", "ISO 14001", "ISO 45001", "EN 1090", "ISO 3834", "PED", "AS9100"]


def _pseudo_word(rng: random.Random) -> str:
    syll = ["ka", "tro", "vex", "lin", "mar", "sol", "ter", "qu", "on", "ix", "dal", "ren"]
    return "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))


def _text(rng: random.Random, domains: list[str], sentences: int) -> str:
    parts = []
    for _ in range(sentences):
        words = DOMAINS[rng.choice(domains)][0]
        terms = [" ".join(rng.sample(words, rng.randint(1, 2))) for _ in range(4)]
        parts.append(rng.choice(FILLER).format(a=terms[0], b=terms[1], c=terms[2], d=terms[3]))
    return "".join(parts)


def _codes(rng: random.Random, domains: list[str], n: int) -> tuple[str, ...]:
    return tuple(sorted({rng.choice(DOMAINS[rng.choice(domains)][1]) for _ in range(n)}))


def generate(n_companies: int, n_calls: int, seed: int = 42):
    rng = random.Random(seed)
    names = list(DOMAINS)
    calls = []
    for j in range(n_calls):
        doms = rng.sample(names, rng.choice([1, 1, 2]))
        codes = _codes(rng, doms, rng.randint(1, 4))
        calls.append(
            CallProfile(
                id=f"call-{j:05d}",
                buyer_id=rng.choice(BUYERS),
                status=rng.choices(["published", "closed", "draft"], [0.9, 0.07, 0.03])[0],
                deadline=NOW + timedelta(days=rng.randint(-30, 120)),
                eligible_countries=frozenset(rng.sample(COUNTRIES, 8))
                if rng.random() < 0.4
                else frozenset(),
                cpv_main=codes[0],
                cpv_additional=codes[1:],
                required_certifications=frozenset(rng.sample(CERTS, rng.randint(0, 2))),
                title=_text(rng, doms, 1)[:80],
                description=_text(rng, doms, rng.randint(2, 5)),
            )
        )
    companies = []
    for i in range(n_companies):
        doms = rng.sample(names, rng.choice([1, 2, 2, 3]))
        text = (
            _text(rng, doms, rng.randint(2, 6))
            + " "
            + " ".join(_pseudo_word(rng) for _ in range(rng.randint(1, 4)))
        )
        refs = tuple(
            Reference(rng.choice(BUYERS), _codes(rng, doms, 1)) for _ in range(rng.randint(0, 3))
        )
        companies.append(
            CompanyProfile(
                id=i,
                country=rng.choice(COUNTRIES),
                cpv_codes=_codes(rng, doms, rng.randint(1, 5)),
                certifications=frozenset(rng.sample(CERTS, rng.randint(0, 3))),
                capabilities=text,
                references=refs,
                verified=rng.random() < 0.3,
                not_relevant=frozenset(rng.choice(calls).id for _ in range(rng.randint(0, 2))),
            )
        )
    return companies, calls


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline_loop_seconds(companies, calls, n_calls: int) -> tuple[float, float]:
    """rank_bm25.BM25Okapi scoring of every company for n_calls calls (plus the same CPV rule
    in plain Python); returns (seconds measured, seconds per call)."""
    from rank_bm25 import BM25Okapi

    corpus = [c.capabilities.lower().split() for c in companies]
    bm25 = BM25Okapi(corpus)
    t0 = time.perf_counter()
    for call in calls[:n_calls]:
        scores = bm25.get_scores(call.text.lower().split())
        codes = [c[:2] for c in call.codes]
        best = []
        for i, comp in enumerate(companies):
            fit = any(k[:2] in codes for k in comp.cpv_codes)
            best.append((scores[i] + fit, comp.id))
        best.sort(reverse=True)
    dt = time.perf_counter() - t0
    return dt, dt / n_calls


def measure(engine_module: str, n_comp: int, n_calls: int, with_baseline: bool) -> dict:
    """The figures of one engine (run in a process of its own, so that its peak memory is its
    own): ``matchmaking.engine`` or 1.1.0, exported from git by ``bench.baselines.engine_v1``."""
    import importlib

    eng = importlib.import_module(engine_module)
    out: dict = {"engine": engine_module, "version": getattr(eng, "ENGINE_VERSION", "?")}
    t0 = time.perf_counter()
    companies, calls = generate(n_comp, n_calls)
    out["t_gen"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = eng.MatchIndex(companies, calls)
    out["t_index"] = time.perf_counter() - t0
    out["terms"] = index.text.matrix.shape[1]
    out["nnz"] = index.text.matrix.nnz
    index.call_features()  # warm
    times = []
    for call in calls[:30]:
        t = time.perf_counter()
        eng.rank_companies_for_call(call, companies, index, 20, now=NOW)
        times.append(time.perf_counter() - t)
    out["one_call"] = statistics.median(times)
    out["one_call_p95"] = sorted(times)[int(0.95 * len(times)) - 1]
    ctx = eng.MatchContext(index, NOW)
    t = time.perf_counter()
    for i in range(200):
        eng.score(companies[i], calls[i % n_calls], ctx)
    out["one_pair"] = (time.perf_counter() - t) / 200
    gc.collect()
    out["rss_before"] = _peak_rss_mb()
    t = time.perf_counter()
    result = eng.score_all(companies, calls, 20, 20, index=index, now=NOW)
    out["t_all"] = time.perf_counter() - t
    out["rss_after"] = _peak_rss_mb()
    out["filled"] = sum(1 for v in result.per_call.values() if v)
    if with_baseline:
        out["base_dt"], out["base_per_call"] = _baseline_loop_seconds(companies, calls, 3)
    return out


def _measure_in_subprocess(engine_module: str, n_comp: int, n_calls: int, baseline: bool):
    import json
    import subprocess

    cmd = [sys.executable, __file__, "--measure", engine_module]
    if baseline:
        cmd.append("--baseline")
    env = {**os.environ, "BENCH_COMPANIES": str(n_comp), "BENCH_CALLS": str(n_calls)}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> str:
    n_comp = int(os.environ.get("BENCH_COMPANIES", "50000"))
    n_calls = int(os.environ.get("BENCH_CALLS", "5000"))
    new = _measure_in_subprocess("matchmaking.engine", n_comp, n_calls, True)
    old = _measure_in_subprocess("bench.baselines.engine_v1", n_comp, n_calls, False)
    pairs = n_comp * n_calls
    baseline_all = new["base_per_call"] * n_calls
    rows = [
        (
            f"build index ({n_comp:,} companies + {n_calls:,} calls; terms, non-zeros)",
            f"{new['t_index']:.1f} s ({new['terms']:,} terms, {new['nnz']:,} nnz)",
            f"{old['t_index']:.1f} s ({old['terms']:,} terms, {old['nnz']:,} nnz)",
            "-",
        ),
        (
            f"one call against {n_comp:,} companies (median of 30, top 20)",
            f"{new['one_call'] * 1000:.1f} ms (p95 {new['one_call_p95'] * 1000:.1f})",
            f"{old['one_call'] * 1000:.1f} ms (p95 {old['one_call_p95'] * 1000:.1f})",
            "<= 10 ms",
        ),
        (
            "one pair with explanation (score())",
            f"{new['one_pair'] * 1000:.2f} ms",
            f"{old['one_pair'] * 1000:.2f} ms",
            "-",
        ),
        (
            f"all pairs {n_comp:,} x {n_calls:,} = {pairs / 1e6:.0f} M, top 20 per call and "
            "per company",
            f"{new['t_all']:.1f} s ({pairs / new['t_all'] / 1e6:.1f} M pairs/s)",
            f"{old['t_all']:.1f} s",
            "<= 30 s",
        ),
        (
            "peak resident memory before all pairs (data + index)",
            f"{new['rss_before']:.0f} MB",
            f"{old['rss_before']:.0f} MB",
            "-",
        ),
        (
            "peak resident memory of the process after all pairs (getrusage ru_maxrss)",
            f"{new['rss_after']:.0f} MB",
            f"{old['rss_after']:.0f} MB",
            "<= 1.5 GB",
        ),
        (
            "speed-up of all pairs over rank_bm25.BM25Okapi + a Python loop (extrapolated)",
            f"{baseline_all / new['t_all']:.0f}x",
            f"{baseline_all / old['t_all']:.0f}x",
            ">= 50x",
        ),
    ]
    lines = [
        "## Matchmaking engine",
        "",
        f"Generated data (seeded `random.Random(42)`, {new['t_gen']:.1f} s): {n_comp:,} companies "
        "with capabilities drawn from nine Big Science domain vocabularies (cryogenics, vacuum, "
        "RF and power, magnets, precision mechanics, detectors, optics and lasers, control "
        "software, civil works) plus invented brand words, 1-5 CPV codes, certifications, "
        f"references; {n_calls:,} calls (90% published, deadlines -30..+120 days, 40% with "
        "eligible countries, 0-2 required certifications). Both engines measured in this run, "
        "each in a process of its own, one after the other: the engine (version "
        f"{new['version']}) and the frozen copy of engine {old['version']} "
        "(`bench/baselines/engine_v1.py`, exported from git at 470e470).",
        "",
        f"| what | engine {new['version']} | engine {old['version']} (before) | target |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"Baseline of the speed-up: `rank_bm25.BM25Okapi.get_scores` over the {n_comp:,} company "
        "texts plus a plain Python loop for a CPV-division check and a sort, measured on 3 calls "
        f"({new['base_dt']:.1f} s) and extrapolated linearly to {n_calls:,} calls.",
        f"{new['filled']:,} of {n_calls:,} calls have at least one eligible company in their top "
        "list.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        import json

        module = sys.argv[sys.argv.index("--measure") + 1]
        figures = measure(
            module,
            int(os.environ.get("BENCH_COMPANIES", "50000")),
            int(os.environ.get("BENCH_CALLS", "5000")),
            "--baseline" in sys.argv,
        )
        print(json.dumps(figures))
    else:
        print(run())
