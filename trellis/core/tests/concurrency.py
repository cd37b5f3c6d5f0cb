"""Run service calls at the same instant from real threads (helper for the `*_pg` concurrency
tests; not collected).

Each thread gets its own database connection (Django's connections are per thread), waits at a
barrier so the calls really compete for row locks and unique indexes, and closes its connection
when done. The data must be committed first (`django_db(transaction=True)`), so every
connection sees it. SQLite serialises writing transactions with its file lock (and the test
database is one in-memory connection), so these tests only mean something on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

POSTGRES_ONLY = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks and unique indexes between real connections",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(calls: list[Callable[[], Any]], *, timeout: float = 30) -> list[Any]:
    """Each call's return value, or the exception it raised, in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as exc:  # the test inspects it
            results[index] = exc
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return results


def failures(results: list[Any], *allowed: type[Exception]) -> list[Exception]:
    """The exceptions among `results` that are not of an allowed type."""
    return [r for r in results if isinstance(r, Exception) and not isinstance(r, allowed or ())]
