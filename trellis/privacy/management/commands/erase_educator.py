"""`trellis erase_educator --district SLUG --email E --reason "…" [--dry-run]`: erase an
educator's personal data in a district from the command line (the operator's own rights),
with the same preview and service as the page. --dry-run prints the preview and writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from trellis.core.errors import DomainError
from trellis.districts.models import District
from trellis.privacy import queries, services
from trellis.roster.services import system_access


class Command(BaseCommand):
    help = "Erase one educator's personal data in one district (a privacy request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="The district's slug")
        parser.add_argument("--email", required=True, help="The educator's e-mail address")
        parser.add_argument("--reason", default="", help="Why (required unless --dry-run)")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be erased; write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        district = District.objects.filter(slug=options["district"]).first()
        if district is None:
            raise CommandError(f"No district with slug {options['district']!r}.")
        access = system_access(district)
        user = get_user_model().objects.filter(email__iexact=options["email"].strip()).first()
        try:
            if user is None:
                raise Http404
            educator = queries.educator_for(access, user.public_id)
        except Http404:
            raise CommandError(f"No member of {district.slug} has that e-mail address.") from None
        preview = queries.preview(access, educator)
        self._print(preview)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was erased.")
            return
        try:
            record = services.erase_educator(
                access,
                None,
                educator,
                reason=options["reason"],
                confirmation=options["email"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Erased {record.total} records; erasure {record.public_id}"
            + (", account deactivated." if record.account_deactivated else ".")
        )

    def _print(self, preview: queries.Preview) -> None:
        self.stdout.write(f"Erased ({preview.erased_total}):")
        for line in preview.erased:
            self.stdout.write(f"  {line.count:6}  {line.label}")
        self.stdout.write("Kept:")
        for line in preview.kept:
            self.stdout.write(f"  {line.count:6}  {line.label}: {line.reason}")
        self.stdout.write(
            "The account is deactivated: no other district."
            if preview.closes_account
            else "The account stays open: they belong to another district."
        )
