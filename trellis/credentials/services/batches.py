"""Bulk issuance: one achievement for a cohort, issued by a background task in chunks.

`start_batch` writes the batch and one item per recipient (source kind and key each, so every
item is idempotent through `issue_credential`) and enqueues the task on commit. `process_batch`
issues pending items chunk by chunk, recording each success or failure and the running counts;
a re-run (a retried task, or `retry_failed`) skips what is already issued."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.credentials.core.specs import (
    AchievementSpec,
    AlignmentSpec,
    ResultDescriptionSpec,
)
from trellis.credentials.models import (
    BatchItemState,
    BatchStatus,
    IssuanceBatch,
    IssuanceBatchItem,
    SourceKind,
)
from trellis.districts.permissions import Perm, require

log = logging.getLogger(__name__)

CHUNK = 100
MAX_RECIPIENTS = 50_000
MAX_ERROR = 300


# --- the achievement as JSON ---------------------------------------------------------------------


def achievement_to_json(spec: AchievementSpec) -> dict[str, Any]:
    return dataclasses.asdict(spec)


def achievement_from_json(data: dict[str, Any]) -> AchievementSpec:
    """The AchievementSpec stored on a batch (lists back to tuples, nested specs rebuilt)."""
    values = dict(data)
    values["alignments"] = tuple(AlignmentSpec(**item) for item in values.get("alignments", ()))
    values["result_descriptions"] = tuple(
        ResultDescriptionSpec(
            **{
                **item,
                "levels": tuple(tuple(level) for level in item.get("levels", ())),
            }
        )
        for item in values.get("result_descriptions", ())
    )
    values["tags"] = tuple(values.get("tags", ()))
    return AchievementSpec(**values)


# --- starting ------------------------------------------------------------------------------------


def _enqueue(batch: IssuanceBatch) -> None:
    from trellis.credentials.tasks_batches import run_issuance_batch  # imports this module

    batch_id = batch.pk
    transaction.on_commit(lambda: run_issuance_batch.enqueue(batch_id=batch_id))


@transaction.atomic
def start_batch(
    *,
    access: Any,
    actor: Any,
    title: str,
    achievement: AchievementSpec,
    recipients: Iterable[tuple[Any, str, str]],
) -> IssuanceBatch:
    """A queued batch issuing `achievement` to each (user, source_kind, source_key). Recipients
    already holding a credential for their source are still listed; the task skips them."""
    require(access, Perm.MANAGE_CREDENTIALS)
    title = (title or "").strip()
    if not title:
        raise DomainError("title_required", "Give the batch a title.")
    if len(title) > 200:
        raise DomainError("title_too_long", "Keep the title under 200 characters.")
    if not achievement.name.strip() or not achievement.id:
        raise DomainError("bad_achievement", "The achievement needs an id and a name.")
    rows: dict[tuple[str, str], Any] = {}
    for user, kind, key in recipients:
        if kind not in SourceKind.values:
            raise DomainError("bad_source", f"{kind!r} is not a credential source.")
        if not key or len(str(key)) > 100:
            raise DomainError("bad_source", "Every recipient needs a source key (≤ 100 chars).")
        rows.setdefault((kind, str(key)), user)
    if not rows:
        raise DomainError("no_recipients", "There is nobody to issue credentials to.")
    if len(rows) > MAX_RECIPIENTS:
        raise DomainError(
            "too_many", f"A batch holds at most {MAX_RECIPIENTS:,} recipients; split the cohort."
        )
    batch = IssuanceBatch.objects.create(
        district=access.district,
        title=title,
        created_by=actor,
        achievement=achievement_to_json(achievement),
        total=len(rows),
    )
    IssuanceBatchItem.objects.bulk_create(
        [
            IssuanceBatchItem(batch=batch, recipient=user, source_kind=kind, source_key=key)
            for (kind, key), user in rows.items()
        ],
        batch_size=1000,
    )
    audit.record(
        action="credential.batch_started",
        summary=f"Started bulk issuance “{title}” for {len(rows)} educators",
        actor=actor,
        district=access.district,
        target=batch,
        data={"total": len(rows), "achievement": achievement.id},
    )
    _enqueue(batch)
    return batch


@transaction.atomic
def retry_failed(*, access: Any, actor: Any, batch: IssuanceBatch) -> IssuanceBatch:
    """Put the failed items back in the queue and run the batch again."""
    require(access, Perm.MANAGE_CREDENTIALS)
    batch = IssuanceBatch.objects.select_for_update().get(pk=batch.pk, district=access.district)
    if batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING):
        raise ConflictError("batch_busy", "The batch is still running; wait for it to finish.")
    reset = batch.items.filter(state=BatchItemState.FAILED).update(
        state=BatchItemState.PENDING, error="", updated_at=timezone.now()
    )
    if not reset:
        raise ConflictError("nothing_to_retry", "No item of this batch failed.")
    batch.status, batch.failed, batch.finished_at = BatchStatus.QUEUED, 0, None
    batch.save(update_fields=["status", "failed", "finished_at", "updated_at"])
    audit.record(
        action="credential.batch_retried",
        summary=f"Retried {reset} failed item{'s' if reset != 1 else ''} of “{batch.title}”",
        actor=actor,
        district=access.district,
        target=batch,
        data={"retried": reset},
    )
    _enqueue(batch)
    return batch


# --- running (the task) --------------------------------------------------------------------------


def _refresh_counts(batch: IssuanceBatch) -> None:
    counts = batch.items.aggregate(
        done=Count("id", filter=Q(state=BatchItemState.ISSUED)),
        failed=Count("id", filter=Q(state=BatchItemState.FAILED)),
    )
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        done=counts["done"], failed=counts["failed"], updated_at=timezone.now()
    )
    batch.done, batch.failed = counts["done"], counts["failed"]


def _issue_one(
    batch: IssuanceBatch, item: IssuanceBatchItem, spec: AchievementSpec, now: Any
) -> None:
    from trellis.credentials.services.issuing import issue_credential

    try:
        with transaction.atomic():
            credential = issue_credential(
                district=batch.district,
                recipient=item.recipient,
                source_kind=item.source_kind,
                source_key=item.source_key,
                achievement=spec,
                actor=batch.created_by,
                now=now,
            )
            item.state, item.credential, item.error = BatchItemState.ISSUED, credential, ""
            item.save(update_fields=["state", "credential", "error", "updated_at"])
    except Exception as error:  # one bad recipient must not stop the cohort
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        log.warning("Batch %s item %s failed: %s", batch.public_id, item.pk, message)
        item.state, item.error = BatchItemState.FAILED, message[:MAX_ERROR]
        item.save(update_fields=["state", "error", "updated_at"])


def process_batch(
    *, batch_id: int, chunk: int = CHUNK, now: dt.datetime | None = None
) -> IssuanceBatch:
    """Issue every pending item of the batch, `chunk` at a time. Safe to run twice: issued items
    are skipped and `issue_credential` is idempotent per source."""
    with transaction.atomic():
        batch = (
            IssuanceBatch.objects.select_for_update().select_related("district").get(pk=batch_id)
        )
        if (
            batch.status == BatchStatus.DONE
            and not batch.items.filter(state=BatchItemState.PENDING).exists()
        ):
            return batch
        batch.status = BatchStatus.RUNNING
        batch.started_at = batch.started_at or timezone.now()
        batch.save(update_fields=["status", "started_at", "updated_at"])
    try:
        spec = achievement_from_json(batch.achievement)
    except (TypeError, ValueError) as error:
        IssuanceBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.FAILED, finished_at=timezone.now(), updated_at=timezone.now()
        )
        log.error("Batch %s has an unusable achievement: %s", batch.public_id, error)
        batch.refresh_from_db()
        return batch
    last_pk = 0
    while True:
        items = list(
            batch.items.filter(state=BatchItemState.PENDING, pk__gt=last_pk)
            .select_related("recipient")
            .order_by("pk")[:chunk]
        )
        if not items:
            break
        for item in items:
            _issue_one(batch, item, spec, now)
        last_pk = items[-1].pk
        _refresh_counts(batch)
    _refresh_counts(batch)
    finished = timezone.now()
    IssuanceBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, finished_at=finished, updated_at=finished
    )
    batch.refresh_from_db()
    with transaction.atomic():
        audit.record(
            action="credential.batch_finished",
            summary=f"Bulk issuance “{batch.title}” finished: {batch.done} issued, "
            f"{batch.failed} failed",
            actor=None,
            district=batch.district,
            target=batch,
            data={"done": batch.done, "failed": batch.failed, "total": batch.total},
        )
    return batch


def percent(batch: IssuanceBatch) -> int:
    if not batch.total:
        return 100
    return min(100, (batch.done + batch.failed) * 100 // batch.total)
