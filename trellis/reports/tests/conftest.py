"""A small district with known answers for every dashboard figure (see test_figures.py).

Northfield's educators: alice (Middle, novice), carol (Middle, experienced, coach position),
pat (Middle, veteran), ada (Elementary, experienced), eve (Elementary, veteran). Dana is a
district admin only, so not counted. Southport (bob) has learning too, which must never show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from trellis.catalog.models import EnrollmentStatus
from trellis.catalog.tests.factories import EnrollmentFactory, OfferingFactory
from trellis.credit.tests.factories import CreditAwardFactory
from trellis.growth.models import EducatorProfile
from trellis.growth.tests.factories import build_framework, submitted_snapshot
from trellis.microcredentials.models import Submission
from trellis.microcredentials.tests.factories import published_definition
from trellis.quality.models import Review, VettingReview
from trellis.reports.summaries import refresh_district


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 17, 0, tzinfo=dt.UTC)  # midday in Chicago


@dataclass
class Known:
    cast: Any
    c1: Any
    c2: Any
    workshop: Any
    online: Any
    unvetted: Any


def _submission(district, educator, version, *, created, status, submitted=None, decided=None):
    found = Submission.objects.create(
        district=district,
        educator=educator,
        version=version,
        status=status,
        submitted_at=submitted,
        decided_at=decided,
        earned_at=decided if status == "earned" else None,
    )
    Submission.objects.filter(pk=found.pk).update(created_at=created)
    return found


@pytest.fixture
def known(cast) -> Known:
    a = cast.district_a
    EducatorProfile.objects.filter(user=cast.carol, district=a).update(position="coach")
    built = build_framework(a, domains=1, per_domain=2)
    c1, c2 = built.competencies

    workshop = OfferingFactory(district=a, title="Workshop W", cost=Decimal(100), hours=Decimal(6))
    online = OfferingFactory(district=a, title="Online O", cost=Decimal(50), hours=Decimal(2))
    unvetted = OfferingFactory(district=a, title="Unvetted U", cost=Decimal(0), hours=Decimal(3))
    workshop.competencies.add(c1)
    online.competencies.add(c2)
    VettingReview.objects.create(
        district=a,
        offering=workshop,
        reviewer_role="district_admin",
        score=0.9,
        essentials_met=True,
        completed_at=at(2026, 2, 1),
    )
    for author, stars in ((cast.alice, 2), (cast.carol, 3), (cast.eve, 4)):
        Review.objects.create(district=a, offering=workshop, author=author, stars=stars)

    # credit hours: alice 6 (March) + 3 (April), ada 4 (April); eve's award is revoked
    CreditAwardFactory(district=a, educator=cast.alice, completed_on=dt.date(2026, 3, 5), amount=6)
    CreditAwardFactory(district=a, educator=cast.alice, completed_on=dt.date(2026, 4, 10), amount=3)
    CreditAwardFactory(district=a, educator=cast.ada, completed_on=dt.date(2026, 4, 2), amount=4)
    CreditAwardFactory(
        district=a,
        educator=cast.eve,
        completed_on=dt.date(2026, 3, 1),
        amount=10,
        revoked_at=at(2026, 3, 2),
    )
    # enrolments
    EnrollmentFactory(
        offering=workshop,
        educator=cast.alice,
        school=cast.middle_a,
        status=EnrollmentStatus.COMPLETED,
        requested_at=at(2026, 3, 1),
        decided_at=at(2026, 3, 2),
        completed_at=at(2026, 3, 20),
    )
    EnrollmentFactory(
        offering=workshop,
        educator=cast.carol,
        school=cast.middle_a,
        status=EnrollmentStatus.ENROLLED,
        requested_at=at(2026, 4, 1),
        decided_at=at(2026, 4, 3),
    )
    EnrollmentFactory(
        offering=online,
        educator=cast.eve,
        school=cast.elementary_a,
        status=EnrollmentStatus.COMPLETED,
        requested_at=at(2026, 3, 15),
        completed_at=at(2026, 4, 5),
    )
    EnrollmentFactory(
        offering=unvetted,
        educator=cast.alice,
        school=cast.middle_a,
        status=EnrollmentStatus.PENDING_APPROVAL,
        requested_at=at(2026, 4, 15),
    )
    # micro-credentials: alice earned in 7 days, ada assessed in 20 days, carol started
    version = published_definition(a, title="Questioning MC")
    _submission(
        a,
        cast.alice,
        version,
        created=at(2026, 3, 1),
        status="earned",
        submitted=at(2026, 3, 5),
        decided=at(2026, 3, 12),
    )
    _submission(
        a,
        cast.ada,
        version,
        created=at(2026, 3, 10),
        status="not_yet",
        submitted=at(2026, 4, 1),
        decided=at(2026, 4, 21),
    )
    _submission(a, cast.carol, version, created=at(2026, 4, 2), status="draft")
    # self-assessments (target level 3): gaps alice c1, ada c1, eve c2; ada's older one ignored
    submitted_snapshot(cast.ada, a, built.framework, {c1: 4, c2: 1}, days_ago=90)
    submitted_snapshot(cast.alice, a, built.framework, {c1: 2, c2: 3}, days_ago=10)
    submitted_snapshot(cast.ada, a, built.framework, {c1: 1, c2: 4}, days_ago=10)
    submitted_snapshot(cast.eve, a, built.framework, {c1: 3, c2: 2}, days_ago=10)

    # the other district: learning that must never appear in Northfield's figures
    b = cast.district_b
    other = OfferingFactory(district=b, title="Southport course", cost=Decimal(999))
    EnrollmentFactory(
        offering=other,
        educator=cast.bob,
        status=EnrollmentStatus.COMPLETED,
        requested_at=at(2026, 3, 1),
        decided_at=at(2026, 3, 1),
        completed_at=at(2026, 3, 2),
    )
    CreditAwardFactory(district=b, educator=cast.bob, completed_on=dt.date(2026, 3, 2), amount=20)

    refresh_district(a)
    refresh_district(b)
    return Known(cast, c1, c2, workshop, online, unvetted)
