"""The demo catalog and learning history: every kind of offering, enrolments in every state,
renewal progress for every demo educator, micro-credentials with submissions in every state,
written once (a second seed adds nothing)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from trellis.accounts.models import User
from trellis.catalog.models import (
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingKind,
    OfferingSession,
    OfferingStatus,
)
from trellis.credit.models import CreditAward, License, SalaryLane
from trellis.credit.queries import renewal_progress_for
from trellis.demo.tests.test_seed import DEMO_CAST
from trellis.districts.models import District
from trellis.districts.queries import access_for
from trellis.microcredentials.models import (
    Assignment,
    EarnedMicroCredential,
    MicroCredential,
    Stack,
    Submission,
)

pytestmark = pytest.mark.django_db


def _seed() -> None:
    call_command("seed", stdout=StringIO(), stderr=StringIO())


def _totals() -> dict[str, int]:
    models = (
        Offering,
        OfferingSession,
        Enrollment,
        CreditAward,
        License,
        SalaryLane,
        MicroCredential,
        Submission,
        Assignment,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_catalog_and_history_cover_every_kind_and_state_and_reseed_adds_nothing():
    _seed()

    for district in District.objects.all():
        offerings = Offering.objects.filter(district=district)
        assert offerings.count() == 68  # 67 seeded + 1 from the accepted demo proposal (quality)
        assert set(offerings.values_list("kind", flat=True)) == set(OfferingKind.values)
        assert set(offerings.values_list("status", flat=True)) == set(OfferingStatus.values)
        sessions = OfferingSession.objects.filter(offering__district=district)
        assert sessions.filter(ends_at__lt=timezone.now()).exists()
        assert sessions.filter(starts_at__gt=timezone.now()).exists()
        statuses = dict(
            Enrollment.objects.filter(district=district)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        assert set(statuses) == set(EnrollmentStatus.values), district.name
        # Credit comes from the completions, through the same service the product uses.
        completed = Enrollment.objects.filter(district=district, status="completed")
        offering_awards = CreditAward.objects.filter(district=district, source="offering")
        assert offering_awards.count() == completed.exclude(credit_awarded=None).count()
        assert SalaryLane.objects.filter(district=district).count() == 3

    for email, (slug, _roles, _years) in DEMO_CAST.items():
        person = User.objects.get(email=email)
        district = District.objects.get(slug=slug)
        assert License.objects.filter(educator=person, district=district).exists(), email
        renewal = renewal_progress_for(access_for(person, district), person)
        assert renewal.progress is not None, email
        assert renewal.progress.total > 0, email

    # Micro-credentials: definitions, stacks, submissions in every state, double scoring.
    pine_valley = District.objects.get(slug="pine-valley")
    assert MicroCredential.objects.filter(district=pine_valley, status="published").count() >= 12
    assert Stack.objects.filter(district=pine_valley).count() == 2
    submission_states = set(
        Submission.objects.filter(district=pine_valley).values_list("status", flat=True)
    )
    assert submission_states >= {
        "draft",
        "in_assessment",
        "not_yet",
        "earned",
        "appealed",
        "withdrawn",
    }
    assert Assignment.objects.filter(
        submission__district=pine_valley, role="second", status="completed"
    ).exists()
    earned = EarnedMicroCredential.objects.filter(district=pine_valley, stack=None)
    assert (
        CreditAward.objects.filter(district=pine_valley, source="micro_credential").count()
        == earned.count()
    )

    jordan = User.objects.get(email="educator@pinevalley.test")
    waiting = Enrollment.objects.get(educator=jordan, status=EnrollmentStatus.PENDING_APPROVAL)
    assert waiting.offering.title == "Sentence frames and visuals for multilingual learners"

    before = _totals()
    _seed()
    assert _totals() == before
