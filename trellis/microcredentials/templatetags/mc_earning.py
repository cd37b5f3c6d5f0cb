"""`{% earning_start_panel micro_credential as panel %}`: the start panel's state for the signed-in
educator, so any page can include microcredentials/_start_panel.html without preparing it."""

from __future__ import annotations

from typing import Any

from django import template

from trellis.microcredentials.queries.submissions import StartPanel, start_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def earning_start_panel(context: Any, micro_credential: Any) -> StartPanel | None:
    request = context.get("request")
    access = getattr(request, "access", None)
    if access is None or micro_credential is None or not request.user.is_authenticated:
        return None
    return start_panel(access, request.user, micro_credential)
