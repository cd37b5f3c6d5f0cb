"""`trellis backup --output FILE`: one encrypted archive of the database and uploaded files.

The key comes from TRELLIS_BACKUP_KEY or --key-file (urlsafe base64 of 32 bytes; make one with
--generate-key). See docs/backup.md."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.core.backup import BackupError, create_backup, key_from
from trellis.core.backup_crypto import ArchiveDamaged, BackupKeyError, generate_key


class Command(BaseCommand):
    help = "Write an encrypted backup archive: every database row and every uploaded file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="Archive file to write (replaced if present)")
        parser.add_argument(
            "--key-file", help="File holding the backup key (else TRELLIS_BACKUP_KEY)"
        )
        parser.add_argument(
            "--generate-key", action="store_true", help="Print a new backup key and stop"
        )
        parser.add_argument("--database", default="default", help="Database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate_key"]:
            self.stdout.write(generate_key())
            return
        if not options["output"]:
            raise CommandError("Name the archive to write with --output FILE.")
        started = time.monotonic()
        try:
            key = key_from(options["key_file"])
            summary = create_backup(Path(options["output"]), key, using=options["database"])
        except (BackupError, BackupKeyError, ArchiveDamaged) as error:
            raise CommandError(str(error)) from error
        rows = sum(summary.manifest["row_counts"].values())
        files = len(summary.manifest["files"]) - 1
        self.stdout.write(
            f"Wrote {options['output']}: {rows} rows, {files} uploaded file"
            f"{'' if files == 1 else 's'}, {summary.size} bytes in "
            f"{time.monotonic() - started:.1f} s."
        )
        if summary.manifest["signing_keys_sealed_with"]:
            self.stdout.write(
                "Signing keys are sealed with key-encryption key(s) "
                f"{', '.join(summary.manifest['signing_keys_sealed_with'])}: keep them with the "
                "backup key, or the restored keys cannot sign."
            )
