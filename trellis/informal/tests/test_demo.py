"""The demo seed: idempotent and deterministic."""

from __future__ import annotations

import pytest

from trellis.credit.models import CreditAward
from trellis.informal.demo import DEMO_SECRET, seed_informal
from trellis.informal.models import InformalEntry, InformalRules, XapiIntegration, XapiStatement
from trellis.informal.tests.helpers import Xapi

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(
            InformalEntry.objects.values_list(
                "educator__email", "title", "minutes", "learned_on", "counted_hours"
            )
        ),
        XapiStatement.objects.count(),
        CreditAward.objects.count(),
        InformalRules.objects.count(),
        XapiIntegration.objects.count(),
    )


def test_seed_twice_is_the_same(cast) -> None:
    seed_informal(cast.district_a)
    first = snapshot()
    assert InformalEntry.objects.filter(source="xapi").count() == 9  # alice, ada, carol × 3 videos
    assert XapiStatement.objects.count() == 10
    seed_informal(cast.district_a)
    assert snapshot() == first
    # Each educator's informal credit stays under the district's 10 h cap.
    for email in {row[0] for row in first[0]}:
        total = sum(
            a.amount for a in CreditAward.objects.filter(educator__email=email, source="informal")
        )
        assert total <= 10


def test_demo_credentials_work(cast) -> None:
    seed_informal(cast.district_a)
    integration = XapiIntegration.objects.get()
    response = Xapi(integration.username, DEMO_SECRET).get(limit=1)
    assert response.status_code == 200
    assert len(response.json()["statements"]) == 1
