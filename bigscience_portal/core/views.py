import logging
import sys

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health, panels, services
from .lists import PortalListView
from .models import Notification
from .pagecache import cached_for_visitors, public_pages
from .tables import Column, Table

logger = logging.getLogger(__name__)


#: the unread notifications the home page lists (the rest are one click away)
HOME_NOTIFICATIONS = 3


@cached_for_visitors(public_pages)
def home(request):
    """What is open and upcoming (each app's ``core.panels.home``), and for a signed-in user
    what needs their attention (unread notifications, and ``core.panels.attention``); for a
    visitor, what the portal is and for whom.

    Visitors get the page from the public pages' cache: the calls and events it shows bump it."""
    context = {"panels": panels.home.render(request)}
    if request.user.is_authenticated:
        context["attention"] = panels.attention.render(request)
        context["unread"] = list(
            Notification.objects.filter(user=request.user, read_at__isnull=True).order_by(
                "-created_at", "-pk"
            )[:HOME_NOTIFICATIONS]
        )
    return render(request, "core/home.html", context)


@login_required
def dashboard(request):
    """The user's own area: each app's panel (registered in ``core.panels.dashboard``)."""
    return render(request, "core/dashboard.html", {"panels": panels.dashboard.render(request)})


@never_cache
@require_GET
def healthz(request):
    """JSON state of the database and the broker: 200 when both answer, 503 otherwise.

    Visitors see only ok or unavailable per part; the error itself (with hosts and ports) goes
    to the log, and to staff."""
    db_ok, db_detail = health.check_database()
    broker_ok, broker_detail = health.check_broker()
    ok = db_ok and broker_ok
    if not ok:
        logger.warning(
            "healthz: database %s (%s), broker %s (%s)", db_ok, db_detail, broker_ok, broker_detail
        )
    detailed = getattr(request, "user", None) is not None and _is_staff(request)
    body = {
        "status": "ok" if ok else "unavailable",
        "database": {"ok": db_ok, **({"detail": db_detail} if detailed else {})},
        "broker": {"ok": broker_ok, **({"detail": broker_detail} if detailed else {})},
    }
    return JsonResponse(body, status=200 if ok else 503)


def _is_staff(request) -> bool:
    """Staff, if the session can tell (the database may be the part that is down)."""
    try:
        return bool(request.user.is_staff)
    except DatabaseError:
        return False


DATABASE_DOWN = (OperationalError, InterfaceError)


def server_error(request):
    """The 500 handler: a database that does not answer (a restart, a failover) is a 503 that
    says so and asks to retry, not a server error; anything else is the plain 500 page.

    Rendered without context processors: they may need the database that just failed."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        logger.warning("database unavailable: %s: %s", type(error).__name__, error)
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


# --- the notification centre ---------------------------------------------------------------
class NotificationTable(Table):
    caption = gettext_lazy("Your notifications")
    caption_hidden = True
    empty_text = gettext_lazy(
        "Nothing yet: what happens to your calls, events and organisations shows here."
    )
    columns = [
        Column(gettext_lazy("What"), template="core/cells/notification_title.html"),
        Column(gettext_lazy("When"), "created_at", format="datetime"),
    ]


class NotificationListView(PortalListView):
    """Everything the portal told the user, newest first; unread ones stand out."""

    template_name = "core/notifications.html"
    table_class = NotificationTable
    context_object_name = "notifications"
    login_required = True
    count_cap = None

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)


@login_required
def notification_open(request, pk: int):
    """Open one notification: it is read; go to what it is about (or show its text)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    services.notifications_read(user=request.user, pks=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return render(request, "core/notification_detail.html", {"notification": notification})


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_read(user=request.user)
    messages.success(request, _("%(n)d notification(s) marked read.") % {"n": count})
    return redirect("core:notification_list")
