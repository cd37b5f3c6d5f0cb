"""Everyone's shortlist, recomputed in chunks into RecommendationSnapshot rows: the admin's
"who is recommended what" view and the fairness and coverage figures read these."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.districts.models import District, Membership, Role
from trellis.districts.queries import DistrictAccess
from trellis.recommend import inputs, queries
from trellis.recommend.models import RecommendationSnapshot

CHUNK = 200


def _reason_rows(reasons: Any) -> list[dict]:
    return [{"code": r.code, "text": r.text} for r in reasons]


def recompute_district(district: District, *, chunk: int = CHUNK) -> int:
    """Replace the district's snapshot, one transaction per chunk of educators; returns picks."""
    access = DistrictAccess(district=district, roles=frozenset())  # the system, reading only
    memberships = (
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .order_by("user_id", "pk")
        .values_list("user_id", "school_id")
    )
    schools: dict[int, int | None] = {}
    for user_id, school_id in memberships:
        schools.setdefault(user_id, school_id)
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    bundle = inputs.catalog_for(district)
    settings_row = queries.recommendation_settings(district)
    user_ids = sorted(schools)
    now = timezone.now()
    written = 0
    for start in range(0, len(user_ids), chunk):
        ids = user_ids[start : start + chunk]
        rows = []
        for educator in user_model.objects.filter(pk__in=ids, is_active=True).order_by("pk"):
            result, context, _ = queries.shortlist_for(
                access, educator, bundle=bundle, settings_row=settings_row
            )
            for rank, pick in enumerate(result.picks, start=1):
                rows.append(
                    RecommendationSnapshot(
                        district=district,
                        educator=educator,
                        offering_id=bundle.offering_pks[pick.index],
                        school_id=schools.get(educator.pk),
                        stage=context.input.stage,
                        rank=rank,
                        slot=pick.slot,
                        score=round(float(pick.score), 2),
                        mode=result.mode,
                        reasons=_reason_rows(pick.reasons),
                        computed_at=now,
                    )
                )
        with transaction.atomic():
            RecommendationSnapshot.objects.filter(district=district, educator_id__in=ids).delete()
            RecommendationSnapshot.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    RecommendationSnapshot.objects.filter(district=district).exclude(
        educator_id__in=user_ids
    ).delete()
    audit.record(
        action="recommend.snapshot_recomputed",
        summary=f"Recommendations recomputed for {len(user_ids)} educators ({written} picks)",
        district=district,
        data={"educators": len(user_ids), "picks": written},
    )
    return written
