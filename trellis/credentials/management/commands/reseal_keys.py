"""Re-encrypt every issuer signing key under a key-encryption key (KEK rotation).

Put the new KEK first in TRELLIS_KEY_ENCRYPTION_KEY and the old one in TRELLIS_CREDENTIAL_KEKS,
run this, then remove the old KEK."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.core.errors import DomainError
from trellis.credentials import sealing
from trellis.credentials.services.keys import reseal_keys


class Command(BaseCommand):
    help = "Re-encrypt issuer signing keys under the current (or the named) key-encryption key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kek_id", nargs="?", help="Id of the KEK to seal under (default: current)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            target = options.get("kek_id") or sealing.current_kek_id()
            changed = reseal_keys(target)
        except DomainError as error:
            raise CommandError(error.message) from error
        plural = "" if changed == 1 else "s"
        self.stdout.write(
            f"Resealed {changed} signing key{plural} under key-encryption key {target!r}."
        )
