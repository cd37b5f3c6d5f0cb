"""API authentication: bearer tokens for integrations, the session (with CSRF) for the browser.

Every authenticated request gets `request.access`: the caller's roles in the district they
name with the `X-Trellis-District` header (slug or id), or their first district.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from trellis.accounts import services as accounts
from trellis.districts import queries as district_queries

DISTRICT_HEADER = "HTTP_X_TRELLIS_DISTRICT"


def attach_access(request: HttpRequest, user: Any) -> Any:
    request.user = user
    districts = district_queries.districts_for_user(user)
    wanted = request.META.get(DISTRICT_HEADER, "").strip()
    if wanted:
        district = next((d for d in districts if wanted in {d.slug, str(d.public_id)}), None)
    else:
        district = districts[0] if districts else None
    request.user_districts = districts  # type: ignore[attr-defined]
    request.district = district  # type: ignore[attr-defined]
    request.access = district_queries.access_for(user, district) if district else None  # type: ignore[attr-defined]
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = accounts.user_for_token(token)
        return attach_access(request, user) if user is not None else None


class SessionWithCsrf(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token like any form."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return attach_access(request, user)
        return None


token_auth = [BearerToken(), SessionWithCsrf(csrf=True)]
