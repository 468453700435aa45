"""Matchmaking parts of other apps' pages: the user's area, a call's page, an organisation's."""

from __future__ import annotations

from django import template
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.models import Organisation
from organisations.permissions import liaison_infrastructures, managed_clusters

from .. import permissions, reasons, selectors
from ..loaders import open_calls_queryset
from ..models import MatchRun

register = template.Library()


@register.filter
def reasons_for(match, audience: str) -> list[str]:
    """``{% for r in match|reasons_for:"officer" %}``: the match's reasons for that reader,
    rendered from its stored components (``matchmaking.reasons``)."""
    return reasons.match_reasons(match, audience=audience)


@register.filter
def infrastructure_reasons(fit) -> list[str]:
    """``{% for r in fit|infrastructure_reasons %}``: why an infrastructure needs what the
    company does, for the company."""
    return reasons.infrastructure_reasons(fit.components)


@register.filter
def fit_words(score) -> str:
    """``{{ match.score|fit_words }}``: "strong fit", "good fit", "possible fit", "weak fit"."""
    return reasons.fit_words(float(score))


@register.filter
def score_words(score) -> str:
    """``{{ match.score|score_words }}``: "53% · strong fit"."""
    return reasons.score_words(float(score))


@register.simple_tag(takes_context=True)
def matchmaking_dashboard(context) -> dict:
    """What the user's area shows: recommendations, suggested suppliers, boards, runs."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not getattr(user, "is_authenticated", False):
        return {}
    company = permissions.user_companies(user).first()
    out = {"company": company}
    if company is not None:
        out["recommendations"] = list(selectors.recommendations_for_company(company)[:5])
    infras = liaison_infrastructures(user)
    out["liaison_calls"] = list(
        open_calls_queryset().filter(buyer__in=infras).order_by("tender_period_end", "pk")[:10]
    )
    out["clusters"] = list(managed_clusters(user).order_by("name"))
    if permissions.can_see_runs(user):
        summary = selectors.runs_summary()
        out["runs_summary"] = runs_summary_text(**summary)
        out["failed_last_day"] = summary["failed_last_day"]
    return out


def runs_summary_text(*, last, failed_last_day: int, now=None) -> str:
    """ "The last run, 5 minutes ago, succeeded; 1 failed run in the last day." for the staff's
    area (``selectors.runs_summary``)."""
    if last is None:
        return _("No run yet.")
    when = timesince(last.finished_at or last.created_at, now=now)
    sentence = {
        MatchRun.Status.SUCCEEDED: _("the last run, %(when)s ago, succeeded"),
        MatchRun.Status.FAILED: _("the last run, %(when)s ago, failed"),
        MatchRun.Status.QUEUED: _("the last run, queued %(when)s ago, is waiting for a worker"),
        MatchRun.Status.RUNNING: _("the last run, started %(when)s ago, is running"),
        MatchRun.Status.RETRYING: _("the last run, %(when)s ago, failed and will be retried"),
    }.get(last.status, _("the last run was %(when)s ago")) % {"when": when}
    failed = ngettext(
        "%(n)d failed run in the last day",
        "%(n)d failed runs in the last day",
        failed_last_day,
    ) % {"n": failed_last_day}
    if not failed_last_day:
        failed = _("no failed run in the last day")
    return _("%(last)s; %(failed)s.") % {"last": sentence, "failed": failed}


@register.simple_tag(takes_context=True)
def suggested_suppliers_panel(context, call, limit: int = 5) -> dict:
    """The call's top suppliers, for the buyer's liaison officers and staff only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if call is None or not permissions.can_see_suppliers(user, call):
        return {"visible": False}
    return {"visible": True, "matches": list(selectors.suppliers_for_call(call)[:limit])}


@register.simple_tag(takes_context=True)
def organisation_matches_panel(context, organisation, limit: int = 3) -> dict:
    """A company's top recommended calls, for its members and staff only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        not isinstance(organisation, Organisation)
        or not organisation.is_company
        or not permissions.can_see_recommendations(user, organisation)
    ):
        return {"visible": False}
    return {
        "visible": True,
        "matches": list(selectors.recommendations_for_company(organisation)[:limit]),
    }
