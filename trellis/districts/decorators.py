"""View guards: signed in, working in a district, and holding a permission there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from trellis.districts.permissions import Perm


def district_view(
    perm: Perm,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """403 for a role without the permission; object views then use queries that 404 across tenants."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access = getattr(request, "access", None)
            if access is None or not access.can(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
