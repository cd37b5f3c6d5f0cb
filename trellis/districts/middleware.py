"""Sets `request.district` and `request.access` (roles there) for signed-in people.

The working district is chosen in the session among the person's own districts; a stale or
foreign choice falls back to their first district. Services never read it from thread-locals.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from trellis.districts import queries

SESSION_KEY = "trellis_district"


class CurrentDistrictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.district = None  # type: ignore[attr-defined]
        request.access = None  # type: ignore[attr-defined]
        request.user_districts = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            districts = queries.districts_for_user(user)
            chosen = request.session.get(SESSION_KEY)
            district = next(
                (d for d in districts if str(d.public_id) == chosen),
                districts[0] if districts else None,
            )
            request.user_districts = districts  # type: ignore[attr-defined]
            if district is not None:
                request.district = district  # type: ignore[attr-defined]
                request.access = queries.access_for(user, district)  # type: ignore[attr-defined]
        return self.get_response(request)
