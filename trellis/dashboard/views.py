"""The landing page for every role, the health check and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from trellis.dashboard import queries
from trellis.recommend import queries as recommend_queries
from trellis.recommend.inputs import Preloaded
from trellis.reports.permissions import can_view_reports


@login_required
def home(request: HttpRequest) -> HttpResponse:
    access = request.access  # type: ignore[attr-defined]
    if access is None:
        return render(request, "dashboard/no_district.html")
    learner = queries.learner_panel(request.user, access)
    learning = queries.learning_panel(request.user, access)
    home_recs = None
    if learning is not None:  # VIEW_OWN_LEARNING, as for the recommendations
        # The recommendations reuse the profile and renewal standing the panels have read.
        preloaded = Preloaded(profile=learner["profile"], renewal=learning["renewal"])
        home_recs = recommend_queries.home_card(access, request.user, preloaded=preloaded)
    context = {
        "access": access,
        "learner": learner,
        "learning": learning,
        "staff": queries.staff_panel(access),
        "admin": queries.admin_panel(access),
        "can_view_reports": can_view_reports(access),
        "activity": queries.recent_activity(request.user),
        "home_recs": home_recs,
    }
    return render(request, "dashboard/home.html", context)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # the point is to report any database failure
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
