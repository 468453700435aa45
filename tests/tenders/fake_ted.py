"""A local fake of TED's search API v3 and notice downloads, on loopback, for the harvester's
tests: recorded search pages built from real notices of ../shared/data, the notices' XML, and
failures on demand (HTTP 503 or 429, a dropped connection, a page that is not JSON)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tenders.notices import parse_notice


class FakeTed:
    """``pages``: the notice files of each search page, in order. ``failures[page]``: what the
    search of that page answers first, one per request ("503", "429", "drop", "garbage")."""

    def __init__(self, pages: list[list[Path]]):
        self.pages: list[list[dict]] = []
        self.notices: dict[str, bytes] = {}
        self.failures: dict[int, list[str]] = {}
        self.searches: list[dict] = []
        self.downloads: list[str] = []
        self._files = pages
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        for files in pages:
            entries = []
            for path in files:
                data = path.read_bytes()
                notice = parse_notice(data, filename=path.name)
                number = notice.notice_number
                self.notices[number] = data
                entries.append(
                    {
                        "publication-number": number,
                        "publication-date": f"{notice.publication_date}+01:00",
                        "notice-type": notice.notice_type,
                        "buyer-name": {"eng": [notice.buyer.official_name]},
                        "links": {
                            "xml": {"MUL": f"{self.url}/en/notice/{number}/xml"},
                            "pdf": {"ENG": f"{self.url}/en/notice/{number}/pdf"},
                        },
                    }
                )
            self.pages.append(entries)

    @property
    def numbers(self) -> list[str]:
        return [e["publication-number"] for page in self.pages for e in page]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: bytes, kind="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                if self.path != "/v3/notices/search":
                    return self._send(404, b"{}")
                length = int(self.headers.get("Content-Length") or 0)
                request = json.loads(self.rfile.read(length))
                fake.searches.append(request)
                page = int(request.get("page", 1))
                planned = fake.failures.get(page) or []
                if planned:
                    failure = planned.pop(0)
                    if failure == "drop":
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return None
                    if failure == "garbage":
                        return self._send(200, b"<html>maintenance</html>", "text/html")
                    return self._send(int(failure), b'{"message": "unavailable"}')
                notices = fake.pages[page - 1] if 0 < page <= len(fake.pages) else []
                total = sum(len(p) for p in fake.pages)
                body = {"notices": notices, "totalNoticeCount": total, "timedOut": False}
                return self._send(200, json.dumps(body).encode())

            def do_GET(self):
                parts = self.path.strip("/").split("/")
                if len(parts) == 4 and parts[:2] == ["en", "notice"] and parts[3] == "xml":
                    data = fake.notices.get(parts[2])
                    if data is not None:
                        fake.downloads.append(parts[2])
                        return self._send(200, data, "application/xml")
                return self._send(404, b"not found", "text/plain")

        return Handler

    def __enter__(self) -> FakeTed:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
