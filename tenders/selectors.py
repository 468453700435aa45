"""Reads on procurement calls: querysets for lists, detail pages, dashboards."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.db.models import (
    CharField,
    Count,
    Expression,
    F,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.http import QueryDict
from django.utils import timezone

from bigscience_portal.core import savedsearches
from organisations import permissions as org_perms

from . import permissions
from .filtersets import CallFilterSet
from .models import (
    Clarification,
    ExpressionOfInterest,
    ProcurementCall,
    SavedSearch,
    SavedSearchDelivery,
    ordered_cpv_codes,
)


def calls_visible(user) -> QuerySet[ProcurementCall]:
    """Calls ``user`` may see, with what a list row shows loaded in a constant number of queries."""
    return (
        ProcurementCall.objects.filter(permissions.visible_calls_filter(user))
        .select_related("buyer", "main_cpv")
        .prefetch_related("additional_cpv")
        .defer("search_vector", "selection_criteria", "award_criteria")
    )


def call_search(*, user, params, request=None) -> tuple[QuerySet[ProcurementCall], CallFilterSet]:
    """Apply the list's FilterSet to ``params`` (a QueryDict or querystring) for ``user``."""
    if isinstance(params, str):
        params = QueryDict(params)
    filterset = CallFilterSet(
        params, queryset=calls_visible(user), request=request or SimpleNamespace(user=user)
    )
    if not filterset.is_valid():
        return ProcurementCall.objects.none(), filterset
    return filterset.qs, filterset


#: What a row of the calls list shows (no descriptions, criteria or vectors).
LIST_ROW_FIELDS = (
    "id",
    "title",
    "reference",
    "stage",
    "procurement_method",
    "value_band",
    "status",
    "sme_friendly",
    "tender_period_end",
    "time_zone",
    "published_at",
    "main_cpv_id",
    "buyer__name",
    "buyer__acronym",
)


class _AdditionalCodes(Expression):
    """A call's additional CPV codes as one comma-separated column of the list query (instead
    of a prefetch query and a model instance per code): a correlated ``string_agg`` subquery
    (``group_concat`` on SQLite).

    Written as SQL rather than as ``Subquery(...annotate(Aggregate))``: compiling that inner
    queryset took about a third of a millisecond per list page, this takes microseconds.
    """

    output_field = CharField()

    def as_sql(self, compiler, connection, function="STRING_AGG"):
        through = ProcurementCall.additional_cpv.through._meta
        qn = compiler.quote_name_unless_alias
        table = qn(through.db_table)
        code = qn(through.get_field("cpvcode").column)
        call = qn(through.get_field("procurementcall").column)
        outer = f"{qn(compiler.query.base_table)}.{qn(ProcurementCall._meta.pk.column)}"
        # Only quoted names from the model's metadata go into the SQL, no values.
        sql = f"(SELECT {function}({code}, ',') FROM {table} WHERE {table}.{call} = {outer})"  # noqa: S608
        return sql, ()

    def as_sqlite(self, compiler, connection):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT")


def call_list_rows(queryset: QuerySet[ProcurementCall], *, with_total: bool = False) -> QuerySet:
    """``queryset`` (from ``call_search``) as the dicts a list row needs, in one query; with
    ``with_total`` each row also carries the number of matches (``COUNT(*) OVER ()``)."""
    queryset = queryset.prefetch_related(None).annotate(additional_codes=_AdditionalCodes())
    fields = [*LIST_ROW_FIELDS, "additional_codes"]
    if with_total:
        queryset = queryset.annotate(total=Window(Count("pk")))
        fields.append("total")
    return queryset.values(*fields)


def row_cpv_codes(row: dict) -> list[str]:
    """The codes of a ``call_list_rows`` row, in ``ProcurementCall.cpv_codes`` order."""
    return ordered_cpv_codes(row["main_cpv_id"], (row["additional_codes"] or "").split(","))


def organisation_calls(organisation, limit: int = 20) -> list[ProcurementCall]:
    """Published calls the organisation posted as a buyer, newest first."""
    return list(
        ProcurementCall.objects.filter(buyer=organisation, status=ProcurementCall.Status.PUBLISHED)
        .defer("search_vector")
        .order_by("-published_at", "-pk")[:limit]
    )


def organisation_imported_calls(organisation, limit: int = 10) -> list[ProcurementCall]:
    """Calls of the organisation as a buyer that imports of public notices wrote (TED, OCDS),
    newest first: what staff see when they decide on a buyer that an import created."""
    return list(
        ProcurementCall.objects.filter(buyer=organisation)
        .exclude(source=ProcurementCall.Source.PORTAL)
        .defer("search_vector")
        .order_by("-published_at", "pk")[:limit]
    )


def call_detail(pk: int) -> ProcurementCall:
    return (
        ProcurementCall.objects.select_related("buyer", "main_cpv", "contact")
        .prefetch_related(
            "additional_cpv", "lots", "documents", "awards", "required_certifications"
        )
        .get(pk=pk)
    )


def call_uploaded_document(call: ProcurementCall, doc_pk: int):
    """The call's document ``doc_pk`` if it is an uploaded file (not a link), else None."""
    return call.documents.exclude(file="").filter(pk=doc_pk).first()


def call_public_questions(call: ProcurementCall) -> QuerySet[Clarification]:
    """The answered questions, shown to everyone as published (``public_question``)."""
    return call.clarifications.filter(answered_at__isnull=False).order_by("answered_at", "pk")


def call_all_questions(call: ProcurementCall) -> QuerySet[Clarification]:
    return call.clarifications.select_related("asked_by", "answered_by").order_by(
        "answered_at", "asked_at", "pk"
    )


def call_eois(call: ProcurementCall) -> QuerySet[ExpressionOfInterest]:
    return call.expressions_of_interest.select_related("organisation", "submitted_by").order_by(
        "status", "created_at", "pk"
    )


def user_eoi_for_call(user, call: ProcurementCall) -> list[ExpressionOfInterest]:
    orgs = permissions.interest_organisations(user)
    return list(
        call.expressions_of_interest.filter(organisation__in=orgs).select_related("organisation")
    )


def open_calls_closing_first(limit: int = 5) -> list[ProcurementCall]:
    """The open calls (published, deadline not passed) whose deadline comes first, those without
    one last, with their buyer: the same for every reader (the home page is cached for
    visitors)."""
    return list(
        ProcurementCall.objects.open()
        .select_related("buyer")
        .only(
            "pk",
            "title",
            "titles",
            "tender_period_end",
            "time_zone",
            "buyer__name",
            "buyer__slug",
        )
        .order_by(F("tender_period_end").asc(nulls_last=True), "pk")[:limit]
    )


def open_call_count() -> int:
    return ProcurementCall.objects.open().count()


def eois_closing_soon(user, *, days: int = 14, limit: int = 5) -> list[ExpressionOfInterest]:
    """The user's organisations' active expressions of interest in open calls whose deadline
    comes within ``days``: the bids to send before it passes."""
    now = timezone.now()
    return list(
        user_eois(user)
        .filter(
            status=ExpressionOfInterest.Status.ACTIVE,
            call__status=ProcurementCall.Status.PUBLISHED,
            call__tender_period_end__gt=now,
            call__tender_period_end__lte=now + timedelta(days=days),
        )
        .order_by("call__tender_period_end", "pk")[:limit]
    )


def officer_calls(user) -> QuerySet[ProcurementCall]:
    """The calls of the user's infrastructures (all for staff is too many: only their own)."""
    buyers = org_perms.liaison_infrastructures(user)
    return (
        ProcurementCall.objects.filter(buyer__in=buyers)
        .select_related("buyer")
        .annotate(
            eoi_count=Count(
                "expressions_of_interest",
                filter=Q(expressions_of_interest__status=ExpressionOfInterest.Status.ACTIVE),
                distinct=True,
            ),
            unanswered_count=Count(
                "clarifications",
                filter=Q(clarifications__answered_at__isnull=True),
                distinct=True,
            ),
        )
        .defer("search_vector")
        .order_by("status", "tender_period_end", "pk")
    )


def officer_calls_waiting(user) -> QuerySet[ProcurementCall]:
    """Calls needing the officer: drafts, unanswered questions, closed calls to award."""
    return officer_calls(user).filter(
        Q(status=ProcurementCall.Status.DRAFT)
        | Q(unanswered_count__gt=0)
        | Q(status=ProcurementCall.Status.CLOSED)
    )


def user_eois(user) -> QuerySet[ExpressionOfInterest]:
    orgs = permissions.interest_organisations(user)
    return (
        ExpressionOfInterest.objects.filter(organisation__in=orgs)
        .select_related("call", "organisation", "call__buyer")
        .order_by("-created_at")
    )


def user_saved_searches(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name")


def call_unanswered_questions(call: ProcurementCall) -> QuerySet[Clarification]:
    """The call's questions waiting for its officers' answer, oldest first."""
    return call.clarifications.filter(answered_at__isnull=True).order_by("asked_at", "pk")


def call_user_questions(user, call: ProcurementCall) -> QuerySet[Clarification]:
    """The user's own questions on the call, answered or waiting, oldest first."""
    return call.clarifications.filter(asked_by=user).order_by("asked_at", "pk")


def call_active_eoi_count(call: ProcurementCall) -> int:
    return call.expressions_of_interest.filter(status=ExpressionOfInterest.Status.ACTIVE).count()


# --- the OCDS export ------------------------------------------------------------------------

#: Statuses exported as OCDS (drafts are never exposed).
EXPORTED_STATUSES = permissions.PUBLIC_STATUSES


def calls_exportable() -> QuerySet[ProcurementCall]:
    """The calls the OCDS endpoints show, with what a release needs in a constant number of
    queries (``tenders.ocds_export.call_data``)."""
    return (
        ProcurementCall.objects.filter(status__in=EXPORTED_STATUSES)
        .select_related("buyer", "main_cpv")
        .prefetch_related(
            "additional_cpv",
            "lots__cpv_codes",
            "awards__supplier",
            "documents",
            Prefetch(
                "clarifications",
                queryset=Clarification.objects.filter(answered_at__isnull=False).order_by(
                    "answered_at", "pk"
                ),
            ),
        )
    )


# --- saved searches -------------------------------------------------------------------------

UNSUBSCRIBE_SALT = "tenders.saved-search.unsubscribe"


def unsubscribe_token(search: SavedSearch) -> str:
    """The signed token of a digest's unsubscribe link (no login needed)."""
    return savedsearches.unsubscribe_token(search, salt=UNSUBSCRIBE_SALT)


def search_for_unsubscribe_token(token: str) -> SavedSearch | None:
    return savedsearches.search_for_token(SavedSearch, token, salt=UNSUBSCRIBE_SALT)


def saved_search_new_calls(search: SavedSearch) -> QuerySet[ProcurementCall]:
    """Published calls matching the search, published after it was saved and never sent for it.

    The deliveries, not ``last_sent_at``, decide what is new: a call published while the last
    digest was being sent (committed just after its query) still goes out the next time.
    """
    qs, _filterset = call_search(user=search.user, params=search.querystring)
    return (
        qs.filter(status=ProcurementCall.Status.PUBLISHED, published_at__gt=search.created_at)
        .exclude(pk__in=SavedSearchDelivery.objects.filter(search=search).values("call_id"))
        .order_by("published_at", "pk")
    )
