"""Thin views: permissions from ``permissions``, reads from ``selectors``, writes through
``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from organisations.models import Organisation
from tenders import permissions as call_permissions
from tenders.models import ProcurementCall

from . import loaders, permissions, selectors, services
from .engine import MatchIndex, MatchResult, rank_infrastructures_for_company, render_reasons
from .filtersets import (
    BoardFilterSet,
    RecommendationFilterSet,
    RunFilterSet,
    SupplierFilterSet,
)
from .forms import AlertSubscriptionForm, FeedbackForm
from .models import Feedback, MatchRun

MAX_PAGE_SIZE = 100


class FilteredListView(LoginRequiredMixin, ListView):
    """A list with a FilterSet and a page size the user may choose up to ``MAX_PAGE_SIZE``."""

    filterset_class = None
    paginate_by = 20

    def get_paginate_by(self, queryset):
        try:
            size = int(self.request.GET.get("per_page", self.paginate_by))
        except ValueError:
            size = self.paginate_by
        return max(1, min(size, MAX_PAGE_SIZE))

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(self.request.GET or None, self.base_queryset())
        return self.filterset.qs if self.filterset.is_bound else self.filterset.queryset

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query_string"] = query.urlencode()
        return ctx


# --------------------------------------------------------------------------- SME member
def _infrastructures_for(company: Organisation, k: int = 5):
    """Infrastructures that need what the company does, from their calls and domains."""
    profiles = loaders.load_companies(ids=[company.pk])
    if not profiles:
        return []
    infras, calls = loaders.load_infrastructures()
    if not infras:
        return []
    index = MatchIndex(profiles, calls)
    ranked = rank_infrastructures_for_company(profiles[0], infras, calls, index, k=k)
    orgs = Organisation.objects.in_bulk([m.infrastructure_id for m in ranked])
    out = []
    for m in ranked:
        if m.score <= 0 or m.infrastructure_id not in orgs:
            continue
        as_result = MatchResult(company.pk, m.infrastructure_id, m.score, m.components)
        reasons = render_reasons(as_result, services.cpv_labels())  # same renderer as calls
        out.append(
            {"infrastructure": orgs[m.infrastructure_id], "score": m.score, "reasons": reasons}
        )
    return out


class RecommendedCallsView(FilteredListView):
    """'Recommended calls' of one of the user's companies (staff: any company)."""

    template_name = "matchmaking/recommended.html"
    context_object_name = "matches"
    filterset_class = RecommendationFilterSet

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.company = self._company()
        if self.company is not None and not permissions.can_see_recommendations(
            request.user, self.company
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _company(self):
        pk = self.request.GET.get("company")
        if pk:
            try:
                return get_object_or_404(
                    Organisation, pk=int(pk), kind__in=Organisation.COMPANY_KINDS
                )
            except ValueError as exc:
                raise Http404 from exc
        return permissions.user_companies(self.request.user).first()

    def base_queryset(self):
        if self.company is None:
            return selectors.recommendations_for_company(Organisation(pk=0)).none()
        return selectors.recommendations_for_company(self.company)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company"] = self.company
        ctx["companies"] = list(permissions.user_companies(self.request.user))
        ctx["reasons"] = Feedback.Reason.choices
        if self.company is not None:
            ctx["extra_hidden"] = [("company", self.company.pk)]
            ctx["relevant_ids"] = selectors.relevant_call_ids(self.company)
            ctx["infrastructures"] = _infrastructures_for(self.company)
        return ctx


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
            messages.success(request, _("“%s” will not be recommended to you again.") % call.title)
        return HttpResponseRedirect(reverse("matchmaking:recommended") + f"?company={company.pk}")


# --------------------------------------------------------------------------- liaison officer
class SuggestedSuppliersView(FilteredListView):
    template_name = "matchmaking/suppliers.html"
    context_object_name = "matches"
    filterset_class = SupplierFilterSet

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.call = get_object_or_404(
            ProcurementCall.objects.select_related("buyer"), pk=kwargs["pk"]
        )
        if not permissions.can_see_suppliers(request.user, self.call):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.suppliers_for_call(self.call)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["call"] = self.call
        ctx["invited_ids"] = selectors.invited_company_ids(self.call)
        ctx["last_run"] = MatchRun.objects.filter(
            kind=MatchRun.Kind.CALL, target_id=self.call.pk
        ).first()
        return ctx


class InviteSupplierView(LoginRequiredMixin, View):
    def post(self, request, pk, company_pk):
        call = get_object_or_404(ProcurementCall.objects.select_related("buyer"), pk=pk)
        if not permissions.can_invite_supplier(request.user, call):
            raise PermissionDenied
        company = get_object_or_404(
            Organisation, pk=company_pk, kind__in=Organisation.COMPANY_KINDS
        )
        invitation = services.supplier_invite(call=call, company=company, user=request.user)
        if invitation is None:
            messages.info(request, _("%s was already invited to this call.") % company.name)
        else:
            messages.success(request, _("%s was invited to express interest.") % company.name)
        return HttpResponseRedirect(reverse("matchmaking:call_suppliers", args=[call.pk]))


# --------------------------------------------------------------------------- cluster manager
class ClusterBoardView(FilteredListView):
    template_name = "matchmaking/cluster_board.html"
    context_object_name = "matches"
    filterset_class = BoardFilterSet

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cluster = get_object_or_404(
            Organisation, slug=kwargs["slug"], kind=Organisation.Kind.CLUSTER
        )
        if not permissions.can_use_cluster_board(request.user, self.cluster):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.cluster_board(self.cluster)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cluster"] = self.cluster
        ctx["forwarded"] = selectors.forwarded_pairs(self.cluster)
        return ctx


class ForwardView(LoginRequiredMixin, View):
    def post(self, request, slug, company_pk, call_pk):
        cluster = get_object_or_404(Organisation, slug=slug, kind=Organisation.Kind.CLUSTER)
        if not permissions.can_use_cluster_board(request.user, cluster):
            raise PermissionDenied
        if not selectors.cluster_member_ids(cluster).filter(member_id=company_pk).exists():
            raise Http404
        company = get_object_or_404(Organisation, pk=company_pk)
        # Only calls the member company may see (never a draft) are forwarded by e-mail.
        call = get_object_or_404(
            ProcurementCall, pk=call_pk, status__in=call_permissions.PUBLIC_STATUSES
        )
        forward = services.match_forward(
            cluster=cluster, company=company, call=call, user=request.user
        )
        if forward is None:
            messages.info(request, _("This call was already forwarded to %s.") % company.name)
        else:
            messages.success(request, _("Forwarded to %s.") % company.name)
        return HttpResponseRedirect(reverse("matchmaking:cluster_board", args=[cluster.slug]))


# --------------------------------------------------------------------------- staff
class RunListView(FilteredListView):
    template_name = "matchmaking/runs.html"
    context_object_name = "runs"
    filterset_class = RunFilterSet
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_see_runs(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return MatchRun.objects.order_by("-created_at", "-id")


# --------------------------------------------------------------------------- alerts
class AlertSettingsView(LoginRequiredMixin, View):
    template_name = "matchmaking/alert_settings.html"

    def get(self, request):
        sub = services.subscription_for(request.user)
        return render(request, self.template_name, {"form": AlertSubscriptionForm(instance=sub)})

    def post(self, request):
        sub = services.subscription_for(request.user)
        form = AlertSubscriptionForm(request.POST, instance=sub)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.subscription_update(
            subscription=sub,
            frequency=form.cleaned_data["frequency"],
            threshold=form.cleaned_data["threshold"],
            deadline_reminders=form.cleaned_data["deadline_reminders"],
        )
        messages.success(request, _("Your alert settings were saved."))
        return HttpResponseRedirect(reverse("matchmaking:alert_settings"))


class UnsubscribeView(View):
    """No login: the signed token in the e-mail's link identifies the subscription."""

    template_name = "matchmaking/unsubscribe.html"

    def _subscription(self, token):
        sub = services.subscription_from_token(token)
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
