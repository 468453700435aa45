"""The real stack on loopback, for tests about faults: its own PostgreSQL and Redis (which a test
stops and starts), gunicorn with the production settings, and Celery workers with beat.

The suite's own PostgreSQL and Redis are never touched: a :class:`Stack` starts servers of its
own in a temporary folder, migrates its database, and serves the portal as production does
(``bigscience_portal.settings.production`` behind a TLS proxy, which the client imitates with
``X-Forwarded-Proto: https``). Mails go to a local SMTP server (:class:`MailCatcher`), which can
be made slow, so a test can kill a worker in the middle of sending.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    return found[-1]


def _as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


# --- a local SMTP server -----------------------------------------------------------------------
class MailCatcher:
    """A minimal SMTP server on loopback that keeps every message it accepts (``messages``:
    list of (recipients, data)). With ``delay`` it waits that long after ``MAIL FROM`` before
    answering: a sender killed while it waits has not sent the message (as with a real server,
    a message counts once the server answered the final dot)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.delay = 0.0
        self.lock = threading.Lock()
        catcher = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 catcher ESMTP\r\n")
                rcpts: list[str] = []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.decode(errors="replace").strip()
                    upper = cmd.upper()
                    if upper.startswith(("EHLO", "HELO")):
                        self.wfile.write(b"250-catcher\r\n250 8BITMIME\r\n")
                    elif upper.startswith("MAIL FROM"):
                        rcpts = []
                        time.sleep(catcher.delay)
                        self.wfile.write(b"250 ok\r\n")
                    elif upper.startswith("RCPT TO"):
                        rcpts.append(cmd.split(":", 1)[1].strip(" <>"))
                        self.wfile.write(b"250 ok\r\n")
                    elif upper == "DATA":
                        self.wfile.write(b"354 go on\r\n")
                        data = []
                        while True:
                            chunk = self.rfile.readline()
                            if not chunk or chunk in (b".\r\n", b".\n"):
                                break
                            data.append(chunk.decode(errors="replace"))
                        with catcher.lock:
                            catcher.messages.append((rcpts, "".join(data)))
                        self.wfile.write(b"250 queued\r\n")
                    elif upper == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"250 ok\r\n")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(r for rcpts, _ in self.messages for r in rcpts)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- an HTTP client that behaves like a browser behind the TLS proxy ---------------------------
class Browser:
    """Cookies, CSRF tokens and the proxy's ``X-Forwarded-Proto`` header, on plain HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, timeout: float = 30):
        url = self.base + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        host = urllib.parse.urlsplit(self.base).netloc
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Referer": f"https://{host}{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310 (http to loopback)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(req, timeout=timeout)
            status, text, got = (
                response.status,
                response.read().decode(errors="replace"),
                response.headers,
            )
        except urllib.error.HTTPError as exc:
            status, text, got = exc.code, exc.read().decode(errors="replace"), exc.headers
        for cookie in got.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or "expires=thu, 01 jan 1970" in cookie.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return status, text, got

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs):
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request(
            "POST", path, {"csrfmiddlewaretoken": self.token(path), **data}, **kwargs
        )

    def token(self, path: str) -> str:
        """The CSRF token of the form at ``path`` (the page is fetched for it)."""
        _, page, _ = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return found.group(1) if found else self.cookies.get("csrftoken", "")

    def log_in(self, email: str, password: str) -> None:
        status, _, _ = self.post("/accounts/login/", {"login": email, "password": password})
        assert status == 302, f"log-in failed: {status}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- the stack ---------------------------------------------------------------------------------
class Stack:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pg_data = folder / "pg" / "data"
        self.mail = MailCatcher()
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bigscience_portal.settings.production",
            "DJANGO_SECRET_KEY": "stack-test-key-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/portal",
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.mail.port),
            "EMAIL_USE_TLS": "false",
            "SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "CELERY_SWEEP_SECONDS": "2",
            "RECORDS_REQUEUE_AFTER_SECONDS": "20",
            "RECORDS_STALE_AFTER_SECONDS": "30",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        self.env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    # servers
    def start_postgres(self) -> None:
        pg = _pg_bin()
        if not self.pg_data.exists():
            (self.folder / "pg").mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder / "pg", "postgres")
            subprocess.run(
                _as_pg(
                    [
                        str(pg / "initdb"),
                        "-D",
                        str(self.pg_data),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                capture_output=True,
            )
            fresh = True
        else:
            fresh = False
        subprocess.run(
            _as_pg(
                [
                    str(pg / "pg_ctl"),
                    "-D",
                    str(self.pg_data),
                    "-l",
                    str(self.folder / "pg" / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"-h 127.0.0.1 -p {self.pg_port} -k {self.folder / 'pg'} -c fsync=off -c max_connections=100",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )
        if fresh:
            subprocess.run(
                _as_pg(
                    [
                        str(pg / "createdb"),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        str(self.pg_port),
                        "-U",
                        "postgres",
                        "portal",
                    ]
                ),
                check=True,
            )

    def stop_postgres(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_pg([str(_pg_bin() / "pg_ctl"), "-D", str(self.pg_data), "-m", mode, "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def start_redis(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.folder / "redis.pid"),
                "--logfile",
                str(self.folder / "redis.log"),
                "--dir",
                str(self.folder),
            ],
            check=True,
        )
        self._wait(lambda: self._redis_ping(), "redis")

    def stop_redis(self) -> None:
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.redis_port), "shutdown", "nosave"],
            check=False,
            capture_output=True,
        )
        self._wait(lambda: not self._redis_ping(), "redis to stop")

    def _redis_ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.redis_port), "ping"],
            capture_output=True,
            text=True,
        )
        return result.stdout.strip() == "PONG"

    # the portal
    def manage(self, *args: str, timeout: float = 600) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def python(self, code: str) -> object:
        """Run ``code`` in a Django shell of the stack; it sets ``result``, returned as JSON."""
        wrapped = (
            f"import json\nresult = None\n{code}\nprint('@@' + json.dumps(result, default=str))"
        )
        out = self.manage("shell", "-c", wrapped)
        return json.loads(out.rsplit("@@", 1)[1])

    def _spawn(self, name: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        self.logs[name] = log
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = proc
        return proc

    def start_web(self) -> None:
        self._spawn(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bigscience_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
        )
        self._wait(lambda: self._http_ok("/healthz"), "gunicorn", timeout=60)

    def start_worker(
        self, name: str = "worker", *, pool: str = "prefork", beat: bool = True
    ) -> subprocess.Popen:
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bigscience_portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
            "-n",
            f"{name}@%h",
        ]
        if beat:
            cmd += ["-B", "-s", str(self.folder / f"beat-{name}")]
        return self._spawn(name, cmd)

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 30) -> None:
        proc = self.processes.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def browser(self) -> Browser:
        return Browser(f"http://127.0.0.1:{self.web_port}")

    def _http_ok(self, path: str) -> bool:
        try:
            status, _, _ = self.browser().get(path, timeout=5)
        except OSError:
            return False
        return status == 200

    @staticmethod
    def _wait(predicate, what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def wait_for(self, predicate, what: str, timeout: float = 60) -> None:
        self._wait(predicate, what, timeout)

    def log(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace") if name in self.logs else ""

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, signal.SIGKILL, timeout=5)
        self.stop_redis()
        self.stop_postgres("immediate")
        self.mail.close()
