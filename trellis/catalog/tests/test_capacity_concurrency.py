"""Capacity under concurrency, proven on PostgreSQL: many requests for the last seats at the same
instant never overbook, concurrent withdrawals promote the waitlist exactly once per freed seat,
and a request is never approved twice.

Each thread has its own database connection (Django's connections are per thread) and waits at a
barrier, so the service calls start together and really compete for the row locks. The data is
committed first (`transaction=True`), so every connection sees it. Skipped on SQLite, whose
writing transactions are serialised by the database file lock anyway (and whose test database
is one in-memory connection).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from trellis.catalog.models import SEAT_HOLDING, Enrollment
from trellis.catalog.services import approvals as approval_services
from trellis.catalog.services import enrolment as services
from trellis.catalog.tests.enrolment_support import (
    make_offering,
    paid,
    per_session,
    person,
    sessions_of,
)
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import Role
from trellis.districts.queries import access_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks (SELECT … FOR UPDATE) between real connections",
    ),
    pytest.mark.django_db(transaction=True),
]

THREADS = 8


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at the same instant; each result is the call's return
    value or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results


def educators(cast: Any, count: int, prefix: str = "t") -> list[Any]:
    return [
        person(
            cast.district_a,
            f"{prefix}{n}@northfield.test",
            f"Teacher {prefix}{n}",
            [Role.EDUCATOR],
            cast.middle_a,
        )
        for n in range(count)
    ]


def asker(cast: Any, user: Any, offering: Any, session: Any = None) -> Callable[[], Any]:
    access = access_for(user, cast.district_a)

    def call() -> Any:
        return services.request_enrollment(
            access=access, actor=user, offering=offering, session=session
        )

    return call


def seat_count(**where: Any) -> Counter:
    return Counter(
        "seat" if status in SEAT_HOLDING else status
        for status in Enrollment.objects.filter(**where).values_list("status", flat=True)
    )


def unexpected(results: list[Any], *allowed: type[Exception]) -> list[Any]:
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, allowed or ())]


@pytest.mark.parametrize(("kind", "capacity"), [("free", 1), ("free", 3), ("paid", 2)])
def test_simultaneous_requests_never_overbook(cast, kind, capacity):
    # A fresh district: the first requests also race to save the default approval chain.
    offering = (paid if kind == "paid" else make_offering)(cast, capacity=capacity)
    people = educators(cast, THREADS)

    results = run_together([asker(cast, user, offering) for user in people])

    assert unexpected(results) == []
    assert seat_count(offering=offering) == Counter(
        {"seat": capacity, "waitlisted": THREADS - capacity}
    )
    waitlisted = Enrollment.objects.filter(offering=offering, status="waitlisted")
    assert all(e.waitlisted_at is not None for e in waitlisted)


def test_simultaneous_requests_for_one_session_never_overbook_it(cast):
    offering = per_session(cast, [2, 5])
    crowded, quiet = sessions_of(offering)
    people = educators(cast, THREADS)

    results = run_together(
        [asker(cast, user, offering, session=crowded) for user in people[:-1]]
        + [asker(cast, people[-1], offering, session=quiet)]
    )

    assert unexpected(results) == []
    assert seat_count(session=crowded) == Counter({"seat": 2, "waitlisted": THREADS - 3})
    assert seat_count(session=quiet) == Counter({"seat": 1})


def test_without_a_waitlist_the_losers_are_told_it_is_full(cast):
    offering = make_offering(cast, capacity=2, waitlist_enabled=False)
    people = educators(cast, THREADS)

    results = run_together([asker(cast, user, offering) for user in people])

    full = [r for r in results if isinstance(r, DomainError)]
    assert unexpected(results, DomainError) == []
    assert [r.code for r in full] == ["offering_full"] * (THREADS - 2)
    assert seat_count(offering=offering) == Counter({"seat": 2})


def test_one_educator_asking_twice_at_once_gets_one_request(cast):
    offering = make_offering(cast, capacity=10)
    user = educators(cast, 1)[0]

    results = run_together([asker(cast, user, offering) for _ in range(4)])

    assert unexpected(results, ConflictError) == []
    assert sum(isinstance(r, ConflictError) for r in results) == 3
    assert Enrollment.objects.filter(offering=offering).count() == 1


def test_simultaneous_withdrawals_promote_the_oldest_waitlisted_once_each(cast):
    offering = make_offering(cast, capacity=3)
    people = educators(cast, THREADS)
    for user in people:  # one after the other: 3 seats, then the waitlist in order
        asker(cast, user, offering)()
    holders = list(Enrollment.objects.filter(offering=offering, status="enrolled"))
    waiting = list(
        Enrollment.objects.filter(offering=offering, status="waitlisted").order_by(
            "waitlisted_at", "id"
        )
    )

    def withdrawer(enrollment: Enrollment) -> Callable[[], Any]:
        access = access_for(enrollment.educator, cast.district_a)
        return lambda: services.withdraw(
            access=access, actor=enrollment.educator, enrollment=enrollment
        )

    results = run_together([withdrawer(e) for e in holders])

    assert unexpected(results) == []
    assert seat_count(offering=offering) == Counter(
        {"seat": 3, "withdrawn": 3, "waitlisted": THREADS - 6}
    )
    promoted = set(
        Enrollment.objects.filter(offering=offering, status="enrolled").values_list("pk", flat=True)
    )
    assert promoted == {e.pk for e in waiting[:3]}


def test_withdrawals_and_new_requests_at_once_keep_the_count(cast):
    offering = make_offering(cast, capacity=2)
    first, second, *newcomers = educators(cast, THREADS)
    seated = [asker(cast, first, offering)(), asker(cast, second, offering)()]

    calls = [
        lambda e=e: services.withdraw(
            access=access_for(e.educator, cast.district_a), actor=e.educator, enrollment=e
        )
        for e in seated
    ] + [asker(cast, user, offering) for user in newcomers]
    results = run_together(calls)

    assert unexpected(results) == []
    counts = seat_count(offering=offering)
    assert counts["seat"] == 2
    assert counts["withdrawn"] == 2
    assert counts["waitlisted"] == THREADS - 4


def test_two_approvers_deciding_at_once_decide_once(cast):
    co_principal = person(
        cast.district_a, "cody@northfield.test", "Cody", [Role.APPROVER], cast.middle_a
    )
    offering = make_offering(cast, during_school_hours=True)
    enrollment = asker(cast, cast.alice, offering)()

    def decider(user: Any, approve: bool) -> Callable[[], Any]:
        access = access_for(user, cast.district_a)
        return lambda: approval_services.decide(
            access=access,
            actor=user,
            step_or_enrollment=enrollment,
            approve=approve,
            reason="" if approve else "No cover available",
        )

    results = run_together(
        [decider(cast.pat, True), decider(co_principal, True), decider(co_principal, False)]
    )

    assert unexpected(results, ConflictError) == []
    assert sum(isinstance(r, ConflictError) for r in results) == 2
    step = enrollment.approval_steps.get()
    assert step.status in {"approved", "denied"}
    assert Enrollment.objects.get(pk=enrollment.pk).status in {"enrolled", "denied"}
