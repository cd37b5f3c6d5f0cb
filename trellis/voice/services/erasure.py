"""Erasing one educator's voice in one district, on a privacy request (policy and orchestration:
trellis/privacy). Their votes and volunteer offers go. A topic request they wrote stays for the
colleagues who upvoted it, without its author; one nobody else upvoted goes with them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from trellis.voice.models import TopicRequest, TopicVote, VolunteerOffer


def _requests(district: Any, user: Any) -> tuple[QuerySet, QuerySet]:
    """(requests only they care about, requests others upvoted). The requester's own ask is
    not a vote, so "others upvoted" is any vote by someone else."""
    mine = TopicRequest.objects.filter(district=district, requester=user)
    backed = TopicVote.objects.exclude(voter=user).values("request_id")
    return mine.exclude(pk__in=backed), mine.filter(pk__in=backed)


def erasable(district: Any, user: Any) -> dict[str, QuerySet]:
    """Kind → rows to delete (or, for `voice.requests_unattributed`, to keep without author)."""
    alone, backed = _requests(district, user)
    return {
        "voice.votes": TopicVote.objects.filter(voter=user, request__district=district),
        "voice.volunteer_offers": VolunteerOffer.objects.filter(district=district, volunteer=user),
        "voice.requests": alone,
        "voice.requests_unattributed": backed,
    }


def erase_personal_data(*, district: Any, user: Any) -> dict[str, int]:
    found = erasable(district, user)
    counts = {kind: rows.count() for kind, rows in found.items()}
    backed_ids = list(found["voice.requests_unattributed"].values_list("pk", flat=True))
    found["voice.votes"].delete()
    found["voice.volunteer_offers"].delete()
    found["voice.requests"].delete()
    TopicRequest.objects.filter(pk__in=backed_ids).update(requester=None)
    return counts
