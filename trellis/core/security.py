"""Security middleware: a strict Content-Security-Policy on every response, and idle sessions
signed out (IdleSessionTimeoutMiddleware, below).

Pages load scripts and styles only from our own origin (no inline code, no 'unsafe-inline',
no CDN), may not be framed, and post forms only to us. A view that needs something different
sets its own header (e.g. the evidence file response sends `sandbox`), which is kept as is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

CSP_HEADER = "Content-Security-Policy"

DEFAULT_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_text(policy: dict[str, str]) -> str:
    """`{"default-src": "'self'"}` → `default-src 'self'`, directives joined by "; "."""
    return "; ".join(f"{name} {value}".strip() for name, value in policy.items())


DEFAULT_POLICY_TEXT = policy_text(DEFAULT_POLICY)


class ContentSecurityPolicyMiddleware:
    """Add the default policy unless the view already chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = DEFAULT_POLICY_TEXT
        return response


# --- idle sessions ------------------------------------------------------------------------------

LAST_ACTIVITY_KEY = "trellis_last_activity"
SIGNED_IN_KEY = "trellis_signed_in_at"
# The timestamp is rewritten at most this often, so a busy user does not cost a session write
# on every request; the idle limit is therefore exact to within this many seconds.
ACTIVITY_RESOLUTION_SECONDS = 60


def idle_sign_out_message(timeout_seconds: int) -> str:
    minutes = max(1, round(timeout_seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"You were signed out after {minutes} {unit} of inactivity. Sign in again to continue."


class IdleSessionTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT seconds without a request (0 turns it off).

    This is on top of the absolute SESSION_COOKIE_AGE. Only signed-in sessions are tracked (the
    clock starts at sign-in, see start_session_clock); the message is left for the sign-in page
    that the next protected page redirects to. Goes after the authentication and message
    middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0))
        if timeout > 0 and request.user.is_authenticated:
            self._check(request, timeout)
        return self.get_response(request)

    @staticmethod
    def _check(request: HttpRequest, timeout: int) -> None:
        now = int(time.time())
        last = request.session.get(LAST_ACTIVITY_KEY)
        signed_in = request.session.get(SIGNED_IN_KEY)
        if not isinstance(last, int) or not isinstance(signed_in, int):
            _start_clock(request, now)
        elif now - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)  # the absolute limit (see _start_clock)
        elif now - last > timeout:
            logout(request)
            messages.info(request, idle_sign_out_message(timeout))
        elif now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now


def start_session_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On `user_logged_in` (every way of signing in sends it, tests' force_login too): the
    session starts with its stamps, so the first request after does not write them."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_KEY] = now  # a new sign-in starts a new absolute window
        _start_clock(request, now)


def _start_clock(request: HttpRequest, now: int) -> None:
    """Stamp the sign-in and the activity.

    Django renews a session's expiry each time it is saved, so the activity stamp would turn
    SESSION_COOKIE_AGE into a sliding limit; the sign-in stamp keeps it absolute."""
    request.session[LAST_ACTIVITY_KEY] = now
    request.session.setdefault(SIGNED_IN_KEY, now)
