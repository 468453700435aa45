"""Thin views: permissions from ``permissions``, reads from ``selectors``, writes through
``services`` (refusals shown by ``core.refusals``); lists on the shared ``PortalListView``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from bigscience_portal.core.lists import PortalListView, querystring_without
from bigscience_portal.core.refusals import refusals
from organisations.models import Organisation
from organisations.permissions import visible_organisations
from tenders import permissions as call_permissions
from tenders.marks import call_marks
from tenders.models import ProcurementCall

from . import permissions, selectors, services
from .filtersets import BoardFilterSet, MinFitFilterSet, RunFilterSet, SupplierFilterSet
from .forms import AlertSubscriptionForm, CompanyForm, FeedbackForm, ForwardForm
from .limits import BOARD_GRID_COLUMNS
from .models import MatchRun
from .tables import BoardGridTable, BoardTable, DismissedTable, RunTable, SupplierTable
from .tokens import subscription_from_token


def _say_once(request, created: bool, *, done: str, before: str) -> None:
    """What a send-once action (an invitation, a forward) tells: sent now, or sent before."""
    if created:
        messages.success(request, done)
    else:
        messages.info(request, before)


def _safe_back(request, default: str) -> str:
    """The page the form came from (``next``, a path of this site under ``default``), else
    ``default``: a filtered list stays filtered after an action."""
    back = request.POST.get("next", "")
    if back.startswith(default) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return back
    return default


def _visible_call_or_404(request, pk) -> ProcurementCall:
    """The call, or 404 when it does not exist or the user may not see it (a draft)."""
    return get_object_or_404(
        ProcurementCall.objects.filter(
            call_permissions.visible_calls_filter(request.user)
        ).select_related("buyer"),
        pk=pk,
    )


def _visible_cluster_or_404(request, slug) -> Organisation:
    """The cluster, or 404 when it does not exist or the user may not see it."""
    return get_object_or_404(
        visible_organisations(request.user), slug=slug, kind=Organisation.Kind.CLUSTER
    )


# --------------------------------------------------------------------------- SME member
class _CompanyListMixin:
    """A list about one of the user's companies (``?company=``; staff: any company)."""

    def authorize(self):
        self.company = self._company()
        if self.company is not None and not permissions.can_see_recommendations(
            self.request.user, self.company
        ):
            raise PermissionDenied

    def _company(self):
        pk = self.request.GET.get("company")
        if pk:
            try:
                return get_object_or_404(
                    visible_organisations(self.request.user),
                    pk=int(pk),
                    kind__in=Organisation.COMPANY_KINDS,
                )
            except ValueError as exc:
                raise Http404 from exc
        return permissions.user_companies(self.request.user).first()

    def company_context(self, context: dict) -> dict:
        companies = permissions.user_companies(self.request.user)
        context["company"] = self.company
        if len(companies) > 1:
            context["company_form"] = CompanyForm(
                initial={"company": self.company}, companies=companies
            )
        return context


class RecommendedCallsView(_CompanyListMixin, PortalListView):
    """'Recommended calls' of one of the user's companies (staff: any company)."""

    template_name = "matchmaking/recommended.html"
    context_object_name = "recommendations"
    filterset_class = MinFitFilterSet
    login_required = True
    paginate_by = 20

    def get_queryset(self):
        if self.company is None:
            return selectors.recommendations_for_company(Organisation(pk=0)).none()
        return selectors.recommendations_for_company(self.company)

    def get_rows(self, page):
        """Each recommendation with its two feedback forms (relevant, not relevant) and the
        marks of what the company did with the call (one query for the page)."""
        matches = list(page.object_list)
        marks = (
            call_marks(organisation_ids=[self.company.pk], call_ids=[m.call_id for m in matches])
            if self.company is not None
            else {}
        )
        return [
            {
                "match": m,
                "marks": marks.get(m.call_id, ()),
                "relevant_form": FeedbackForm.for_match(m, relevant=True),
                "not_relevant_form": FeedbackForm.for_match(m, relevant=False),
            }
            for m in matches
        ]

    def get_context_data(self, **context):
        context = self.company_context(super().get_context_data(**context))
        if self.company is not None:
            context["hidden"] = [("company", self.company.pk)]
            context["reset_querystring"] = f"company={self.company.pk}"
            context["infrastructures"] = selectors.infrastructure_fits(self.company)
        return context


class FeedbackView(LoginRequiredMixin, View):
    """POST: relevant / not relevant (with a reason) on a recommended call."""

    def post(self, request):
        form = FeedbackForm(request.POST)
        company_pk = request.POST.get("company", "")
        company_pk = company_pk if company_pk.isdigit() else ""
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return HttpResponseRedirect(
                reverse("matchmaking:recommended") + f"?company={company_pk}"
            )
        company = get_object_or_404(
            Organisation, pk=form.cleaned_data["company"], kind__in=Organisation.COMPANY_KINDS
        )
        if not permissions.can_give_feedback(request.user, company):
            raise PermissionDenied
        call = get_object_or_404(
            ProcurementCall.objects.filter(call_permissions.visible_calls_filter(request.user)),
            pk=form.cleaned_data["call"],
        )
        relevant = form.cleaned_data["relevant"]
        with refusals(request):
            services.feedback_give(
                user=request.user,
                company=company,
                call=call,
                relevant=relevant,
                reason=form.cleaned_data.get("reason") or "",
            )
            if relevant:
                messages.success(request, _("Thank you: “%s” marked relevant.") % call.title)
            else:
                # with an "Undo" button and a link to the list of dismissed calls
                messages.success(
                    request,
                    render_to_string(
                        "matchmaking/_undo_message.html",
                        {"call": call, "company": company},
                        request=request,
                    ),
                )
        return HttpResponseRedirect(reverse("matchmaking:recommended") + f"?company={company.pk}")


class DismissedCallsView(_CompanyListMixin, PortalListView):
    """The calls one of the user's companies marked not relevant, each with "Undo"."""

    template_name = "matchmaking/dismissed.html"
    context_object_name = "calls"
    table_class = DismissedTable
    login_required = True
    paginate_by = 20

    def get_queryset(self):
        if self.company is None:
            return ProcurementCall.objects.none()
        return selectors.dismissed_calls(self.company)

    def get_table(self, rows):
        return self.table_class(rows, request=self.request, context={"company": self.company})

    def get_context_data(self, **context):
        return self.company_context(super().get_context_data(**context))


class FeedbackUndoView(LoginRequiredMixin, View):
    """POST: take back a "not relevant" (from the dismissed list or the message after it).
    Another company's dismissals are not the user's to see: 404."""

    def post(self, request):
        company_pk, call_pk = request.POST.get("company", ""), request.POST.get("call", "")
        if not (company_pk.isdigit() and call_pk.isdigit()):
            raise Http404
        company = get_object_or_404(
            Organisation, pk=int(company_pk), kind__in=Organisation.COMPANY_KINDS
        )
        if not permissions.can_give_feedback(request.user, company):
            raise Http404
        call = get_object_or_404(
            ProcurementCall.objects.filter(call_permissions.visible_calls_filter(request.user)),
            pk=int(call_pk),
        )
        back = reverse("matchmaking:dismissed") + f"?company={company.pk}"
        with refusals(request):
            services.feedback_undo(user=request.user, company=company, call=call)
            messages.success(
                request,
                _("“%s” is no longer marked not relevant: it is recommended again if it fits.")
                % call.title,
            )
            back = reverse("matchmaking:recommended") + f"?company={company.pk}"
        return HttpResponseRedirect(back)


# --------------------------------------------------------------------------- liaison officer
class SuggestedSuppliersView(PortalListView):
    """A call's suggested suppliers, for the buyer's liaison officers and staff."""

    template_name = "matchmaking/suppliers.html"
    context_object_name = "matches"
    filterset_class = SupplierFilterSet
    table_class = SupplierTable
    login_required = True
    paginate_by = 20

    def authorize(self):
        self.call = _visible_call_or_404(self.request, self.kwargs["pk"])
        if not permissions.can_see_suppliers(self.request.user, self.call):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.suppliers_for_call(self.call)

    def get_filterset(self, queryset):
        filterset = super().get_filterset(queryset)
        filterset.call = self.call  # for the "favoured countries" filter
        return filterset

    def get_table(self, rows):
        return self.table_class(
            rows,
            request=self.request,
            context={
                "call": self.call,
                "invited_ids": selectors.invited_company_ids(self.call),
                "audience": "officer",
            },
        )

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["call"] = self.call
        context["last_run"] = selectors.last_call_run(self.call)
        return context


class InviteSupplierView(LoginRequiredMixin, View):
    def post(self, request, pk, company_pk):
        call = _visible_call_or_404(request, pk)
        if not permissions.can_invite_supplier(request.user, call):
            raise PermissionDenied
        company = get_object_or_404(
            Organisation, pk=company_pk, kind__in=Organisation.COMPANY_KINDS
        )
        _invitation, created = services.supplier_invite(
            call=call, company=company, user=request.user
        )
        _say_once(
            request,
            created,
            done=_("%s was invited to express interest.") % company.name,
            before=_("%s was already invited to this call.") % company.name,
        )
        return HttpResponseRedirect(reverse("matchmaking:call_suppliers", args=[call.pk]))


# --------------------------------------------------------------------------- cluster manager
def _board_cluster_or_404(request, slug) -> Organisation:
    """The cluster whose board is asked for: 404 for those it does not exist for (another
    organisation's board), a refusal for its managers while staff have not approved it."""
    cluster = _visible_cluster_or_404(request, slug)
    if not permissions.board_exists_for(request.user, cluster):
        raise Http404
    if not permissions.can_use_cluster_board(request.user, cluster):
        raise PermissionDenied
    return cluster


class ClusterBoardView(PortalListView):
    """A cluster's members and the open calls that fit them, for its managers and staff: a
    grid of members x the calls that fit the most of them, a page of columns at a time, or
    (``?view=list``) a list of pairs, best first; the same filters apply to both."""

    template_name = "matchmaking/cluster_board.html"
    context_object_name = "matches"
    filterset_class = BoardFilterSet
    table_class = BoardTable
    login_required = True
    paginate_by = 20

    def authorize(self):
        self.cluster = _board_cluster_or_404(self.request, self.kwargs["slug"])
        self.grid = self.request.GET.get("view") != "list"
        if self.grid:
            self.table_class = BoardGridTable
            self.count_cap = None  # the grid's columns are counted exactly (one query)

    def get_queryset(self):
        return selectors.cluster_board(self.cluster)

    def get_filterset(self, queryset):
        return self.filterset_class(
            self.request.GET, queryset=queryset, request=self.request, cluster=self.cluster
        )

    def filtered(self, filterset, queryset):
        self.matches = super().filtered(filterset, queryset)
        return selectors.board_grid_columns(self.matches) if self.grid else self.matches

    def get_page_size(self) -> int:
        return BOARD_GRID_COLUMNS if self.grid else super().get_page_size()

    def get_rows(self, page):
        self.page = page
        if self.grid:
            return selectors.board_grid(self.matches, page.object_list)
        return super().get_rows(page)

    def get_table(self, rows):
        context = {"cluster": self.cluster, "form": ForwardForm()}
        if self.grid:
            return BoardGridTable(rows, page=self.page, request=self.request, context=context)
        return self.table_class(rows, request=self.request, context=context)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context.update(
            cluster=self.cluster,
            grid=self.grid,
            form=ForwardForm(),
            # the List / Grid switch keeps the filters
            filters_querystring=querystring_without(self.request.GET, "page", "view", "per_page"),
            hidden=[] if self.grid else [("view", "list")],
        )
        return context


class ForwardView(LoginRequiredMixin, View):
    def post(self, request, slug, company_pk, call_pk):
        cluster = _board_cluster_or_404(request, slug)
        if not selectors.cluster_member_ids(cluster).filter(member_id=company_pk).exists():
            raise Http404
        company = get_object_or_404(Organisation, pk=company_pk)
        # Only calls the member company may see (never a draft) are forwarded by e-mail.
        call = get_object_or_404(
            ProcurementCall, pk=call_pk, status__in=call_permissions.PUBLIC_STATUSES
        )
        # back to the board as it was (the grid or the list, with its filters)
        back = _safe_back(request, reverse("matchmaking:cluster_board", args=[cluster.slug]))
        form = ForwardForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return HttpResponseRedirect(back)
        with refusals(request):
            _forward, created = services.match_forward(
                cluster=cluster,
                company=company,
                call=call,
                user=request.user,
                note=form.cleaned_data["note"],
            )
            _say_once(
                request,
                created,
                done=_("Forwarded to %s.") % company.name,
                before=_("This call was already forwarded to %s.") % company.name,
            )
        return HttpResponseRedirect(back)


# --------------------------------------------------------------------------- staff
class RunListView(PortalListView):
    """Every scoring run, for staff."""

    template_name = "matchmaking/runs.html"
    context_object_name = "runs"
    filterset_class = RunFilterSet
    table_class = RunTable
    login_required = True
    paginate_by = 50

    def authorize(self):
        if not permissions.can_see_runs(self.request.user):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.runs()

    def get_rows(self, page):
        """The page's runs, each with what it scored (``run.target``, in one query per kind)."""
        runs = list(page.object_list)
        targets = selectors.run_targets(runs)
        for run in runs:
            run.target = targets.get(run.pk)
        return runs

    def get_table(self, rows):
        return self.table_class(
            rows,
            request=self.request,
            context={
                "can_retry": permissions.can_retry_runs(self.request.user),
                "back": self.request.get_full_path(),
            },
        )


class RunRetryView(LoginRequiredMixin, View):
    """Queue a failed run's work again (staff; anyone else: 404)."""

    def post(self, request, pk):
        if not permissions.can_retry_runs(request.user):
            raise Http404
        run = get_object_or_404(MatchRun, pk=pk)
        with refusals(request):
            retry, created = services.run_retry(run=run)
            _say_once(
                request,
                created,
                done=_("Run #%(old)d queued again as run #%(new)d.")
                % {"old": run.pk, "new": retry.pk},
                before=_("A run of the same target is already queued (run #%(new)d).")
                % {"new": retry.pk},
            )
        return HttpResponseRedirect(_safe_back(request, reverse("matchmaking:run_list")))


# --------------------------------------------------------------------------- alerts
class AlertSettingsView(LoginRequiredMixin, View):
    template_name = "matchmaking/alert_settings.html"

    def get(self, request):
        sub = services.subscription_for(request.user)
        return render(request, self.template_name, {"form": AlertSubscriptionForm(instance=sub)})

    def post(self, request):
        sub = services.subscription_for(request.user)
        form = AlertSubscriptionForm(request.POST, instance=sub)
        if form.is_valid():
            with refusals(request, form=form):
                services.subscription_update(subscription=sub, **form.cleaned_data)
                messages.success(request, _("Your alert settings were saved."))
                return HttpResponseRedirect(reverse("matchmaking:alert_settings"))
        return render(request, self.template_name, {"form": form}, status=400)


class UnsubscribeView(View):
    """No login: the signed token in the e-mail's link identifies the subscription."""

    template_name = "matchmaking/unsubscribe.html"

    def _subscription(self, token):
        sub = subscription_from_token(token)
        if sub is None:
            raise Http404
        return sub

    def get(self, request, token):
        sub = self._subscription(token)
        return render(request, self.template_name, {"subscription": sub, "done": False})

    def post(self, request, token):
        sub = self._subscription(token)
        services.subscription_unsubscribe(subscription=sub)
        return render(request, self.template_name, {"subscription": sub, "done": True})
