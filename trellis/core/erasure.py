"""The shared step of every app's erasure of one person's data (orchestrated by
trellis/privacy): count each kind of rows, then delete them in the order given."""

from __future__ import annotations

from django.db.models import QuerySet


def delete_counted(found: dict[str, QuerySet]) -> dict[str, int]:
    """Kind → rows deleted. Counts come first so that cascades between kinds (deleted later in
    the order) do not hide rows from their own kind's count."""
    counts = {kind: rows.count() for kind, rows in found.items()}
    for rows in found.values():
        rows.delete()
    return counts
