"""{% offering_scorecard offering %}: the quality card on an offering's page (a fixed number of
queries: the scorecard's, the first reviews and the viewer's own review and completion)."""

from __future__ import annotations

from typing import Any

from django import template

from trellis.districts.permissions import Perm
from trellis.quality import queries

register = template.Library()

REVIEWS_SHOWN = 5


def _percent(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


@register.inclusion_tag("quality/_scorecard.html", takes_context=True)
def offering_scorecard(context: Any, offering: Any) -> dict[str, Any]:
    request = context["request"]
    access = request.access
    card = queries.scorecard(access.district, offering)
    user = request.user
    has_review = queries.my_review(access.district, offering, user) is not None
    can_review = has_review or queries.has_completed(offering, user)
    return {
        "request": request,
        "offering": offering,
        "card": card,
        "can_vet": access.can(Perm.MANAGE_QUALITY),
        "can_review": can_review,
        "has_review": has_review,
        "reviews": list(queries.visible_reviews(access.district, offering)[:REVIEWS_SHOWN]),
        "vetting_percent": _percent(card.vetting.score) if card.vetting else None,
        "used_percent": _percent(card.used_shrunk),
        "used_raw_percent": _percent(card.used_raw),
        "used_prior_percent": _percent(card.used_prior),
        "completion_percent": _percent(card.completion_rate),
    }
