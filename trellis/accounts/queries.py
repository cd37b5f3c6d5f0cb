"""Reads for identity pages: a person's own tokens only."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from trellis.accounts.models import ApiToken


def tokens_for(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def get_token(user: Any, public_id: Any) -> ApiToken:
    try:
        key = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404("No such token.") from None
    token = ApiToken.objects.filter(user=user, public_id=key).first()
    if token is None:
        raise Http404("No such token.")
    return token
