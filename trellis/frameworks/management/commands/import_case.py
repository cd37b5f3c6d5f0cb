"""`trellis import-case FILE --district SLUG [--dry-run]`: import a CASE CFPackage from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.accounts.models import User
from trellis.core.errors import DomainError
from trellis.districts.models import District, Role
from trellis.districts.queries import DistrictAccess
from trellis.frameworks import case, services
from trellis.frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Import a CASE 1.0/1.1 CFPackage JSON file into a district. Importing the same framework "
        "again updates it. With --dry-run, only report what would happen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path of the CASE JSON file")
        parser.add_argument("--district", required=True, help="Slug of the district")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the preview; write nothing"
        )
        parser.add_argument(
            "--purpose",
            choices=Framework.Purpose.values,
            default=Framework.Purpose.EDUCATOR_PRACTICE,
            help="What a new framework describes (default: educator_practice)",
        )
        parser.add_argument(
            "--actor", default="", help="E-mail of the person recorded in the audit log"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district with the slug “{options['district']}”.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No user with the e-mail {options['actor']}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > case.MAX_PACKAGE_BYTES:
            raise CommandError(
                f"{path.name} is larger than {case.MAX_PACKAGE_BYTES // (1024 * 1024)} MB; "
                "CASE packages of that size cannot be imported."
            )
        # The shell is trusted like a district admin of the named district.
        access = DistrictAccess(district=district, roles=frozenset({Role.DISTRICT_ADMIN.value}))
        data = path.read_bytes()
        try:
            if options["dry_run"]:
                preview = services.preview_case_import(access=access, data=data)
            else:
                result = services.import_case_package(
                    access=access,
                    actor=actor,
                    data=data,
                    filename=path.name,
                    purpose=options["purpose"],
                )
                preview = result.preview
        except DomainError as exc:
            raise CommandError(
                f"{path.name}: {exc.message} (code {exc.code}); nothing was imported."
            ) from None
        self._report(preview, dry_run=options["dry_run"], district=district)

    def _report(
        self, preview: services.ImportPreview, *, dry_run: bool, district: District
    ) -> None:
        out = self.stdout
        verb = "would" if dry_run else "did"
        action = "update" if preview.is_update else "create"
        out.write(f"{preview.title} (CASE {preview.case_version}, {preview.document_identifier})")
        out.write(
            f"{'Dry run: ' if dry_run else ''}{verb} {action} a framework in {district.name}."
        )
        out.write(
            f"Items: {preview.items_total} in the file; {preview.items_created} new, "
            f"{preview.items_updated} updated, {preview.items_removed} removed."
        )
        kinds = ", ".join(f"{kind} {n}" for kind, n in preview.kinds.items()) or "none"
        out.write(f"Kinds: {kinds}.")
        types = ", ".join(f"{t} {n}" for t, n in preview.association_types.items()) or "none"
        out.write(f"Associations kept: {preview.associations_kept} ({types}).")
        out.write(f"Associations skipped: {len(preview.skipped)}.")
        for skipped in preview.skipped:
            out.write(f"  - {skipped.identifier} ({skipped.association_type}): {skipped.reason}")
        for warning in preview.warnings:
            out.write(f"Note: {warning}")
        if dry_run:
            out.write("Nothing was written.")
