"""`trellis run_periodic`: run the periodic jobs that are due, once. Safe to call often (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.notifications.periodic import JOBS, run_due


class Command(BaseCommand):
    help = "Run the due periodic jobs (reminders, weekly digests, clean-ups) once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--job", action="append", dest="jobs", help="Only this job (repeatable)"
        )
        parser.add_argument(
            "--force", action="store_true", help="Run the chosen jobs even if not due yet"
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and exit")

    def handle(self, *args: Any, jobs: list[str] | None, force: bool, **options: Any) -> None:
        if options["list"]:
            for job in JOBS:
                self.stdout.write(f"{job.name:32} every {job.every}  {job.description}")
            return
        known = {job.name for job in JOBS}
        unknown = sorted(set(jobs or []) - known)
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(unknown)}. Known: {sorted(known)}")
        failed = False
        for outcome in run_due(only=jobs, force=force):
            self.stdout.write(f"{outcome.job}: {outcome.result}")
            failed = failed or outcome.result.startswith("failed")
        if failed:
            raise CommandError("At least one periodic job failed (see above and the log).")
