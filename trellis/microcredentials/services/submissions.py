"""Earning a micro-credential: start, autosave answers (every save kept), confirm student
privacy, submit, withdraw.

Autosave. Each field (part) is saved on its own: a save increments that answer's `revision` and
appends an `AnswerRevision` with the client (tab) id. Two tabs editing different fields never
clobber each other; on the same field the last write wins and the earlier text stays in the
history. Rows are locked while a batch is written so revision numbers never collide.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.microcredentials.models import (
    Answer,
    AnswerRevision,
    MicroCredential,
    RequirementPart,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from trellis.microcredentials.queries import submissions as queries
from trellis.microcredentials.services.assignment import assign_submission
from trellis.microcredentials.services.events import record_event

MAX_ANSWER_CHARS = 100_000
MAX_CLIENT_ID = 64
AUTOSAVE_EVENT_EVERY = dt.timedelta(minutes=10)
WITHDRAWABLE = (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)


def event(submission: Submission, actor: Any, action: str, **data: Any) -> SubmissionEvent:
    """One row of the submission's history: who did what, when."""
    return record_event(submission, action, actor=actor, **data)


def _own(access: DistrictAccess, actor: Any, submission: Submission) -> None:
    if submission.district_id != access.district.pk:
        raise Http404("No such submission.")
    if submission.educator_id != actor.pk:
        raise PermissionDenied("Only the educator who started this submission can change it.")


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def ensure_editable(submission: Submission) -> None:
    """Refuse changes once the submission is with the assessors, earned or closed."""
    if submission.status in queries.EDITABLE:
        return
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_ASSESSMENT):
        raise ConflictError(
            "submission_locked",
            "This submission has been submitted and can no longer be edited. If you need to "
            "change it, withdraw it first (possible until an assessor starts on it).",
        )
    raise ConflictError(
        "submission_locked",
        f"This submission is {submission.get_status_display().lower()} and can no longer be "
        "edited.",
    )


# ---- start ---------------------------------------------------------------------------------


@transaction.atomic
def start_submission(
    *, access: DistrictAccess, actor: Any, micro_credential: MicroCredential
) -> Submission:
    """A new draft on the latest published version. An open submission is a conflict whose
    details carry its id (the UI goes to it, the API returns 409)."""
    if not access.can(Perm.VIEW_OWN_LEARNING):
        raise PermissionDenied("Your role here cannot earn micro-credentials.")
    if micro_credential.district_id != access.district.pk:
        raise Http404("No such micro-credential.")
    version = queries.latest_published_version(micro_credential)
    if micro_credential.status != MicroCredential.Status.PUBLISHED or version is None:
        raise DomainError(
            "not_published", "This micro-credential is not open for submissions right now."
        )
    title = version.title
    if queries.has_earned(actor, micro_credential):
        raise ConflictError("already_earned", f"You have already earned “{title}”.")
    existing = queries.open_submission(actor, micro_credential)
    if existing is not None:
        raise _open_conflict(existing, title)
    missing = queries.missing_prerequisites(actor, version)
    if missing:
        raise DomainError(
            "prerequisites_missing",
            "Earn these micro-credentials first: " + "; ".join(f"“{m}”" for m in missing) + ".",
            details={"missing": missing},
        )
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                district=access.district, educator=actor, version=version, last_saved_at=None
            )
    except IntegrityError:  # a second tab started it at the same moment
        existing = queries.open_submission(actor, micro_credential)
        if existing is None:
            raise ConflictError(
                "submission_open", f"You already have a submission for “{title}”."
            ) from None
        raise _open_conflict(existing, title) from None
    Answer.objects.bulk_create(
        Answer(submission=submission, part=part, saved_by=actor)
        for part in version.parts.filter(kind__in=queries.TEXT_KINDS).order_by("position")
    )
    event(submission, actor, "started", version=version.number)
    audit.record(
        action="microcredential.submission.started",
        summary=f"Started “{title}” (version {version.number})",
        actor=actor,
        district=access.district,
        target=submission,
        target_label=title,
    )
    return submission


def _open_conflict(existing: Submission, title: str) -> ConflictError:
    return ConflictError(
        "submission_open",
        f"You already have a submission for “{title}” "
        f"({existing.get_status_display().lower()}). Continue it instead.",
        details={"submission": str(existing.public_id)},
    )


# ---- autosave ------------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _clean_answers(submission: Submission, answers: dict[str, Any]) -> dict[RequirementPart, str]:
    """Check every field before writing any: nothing is saved from a bad batch."""
    if not isinstance(answers, dict):
        raise DomainError("invalid_answers", "Answers must map part ids to text.")
    parts = {str(p.public_id): p for p in submission.version.parts.all()}
    revisable = queries.revisable_part_ids(submission)
    cleaned: dict[RequirementPart, str] = {}
    for key, value in answers.items():
        part = parts.get(str(key))
        if part is None:
            raise DomainError(
                "unknown_part",
                "One of the answers is for a part that is not in this micro-credential.",
                details={"field": str(key)},
            )
        if part.kind not in queries.TEXT_KINDS:
            raise DomainError(
                "not_a_text_part",
                f"“{part.title}” takes artifacts, not text.",
                details={"field": str(key)},
            )
        if not queries.part_is_editable(submission, part, revisable):
            raise ConflictError(
                "part_locked",
                f"“{part.title}” met the rubric last time and stays as it was; only the parts "
                "marked “to revise” can change.",
                details={"field": str(key)},
            )
        text = str(value if value is not None else "").replace("\r\n", "\n")
        if len(text) > MAX_ANSWER_CHARS:
            raise DomainError(
                "answer_too_long",
                f"“{part.title}” is too long: at most {MAX_ANSWER_CHARS:,} characters.",
                details={"field": str(key)},
            )
        if part.max_words and _words(text) > part.max_words:
            raise DomainError(
                "too_many_words",
                f"“{part.title}” has {_words(text):,} words; the limit is {part.max_words:,}.",
                details={"field": str(key)},
            )
        cleaned[part] = text
    return cleaned


@transaction.atomic
def save_answers(
    *,
    access: DistrictAccess,
    actor: Any,
    submission: Submission,
    answers: dict[str, Any],
    client_id: str = "",
    base_revisions: dict[str, int] | None = None,
    explicit: bool = False,
) -> dict[str, Any]:
    """Save the given fields; per field, the last write wins and every save is kept.

    Returns {"revisions": {part id: revision}, "saved_at": datetime, "overwritten": [part ids
    whose revision had moved past the caller's `base_revisions` — another tab saved them
    first; their text is in the history]}."""
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    cleaned = _clean_answers(submission, answers)
    client_id = str(client_id or "")[:MAX_CLIENT_ID]
    base_revisions = base_revisions or {}
    now = timezone.now()
    rows = {
        a.part_id: a
        for a in Answer.objects.select_for_update().filter(
            submission=submission, part__in=list(cleaned)
        )
    }
    revisions: dict[str, int] = {}
    overwritten: list[str] = []
    changed: list[str] = []
    for part, text in cleaned.items():
        key = str(part.public_id)
        answer = rows.get(part.pk) or Answer.objects.create(submission=submission, part=part)
        base = base_revisions.get(key)
        if answer.text == text:
            revisions[key] = answer.revision
            continue
        if base is not None and _as_int(base) < answer.revision:
            if text == _text_at(answer, _as_int(base)):
                # The client sends back the text it loaded (a whole-form Save from a tab that
                # did not touch this answer): not an edit, so another tab's newer save stands.
                revisions[key] = answer.revision
                continue
            overwritten.append(key)
        answer.revision += 1
        answer.text = text
        answer.saved_by = actor
        answer.save(update_fields=["revision", "text", "saved_by", "updated_at"])
        AnswerRevision.objects.create(
            answer=answer, revision=answer.revision, text=text, saved_at=now, client_id=client_id
        )
        revisions[key] = answer.revision
        changed.append(key)
    submission.last_saved_at = now
    submission.save(update_fields=["last_saved_at", "updated_at"])
    if explicit:
        event(submission, actor, "saved", parts=changed)
    elif changed and not _recent_autosave_event(submission, now):
        event(submission, actor, "autosaved", parts=changed)
    return {"revisions": revisions, "saved_at": now, "overwritten": overwritten}


def _text_at(answer: Answer, revision: int) -> str | None:
    if revision <= 0:
        return ""
    found = answer.revisions.filter(revision=revision).values_list("text", flat=True).first()
    return found


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _recent_autosave_event(submission: Submission, now: dt.datetime) -> bool:
    """Autosave runs every few seconds: one `autosaved` event per ten minutes is enough."""
    return SubmissionEvent.objects.filter(
        submission=submission, action="autosaved", at__gt=now - AUTOSAVE_EVENT_EVERY
    ).exists()


@transaction.atomic
def set_privacy(
    *, access: DistrictAccess, actor: Any, submission: Submission, confirmed: bool
) -> Submission:
    _own(access, actor, submission)
    submission = _locked(submission)
    ensure_editable(submission)
    confirmed = bool(confirmed)
    if submission.privacy_confirmed != confirmed:
        submission.privacy_confirmed = confirmed
        submission.last_saved_at = timezone.now()
        submission.save(update_fields=["privacy_confirmed", "last_saved_at", "updated_at"])
        event(submission, actor, "privacy_confirmed" if confirmed else "privacy_unconfirmed")
    return submission


# ---- submit and withdraw -------------------------------------------------------------------


@transaction.atomic
def submit(*, access: DistrictAccess, actor: Any, submission: Submission) -> Submission:
    """Hand the submission to the assessors: every required part complete and privacy
    confirmed. A "not yet" submission comes back as the next attempt."""
    _own(access, actor, submission)
    submission = _locked(submission)
    title = submission.version.title
    if submission.status in (
        SubmissionStatus.SUBMITTED,
        SubmissionStatus.IN_ASSESSMENT,
        SubmissionStatus.APPEALED,
    ):
        raise ConflictError(
            "already_submitted",
            f"“{title}” is already submitted; you will hear from the assessor.",
        )
    ensure_editable(submission)
    settings = queries.assessment_settings(access.district)
    resubmission = submission.status == SubmissionStatus.NOT_YET
    if resubmission and submission.attempt >= settings.max_attempts:
        raise DomainError(
            "attempts_exhausted",
            f"You have used all {settings.max_attempts} attempts for “{title}”. Talk to your "
            "coach or the PD office about what to try next.",
        )
    missing = queries.checklist_for(submission)
    if missing:
        raise DomainError(
            "submission_incomplete",
            "Not ready to submit yet: " + " ".join(missing),
            details={"missing": missing},
        )
    now = timezone.now()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    fields = ["status", "submitted_at", "updated_at"]
    if resubmission:
        submission.attempt += 1
        submission.decided_at = None
        fields += ["attempt", "decided_at"]
    submission.save(update_fields=fields)
    action = "resubmitted" if resubmission else "submitted"
    event(submission, actor, action, attempt=submission.attempt)
    audit.record(
        action=f"microcredential.submission.{action}",
        summary=f"{action.capitalize()} “{title}” (attempt {submission.attempt})",
        actor=actor,
        district=access.district,
        target=submission,
        target_label=title,
    )
    # Straight to an assessor when one is eligible (else it waits, and PD leaders are told).
    assign_submission(submission, actor=actor)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def withdraw_submission(
    *, access: DistrictAccess, actor: Any, submission: Submission
) -> Submission:
    _own(access, actor, submission)
    submission = _locked(submission)
    title = submission.version.title
    if submission.status not in WITHDRAWABLE:
        raise ConflictError(
            "not_withdrawable",
            f"“{title}” is {submission.get_status_display().lower()}; it can only be withdrawn "
            "while it is a draft or waiting for an assessor.",
        )
    submission.status = SubmissionStatus.WITHDRAWN
    submission.save(update_fields=["status", "updated_at"])
    event(submission, actor, "withdrawn")
    audit.record(
        action="microcredential.submission.withdrawn",
        summary=f"Withdrew “{title}”",
        actor=actor,
        district=access.district,
        target=submission,
        target_label=title,
    )
    return submission
