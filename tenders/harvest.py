"""TED harvesting: ask TED's public search API (v3) for the notices published since the last
successful harvest that match the interest profile, download each notice's XML, and import it
through the one import path (``importers.ted_file_import`` with ``in_scope_only``).

The API (https://docs.ted.europa.eu/api/ , "Search API"): ``POST {TED_API_URL}/v3/notices/search``
with ``{"query": <expert query>, "fields": [...], "page": n, "limit": m, "paginationMode":
"PAGE_NUMBER"}``; the answer holds ``notices`` (each with the fields asked, ``links.xml`` giving
the notice's XML per language) and ``totalNoticeCount``. No key is needed to read.

Every harvest is a :class:`~tenders.models.HarvestRun`: counts and a log written as it goes, the
page it stopped at when TED fails (unreachable, 429, 5xx after retries with backoff, a malformed
page), from which the next run resumes. Only ``urllib`` (no HTTP client dependency).
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bigscience_portal.core import records
from tenders.importers import ted_file_import
from tenders.models import HarvestRun
from tenders.notices import MAX_NOTICE_BYTES
from tenders.scope import InterestProfile, interest_profile

DEFAULT_TED_API_URL = "https://api.ted.europa.eu"
SEARCH_FIELDS = ["publication-number", "publication-date", "notice-type", "buyer-name", "links"]
USER_AGENT = "BigSciencePortal-harvester/1.0 (+https://bigscience.example/)"

Status = HarvestRun.Status


def _setting(name: str, default):
    return getattr(settings, name, default)


class HarvestFailed(Exception):
    """TED did not give what the harvest needs; the run records it and stops."""


@dataclass
class Page:
    notices: list[dict]
    total: int | None


def expert_query(since: dt.date) -> str:
    """TED expert query: published since ``since``, CPV in the profile's divisions and codes
    (the profile's buyers and countries are checked on each notice when it is imported)."""
    profile = interest_profile()
    cpv = " ".join(
        f"{code}*" if len(code) < 8 else code for code in sorted(profile.cpv) if code.isdigit()
    )
    query = f"publication-date>={since:%Y%m%d}"
    if cpv:
        query += f" AND classification-cpv IN ({cpv})"
    return query + " SORT BY publication-number ASC"


def _request(url: str, *, body: bytes | None = None, limit: int | None = None) -> bytes:
    """One HTTP exchange, retried with backoff on 429, 5xx and dropped connections."""
    if not url.startswith(("https://", "http://")):
        raise HarvestFailed(f"{url}: not an http(s) address")
    retries = int(_setting("TED_HARVEST_RETRIES", 2))
    backoff = float(_setting("TED_HARVEST_BACKOFF_SECONDS", 5))
    timeout = float(_setting("TED_HARVEST_TIMEOUT_SECONDS", 30))
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/xml"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    failures: list[str] = []
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        req = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (http[s] only)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
                data = response.read((limit or MAX_NOTICE_BYTES) + 1)
                if limit and len(data) > limit:
                    raise HarvestFailed(f"{url}: answer larger than {limit:,} bytes")
                return data
        except urllib.error.HTTPError as exc:
            failures.append(f"HTTP {exc.code}")
            if exc.code != 429 and exc.code < 500:
                raise HarvestFailed(f"HTTP {exc.code} from {url}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            failures.append(f"unreachable ({reason})")
    raise HarvestFailed(f"{url}: {'; '.join(failures)} ({retries + 1} attempts)")


def search_page(query: str, page: int, limit: int) -> Page:
    base = str(_setting("TED_API_URL", DEFAULT_TED_API_URL)).rstrip("/")
    body = json.dumps(
        {
            "query": query,
            "fields": SEARCH_FIELDS,
            "page": page,
            "limit": limit,
            "paginationMode": "PAGE_NUMBER",
        }
    ).encode()
    raw = _request(f"{base}/v3/notices/search", body=body, limit=10 * 1024 * 1024)
    try:
        answer = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HarvestFailed(f"page {page}: the answer is not JSON ({exc})") from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("notices"), list):
        raise HarvestFailed(f"page {page}: the answer has no list of notices")
    total = answer.get("totalNoticeCount")
    return Page(
        notices=[n for n in answer["notices"] if isinstance(n, dict)],
        total=total if isinstance(total, int) else None,
    )


def _xml_link(notice: dict) -> str | None:
    links = notice.get("links")
    xml = links.get("xml") if isinstance(links, dict) else None
    if not isinstance(xml, dict) or not xml:
        return None
    url = xml.get("MUL") or xml.get("ENG") or next(iter(xml.values()))
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        return url
    return None


def _log(run: HarvestRun, line: str) -> None:
    run.log = (run.log + line + "\n")[-20000:]


def _save(run: HarvestRun) -> None:
    fields = [
        "pages",
        "next_page",
        "found",
        "imported",
        "unchanged",
        "out_of_scope",
        "skipped",
        "refused",
        "log",
    ]
    HarvestRun.objects.filter(pk=run.pk).update(**{f: getattr(run, f) for f in fields})


@transaction.atomic
def harvest_start(*, since: dt.date | None = None, dispatch: bool = True) -> HarvestRun:
    """A queued harvest: it resumes the last run when that one failed (same ``since``, from the
    page it stopped at), else asks for what was published since the last successful one."""
    waiting = HarvestRun.objects.filter(status__in=[Status.QUEUED, Status.RUNNING]).first()
    if waiting is not None:
        return waiting
    last = HarvestRun.objects.order_by("-created_at", "-id").first()
    resumed_from, next_page = None, 1
    if since is None and last is not None and last.status == Status.FAILED:
        since, next_page, resumed_from = last.since, last.next_page, last
    if since is None:
        done = HarvestRun.objects.filter(status=Status.SUCCEEDED).order_by("-started_at").first()
        days = int(_setting("TED_HARVEST_FIRST_DAYS", 7))
        since = (
            timezone.localdate(done.started_at)
            if done is not None and done.started_at
            else timezone.localdate() - dt.timedelta(days=days)
        )
    run = HarvestRun.objects.create(
        query=expert_query(since), since=since, next_page=next_page, resumed_from=resumed_from
    )
    if dispatch:
        records.dispatch(run)
    return run


def harvest_execute(run: HarvestRun) -> HarvestRun:
    """Do a claimed (running) harvest, page after page; the record says how it ended."""
    limit = int(_setting("TED_HARVEST_PAGE_SIZE", 100))
    max_pages = int(_setting("TED_HARVEST_MAX_PAGES", 50))
    if run.resumed_from_id:
        _log(run, f"resumes harvest {run.resumed_from_id} at page {run.next_page}")
    profile = interest_profile()  # read once: every notice of the run is judged by it
    try:
        while run.pages < max_pages:
            page = search_page(run.query, run.next_page, limit)
            _log(run, f"page {run.next_page}: {len(page.notices)} notices")
            for entry in page.notices:
                _harvest_notice(run, entry, profile)
            run.pages += 1
            run.next_page += 1
            _save(run)
            seen = (run.next_page - 1) * limit
            if len(page.notices) < limit or (page.total is not None and seen >= page.total):
                break
    except HarvestFailed as exc:
        _log(run, f"failed: {exc}")
        _save(run)
        records.mark(HarvestRun, run.pk, status=Status.FAILED, error=str(exc))
    else:
        _save(run)
        records.succeed(HarvestRun, run.pk)
    run.refresh_from_db()
    return run


def _harvest_notice(run: HarvestRun, entry: dict, profile: InterestProfile) -> None:
    number = str(entry.get("publication-number") or "?")[:40]
    run.found += 1
    url = _xml_link(entry)
    if url is None:
        run.refused += 1
        _log(run, f"{number}: refused: no XML link in the answer")
        return
    data = _request(url, limit=MAX_NOTICE_BYTES)
    outcome = ted_file_import(
        data=data, filename=f"{number}.xml", in_scope_only=True, profile=profile
    )
    counter = {
        "created": "imported",
        "updated": "imported",
        "unchanged": "unchanged",
        "out_of_scope": "out_of_scope",
        "skipped": "skipped",
    }.get(outcome.action, "refused")
    setattr(run, counter, getattr(run, counter) + 1)
    _log(run, outcome.line())


def harvest_now() -> HarvestRun:
    """Start and do a harvest in this process (``manage.py harvest_ted``)."""
    run = harvest_start(dispatch=False)
    claimed = records.claim(HarvestRun, run.pk)
    if claimed is None:
        return run  # another harvest has it
    return harvest_execute(claimed)
