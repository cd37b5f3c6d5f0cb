"""`trellis restore --input FILE`: load a backup archive into an empty database.

Everything is verified (key, integrity, checksums, schema) before the database is touched;
--force replaces the contents of a database that is not empty. See docs/backup.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.core.backup import BackupError, configured_kek_ids, key_from, restore_backup
from trellis.core.backup_crypto import ArchiveDamaged, BackupKeyError


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database (or, with --force, replace one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", "-i", required=True, help="Archive file to restore")
        parser.add_argument(
            "--key-file", help="File holding the backup key (else TRELLIS_BACKUP_KEY)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete everything in a database that is not empty, then restore",
        )
        parser.add_argument("--database", default="default", help="Database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        kek_ids = configured_kek_ids(
            settings.CREDENTIAL_KEKS,
            development=settings.DEBUG or getattr(settings, "TESTING", False),
        )
        try:
            key = key_from(options["key_file"])
            summary = restore_backup(
                Path(options["input"]),
                key,
                force=options["force"],
                kek_ids=kek_ids,
                using=options["database"],
            )
        except (BackupError, BackupKeyError, ArchiveDamaged) as error:
            raise CommandError(str(error)) from error
        manifest = summary.manifest
        files = len(manifest["files"]) - 1
        self.stdout.write(
            f"Restored {sum(manifest['row_counts'].values())} rows and {files} uploaded file"
            f"{'' if files == 1 else 's'} from the backup made {manifest['created_at']}."
        )
        for warning in summary.warnings:
            self.stderr.write(f"Warning: {warning}")
