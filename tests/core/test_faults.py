"""Faults of the real stack (production settings, gunicorn, PostgreSQL, Redis, a Celery worker
with beat), each stopped and started by the test on servers of its own (``tests/stack.py``).

- Redis stopped: every public page answers 200, a signed-in user stays signed in, an officer
  publishes a call; once Redis is back, the call's matches and the alert mail arrive on their own
  (the run and the mail were recorded with the publish; the sweeper hands them over).
- PostgreSQL restarted under load: requests in flight get the 503 page (never a traceback), the
  next ones succeed without restarting gunicorn or the worker.
- A worker killed (SIGKILL) in the middle of sending mails: a new worker sends the rest; every
  recipient gets exactly one mail.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.stack import Stack

pytestmark = pytest.mark.worker

PASSWORD = "Stack-Password-2026"
PUBLIC = [
    "/",
    "/calls/",
    "/calls/?q=valve",
    "/calls/?stage=invitation_to_tender&include_closed=on",
    "/organisations/",
    "/organisations/?q=cryo",
    "/organisations/stack-cryo/",
    "/events/",
]

SEED = f"""
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from allauth.account.models import EmailAddress
from organisations.models import CPVCode, Membership, Organisation
from tenders.models import ProcurementCall
from matchmaking.models import AlertSubscription

User = get_user_model()
def user(email):
    u = User.objects.create_user(username=email, email=email, password={PASSWORD!r})
    EmailAddress.objects.create(user=u, email=email, verified=True, primary=True)
    return u
lab = Organisation.objects.create(kind="research_infrastructure", name="Stack Fusion Lab", slug="stack-lab",
                                  country="ES", status="published")
cryo = Organisation.objects.create(kind="sme", name="Stack Cryo ApS", slug="stack-cryo", country="DK",
                                   status="published", size_class="small",
                                   capabilities="Cryogenic valves, helium transfer lines and cryostats.")
cryo.cpv_codes.set(CPVCode.objects.filter(code__in=["42131142", "42123000"]))
officer, member = user("officer@stack.example"), user("member@stack.example")
Membership.objects.create(user=officer, organisation=lab, role="admin")
Membership.objects.create(user=member, organisation=cryo, role="admin")
AlertSubscription.objects.create(user=member, frequency="instant", threshold=0.0)
calls = []
for n in range(2):
    calls.append(ProcurementCall.objects.create(
        buyer=lab, title=f"Cryogenic control valves, batch {{n}}",
        description="Cryogenic valves for helium transfer lines of a fusion experiment.",
        main_cpv=CPVCode.objects.get(code="42131142"), status="draft",
        tender_period_end=timezone.now() + timedelta(days=30)).pk)
result = calls
"""


@pytest.fixture(scope="module")
def stack():
    # Not under pytest's temporary folder: the postgres system user must reach its data folder.
    folder = Path(tempfile.mkdtemp(prefix="bsp-stack."))
    folder.chmod(0o755)
    stack = Stack(folder)
    try:
        stack.start_postgres()
        stack.start_redis()
        stack.manage("migrate", "--noinput")
        stack.manage("load_reference_data")
        stack.manage("collectstatic", "--noinput", "-v", "0")
        stack.calls = stack.python(SEED)
        stack.start_web()
        stack.start_worker("worker-1")
        yield stack
    finally:
        stack.close()
        shutil.rmtree(folder, ignore_errors=True)


def _run_state(stack, call_id):
    return stack.python(
        "from matchmaking.models import Match, MatchRun\n"
        f"runs = list(MatchRun.objects.filter(kind='call', target_id={call_id}).values_list('status', 'enqueued_at'))\n"
        f"result = {{'runs': runs, 'matches': Match.objects.filter(call_id={call_id}).count()}}"
    )


def test_a_redis_outage_slows_the_portal_and_breaks_no_write(stack):
    member, officer = stack.browser(), stack.browser()
    member.log_in("member@stack.example", PASSWORD)
    officer.log_in("officer@stack.example", PASSWORD)
    call_id = stack.calls[0]

    stack.stop_redis()
    try:
        visitor = stack.browser()
        for path in PUBLIC:
            status, page, _ = visitor.get(path)
            assert status == 200, f"{path}: {status}"
            assert "Traceback" not in page
        status, page, _ = member.get("/me/")
        assert status == 200 and "member@stack.example" in page  # still signed in

        status, _, _ = officer.post(f"/calls/{call_id}/publish/", {"note": "during the outage"})
        assert status == 302, status
        state = stack.python(
            f"from tenders.models import ProcurementCall\nresult = ProcurementCall.objects.get(pk={call_id}).status"
        )
        assert state == "published"
        runs = _run_state(stack, call_id)["runs"]
        assert runs and all(s == "queued" and enqueued is None for s, enqueued in runs)

        status, body, _ = visitor.get("/healthz")
        assert status == 503
        assert '"broker": {"ok": false}' in body and "detail" not in body  # no hosts or ports shown
    finally:
        stack.start_redis()
    back = time.monotonic()

    def caught_up():
        state = _run_state(stack, call_id)
        return state["matches"] > 0 and any(s == "succeeded" for s, _ in state["runs"])

    stack.wait_for(caught_up, "the queued scoring run after Redis came back", timeout=60)
    stack.wait_for(
        lambda: "member@stack.example" in stack.mail.recipients(), "the alert mail", timeout=60
    )
    assert time.monotonic() - back < 60


def test_a_postgresql_restart_under_load_gives_503_pages_and_then_recovers(stack):
    results: list[tuple[int, str]] = []
    stop = threading.Event()

    def load():
        browser = stack.browser()
        n = 0
        while not stop.is_set():
            path = (
                PUBLIC[n % len(PUBLIC)]
                + ("&" if "?" in PUBLIC[n % len(PUBLIC)] else "?")
                + f"n={n}"
            )
            n += 1
            try:
                status, page, _ = browser.get(path, timeout=30)
            except OSError as exc:  # a connection refused or reset is a failure too
                results.append((0, repr(exc)))
                continue
            results.append((status, page[:2000]))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(2)
    stack.stop_postgres("fast")
    time.sleep(3)
    stack.start_postgres()
    restarted = len(results)
    time.sleep(5)
    stop.set()
    for t in threads:
        t.join(timeout=60)

    statuses = {status for status, _ in results}
    assert statuses <= {200, 503}, sorted(statuses)
    assert 503 in statuses  # the outage was seen...
    for status, page in results:
        assert "Traceback" not in page
        if status == 503:
            assert "briefly unavailable" in page
    tail = [status for status, _ in results[restarted:]][-20:]
    assert tail and set(tail) == {200}  # ...and the same gunicorn serves again

    # the same worker, never restarted, still does the work of a new write
    officer = stack.browser()
    officer.log_in("officer@stack.example", PASSWORD)
    call_id = stack.calls[1]
    status, _, _ = officer.post(f"/calls/{call_id}/publish/", {"note": ""})
    assert status == 302
    stack.wait_for(lambda: _run_state(stack, call_id)["matches"] > 0, "scoring after the restart")


def test_a_worker_killed_while_mailing_loses_no_mail_and_sends_none_twice(stack):
    stack.stop("worker-1")
    stack.mail.delay = 1.5
    before = len(stack.mail.recipients())
    recipients = [f"person{n}@stack.example" for n in range(8)]
    stack.python(
        "from django.db import transaction\n"
        "from bigscience_portal.core.mail import mail_queue\n"
        "with transaction.atomic():\n"
        f"    for n, to in enumerate({recipients!r}):\n"
        "        mail_queue(key=f'stack.kill:{n}', to=to, subject='Your agenda', body='Hello')\n"
    )
    stack.start_worker("worker-2", beat=True)
    stack.wait_for(
        lambda: len(stack.mail.recipients()) >= before + 2, "the first mails", timeout=60
    )
    stack.stop("worker-2", signal.SIGKILL)  # the whole worker, in the middle of a send
    sent_when_killed = len(stack.mail.recipients()) - before
    assert sent_when_killed < len(recipients)

    stack.mail.delay = 0.0
    stack.start_worker("worker-3", beat=True)

    def all_sent():
        got = [r for r in stack.mail.recipients() if r.startswith("person")]
        return sorted(set(got)) == sorted(recipients)

    stack.wait_for(all_sent, "every mail after the kill", timeout=120)
    time.sleep(5)  # anything sent twice would have arrived by now
    got = [r for r in stack.mail.recipients() if r.startswith("person")]
    assert sorted(got) == sorted(recipients), "a mail was sent twice"
    states = stack.python(
        "from bigscience_portal.core.models import MailDelivery\n"
        "result = sorted(MailDelivery.objects.filter(key__startswith='stack.kill').values_list('status', flat=True))"
    )
    assert states == ["succeeded"] * len(recipients)
