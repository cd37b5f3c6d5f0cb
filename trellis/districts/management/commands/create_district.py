"""`trellis create-district`: a new district and an invitation for its first PD leader."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.core.errors import DomainError
from trellis.districts import services


class Command(BaseCommand):
    help = "Create a district and invite its first district PD leader (prints the invitation link)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The district's name, e.g. 'Pine Valley ISD'")
        parser.add_argument(
            "--slug", required=True, help="Short name used in URLs and the API, e.g. pine-valley"
        )
        parser.add_argument(
            "--state", required=True, help="Two-letter state code whose renewal rules apply"
        )
        parser.add_argument(
            "--admin-email", required=True, help="E-mail of the first district PD leader"
        )
        parser.add_argument("--admin-name", default="", help="Their full name (optional)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = services.create_district(
                name=options["name"],
                slug=options["slug"],
                state_code=options["state"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created {created.district.name} ({created.district.slug}).")
        self.stdout.write(f"Invitation for {created.invitation.email} (e-mailed; valid 14 days):")
        self.stdout.write(f"  {created.accept_url}")
