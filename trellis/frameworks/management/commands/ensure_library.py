"""`trellis ensure-library`: create or update the frameworks shipped with Trellis (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from trellis.frameworks.services import ensure_library


class Command(BaseCommand):
    help = "Create or update the library frameworks (starter competencies, Learning Forward)."

    def handle(self, *args: Any, **options: Any) -> None:
        for framework in ensure_library():
            self.stdout.write(f"{framework.title}: {framework.items.count()} items")
