"""Micro-credentials under concurrency, proven on PostgreSQL: a submission never gets two open
primary assessors (automatic assignment, a PD leader's retry and reassignments racing), and
autosaves from several tabs lose no write — per field the last write wins, every save is kept
as a numbered revision, the tabs that had not seen another's save are told so.

See trellis/core/tests/concurrency.py for how the threads compete; skipped on SQLite. (Two
plain simultaneous assignments: test_assignment_concurrency.py.)
"""

from __future__ import annotations

from typing import Any

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError
from trellis.core.tests.concurrency import POSTGRES_ONLY, failures, run_together
from trellis.microcredentials.models import (
    Answer,
    AnswerRevision,
    Assignment,
    DefinitionVersion,
    SubmissionStatus,
)
from trellis.microcredentials.services import definitions
from trellis.microcredentials.services import submissions as submission_services
from trellis.microcredentials.services.assignment import (
    assign_submission,
    assign_waiting,
    reassign,
)
from trellis.microcredentials.tests.assessment_helpers import configure, make_assessor, submitted
from trellis.microcredentials.tests.earning_support import make_definition, part, start
from trellis.microcredentials.tests.factories import published_definition

pytestmark = POSTGRES_ONLY

TABS = 6


def open_primaries(submission) -> list[Assignment]:
    return list(
        Assignment.objects.filter(
            submission=submission, role="primary", status=Assignment.Status.ASSIGNED
        )
    )


@pytest.fixture
def waiting_submission(cast):
    configure(cast.district_a, double_score_percent=0)  # created up front: no settings race
    for name in ("Ann", "Ben", "Cal", "Dee"):
        make_assessor(cast.district_a, name)
    return submitted(published_definition(cast.district_a), cast.alice)


def test_automatic_assignment_and_a_leaders_retry_at_once_give_one_assessor(
    cast, waiting_submission
):
    access = cast.access(cast.dana)
    calls = [lambda: assign_submission(waiting_submission) for _ in range(3)] + [
        lambda: assign_waiting(access=access, actor=cast.dana, submission=waiting_submission)
        for _ in range(3)
    ]

    results = run_together(calls)

    assert failures(results, ConflictError) == []
    refused = [r for r in results if isinstance(r, ConflictError)]
    assert {r.code for r in refused} <= {"not_waiting"}
    (primary,) = open_primaries(waiting_submission)
    assert {r.pk for r in results if isinstance(r, Assignment)} == {primary.pk}
    assert waiting_submission.events.filter(action="assigned").count() == 1
    waiting_submission.refresh_from_db()
    assert waiting_submission.status == SubmissionStatus.IN_ASSESSMENT


def test_two_leaders_reassigning_one_assignment_at_once_move_it_once(cast, waiting_submission):
    first = assign_submission(waiting_submission)
    access = cast.access(cast.dana)

    results = run_together(
        [lambda: reassign(access=access, actor=cast.dana, assignment=first) for _ in range(4)]
    )

    assert failures(results, ConflictError) == []
    moved = [r for r in results if isinstance(r, Assignment)]
    assert len(moved) == 1
    assert [r.code for r in results if isinstance(r, ConflictError)] == ["not_open"] * 3
    (primary,) = open_primaries(waiting_submission)
    assert primary == moved[0]
    assert primary.assessor_id != first.assessor_id
    first.refresh_from_db()
    assert first.status == Assignment.Status.REASSIGNED
    assert AuditEvent.objects.filter(action="mc_assignment.reassigned").count() == 1


# --- autosave from several tabs -----------------------------------------------------------------


@pytest.fixture
def draft(cast):
    return start(cast, cast.alice, make_definition(cast))


def saver(cast, draft, answers: dict[str, str], *, tab: str, base: dict[str, int]):
    access = cast.access(cast.alice)

    def call() -> Any:
        return submission_services.save_answers(
            access=access,
            actor=cast.alice,
            submission=draft,
            answers=answers,
            client_id=tab,
            base_revisions=base,
        )

    return call


def test_tabs_saving_one_field_at_once_keep_every_save_and_the_last_wins(cast, draft):
    o = str(part(draft.version, "overview").public_id)
    texts = [f"Tab {n}'s overview" for n in range(TABS)]

    results = run_together(
        [saver(cast, draft, {o: text}, tab=f"tab-{n}", base={o: 0}) for n, text in enumerate(texts)]
    )

    assert failures(results) == []
    answer = Answer.objects.get(submission=draft, part__public_id=o)
    history = list(answer.revisions.order_by("revision").values_list("revision", "text"))
    # One revision per save, numbered 1..n without a gap or a duplicate, in commit order.
    assert [revision for revision, _ in history] == list(range(1, TABS + 1))
    assert sorted(text for _, text in history) == sorted(texts)
    assert (answer.revision, answer.text) == history[-1]
    assert sorted(r["revisions"][o] for r in results) == list(range(1, TABS + 1))
    # Every tab but the first to commit had loaded revision 0, so it is told it overwrote.
    assert sorted(len(r["overwritten"]) for r in results) == [0] + [1] * (TABS - 1)
    first = next(r for r in results if r["revisions"][o] == 1)
    assert first["overwritten"] == []


def test_tabs_saving_different_fields_at_once_overwrite_nothing(cast, draft):
    o = str(part(draft.version, "overview").public_id)
    r = str(part(draft.version, "reflection").public_id)

    results = run_together(
        [
            saver(cast, draft, {o: "Overview from tab A"}, tab="tab-a", base={o: 0}),
            saver(cast, draft, {r: "Reflection from tab B"}, tab="tab-b", base={r: 0}),
        ]
    )

    assert failures(results) == []
    assert [result["overwritten"] for result in results] == [[], []]
    texts = dict(Answer.objects.filter(submission=draft).values_list("part__public_id", "text"))
    assert {str(k): v for k, v in texts.items() if v} == {
        o: "Overview from tab A",
        r: "Reflection from tab B",
    }
    assert AnswerRevision.objects.filter(answer__submission=draft).count() == 2


def test_two_authors_editing_one_draft_definition_lose_no_field(cast):
    access = cast.access(cast.dana)
    version = definitions.create_micro_credential(
        access=access, actor=cast.dana, title="Hinge questions"
    )
    edits = [
        {"title": "Hinge questions, revised"},
        {"summary": "Check understanding mid-lesson."},
        {"key_method": "Ask one diagnostic question at the hinge point."},
        {"issuer_name": "Northfield PD"},
    ]

    results = run_together(
        [
            lambda fields=fields: definitions.update_version(
                access=access, actor=cast.dana, version=version, **fields
            )
            for fields in edits
        ]
    )

    assert failures(results, DomainError) == []
    saved = DefinitionVersion.objects.get(pk=version.pk)
    assert {name: getattr(saved, name) for edit in edits for name in edit} == {
        name: value for edit in edits for name, value in edit.items()
    }
    assert AuditEvent.objects.filter(action="micro_credential.version_edited").count() == 4
