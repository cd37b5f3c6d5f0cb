"""The periodic jobs and the guard that runs each at most once per interval, however often
`trellis run_periodic` is called (cron every 15 minutes is fine).

Jobs are named by dotted path, like the settings that name higher-layer hooks, because the
notifications app sits below the catalog, credit and micro-credentials apps it schedules."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

from trellis.notifications.models import PeriodicRun

logger = logging.getLogger(__name__)

NEVER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    target: str  # dotted path of a function taking no arguments (or a django_tasks Task)
    description: str


JOBS: tuple[Job, ...] = (
    Job(
        "session_reminders",
        dt.timedelta(hours=1),
        "trellis.catalog.reminders.send_session_reminders",
        "Remind people enrolled in sessions starting in 24–48 hours",
    ),
    Job(
        "weekly_digests",
        dt.timedelta(hours=1),  # the digest itself goes out once per person per ISO week
        "trellis.notifications.digest.send_weekly_digests",
        "Send each person's weekly digest (first run of each week)",
    ),
    Job(
        "renewal_reminders",
        dt.timedelta(days=1),
        "trellis.credit.reminders.send_renewal_reminders",
        "Remind educators 90 and 30 days before a renewal deadline they are short of",
    ),
    Job(
        "reassign_overdue_assessments",
        dt.timedelta(days=1),
        "trellis.microcredentials.tasks.reassign_overdue_assessments",
        "Reassign overdue assessments (and tell PD leaders when nobody can take one)",
    ),
    Job(
        "clean_up_uploads",
        dt.timedelta(hours=1),
        "trellis.microcredentials.tasks.clean_up_uploads",
        "Delete expired evidence upload sessions",
    ),
    Job(
        "refresh_report_summaries",
        dt.timedelta(hours=6),
        "trellis.reports.tasks.refresh_all_districts",
        "Recompute every district's dashboard summary tables",
    ),
    Job(
        "recompute_recommendations",
        dt.timedelta(days=1),
        "trellis.recommend.tasks.recompute_all_districts",
        "Recompute every district's recommendation snapshot (who is recommended what)",
    ),
)


@dataclass(frozen=True)
class Outcome:
    job: str
    ran: bool
    result: str


def _call(target: str) -> Any:
    found = import_string(target)
    if hasattr(found, "call"):  # a django_tasks Task: run it here, synchronously
        return found.call()
    return found()


def claim(job: Job, now: dt.datetime) -> dt.datetime | None:
    """Mark the job as run now if it is due; the previous run time, or None when not due (or
    another runner claimed it first)."""
    row, _ = PeriodicRun.objects.get_or_create(job=job.name, defaults={"last_run_at": NEVER})
    previous = row.last_run_at
    if previous + job.every > now:
        return None
    claimed = PeriodicRun.objects.filter(pk=row.pk, last_run_at=previous).update(last_run_at=now)
    return previous if claimed else None


def run_due(
    *, now: dt.datetime | None = None, only: list[str] | None = None, force: bool = False
) -> list[Outcome]:
    now = now or timezone.now()
    outcomes = []
    for job in JOBS:
        if only and job.name not in only:
            continue
        if force:
            PeriodicRun.objects.update_or_create(job=job.name, defaults={"last_run_at": NEVER})
        previous = claim(job, now)
        if previous is None:
            outcomes.append(Outcome(job.name, False, "not due"))
            continue
        try:
            result = f"ok: {_call(job.target)}"
        except Exception as error:
            logger.exception("Periodic job %s failed", job.name)
            # Give the claim back so the next run retries instead of waiting a whole interval.
            PeriodicRun.objects.filter(job=job.name).update(
                last_run_at=previous, last_result=f"failed: {error}"[:200]
            )
            outcomes.append(Outcome(job.name, True, f"failed: {error}"))
            continue
        PeriodicRun.objects.filter(job=job.name).update(last_result=result[:200])
        outcomes.append(Outcome(job.name, True, result))
    return outcomes
