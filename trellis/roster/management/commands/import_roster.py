"""`trellis import-roster FILE --district SLUG`: the roster import from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.core.errors import DomainError
from trellis.districts.models import District
from trellis.roster import oneroster, services
from trellis.roster.models import COUNT_KEYS, RosterImport
from trellis.roster.parsing import MAX_UPLOAD_BYTES

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = (
        "Import people into a district from a Trellis CSV file or a OneRoster 1.1 CSV export "
        "(a .zip, or a folder holding manifest.csv, orgs.csv and users.csv)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, OneRoster zip, or folder of OneRoster files")
        parser.add_argument("--district", required=True, help="The district's slug")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the changes; write nothing"
        )
        parser.add_argument(
            "--full-sync",
            action="store_true",
            help="Deactivate people of the district who are not in the file",
        )
        parser.add_argument("--format", choices=["auto", "csv", "oneroster"], default="auto")
        parser.add_argument(
            "--skip-invalid-rows",
            action="store_true",
            help="Apply the valid rows even when some rows have errors",
        )
        parser.add_argument(
            "--send-invitations",
            action="store_true",
            help="E-mail new people a link to set their password",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._step = ""
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            known = ", ".join(District.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No district with slug {options['district']!r}. Known: {known}.")
        uploads, fmt = self._uploads(Path(options["file"]), options["format"])
        try:
            item = services.start_import(
                access=services.system_access(district),
                actor=None,
                uploads=uploads,
                fmt=fmt,
                dry_run=options["dry_run"],
                full_sync=options["full_sync"],
                send_invitations=options["send_invitations"],
                source=RosterImport.Source.CLI,
                run_now=True,
                apply_despite_errors=options["skip_invalid_rows"],
                on_progress=self._progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write("")
        self._report(item)
        if item.status == RosterImport.Status.FAILED:
            raise CommandError(f"The import failed: {item.message}")
        if not options["dry_run"] and item.applied_at is None and item.error_count:
            raise CommandError(
                f"{item.message} Rerun with --skip-invalid-rows to apply the valid rows."
            )

    def _uploads(self, path: Path, fmt: str) -> tuple[list[services.Upload], str]:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.name.lower() in oneroster.READ_FILES)
            if not files:
                raise CommandError(f"{path} holds no OneRoster files (users.csv, orgs.csv, …).")
            return [services.Upload(p.name, p.read_bytes()) for p in files], "oneroster"
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(
                f"{path.name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; "
                "split it by school and import each part."
            )
        return [services.Upload(path.name, path.read_bytes())], fmt

    def _progress(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            start = "\n" if self._step else ""
            self.stderr.write(f"{start}{RosterImport.Step(step).label}", ending="\n")
            self._step = step
        self.stderr.write(f"\r  {done} / {total} rows", ending="")
        self.stderr.flush()

    def _report(self, item: RosterImport) -> None:
        if item.status == RosterImport.Status.FAILED:
            return
        if item.applied_at:
            title = "Applied."
        elif item.message:
            title = item.message
        else:
            title = "Preview: nothing was written."
        self.stdout.write(title)
        for key in COUNT_KEYS:  # a fixed order: PostgreSQL's jsonb does not keep key order
            if key in item.counts:
                self.stdout.write(f"  {key.replace('_', ' ')}: {item.counts[key]}")
        if item.errors:
            shown = item.errors[:SHOWN_ERRORS]
            self.stdout.write(f"Row errors ({len(shown)} of {item.error_count} shown):")
            for error in shown:
                self.stdout.write(f"  row {error['row']}, {error['column']}: {error['message']}")
        for notice in item.notices:
            self.stdout.write(f"Note: {notice}")
        if item.count("new_accounts") and item.applied_at and not item.send_invitations:
            self.stdout.write(
                "New people have no password yet: they choose one with “Forgot your password?” "
                "on the sign-in page."
            )
