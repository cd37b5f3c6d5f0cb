"""Reads for identity pages: a person's own tokens only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.accounts.models import ApiToken
from trellis.core.ids import public_id_or_404


def tokens_for(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def get_token(user: Any, public_id: Any) -> ApiToken:
    token = ApiToken.objects.filter(
        user=user, public_id=public_id_or_404(public_id, "token")
    ).first()
    if token is None:
        raise Http404("No such token.")
    return token
