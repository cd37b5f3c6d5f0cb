"""Background task of bulk issuance; safe to run twice (issued items are skipped)."""

from __future__ import annotations

from django_tasks import task

from trellis.credentials.services import batches


@task()
def run_issuance_batch(*, batch_id: int) -> int:
    """Issue the pending items of one batch. Returns how many are issued in total."""
    return batches.process_batch(batch_id=batch_id).done
