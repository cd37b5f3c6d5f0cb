"""Starting, submitting, resubmitting and withdrawing a micro-credential submission."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.microcredentials.models import (
    Answer,
    AssessmentSettings,
    MicroCredential,
    Submission,
    SubmissionStatus,
)
from trellis.microcredentials.services import artifacts as artifact_services
from trellis.microcredentials.services import submissions as services
from trellis.microcredentials.tests.earning_support import (
    PNG,
    earn,
    make_definition,
    not_yet,
    part,
    start,
    upload,
    use_tmp_storage,
)
from trellis.microcredentials.tests.factories import published_definition


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    use_tmp_storage(settings, tmp_path)


@pytest.fixture
def definition(cast):
    return make_definition(cast)


def actions(submission):
    return list(submission.events.values_list("action", flat=True))


def complete(cast, submission, user=None):
    user = user or submission.educator
    access = cast.access(user)
    version = submission.version
    services.save_answers(
        access=access,
        actor=user,
        submission=submission,
        answers={
            str(part(version, "overview").public_id): "Grade 7 science, a unit on forces.",
            str(part(version, "reflection").public_id): "I regrouped after the hinge question.",
        },
    )
    artifact_services.add_artifact(
        access=access,
        actor=user,
        submission=submission,
        part=part(version, "artifact"),
        upload=upload("board.png", PNG),
    )
    services.set_privacy(access=access, actor=user, submission=submission, confirmed=True)
    submission.refresh_from_db()
    return submission


# ---- start --------------------------------------------------------------------------------


def test_start_creates_a_draft_with_empty_text_answers_on_the_latest_published_version(
    cast, definition
):
    submission = start(cast, cast.alice, definition)
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.version == definition
    assert submission.attempt == 1
    kinds = sorted(
        Answer.objects.filter(submission=submission).values_list("part__kind", flat=True)
    )
    assert kinds == ["overview", "reflection"]
    assert actions(submission) == ["started"]
    assert AuditEvent.objects.filter(action="microcredential.submission.started").count() == 1


def test_start_uses_the_newest_published_version(cast, definition):
    from trellis.microcredentials.tests.factories import DefinitionVersionFactory

    newer = DefinitionVersionFactory(micro_credential=definition.micro_credential, number=2)
    submission = start(cast, cast.alice, definition)
    assert submission.version == newer


def test_a_second_start_is_a_conflict_naming_the_open_submission(cast, definition):
    first = start(cast, cast.alice, definition)
    with pytest.raises(ConflictError) as caught:
        start(cast, cast.alice, definition)
    assert caught.value.code == "submission_open"
    assert caught.value.details == {"submission": str(first.public_id)}
    assert Submission.objects.count() == 1


def test_start_refused_without_the_prerequisites_then_allowed_once_earned(cast, definition):
    prerequisite = published_definition(cast.district_a, title="Questioning basics")
    definition.prerequisites.add(prerequisite.micro_credential)
    with pytest.raises(DomainError) as caught:
        start(cast, cast.alice, definition)
    assert caught.value.code == "prerequisites_missing"
    assert caught.value.message == "Earn these micro-credentials first: “Questioning basics”."
    assert Submission.objects.count() == 0
    earn(cast.alice, prerequisite.micro_credential, prerequisite)
    assert start(cast, cast.alice, definition).status == SubmissionStatus.DRAFT


def test_start_refused_when_already_earned(cast, definition):
    earn(cast.alice, definition.micro_credential, definition)
    with pytest.raises(ConflictError) as caught:
        start(cast, cast.alice, definition)
    assert caught.value.code == "already_earned"
    assert caught.value.message == "You have already earned “Hinge questions”."


def test_start_refused_for_an_unpublished_micro_credential(cast, definition):
    MicroCredential.objects.filter(pk=definition.micro_credential_id).update(
        status=MicroCredential.Status.RETIRED
    )
    definition.micro_credential.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        start(cast, cast.alice, definition)
    assert caught.value.code == "not_published"


def test_start_of_another_districts_micro_credential_is_404(cast):
    from django.http import Http404

    elsewhere = published_definition(cast.district_b)
    with pytest.raises(Http404):
        start(cast, cast.alice, elsewhere)


def test_start_allowed_again_after_withdrawing(cast, definition):
    first = start(cast, cast.alice, definition)
    services.withdraw_submission(access=cast.access(cast.alice), actor=cast.alice, submission=first)
    second = start(cast, cast.alice, definition)
    assert second.pk != first.pk


# ---- submit -------------------------------------------------------------------------------


def test_submit_lists_everything_missing_and_writes_nothing(cast, definition):
    submission = start(cast, cast.alice, definition)
    with pytest.raises(DomainError) as caught:
        services.submit(access=cast.access(cast.alice), actor=cast.alice, submission=submission)
    assert caught.value.code == "submission_incomplete"
    assert caught.value.details["missing"] == [
        "Answer “Part 1”.",
        "Add at least one artifact to “Part 2”.",
        "Answer “Part 3”.",
        "Confirm that your evidence protects student privacy.",
    ]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.submitted_at is None
    assert actions(submission) == ["started"]


def test_optional_parts_are_not_required(cast):
    version = published_definition(cast.district_a, parts=("overview", "artifact"))
    version.parts.filter(kind="artifact").update(required=False)
    submission = start(cast, cast.alice, version)
    access = cast.access(cast.alice)
    services.save_answers(
        access=access,
        actor=cast.alice,
        submission=submission,
        answers={str(part(version, "overview").public_id): "Context."},
    )
    services.set_privacy(access=access, actor=cast.alice, submission=submission, confirmed=True)
    done = services.submit(access=access, actor=cast.alice, submission=submission)
    assert done.status == SubmissionStatus.SUBMITTED


def test_submit_complete_submission_then_double_submit_is_409(cast, definition):
    submission = complete(cast, start(cast, cast.alice, definition))
    access = cast.access(cast.alice)
    done = services.submit(access=access, actor=cast.alice, submission=submission)
    assert done.status == SubmissionStatus.SUBMITTED
    assert done.submitted_at is not None
    # Nobody in the cast is qualified to assess yet, so the work waits (and PD leaders are told).
    assert actions(done)[-2:] == ["submitted", "unassigned"]
    assert AssessmentSettings.objects.filter(district=cast.district_a).count() == 1
    with pytest.raises(ConflictError) as caught:
        services.submit(access=access, actor=cast.alice, submission=done)
    assert caught.value.code == "already_submitted"
    assert caught.value.message == (
        "“Hinge questions” is already submitted; you will hear from the assessor."
    )
    assert actions(done).count("submitted") == 1


def test_editing_a_submitted_submission_is_refused_with_a_clear_message(cast, definition):
    submission = complete(cast, start(cast, cast.alice, definition))
    access = cast.access(cast.alice)
    services.submit(access=access, actor=cast.alice, submission=submission)
    overview = part(definition, "overview")
    with pytest.raises(ConflictError) as caught:
        services.save_answers(
            access=access,
            actor=cast.alice,
            submission=submission,
            answers={str(overview.public_id): "A late change"},
        )
    assert caught.value.code == "submission_locked"
    assert caught.value.message.startswith(
        "This submission has been submitted and can no longer be edited."
    )
    assert Answer.objects.get(submission=submission, part=overview).text == (
        "Grade 7 science, a unit on forces."
    )
    with pytest.raises(ConflictError):
        services.set_privacy(
            access=access, actor=cast.alice, submission=submission, confirmed=False
        )


def test_only_the_educator_may_change_or_submit(cast, definition):
    submission = start(cast, cast.alice, definition)
    with pytest.raises(PermissionDenied):
        services.submit(access=cast.access(cast.dana), actor=cast.dana, submission=submission)
    with pytest.raises(PermissionDenied):
        services.save_answers(
            access=cast.access(cast.eve),
            actor=cast.eve,
            submission=submission,
            answers={str(part(definition, "overview").public_id): "Not mine"},
        )


# ---- resubmission -------------------------------------------------------------------------


def test_resubmission_changes_only_not_yet_parts_and_counts_the_attempt(cast, definition):
    submission = complete(cast, start(cast, cast.alice, definition))
    access = cast.access(cast.alice)
    services.submit(access=access, actor=cast.alice, submission=submission)
    reflection, overview = part(definition, "reflection"), part(definition, "overview")
    not_yet(submission, cast.ada, failing_parts=[reflection])

    saved = services.save_answers(
        access=access,
        actor=cast.alice,
        submission=submission,
        answers={str(reflection.public_id): "After the hinge question I regrouped three pupils."},
    )
    assert saved["revisions"] == {str(reflection.public_id): 2}
    with pytest.raises(ConflictError) as caught:
        services.save_answers(
            access=access,
            actor=cast.alice,
            submission=submission,
            answers={str(overview.public_id): "Changing a proficient part"},
        )
    assert caught.value.code == "part_locked"
    with pytest.raises(ConflictError):
        artifact_services.add_artifact(
            access=access,
            actor=cast.alice,
            submission=submission,
            part=part(definition, "artifact"),
            url="https://video.example.org/lesson",
        )

    again = services.submit(access=access, actor=cast.alice, submission=submission)
    assert again.status == SubmissionStatus.SUBMITTED
    assert again.attempt == 2
    assert actions(again)[-2:] == ["resubmitted", "unassigned"]


def test_resubmission_refused_after_the_districts_attempt_limit(cast, definition):
    AssessmentSettings.objects.create(district=cast.district_a, max_attempts=1)
    submission = complete(cast, start(cast, cast.alice, definition))
    access = cast.access(cast.alice)
    services.submit(access=access, actor=cast.alice, submission=submission)
    not_yet(submission, cast.ada, failing_parts=[part(definition, "reflection")])
    with pytest.raises(DomainError) as caught:
        services.submit(access=access, actor=cast.alice, submission=submission)
    assert caught.value.code == "attempts_exhausted"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_YET


# ---- withdraw -----------------------------------------------------------------------------


def test_withdraw_while_submitted_but_not_once_in_assessment(cast, definition):
    access = cast.access(cast.alice)
    submission = complete(cast, start(cast, cast.alice, definition))
    services.submit(access=access, actor=cast.alice, submission=submission)
    withdrawn = services.withdraw_submission(access=access, actor=cast.alice, submission=submission)
    assert withdrawn.status == SubmissionStatus.WITHDRAWN
    assert actions(withdrawn)[-1] == "withdrawn"

    other = complete(cast, start(cast, cast.alice, definition))
    services.submit(access=access, actor=cast.alice, submission=other)
    Submission.objects.filter(pk=other.pk).update(status=SubmissionStatus.IN_ASSESSMENT)
    other.refresh_from_db()
    with pytest.raises(ConflictError) as caught:
        services.withdraw_submission(access=access, actor=cast.alice, submission=other)
    assert caught.value.code == "not_withdrawable"


def test_privacy_confirmation_writes_an_event_only_when_it_changes(cast, definition):
    submission = start(cast, cast.alice, definition)
    access = cast.access(cast.alice)
    services.set_privacy(access=access, actor=cast.alice, submission=submission, confirmed=True)
    services.set_privacy(access=access, actor=cast.alice, submission=submission, confirmed=True)
    services.set_privacy(access=access, actor=cast.alice, submission=submission, confirmed=False)
    assert actions(submission) == ["started", "privacy_confirmed", "privacy_unconfirmed"]


def test_submitting_hands_the_work_to_a_qualified_assessor(cast, definition):
    from trellis.microcredentials.models import AssessorQualification, Assignment

    AssessorQualification.objects.create(
        district=cast.district_a, assessor=cast.ada, competency=None
    )
    submission = complete(cast, start(cast, cast.alice, definition))

    done = services.submit(access=cast.access(cast.alice), actor=cast.alice, submission=submission)

    assert done.status == SubmissionStatus.IN_ASSESSMENT
    assignment = Assignment.objects.get(submission=done, role=Assignment.Role.PRIMARY)
    assert assignment.assessor == cast.ada
    assert actions(done)[-2:] == ["submitted", "assigned"]
