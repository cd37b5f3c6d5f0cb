"""Shared set-up for the assessment tests: assessors, submitted work, and score dictionaries."""

from __future__ import annotations

from django.utils import timezone

from trellis.accounts.tests.factories import UserFactory
from trellis.districts.models import Role
from trellis.districts.tests.factories import MembershipFactory
from trellis.microcredentials.models import (
    AssessorQualification,
    RubricCriterion,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.queries.assessor_pool import settings_for


def make_assessor(district, name: str, *, school=None, competency=None, qualified: bool = True):
    user = UserFactory(email=f"{name.lower()}@assess.test", full_name=name)
    MembershipFactory(user=user, district=district, role=Role.ASSESSOR, school=school)
    if qualified:
        AssessorQualification.objects.create(
            district=district, assessor=user, competency=competency
        )
    return user


def qualify(user, district, competency=None):
    return AssessorQualification.objects.create(
        district=district, assessor=user, competency=competency
    )


def submitted(version, educator, *, attempt: int = 1, status=SubmissionStatus.SUBMITTED):
    return Submission.objects.create(
        district=version.micro_credential.district,
        educator=educator,
        version=version,
        status=status,
        attempt=attempt,
        privacy_confirmed=True,
        submitted_at=timezone.now(),
    )


def criteria_of(version):
    return list(
        RubricCriterion.objects.filter(part__version=version).order_by("part__position", "position")
    )


def all_scores(version, level: str = "proficient", feedback: str = "Clear evidence."):
    return {str(c.public_id): (level, feedback) for c in criteria_of(version)}


def configure(district, **values):
    settings = settings_for(district)
    for field, value in values.items():
        setattr(settings, field, value)
    settings.save()
    return settings
