"""The voice demo data: requests with votes, one planned, volunteers; idempotent."""

from __future__ import annotations

import pytest

from trellis.catalog.tests.factories import OfferingFactory
from trellis.voice.demo import REQUESTS, seed_voice
from trellis.voice.models import TopicRequest, TopicVote, VolunteerOffer

pytestmark = pytest.mark.django_db


def snapshot(district):
    return (
        sorted(
            TopicRequest.objects.filter(district=district).values_list(
                "title", "status", "requester__email"
            )
        ),
        sorted(
            TopicVote.objects.filter(request__district=district).values_list(
                "request__title", "voter__email"
            )
        ),
        sorted(
            VolunteerOffer.objects.filter(district=district).values_list("volunteer__email", "kind")
        ),
    )


def test_seed_voice_is_realistic_and_idempotent(cast, adopted, mailoutbox) -> None:
    offering = OfferingFactory(district=cast.district_a, title="Aligned")
    offering.competencies.set(adopted.competencies)
    seed_voice(cast.district_a)
    first = snapshot(cast.district_a)
    seed_voice(cast.district_a)
    assert snapshot(cast.district_a) == first
    requests, votes, offers = first
    assert len(requests) == len(REQUESTS) == 8
    statuses = TopicRequest.objects.filter(district=cast.district_a).values_list(
        "status", flat=True
    )
    assert sorted(statuses).count("planned") == 1
    planned = TopicRequest.objects.get(status="planned")
    assert planned.offering == offering
    # five educators besides the admin: at most four possible voters per request
    assert len(votes) == sum(min(n, 4) for *_, n in REQUESTS)
    assert ("eve@northfield.test", "mentor") in offers  # the veteran (25 years) mentors
    assert mailoutbox == []


def test_seed_voice_needs_a_framework(cast) -> None:
    seed_voice(cast.district_a)
    assert TopicRequest.objects.count() == 0
