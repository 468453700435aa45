"""Partnership opportunities: the public list and pages, and their organisation's pages
(writing, review, renewal, attachments, the companies that fit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import confirm, object_actions
from matchmaking.selectors import cpv_labels
from organisations.models import Organisation

from .. import forms, permissions, selectors, services, uploads
from ..filtersets import OpportunityFilterSet
from ..models import OpportunityAttachment
from ..panels import opportunity_page
from ..reasons import opportunity_reasons
from ..tables import (
    CompanyOpportunityTable,
    MatchTable,
    MyOpportunityTable,
    OpportunityTable,
    ReviewTable,
    StatusChangeTable,
)
from . import searches
from .access import opportunity_or_404
from .shortcuts import attachment_response


class OpportunityListView(PortalListView):
    """Every live public opportunity, filterable by type, TRL, stage, IPR, partnership, CPV
    and country, searchable; the filters live in the URL (and in saved searches)."""

    template_name = "innovation/opportunity_list.html"
    filterset_class = OpportunityFilterSet
    table_class = OpportunityTable
    context_object_name = "opportunities"
    paginate_by = 20

    def get_queryset(self):
        return selectors.opportunities_public()

    def filtered(self, filterset, queryset):
        if not filterset.is_valid():
            return queryset.none()
        return filterset.qs

    def get_context_data(self, **context):
        user = self.request.user
        context.update(
            searches.pages.save_box(self.request, can_save=permissions.can_save_search(user)),
            can_create=permissions.can_create_opportunity(user),
        )
        return context


def opportunity_detail(request, pk):
    opportunity = opportunity_or_404(request, pk)
    user = request.user
    can_edit = permissions.can_edit_opportunity(user, opportunity)
    mine = selectors.user_interest(user, opportunity) if user.is_authenticated else []
    return render(
        request,
        "innovation/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "can_edit": can_edit,
            "can_submit": permissions.can_submit_opportunity(user, opportunity),
            "can_publish": permissions.can_publish_directly(user, opportunity),
            "can_review": permissions.can_review_opportunity(user, opportunity),
            "can_see_matches": permissions.can_see_matches(user, opportunity),
            "can_express_interest": not mine
            and permissions.can_express_interest(user, opportunity),
            "my_interests": mine,
            "interests": selectors.opportunity_interests(opportunity) if can_edit else None,
            "history": StatusChangeTable(
                selectors.opportunity_status_changes(opportunity), request=request
            )
            if can_edit
            else None,
            "reviewed_by_staff": permissions.reviewed_by_staff(opportunity),
            "panels": opportunity_page.render(request, opportunity),
        },
    )


@login_required
@uploads.limit_uploads
@require_http_methods(["GET", "POST"])
def opportunity_create(request):
    organisations = permissions.opportunity_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied(_("Join or register an organisation to publish opportunities."))
    form = forms.OpportunityForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            opportunity = services.opportunity_create(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                fields=form.model_fields(),
                cpv_codes=form.cleaned_data["cpv"],
                nace_codes=form.cleaned_data["nace"],
                attachments=form.attachments(),
                country_preset=form.country_preset,
            )
            messages.success(
                request,
                _("The draft is saved. Publish it, or submit it for review, from its page."),
            )
            return redirect(opportunity)
    return render(request, "innovation/opportunity_form.html", {"form": form})


@login_required
@uploads.limit_uploads
@require_http_methods(["GET", "POST"])
def opportunity_edit(request, pk):
    opportunity = opportunity_or_404(request, pk, permissions.can_edit_opportunity)
    form = forms.OpportunityForm(
        request.POST or None, request.FILES or None, instance=opportunity, request=request
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.opportunity_update(
                opportunity=opportunity,
                user=request.user,
                fields=form.model_fields(),
                cpv_codes=form.cleaned_data["cpv"],
                nace_codes=form.cleaned_data["nace"],
                attachments=form.attachments(),
                country_preset=form.country_preset,
            )
            messages.success(request, _("Your changes are saved."))
            return redirect(opportunity)
    return render(
        request, "innovation/opportunity_form.html", {"form": form, "opportunity": opportunity}
    )


#: action: (who may, the service, what the page says after it)
ACTIONS = {
    "submit": (
        permissions.can_submit_opportunity,
        services.opportunity_submit,
        gettext_lazy("Submitted: the organisation's reviewers are asked to publish it."),
    ),
    "publish": (
        permissions.can_publish_directly,
        services.opportunity_publish,
        gettext_lazy("Published. Companies that fit it are being found."),
    ),
    "renew": (
        permissions.can_edit_opportunity,
        services.opportunity_renew,
        gettext_lazy("Renewed for another year."),
    ),
    "withdraw": (
        permissions.can_edit_opportunity,
        services.opportunity_withdraw,
        gettext_lazy("Withdrawn: it is no longer listed or matched."),
    ),
}


opportunity_action = object_actions(opportunity_or_404, ACTIONS, name="opportunity")


@login_required
@require_http_methods(["GET", "POST"])
def opportunity_review(request, pk):
    opportunity = opportunity_or_404(request, pk, permissions.can_review_opportunity)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        publish = form.cleaned_data["decision"] == "publish"
        with refusals(request, form=form):
            services.opportunity_review(
                opportunity=opportunity,
                user=request.user,
                publish=publish,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Published.") if publish else _("Returned to its authors."))
            return redirect(opportunity)
    return render(
        request, "innovation/opportunity_review.html", {"opportunity": opportunity, "form": form}
    )


@login_required
@uploads.limit_uploads
@require_http_methods(["GET", "POST"])
def attachment_add(request, pk):
    opportunity = opportunity_or_404(request, pk, permissions.can_edit_opportunity)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            services.opportunity_update(
                opportunity=opportunity,
                user=request.user,
                fields={},
                attachments=form.attachments(),
            )
            messages.success(request, _("The file is attached."))
            return redirect(opportunity)
    return render(
        request, "innovation/attachment_form.html", {"form": form, "opportunity": opportunity}
    )


def attachment_download(request, pk, attachment_pk):
    opportunity = opportunity_or_404(request, pk)
    attachment = get_object_or_404(OpportunityAttachment, pk=attachment_pk, opportunity=opportunity)
    return attachment_response(attachment)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    opportunity = opportunity_or_404(request, pk, permissions.can_edit_opportunity)
    attachment = get_object_or_404(OpportunityAttachment, pk=attachment_pk, opportunity=opportunity)
    return confirm(
        request,
        "innovation/confirm.html",
        {
            "title": _("Remove “%(t)s”?") % {"t": attachment.title},
            "button": _("Remove"),
            "back": opportunity.get_absolute_url(),
        },
        act=lambda: services.attachment_delete(attachment=attachment),
        done=_("The attachment is removed."),
        then=opportunity,
    )


class OpportunityMatchesView(PortalListView):
    """The companies the engine found for an opportunity, with the reasons, for its
    organisation's people (and staff); stored by the background runs, never computed here."""

    template_name = "innovation/opportunity_matches.html"
    table_class = MatchTable
    context_object_name = "matches"
    login_required = True

    def authorize(self):
        self.opportunity = opportunity_or_404(self.request, self.kwargs["pk"])
        if not permissions.can_see_matches(self.request.user, self.opportunity):
            raise PermissionDenied

    def get_queryset(self):
        return selectors.opportunity_matches(self.opportunity)

    def get_rows(self, page):
        labels = cpv_labels()
        rows = list(page.object_list)
        for m in rows:
            m.reasons = opportunity_reasons(
                m.components,
                audience="officer",
                noun=self.opportunity.noun,
                company_name=m.company.name,
                labels=labels,
            )
        return rows

    def get_context_data(self, **context):
        context["opportunity"] = self.opportunity
        context["runs"] = selectors.match_runs(self.opportunity)[:3]
        return context


class MyOpportunitiesView(PortalListView):
    template_name = "innovation/opportunity_mine.html"
    table_class = MyOpportunityTable
    context_object_name = "opportunities"
    login_required = True

    def get_queryset(self):
        return selectors.organisation_opportunities(self.request.user)

    def get_context_data(self, **context):
        context["can_create"] = permissions.can_create_opportunity(self.request.user)
        return context


class ReviewQueueView(PortalListView):
    template_name = "innovation/review_queue.html"
    table_class = ReviewTable
    context_object_name = "opportunities"
    login_required = True

    def get_queryset(self):
        return selectors.review_queue(self.request.user)


class RecommendedView(PortalListView):
    """Opportunities that fit one of the user's companies, with the reasons in the company's
    words (stored by the background runs)."""

    template_name = "innovation/recommended.html"
    table_class = CompanyOpportunityTable
    context_object_name = "matches"
    login_required = True

    def authorize(self):
        companies = list(
            permissions.user_organisations(self.request.user).filter(
                kind__in=Organisation.COMPANY_KINDS
            )
        )
        if not companies:
            raise PermissionDenied(_("Recommended opportunities are for members of a company."))
        wanted = self.request.GET.get("company", "")
        self.companies = companies
        self.company = next((c for c in companies if str(c.pk) == wanted), companies[0])

    def get_queryset(self):
        return selectors.company_opportunities(self.company)

    def get_rows(self, page):
        labels = cpv_labels()
        rows = list(page.object_list)
        for m in rows:
            m.reasons = opportunity_reasons(
                m.components, audience="company", noun=m.opportunity.noun, labels=labels
            )
        return rows

    def get_context_data(self, **context):
        context.update(company=self.company, companies=self.companies)
        return context
