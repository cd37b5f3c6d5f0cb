"""Ledgers shared by the credit tests: a worked Texas example and a terse award helper."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from trellis.credit.models import CreditSource
from trellis.credit.tests.factories import CreditAwardFactory, LicenseFactory

D = Decimal


def award(cast, educator=None, district=None, **fields):
    educator = educator or cast.alice
    district = district or cast.district_a
    return CreditAwardFactory(district=district, educator=educator, **fields)


def texas_ledger(cast):
    """Alice's Texas ledger: 79 of 150 CPE hours count (worked in the test below)."""
    LicenseFactory(district=cast.district_a, educator=cast.alice, number="TX-778")
    award(cast, title="Reading workshop", completed_on=dt.date(2023, 1, 10), amount=D(6))
    award(
        cast,
        title="Literacy course",
        completed_on=dt.date(2023, 5, 1),
        amount=D(2),
        unit="ceu",
        category="course",
    )
    award(
        cast,
        title="Book study",
        completed_on=dt.date(2024, 2, 1),
        amount=D(25),
        category="independent_study",
    )
    award(
        cast,
        title="Podcasts",
        completed_on=dt.date(2024, 3, 1),
        amount=D(10),
        category="informal",
        source=CreditSource.INFORMAL,
    )
    award(
        cast,
        title="Conference talk",
        completed_on=dt.date(2024, 4, 1),
        amount=D(20),
        category="presenting",
        topics=["reading"],
    )
    award(
        cast,
        title="Coding club",
        completed_on=dt.date(2024, 6, 1),
        amount=D(8),
        related_to_certificate=False,
    )
    award(cast, title="Old workshop", completed_on=dt.date(2021, 5, 1), amount=D(5))
    award(
        cast,
        title="Feedback micro-credential",
        completed_on=dt.date(2025, 1, 1),
        amount=D(1),
        unit="micro_credential",
        category="micro_credential",
        source=CreditSource.MICRO_CREDENTIAL,
        hours=D(15),
    )
    revoked = award(cast, title="Mistaken entry", completed_on=dt.date(2024, 9, 1), amount=D(40))
    revoked.revoked_at, revoked.revoked_reason = timezone.now(), "Duplicate"
    revoked.save()
