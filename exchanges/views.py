"""Pages of the exchanges app: thin, they load the object (404 for what the user may not
see), ask ``permissions``, call a selector or a service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bigscience_portal.core.lists import PortalListView
from bigscience_portal.core.refusals import refusals
from bigscience_portal.core.views_kit import confirm, visible_or_404

from . import forms, permissions, selectors, services
from .filtersets import ApplicationFilterSet, ExchangeFilterSet
from .models import AgendaItem, Application, Exchange, Partnership
from .tables import (
    AgendaTable,
    ApplicationTable,
    ExchangeTable,
    HostAgendaTable,
    HostApplicationTable,
    MyApplicationTable,
    PartnershipTable,
)

exchange_or_404 = visible_or_404(selectors.exchange_by_slug, permissions.can_view_exchange)
application_or_404 = visible_or_404(selectors.application_detail, permissions.can_view_application)
partnership_or_404 = visible_or_404(
    lambda pk: Partnership.objects.select_related("proposer", "partner").filter(pk=pk).first(),
    permissions.can_view_partnership,
)


# --- exchanges --------------------------------------------------------------------------------


class ExchangeListView(PortalListView):
    template_name = "exchanges/exchange_list.html"
    filterset_class = ExchangeFilterSet
    table_class = ExchangeTable
    context_object_name = "exchanges"

    def get_queryset(self):
        return selectors.exchange_list(user=self.request.user)

    def get_context_data(self, **context):
        context["can_create"] = permissions.can_create_exchange(self.request.user)
        return context


def _exchange_form(request, exchange: Exchange | None):
    form = forms.ExchangeForm(
        request.POST or None,
        instance=exchange,
        host_choices=permissions.host_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            saved = services.exchange_save(
                exchange=form.instance,
                user=request.user,
                host_organisations=form.cleaned_data["host_organisations"],
                eligible_clusters=form.cleaned_data["eligible_clusters"],
                country_preset=form.country_preset,
            )
            messages.success(request, _("The exchange is saved."))
            return redirect(saved)
    return render(request, "exchanges/exchange_form.html", {"form": form, "exchange": exchange})


@login_required
@require_http_methods(["GET", "POST"])
def exchange_create(request):
    if not permissions.can_create_exchange(request.user):
        raise PermissionDenied(_("Managers of an approved cluster publish exchanges."))
    return _exchange_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, slug):
    exchange = exchange_or_404(request, slug, permissions.can_edit_exchange)
    return _exchange_form(request, exchange)


def exchange_detail(request, slug):
    exchange = exchange_or_404(request, slug)
    user = request.user
    return render(
        request,
        "exchanges/exchange_detail.html",
        {
            "exchange": exchange,
            "host_organisations": exchange.host_organisations.order_by("name"),
            "eligible_clusters": exchange.eligible_clusters.order_by("name"),
            "partners": selectors.partnerships_of(exchange.host_cluster),
            "accepted": selectors.accepted_count(exchange),
            "is_host": permissions.is_host(user, exchange),
            "can_apply": permissions.can_apply(user, exchange),
            "my_application": permissions.open_application(user, exchange),
            "can_view_agenda": permissions.can_view_agenda(user, exchange),
            "can_view_applications": permissions.can_view_applications(user, exchange),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agenda(request, slug):
    """The programme in full, for the accepted participants and the host (404 for others);
    the host adds and removes its parts here."""
    exchange = exchange_or_404(request, slug)
    if not permissions.can_view_agenda(request.user, exchange):
        raise Http404
    is_host = permissions.is_host(request.user, exchange)
    form = None
    if is_host:
        form = forms.AgendaItemForm(
            request.POST or None,
            events=selectors.agenda_event_choices(exchange),
            tz_name=exchange.time_zone,
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with refusals(request, form=form):
                services.agenda_item_add(exchange=exchange, user=request.user, **form.cleaned_data)
                messages.success(request, _("The agenda item is added."))
                return redirect("exchanges:agenda", slug=exchange.slug)
    return render(
        request,
        "exchanges/agenda.html",
        {
            "exchange": exchange,
            "table": (HostAgendaTable if is_host else AgendaTable)(
                selectors.agenda(exchange), request=request
            ),
            "is_host": is_host,
            "form": form,
        },
    )


@login_required
@require_POST
def agenda_item_remove(request, slug, pk):
    exchange = exchange_or_404(request, slug)
    if not permissions.is_host(request.user, exchange):
        raise Http404
    item = AgendaItem.objects.filter(exchange=exchange, pk=pk).first()
    if item is None:
        raise Http404
    with refusals(request):
        services.agenda_item_remove(item=item, user=request.user)
        messages.success(request, _("The agenda item is removed."))
    return redirect("exchanges:agenda", slug=exchange.slug)


# --- applications -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    exchange = exchange_or_404(request, slug)
    mine = permissions.open_application(request.user, exchange)
    if mine is not None:
        messages.info(request, _("You have applied for this exchange already."))
        return redirect(mine)
    if not permissions.can_apply(request.user, exchange):
        raise PermissionDenied(
            _(
                "This exchange takes applications from the member companies of the clusters it "
                "is open to, in its countries, until applications close."
            )
        )
    form = forms.ApplicationForm(
        request.POST or None, companies=selectors.eligible_companies(request.user, exchange)
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            application = services.application_create(
                exchange=exchange, user=request.user, **form.cleaned_data
            )
            messages.success(
                request, _("Your application is sent; the host's decision comes by e-mail.")
            )
            return redirect(application)
    return render(request, "exchanges/apply.html", {"exchange": exchange, "form": form})


class ApplicationListView(PortalListView):
    """An exchange's applications: all of them for the host, their own members' for the
    manager of another cluster (404 for everyone else)."""

    template_name = "exchanges/application_list.html"
    filterset_class = ApplicationFilterSet
    table_class = ApplicationTable
    context_object_name = "applications"
    login_required = True

    def authorize(self):
        self.exchange = exchange_or_404(self.request, self.kwargs["slug"])
        if not permissions.can_view_applications(self.request.user, self.exchange):
            raise Http404
        self.is_host = permissions.is_host(self.request.user, self.exchange)

    def get_queryset(self):
        return selectors.applications_for(self.request.user, self.exchange)

    def get_rows(self, page):
        rows = super().get_rows(page)
        if self.is_host:  # the host's rows say whether a place can be cancelled from them
            for row in rows:
                row.can_cancel = permissions.place_can_be_cancelled(row)
        return rows

    def get_table(self, rows):
        table = HostApplicationTable if self.is_host else ApplicationTable
        return table(rows, request=self.request)

    def get_context_data(self, **context):
        context["exchange"] = self.exchange
        context["is_host"] = self.is_host
        context["accepted"] = selectors.accepted_count(self.exchange)
        return context


class MyApplicationListView(PortalListView):
    template_name = "exchanges/my_applications.html"
    table_class = MyApplicationTable
    context_object_name = "applications"
    login_required = True

    def get_queryset(self):
        return selectors.applications_of_user(self.request.user)


def application_detail(request, pk):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    application = application_or_404(request, pk)
    user = request.user
    return render(
        request,
        "exchanges/application_detail.html",
        {
            "application": application,
            "exchange": application.exchange,
            "can_decide": permissions.can_decide_application(user, application)
            and application.status in (Application.Status.PENDING, Application.Status.WAITLISTED),
            "can_cancel": permissions.can_cancel_place(user, application),
            "can_withdraw": permissions.can_withdraw_application(user, application),
            "can_view_agenda": permissions.can_view_agenda(user, application.exchange),
        },
    )


@login_required
@require_POST
def application_accept(request, pk):
    application = application_or_404(request, pk, permissions.can_decide_application)
    with refusals(request):
        decided = services.application_decide(
            application=application, user=request.user, accept=True
        )
        if decided.status == Application.Status.ACCEPTED:
            messages.success(request, _("Accepted; the participant is sent the agenda."))
        else:
            messages.info(
                request,
                _("Every place is taken: the applicant is on the waiting list, position %(n)s.")
                % {"n": decided.waitlist_position},
            )
    return redirect(application)


CONFIRM = "exchanges/confirm.html"


def _confirmation(obj, *, title, text, button, form=None) -> dict:
    """What the confirmation page of an action on ``obj`` shows (its POST acts; Cancel goes
    back)."""
    return {
        "title": title,
        "text": text,
        "button": button,
        "back": obj.get_absolute_url(),
        "form": form,
    }


@login_required
@require_http_methods(["GET", "POST"])
def application_decline(request, pk):
    """Asks first (GET), declines on the confirmation's POST."""
    application = application_or_404(request, pk, permissions.can_decide_application)
    return confirm(
        request,
        CONFIRM,
        _confirmation(
            application,
            title=_("Decline this application?"),
            text=_("%(company)s is told by e-mail that you declined. This cannot be undone.")
            % {"company": application.organisation.name},
            button=_("Decline the application"),
        ),
        act=lambda: services.application_decide(
            application=application, user=request.user, accept=False
        ),
        done=_("The application is declined; the applicant is told."),
        then=application,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk):
    """Asks first (GET), withdraws on the confirmation's POST."""
    application = application_or_404(request, pk, permissions.can_withdraw_application)
    held = application.status == Application.Status.ACCEPTED
    return confirm(
        request,
        CONFIRM,
        _confirmation(
            application,
            title=_("Withdraw your application?"),
            text=(
                _(
                    "Your place goes to the next on the waiting list, and your registrations for "
                    "the linked events are cancelled. This cannot be undone."
                )
                if held
                else _("The host is told. This cannot be undone.")
            ),
            button=_("Withdraw"),
        ),
        act=lambda: services.application_withdraw(application=application, user=request.user),
        done=_("Your application is withdrawn; the host is told."),
        then=application,
    )


def _person(application: Application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


@login_required
@require_http_methods(["GET", "POST"])
def application_cancel(request, pk):
    """The host cancels an accepted participant's place: asks first (GET, with an optional
    reason), cancels on the confirmation's POST."""
    application = application_or_404(request, pk, permissions.can_decide_application)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request):
            promoted = services.application_cancel(
                application=application, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The place is cancelled; the participant is told by e-mail.")
            )
            if promoted is not None:
                messages.info(
                    request,
                    _("%(person)s moved up from the waiting list.") % {"person": _person(promoted)},
                )
        return redirect(application)
    return render(
        request,
        CONFIRM,
        _confirmation(
            application,
            title=_("Cancel the place of %(person)s?") % {"person": _person(application)},
            text=_(
                "%(company)s is told by e-mail that you cancelled its place, with the reason if you "
                "give one. The place goes to the first on the waiting list, and the registrations "
                "made for the linked events are cancelled. This cannot be undone."
            )
            % {"company": application.organisation.name},
            button=_("Cancel the place"),
            form=form,
        ),
    )


# --- partnerships -----------------------------------------------------------------------------


class PartnershipListView(PortalListView):
    template_name = "exchanges/partnership_list.html"
    table_class = PartnershipTable
    context_object_name = "partnerships"

    def get_queryset(self):
        return selectors.partnerships_for(self.request.user)

    def get_context_data(self, **context):
        context["can_propose"] = permissions.can_propose_partnership(self.request.user)
        return context


@login_required
@require_http_methods(["GET", "POST"])
def partnership_propose(request):
    if not permissions.can_propose_partnership(request.user):
        raise PermissionDenied(_("Managers of an approved cluster propose partnerships."))
    form = forms.PartnershipForm(
        request.POST or None, proposer_choices=permissions.host_choices(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with refusals(request, form=form):
            partnership = services.partnership_propose(user=request.user, **form.cleaned_data)
            messages.success(
                request, _("The proposal is sent to %(c)s.") % {"c": partnership.partner.name}
            )
            return redirect(partnership)
    return render(request, "exchanges/partnership_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def partnership_detail(request, pk):
    partnership = partnership_or_404(request, pk)
    can_decide = permissions.can_decide_partnership(request.user, partnership)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        accept = request.POST.get("decision") == "accept"
        with refusals(request):
            services.partnership_decide(partnership=partnership, user=request.user, accept=accept)
            messages.success(
                request,
                _("The partnership is active.") if accept else _("The proposal is declined."),
            )
        return redirect(partnership)
    return render(
        request,
        "exchanges/partnership_detail.html",
        {
            "partnership": partnership,
            "can_decide": can_decide,
            "can_end": permissions.can_end_partnership(request.user, partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_end(request, pk):
    """A manager of either cluster ends an active partnership: asks first (GET, with an
    optional reason), ends it on the confirmation's POST."""
    partnership = partnership_or_404(request, pk, permissions.can_end_partnership)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with refusals(request):
            services.partnership_end(
                partnership=partnership, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The partnership is ended; both clusters' managers are told.")
            )
        return redirect(partnership)
    return render(
        request,
        CONFIRM,
        _confirmation(
            partnership,
            title=_("End the partnership of %(a)s and %(b)s?")
            % {"a": partnership.proposer.name, "b": partnership.partner.name},
            text=_(
                "Both clusters' managers are told by e-mail, with the reason if you give one. Each "
                "cluster's exchanges are no longer open to the other's members (applications made "
                "already stay). This cannot be undone: a new partnership needs a new proposal."
            ),
            button=_("End the partnership"),
            form=form,
        ),
    )
