"""Awards: the earned row, credit posted once, stack capstones, idempotence."""

import datetime as dt
from decimal import Decimal

import pytest

from trellis.credit.models import CreditAward
from trellis.microcredentials.models import EarnedMicroCredential, Stack, SubmissionStatus
from trellis.microcredentials.services.awards import award_submission, on_earned
from trellis.microcredentials.tests.assessment_helpers import submitted
from trellis.microcredentials.tests.factories import published_definition

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC)  # 1 March in Chicago


def _earned(cast, version):
    submission = submitted(version, cast.alice, status=SubmissionStatus.EARNED)
    return award_submission(submission, now=NOW)


def test_award_posts_credit_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    version = published_definition(cast.district_a, title="Hinge questions")
    version.credit_amount, version.credit_unit, version.estimated_hours = (
        Decimal(15),
        "clock_hour",
        Decimal(15),
    )
    version.save()
    with django_capture_on_commit_callbacks(execute=True):
        earned = _earned(cast, version)
    assert earned.micro_credential == version.micro_credential
    assert earned.version == version
    credit = CreditAward.objects.get(educator=cast.alice)
    assert (credit.source, credit.source_ref) == ("micro_credential", str(earned.public_id))
    assert (credit.amount, credit.unit, credit.category) == (
        Decimal(15),
        "clock_hour",
        "micro_credential",
    )
    assert credit.title == "Hinge questions"
    assert credit.completed_on == dt.date(2026, 3, 1)
    assert [m.subject for m in mailoutbox] == ["Trellis: Earned: Hinge questions"]
    # Again (a retried decision) and on_earned again: nothing new.
    again = award_submission(earned.submission, now=NOW)
    on_earned(earned)
    assert again == earned
    assert EarnedMicroCredential.objects.count() == 1
    assert CreditAward.objects.count() == 1


def test_no_credit_when_amount_is_zero(cast):
    _earned(cast, published_definition(cast.district_a))
    assert not CreditAward.objects.exists()
    assert EarnedMicroCredential.objects.count() == 1


def test_capstone_on_stack_completion_once(cast, mailoutbox, django_capture_on_commit_callbacks):
    versions = [published_definition(cast.district_a) for _ in range(3)]
    stack = Stack.objects.create(
        district=cast.district_a,
        title="Formative assessment",
        capstone_title="Assessment lead",
        required_count=2,
    )
    stack.members.set([v.micro_credential for v in versions])
    inactive = Stack.objects.create(
        district=cast.district_a,
        title="Old",
        capstone_title="Old",
        required_count=1,
        is_active=False,
    )
    inactive.members.set([versions[0].micro_credential])
    _earned(cast, versions[0])
    assert not EarnedMicroCredential.objects.filter(stack__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _earned(cast, versions[1])
    capstone = EarnedMicroCredential.objects.get(stack__isnull=False)
    assert (capstone.stack, capstone.educator, capstone.micro_credential) == (
        stack,
        cast.alice,
        None,
    )
    assert "Trellis: Stack complete: Assessment lead" in [m.subject for m in mailoutbox]
    _earned(cast, versions[2])
    assert EarnedMicroCredential.objects.filter(stack=stack).count() == 1
