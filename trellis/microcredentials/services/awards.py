"""Awarding an earned micro-credential: the EarnedMicroCredential row, credit through the credit
ledger, stack capstones, and the educator's e-mail. Every step is idempotent, so a retried or
repeated decision never awards, credits or e-mails twice."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse

from trellis.audit import services as audit
from trellis.catalog.notify import notify
from trellis.credit.models import CreditSource
from trellis.credit.rules import Category
from trellis.credit.services import award_credit
from trellis.microcredentials.credentialing import issue_for
from trellis.microcredentials.models import EarnedMicroCredential, Stack, Submission
from trellis.notifications.models import Kind


def _local_date(district: Any, moment: dt.datetime) -> dt.date:
    try:
        zone = zoneinfo.ZoneInfo(district.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return moment.date()
    return moment.astimezone(zone).date()


@transaction.atomic
def award_submission(
    submission: Submission, *, actor: Any = None, now: dt.datetime
) -> EarnedMicroCredential:
    """The educator earned the submission's micro-credential: record it once and run on_earned
    (a second call returns the existing award and does nothing else)."""
    existing = EarnedMicroCredential.objects.filter(
        educator_id=submission.educator_id,
        micro_credential_id=submission.version.micro_credential_id,
        stack__isnull=True,
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            earned = EarnedMicroCredential.objects.create(
                district=submission.district,
                educator=submission.educator,
                micro_credential_id=submission.version.micro_credential_id,
                version=submission.version,
                submission=submission,
                earned_at=now,
            )
    except IntegrityError:  # a concurrent decision recorded it first
        return EarnedMicroCredential.objects.get(
            educator_id=submission.educator_id,
            micro_credential_id=submission.version.micro_credential_id,
            stack__isnull=True,
        )
    audit.record(
        action="micro_credential.earned",
        summary=f"{submission.educator.email} earned “{submission.version.title}”",
        actor=actor,
        subject=submission.educator,
        district=submission.district,
        target=earned,
        data={"submission": str(submission.public_id), "attempt": submission.attempt},
    )
    on_earned(earned, actor=actor)
    return earned


def on_earned(earned: EarnedMicroCredential, *, actor: Any = None) -> None:
    """Everything that follows an award (called once per EarnedMicroCredential): credit, stack
    capstones, the educator's e-mail."""
    # The Open Badges 3.0 credential, for a micro-credential and a stack's capstone alike; a
    # failure is audited (credential.issue_failed) for an admin to retry and the award stands.
    issue_for(earned, actor=actor)
    if earned.stack_id is None:
        _post_credit(earned, actor=actor)
        _tell_earned(earned)
        for capstone in _complete_stacks(earned, actor=actor):
            on_earned(capstone, actor=actor)
    else:
        _tell_capstone(earned)


def _post_credit(earned: EarnedMicroCredential, *, actor: Any) -> None:
    version = earned.version
    if version is None or version.credit_amount <= 0:
        return
    award_credit(
        district=earned.district,
        educator=earned.educator,
        source=CreditSource.MICRO_CREDENTIAL,
        source_ref=str(earned.public_id),
        title=version.title,
        completed_on=_local_date(earned.district, earned.earned_at),
        amount=version.credit_amount,
        unit=version.credit_unit,
        category=Category.MICRO_CREDENTIAL,
        hours=version.estimated_hours,
        provider=version.issuer_name,
        actor=actor,
    )


def _complete_stacks(earned: EarnedMicroCredential, *, actor: Any) -> list[EarnedMicroCredential]:
    """Capstones newly completed by this award: active stacks of the district that contain the
    micro-credential and of whose members the educator now holds at least `required_count`."""
    held = set(
        EarnedMicroCredential.objects.filter(
            educator=earned.educator, stack__isnull=True
        ).values_list("micro_credential_id", flat=True)
    )
    capstones = []
    stacks = Stack.objects.filter(
        district=earned.district, is_active=True, members=earned.micro_credential_id
    ).prefetch_related("members")
    for stack in stacks:
        members = {m.pk for m in stack.members.all()}
        if len(members & held) < stack.required_count:
            continue
        if EarnedMicroCredential.objects.filter(educator=earned.educator, stack=stack).exists():
            continue
        try:
            with transaction.atomic():
                capstone = EarnedMicroCredential.objects.create(
                    district=earned.district,
                    educator=earned.educator,
                    stack=stack,
                    earned_at=earned.earned_at,
                )
        except IntegrityError:
            continue
        audit.record(
            action="micro_credential.capstone_earned",
            summary=f"{earned.educator.email} completed the stack “{stack.title}”",
            actor=actor,
            subject=earned.educator,
            district=earned.district,
            target=capstone,
            data={"stack": str(stack.public_id)},
        )
        capstones.append(capstone)
    return capstones


def _mine() -> str:
    """The educator's micro-credentials page (built by the earning pages), else the index."""
    try:
        return reverse("microcredentials:my_micro_credentials")
    except NoReverseMatch:
        return "/micro-credentials/"


def _tell_earned(earned: EarnedMicroCredential) -> None:
    version = earned.version
    lines = [f"Congratulations: you earned the micro-credential “{version.title}”."]
    if version.credit_amount > 0:
        lines.append(
            f"{version.credit_amount} {version.credit_unit.replace('_', ' ')} of credit "
            "is on your transcript."
        )
    notify(
        earned.educator,
        kind=Kind.SUBMISSION_OUTCOME,
        district=earned.district,
        subject=f"Earned: {version.title}",
        lines=lines,
        path=_mine(),
    )


def _tell_capstone(capstone: EarnedMicroCredential) -> None:
    stack = capstone.stack
    notify(
        capstone.educator,
        kind=Kind.SUBMISSION_OUTCOME,
        district=capstone.district,
        subject=f"Stack complete: {stack.capstone_title}",
        lines=[
            f"You completed the stack “{stack.title}” and earned its capstone, "
            f"“{stack.capstone_title}”."
        ],
        path=_mine(),
    )
