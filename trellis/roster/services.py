"""Writes for roster imports: start (store the file, enqueue), apply a preview, run one import.

An import is checked first (a preview that writes nothing but its own record); it is applied
when asked directly with no invalid rows, or when an admin applies a preview, which writes the
valid rows. The work runs in a background task; the command line runs it in-process.
"""

from __future__ import annotations

import datetime as dt
import logging
import posixpath
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from trellis.accounts.models import User
from trellis.audit import services as audit
from trellis.core.csvio import RowError
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.models import District, Role
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess, access_for
from trellis.roster import oneroster, parsing, welcome
from trellis.roster.models import COUNT_KEYS, MAX_STORED_ERRORS, RosterImport
from trellis.roster.sync import RosterSync, SyncReport

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=15)  # a running import silent this long has died
KEEP_PREVIEW_FILES = dt.timedelta(days=7)
ProgressCallback = Callable[[str, int, int], None]  # (step, processed rows, total rows)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _require(access: DistrictAccess) -> None:
    if not access.can(Perm.IMPORT_ROSTER):
        raise PermissionDenied()


def system_access(district: District) -> DistrictAccess:
    """Access for the command line, which the operator runs with the server's own rights."""
    return DistrictAccess(district=district, roles=frozenset({Role.DISTRICT_ADMIN.value}))


def prepare_upload(uploads: list[Upload], fmt: str = "auto") -> tuple[str, str, bytes]:
    """(format, display name, bytes to store) after the file-level checks; raises DomainError."""
    uploads = [upload for upload in uploads if upload.name or upload.data]
    if not uploads:
        raise DomainError("no_file", "Choose a file to import.")
    for upload in uploads:
        parsing.check_size(upload.data, f"“{upload.name}”")
    if fmt in ("", "auto"):
        fmt = (
            "oneroster"
            if len(uploads) > 1
            else parsing.guess_format(uploads[0].name, uploads[0].data)
        )
    if fmt not in RosterImport.Format.values:
        raise DomainError("unknown_format", "Choose the format: csv or oneroster.")
    if fmt == "csv" and len(uploads) > 1:
        raise DomainError(
            "one_file", "Upload one CSV file (several files are for OneRoster exports)."
        )
    name, data = uploads[0].name, uploads[0].data
    if fmt == "oneroster" and not data.startswith(b"PK\x03\x04"):
        # A set of files: keep the ones Trellis reads, stored together as one zip.
        named = {posixpath.basename(u.name.replace("\\", "/")).lower(): u.data for u in uploads}
        if len(uploads) == 1 and not set(named) & set(oneroster.READ_FILES):
            oneroster.read_zip(data)  # one file that is neither a zip nor users.csv: say so
        files = {name: content for name, content in named.items() if name in oneroster.READ_FILES}
        if oneroster.REQUIRED_FILE not in files:
            raise DomainError(
                "missing_users_file",
                "users.csv is missing. Upload the OneRoster zip, or its manifest.csv, orgs.csv "
                "and users.csv files together.",
            )
        name, data = ", ".join(sorted(files)), oneroster.bundle(files)
    parsing.check_file(fmt, data)
    return fmt, (name or "upload")[:255], data


def _ensure_idle(district: District, *, exclude: int | None = None) -> None:
    busy = RosterImport.objects.filter(
        district=district,
        status__in=[RosterImport.Status.QUEUED, RosterImport.Status.RUNNING],
        updated_at__gte=timezone.now() - STALE_AFTER,
    ).exclude(pk=exclude)
    if busy.exists():
        raise ConflictError(
            "import_in_progress",
            "Another roster import for this district is still running. Wait for it to finish.",
        )


def _enqueue(roster_import: RosterImport) -> None:
    from trellis.roster.tasks import run_roster_import  # the task module imports this one

    import_id = roster_import.pk
    transaction.on_commit(lambda: run_roster_import.enqueue(import_id=import_id))


def start_import(
    *,
    access: DistrictAccess,
    actor: User | None,
    uploads: list[Upload],
    fmt: str = "auto",
    dry_run: bool = True,
    full_sync: bool = False,
    send_invitations: bool = False,
    source: str = RosterImport.Source.WEB,
    run_now: bool = False,
    apply_despite_errors: bool = False,
    on_progress: ProgressCallback | None = None,
) -> RosterImport:
    """Check the file, store it and queue the import (or run it now, for the command line).

    File-level problems raise DomainError before anything is stored. A direct import (not a
    dry run) whose rows have errors stops at a preview, unless `apply_despite_errors` (only
    with `run_now`: the command line's --skip-invalid-rows).
    """
    _require(access)
    fmt, name, data = prepare_upload(uploads, fmt)
    _ensure_idle(access.district)
    _discard_old_preview_files(access.district)
    stored = default_storage.save(f"roster/{uuid.uuid4().hex}", ContentFile(data))
    try:
        with transaction.atomic():
            roster_import = RosterImport.objects.create(
                district=access.district,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                source=source,
                format=fmt,
                file_name=name,
                stored_file=stored,
                file_size=len(data),
                dry_run=dry_run,
                full_sync=full_sync,
                send_invitations=send_invitations,
                phase=RosterImport.Phase.PREVIEW if dry_run else RosterImport.Phase.APPLY,
            )
            if not run_now:
                _enqueue(roster_import)
    except Exception:
        default_storage.delete(stored)
        raise
    if run_now:
        run_import(
            import_id=roster_import.pk,
            apply_despite_errors=apply_despite_errors,
            on_progress=on_progress,
        )
        roster_import.refresh_from_db()
    return roster_import


def request_apply(
    *,
    access: DistrictAccess,
    actor: User | None,
    roster_import: RosterImport,
    run_now: bool = False,
    on_progress: ProgressCallback | None = None,
) -> RosterImport:
    """Apply the valid rows of a finished preview (the file is read again: today's data wins)."""
    _require(access)
    with transaction.atomic():
        locked = RosterImport.objects.select_for_update().get(
            pk=roster_import.pk, district=access.district
        )
        if not locked.can_apply:
            raise ConflictError("cannot_apply", _why_not_applicable(locked))
        _ensure_idle(access.district, exclude=locked.pk)
        locked.phase = RosterImport.Phase.APPLY
        locked.status = RosterImport.Status.QUEUED
        locked.applied_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.step = ""
        locked.processed_rows = 0
        locked.message = ""
        locked.save()
        if not run_now:
            _enqueue(locked)
    if run_now:
        run_import(import_id=locked.pk, apply_despite_errors=True, on_progress=on_progress)
    locked.refresh_from_db()
    return locked


def _why_not_applicable(roster_import: RosterImport) -> str:
    if roster_import.applied_at is not None or roster_import.phase == RosterImport.Phase.APPLY:
        return "This import is already applied (or being applied)."
    if not roster_import.is_finished:
        return "This import is still being checked; wait until the preview is ready."
    if roster_import.status == RosterImport.Status.FAILED:
        return "This import failed; fix the file and upload it again."
    if not roster_import.stored_file:
        return "The uploaded file is no longer kept; upload it again."
    return "There is nothing to change: every valid row already matches Trellis."


# --- running --------------------------------------------------------------------------------


def run_import(
    *,
    import_id: int,
    apply_despite_errors: bool = False,
    on_progress: ProgressCallback | None = None,
) -> None:
    """Run a queued import once (a second call, or a second worker, finds it taken and returns)."""
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=import_id, status=RosterImport.Status.QUEUED).update(
        status=RosterImport.Status.RUNNING,
        started_at=now,
        step=RosterImport.Step.READING,
        processed_rows=0,
        updated_at=now,
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("district", "created_by", "applied_by").get(
        pk=import_id
    )
    runner = _Runner(roster_import, on_progress)
    try:
        runner.run(apply_despite_errors=apply_despite_errors)
    except DomainError as exc:
        runner.fail(exc.message)
    except Exception:
        logger.exception("Roster import %s failed", import_id)
        runner.fail(
            "An unexpected error stopped the import. Changes written before it stay; "
            "importing the same file again is safe and completes it."
        )


class _Runner:
    def __init__(self, roster_import: RosterImport, on_progress: ProgressCallback | None) -> None:
        self.item = roster_import
        self.on_progress = on_progress
        self.writing = False
        self.report: SyncReport | None = None

    def run(self, *, apply_despite_errors: bool) -> None:
        item = self.item
        access, actor = self._access()
        parsed = parsing.parse_file(item.format, self._read())
        if item.full_sync and parsed.is_delta:
            raise DomainError(
                "full_sync_delta",
                "users.csv is a delta export (changes only); a full sync needs a complete export.",
            )
        if item.full_sync and not parsed.people and not parsed.errors:
            raise DomainError(
                "full_sync_empty",
                "The file holds nobody to import; a full sync would deactivate everyone. "
                "Check the file, or import without full sync.",
            )
        item.total_rows = parsed.total_rows
        item.save(update_fields=["total_rows", "updated_at"])
        checked = bool(item.preview)  # a preview was shown: the admin chose to apply it
        if item.phase == RosterImport.Phase.PREVIEW:
            self._finish(parsed, self._sync(parsed, access.district, actor, write=False))
            return
        if (
            not checked
            and not apply_despite_errors
            and (parsed.errors or self._conflicts(parsed, access.district, actor))
        ):
            report = self._sync(parsed, access.district, actor, write=False)
            errors = [*parsed.errors, *report.errors]
            message = (
                f"Nothing was written: {_rows(errors)} row(s) need fixing. Apply the valid "
                "rows, or fix the file and import it again."
            )
            self._finish(parsed, report, message=message)
            return
        self.writing = True
        report = self._sync(parsed, access.district, actor, write=True)
        self._finish(parsed, report, applied=True, actor=actor)
        if item.send_invitations and report.new_user_ids:
            welcome.queue_welcome_emails(district_id=item.district_id, user_ids=report.new_user_ids)

    def _access(self) -> tuple[DistrictAccess, User | None]:
        item = self.item
        actor = item.applied_by if item.phase == RosterImport.Phase.APPLY else None
        actor = actor or item.created_by
        if actor is None:
            if item.source == RosterImport.Source.CLI:
                return system_access(item.district), None
            raise DomainError("actor_gone", "The person who started this import has left.")
        access = access_for(actor, item.district)
        if access is None or not access.can(Perm.IMPORT_ROSTER):
            raise PermissionDenied(f"{actor.email} may no longer import rosters here.")
        return access, actor

    def _read(self) -> bytes:
        try:
            with default_storage.open(self.item.stored_file, "rb") as stored:
                return stored.read()
        except (FileNotFoundError, ValueError, OSError):
            raise DomainError(
                "file_gone", "The uploaded file is no longer available; upload it again."
            ) from None

    def _progress(self, step: str, parsed: parsing.ParsedRoster) -> Callable[[int], None]:
        item = self.item
        done_before = parsed.skipped_rows + parsed.invalid_rows

        def report(done: int) -> None:
            processed = done_before + done
            RosterImport.objects.filter(pk=item.pk).update(
                step=step, processed_rows=processed, updated_at=timezone.now()
            )
            if self.on_progress:
                self.on_progress(step, processed, parsed.total_rows)

        report(0)
        return report

    def _conflicts(
        self, parsed: parsing.ParsedRoster, district: District, actor: User | None
    ) -> list[RowError]:
        sync = RosterSync(district=district, actor=actor, schools=[], write=False, full_sync=False)
        return sync.conflicts(
            parsed.people, on_batch=self._progress(RosterImport.Step.CHECKING, parsed)
        )

    def _sync(
        self, parsed: parsing.ParsedRoster, district: District, actor: User | None, *, write: bool
    ) -> SyncReport:
        step = RosterImport.Step.WRITING if write else RosterImport.Step.CHECKING
        on_batch = self._progress(step, parsed)
        sync = RosterSync(
            district=district,
            actor=actor,
            schools=parsed.schools,
            write=write,
            full_sync=self.item.full_sync,
        )
        self.report = sync.report
        return sync.run(parsed.people, invalid_keys=parsed.invalid_keys, on_batch=on_batch)

    def _finish(
        self,
        parsed: parsing.ParsedRoster,
        report: SyncReport,
        *,
        applied: bool = False,
        message: str = "",
        actor: User | None = None,
    ) -> None:
        item = self.item
        now = timezone.now()
        errors = sorted([*parsed.errors, *report.errors], key=lambda e: (e.row, e.column))
        item.counts = _counts(parsed, report, errors)
        item.error_count = len(errors)
        item.errors = [_error_json(error) for error in errors[:MAX_STORED_ERRORS]]
        item.notices = [*parsed.notices, *report.notices]
        item.preview = {**report.preview, "skipped": parsed.skipped}
        item.status = RosterImport.Status.SUCCEEDED
        item.step = RosterImport.Step.DONE
        item.processed_rows = parsed.total_rows
        item.finished_at = now
        item.message = message
        with transaction.atomic():
            if applied:
                item.applied_at = now
                self._audit("roster.import_applied", actor)
                _delete_file(item)
            elif message:
                item.phase = RosterImport.Phase.PREVIEW
            item.save()

    def fail(self, message: str) -> None:
        item = self.item
        item.status = RosterImport.Status.FAILED
        item.message = message
        item.finished_at = timezone.now()
        with transaction.atomic():
            if self.writing:  # part of it may be written: the audit log says so
                if self.report is not None:
                    item.counts = _counts_partial(self.report)
                self._audit("roster.import_failed", item.applied_by or item.created_by)
            _delete_file(item)
            item.save()

    def _audit(self, action: str, actor: User | None) -> None:
        item = self.item
        counts = item.counts
        verb = "applied" if action == "roster.import_applied" else "failed"
        audit.record(
            action=action,
            summary=(
                f"Roster import {verb}: {counts.get('created', 0)} created, "
                f"{counts.get('updated', 0)} updated, {counts.get('deactivated', 0)} deactivated, "
                f"{counts.get('invalid', 0)} invalid row(s) ({item.file_name})"
            ),
            actor=actor,
            district=item.district,
            target=item,
            target_label=item.file_name,
            data={
                "format": item.format,
                "source": item.source,
                "full_sync": item.full_sync,
                "started_at": item.started_at.isoformat() if item.started_at else None,
                "finished_at": (item.finished_at or timezone.now()).isoformat(),
                "counts": counts,
                "errors": item.error_count,
                "message": item.message,
            },
        )


def _rows(errors: list[RowError]) -> int:
    return len({error.row for error in errors})


def _error_json(error: RowError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "message": error.message}


def _counts(
    parsed: parsing.ParsedRoster, report: SyncReport, errors: list[RowError]
) -> dict[str, int]:
    counts = {key: int(report.counts.get(key, 0)) for key in COUNT_KEYS}
    counts["skipped"] = parsed.skipped_rows
    counts["invalid"] = _rows(errors)
    return counts


def _counts_partial(report: SyncReport) -> dict[str, int]:
    return {key: int(report.counts.get(key, 0)) for key in COUNT_KEYS}


def _delete_file(item: RosterImport) -> None:
    if item.stored_file:
        default_storage.delete(item.stored_file)
        item.stored_file = ""


def _discard_old_preview_files(district: District) -> None:
    """Roster files hold personal data: previews not applied within a week lose their file."""
    old = RosterImport.objects.filter(
        district=district, created_at__lt=timezone.now() - KEEP_PREVIEW_FILES
    ).exclude(stored_file="")
    for item in old:
        _delete_file(item)
        item.save(update_fields=["stored_file", "updated_at"])
