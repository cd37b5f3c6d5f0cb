"""Pages: the person's notifications, their channel choices and the no-login unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from trellis.core.errors import DomainError
from trellis.core.pagination import paginate, query_without_page
from trellis.notifications import queries, services
from trellis.notifications.models import Channel, Kind
from trellis.notifications.preferences import HELP, MUST_KNOW, allowed_channels, channels_for


def _district(request: HttpRequest):
    return getattr(request, "district", None)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = queries.inbox(request.user, _district(request), unread_only=unread_only)
    page = paginate(rows, request.GET.get("page"), per_page=25)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "notifications": list(page.object_list),
            "unread_only": unread_only,
            "query": query_without_page(request),
        },
    )


@login_required
def bell(request: HttpRequest) -> HttpResponse:
    """The header's bell with the unread count (fetched by htmx after the page loads)."""
    count = queries.unread_count(request.user, _district(request))
    return render(request, "notifications/_bell.html", {"bell_loaded": True, "bell_count": count})


@login_required
@require_POST
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = queries.get_own(request.user, _district(request), public_id)
    services.mark_read(user=request.user, notification=notification)
    return redirect(_back(request))


@login_required
@require_POST
def open_notification(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark read and go where the notice points (a path inside Trellis only)."""
    notification = queries.get_own(request.user, _district(request), public_id)
    services.mark_read(user=request.user, notification=notification)
    path = notification.path
    if path.startswith("/") and not path.startswith("//"):
        return redirect(path)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.mark_all_read(user=request.user, district=_district(request))
    if changed:
        messages.success(
            request, f"Marked {changed} notification{'s' if changed != 1 else ''} read."
        )
    return redirect("notifications:list")


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "notifications:list"


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    district = _district(request)
    current = channels_for(request.user, district)
    errors: dict[str, str] = {}
    if request.method == "POST":
        choices = {kind: request.POST.get(kind, "") for kind in Kind.values}
        try:
            services.set_preferences(user=request.user, district=district, choices=choices)
        except DomainError as error:
            errors = error.details
            current = {kind: choices[kind] or current[kind] for kind in Kind.values}
        else:
            messages.success(request, "Your notification choices are saved.")
            return redirect("notifications:preferences")
    rows = [
        {
            "kind": kind.value,
            "label": kind.label,
            "help": HELP.get(kind, ""),
            "must_know": kind in MUST_KNOW,
            "current": current[kind.value],
            "error": errors.get(kind.value, ""),
            "channels": [
                (channel.value, channel.label, channel.value in allowed_channels(kind))
                for channel in Channel
            ],
        }
        for kind in Kind
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "channels": list(Channel), "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the link would do; only the POST changes anything (mail scanners follow
    links)."""
    try:
        payload = services.read_unsubscribe_token(token)
    except DomainError as error:
        return render(
            request, "notifications/unsubscribe.html", {"invalid": error.message}, status=400
        )
    kind = payload["k"]
    label = "the weekly digest" if kind == services.DIGEST else f"“{Kind(kind).label.lower()}”"
    context = {"token": token, "what": label, "done": False}
    if request.method == "POST":
        try:
            _user, changed = services.unsubscribe(token=token)
        except DomainError as error:
            return render(
                request, "notifications/unsubscribe.html", {"invalid": error.message}, status=400
            )
        context.update(done=True, changed=changed)
    return render(request, "notifications/unsubscribe.html", context)
