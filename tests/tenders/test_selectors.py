"""The calls list's query (``selectors.call_list_rows``) on the embedded SQLite database of
``make run`` (the suite runs on PostgreSQL).

The list query aggregates each call's additional CPV codes in SQL (``string_agg`` on
PostgreSQL, ``group_concat`` on SQLite) and searches with ``icontains`` where PostgreSQL has
full-text search: this runs both SQLite branches for real, in a subprocess with the development
settings and a fresh SQLite file.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

setup_test_environment()  # responses carry their template context
call_command("migrate", verbosity=0)
from organisations.models import CPVCode
from tests.factories import InfrastructureFactory, ProcurementCallFactory

codes = {}
for code, label in [("31000000", "Electrical machinery"), ("31700000", "Electronic supplies"),
                    ("31711420", "Microwave tubes"), ("31711424", "Gyrotrons")]:
    codes[code] = CPVCode.objects.create(
        code=code, check_digit="0", label=label, prefix=code.rstrip("0") or "0", level=2
    )
buyer = InfrastructureFactory(name="Fusion for Energy", slug="f4e", acronym="F4E", country="ES")
deadline = timezone.now() + timedelta(days=30)
ProcurementCallFactory(
    buyer=buyer, reference="F4E-OMF-1", title="Gyrotron RF source prototype",
    description="A 170 GHz continuous-wave gyrotron.", main_cpv_id="31711420",
    additional_cpv=["31711424", "31700000"], tender_period_end=deadline,
)
ProcurementCallFactory(
    buyer=buyer, reference="F4E-OMF-2", title="Cable trays", description="Steel trays.",
    main_cpv_id=None, tender_period_end=deadline,
)
client = Client(HTTP_HOST="127.0.0.1")
out = {}
for query in ["", "?q=continuous-wave+GYROTRON", "?cpv=3171"]:
    response = client.get("/calls/" + query)
    out[query] = {
        "status": response.status_code,
        "rows": [(row.title, row.cpv_codes) for row in response.context["calls"]],
    }
print("RESULT " + json.dumps(out))
"""


def test_calls_list_on_the_embedded_sqlite_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "bigscience_portal.settings.local"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    pages = json.loads(line.removeprefix("RESULT "))
    gyrotron = ["Gyrotron RF source prototype", ["31711420", "31700000", "31711424"]]
    assert pages[""] == {"status": 200, "rows": [gyrotron, ["Cable trays", []]]}
    assert pages["?q=continuous-wave+GYROTRON"] == {"status": 200, "rows": [gyrotron]}
    assert pages["?cpv=3171"] == {"status": 200, "rows": [gyrotron]}
