"""Two simultaneous assignments of one submission, proven on PostgreSQL: exactly one primary
assignment is created and both calls return it.

Each thread has its own connection and waits at a barrier, so both calls really compete for the
submission's row lock (`select_for_update`); the loser waits, then sees the submission in
assessment and returns the winner's assignment. Skipped on SQLite, whose writers are serialised
by the database file lock (and whose test database is one in-memory connection)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from trellis.microcredentials.models import Assignment, SubmissionStatus
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.tests.assessment_helpers import configure, make_assessor, submitted
from trellis.microcredentials.tests.factories import published_definition

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT … FOR UPDATE) between real connections",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_simultaneous_assignments_create_one_primary(cast):
    configure(cast.district_a, double_score_percent=0)  # created up front: no settings race
    for name in ("Ann", "Ben", "Cal"):
        make_assessor(cast.district_a, name)
    submission = submitted(published_definition(cast.district_a), cast.alice)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def work(index: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            results[index] = assign_submission(submission)
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"

    assert not any(isinstance(r, Exception) for r in results), results
    primaries = list(Assignment.objects.filter(submission=submission, role="primary"))
    assert len(primaries) == 1
    assert results[0] == results[1] == primaries[0]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_ASSESSMENT
    assert submission.events.filter(action="assigned").count() == 1
