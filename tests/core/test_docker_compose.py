"""docker-compose.yml is valid (no Docker engine here): schema, services, health checks, volumes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_docker_compose_validates_against_the_compose_specification():
    schema = json.loads((ROOT / "tests/schemas/compose-spec.json").read_text())
    errors = sorted(
        f"{list(e.path)}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(_compose())
    )
    assert errors == []


def test_docker_compose_runs_the_real_stack_with_health_checks_and_a_database_volume():
    compose = _compose()
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert "pgdata" in compose["volumes"]
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert services["worker"]["command"][:4] == ["celery", "-A", "bigscience_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "bigscience_portal", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith(
            "redis://"
        )
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )


def test_dockerfile_installs_from_the_hashed_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--require-hashes -r requirements/base.lock" in dockerfile
    assert (ROOT / "requirements/base.lock").exists()


def test_the_schema_check_catches_a_broken_file():
    schema = json.loads((ROOT / "tests/schemas/compose-spec.json").read_text())
    broken = _compose()
    broken["services"]["web"]["healthcheck"]["retries"] = "many"
    broken["services"]["web"]["restart_policy"] = "always"
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(broken))
    assert len(errors) == 2


def test_gunicorn_reads_its_configuration_file():
    """The image, the README and `make bench` all serve with gunicorn.conf.py."""
    env = {**os.environ, "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "6"}
    result = subprocess.run(
        [str(Path(sys.executable).with_name("gunicorn")), "--print-config", "x:y"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    config = {
        key.strip(): value.strip()
        for key, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert config["worker_class"] == "gthread", result.stdout + result.stderr
    assert (config["workers"], config["threads"]) == ("3", "6")
    assert config["bind"] == "['0.0.0.0:8000']"
