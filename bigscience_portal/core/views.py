from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health, panels


def home(request):
    """What the portal is, and for whom."""
    return render(request, "core/home.html")


@login_required
def dashboard(request):
    """The user's own area: each app's panel (registered in ``core.panels.dashboard``)."""
    return render(request, "core/dashboard.html", {"panels": panels.dashboard.render(request)})


@never_cache
@require_GET
def healthz(request):
    """JSON state of the database and the broker: 200 when both answer, 503 otherwise."""
    db_ok, db_detail = health.check_database()
    broker_ok, broker_detail = health.check_broker()
    ok = db_ok and broker_ok
    body = {
        "status": "ok" if ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if ok else 503)
