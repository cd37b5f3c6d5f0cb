"""A strict Content-Security-Policy on every response.

Pages load scripts and styles only from our own origin (no inline code, no 'unsafe-inline',
no CDN), may not be framed, and post forms only to us. A view that needs something different
sets its own header (e.g. the evidence file response sends `sandbox`), which is kept as is.
"""

from __future__ import annotations

from collections.abc import Callable

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
