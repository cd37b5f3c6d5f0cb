"""Tenant-scoped reads: the district's settings, one educator's shortlist, who may see whose, and
the stored snapshot behind the "who is recommended what" view."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from trellis.catalog.models import Offering, OfferingStatus
from trellis.core.errors import PermissionDenied
from trellis.core.ids import public_id_or_404
from trellis.districts.models import Membership
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.growth.models import CoachingAssignment, LearningFormat
from trellis.recommend import inputs
from trellis.recommend.core.engine import shortlist
from trellis.recommend.core.types import Reason, Shortlist
from trellis.recommend.core.weights import DEFAULT_WEIGHTS, Weights, weights_from
from trellis.recommend.models import (
    CoachSuggestion,
    PriorityCompetency,
    PriorityOffering,
    RecommendationSettings,
    RecommendationSnapshot,
)

SLOT_LABELS = {
    "best_fit": "Best fit",
    "goal": "For your goal",
    "short": "Short option",
    "priority": "District priority",
    "choice": "Your choice",
    "explore": "New and vetted",
    "leadership": "Leadership path",
}
MODE_LABELS = {
    "need": "Based on your growth data",
    "cold_start": "Good for everyone while we get to know you",
    "expertise": "Growing beyond proficient",
}
FACTOR_LABELS = (
    ("need_match", "Need match"),
    ("fit", "Fit"),
    ("effectiveness", "Effectiveness"),
    ("feasibility", "Feasibility"),
    ("credit_bonus", "Credit bonus"),
)
EXPLORE_ONE_IN = 5  # one list in five, per educator and week, may show a new offering


def recommendation_settings(district: Any) -> RecommendationSettings:
    """The district's settings row, or an unsaved one holding the defaults."""
    return RecommendationSettings.objects.filter(
        district=district
    ).first() or RecommendationSettings(district=district)


def weights_of(settings_row: RecommendationSettings) -> Weights:
    """The district's weights; overrides were validated when saved, so a failure means the
    bounds moved since: fall back to the defaults rather than break every list."""
    try:
        return weights_from(settings_row.weight_overrides or {})
    except ValueError:
        return DEFAULT_WEIGHTS


# ---------------------------------------------------------------------------------------------
# whose list may the viewer see
# ---------------------------------------------------------------------------------------------


def educator_for_viewer(access: DistrictAccess, viewer: Any, public_id: Any) -> Any:
    """The educator whose list the viewer asked for: themselves, one on their caseload, or anyone
    in the district for an admin. Not in the district → 404; in it but not theirs → 403."""
    user_model = get_user_model()
    members = Membership.objects.filter(district=access.district, is_active=True).values("user_id")
    educator = user_model.objects.filter(
        public_id=public_id_or_404(public_id), pk__in=members
    ).first()
    if educator is None:
        raise Http404("No such educator in this district.")
    if educator.pk == viewer.pk and access.can(Perm.VIEW_OWN_LEARNING):
        return educator
    if access.can(Perm.MANAGE_RECOMMENDATIONS):
        return educator
    if (
        access.can(Perm.VIEW_CASELOAD)
        and CoachingAssignment.objects.filter(
            district=access.district, coach=viewer, educator=educator
        ).exists()
    ):
        return educator
    raise PermissionDenied("You can see recommendations for yourself and your caseload only.")


def is_coach_of(access: DistrictAccess, coach: Any, educator: Any) -> bool:
    return (
        access.can(Perm.COACH_EDUCATORS)
        and CoachingAssignment.objects.filter(
            district=access.district, coach=coach, educator=educator
        ).exists()
    )


# ---------------------------------------------------------------------------------------------
# one educator's shortlist
# ---------------------------------------------------------------------------------------------


@dataclass
class PickView:
    rank: int
    offering_id: str
    title: str
    score: float
    slot: str
    factors: dict[str, float]
    reasons: tuple[Reason, ...]
    hours: float
    cost: float
    format_label: str
    feedback: str  # "", "save" or "not_for_me"
    suggestions: list[CoachSuggestion] = field(default_factory=list)

    @property
    def slot_label(self) -> str:
        return SLOT_LABELS.get(self.slot, self.slot.replace("_", " ").capitalize())

    @property
    def factor_rows(self) -> list[tuple[str, float]]:
        return [(label, self.factors[name]) for name, label in FACTOR_LABELS]

    @property
    def is_saved(self) -> bool:
        return self.feedback == "save"


@dataclass
class Recommendations:
    educator: Any
    stage: str
    size: int
    mode: str
    considered: int
    picks: list[PickView]
    saved: list[tuple[str, str]]  # (offering public id, title) saved but not in the list
    has_self_assessment: bool
    has_framework: bool

    @property
    def mode_label(self) -> str:
        return MODE_LABELS.get(self.mode, self.mode)

    @property
    def cold_start(self) -> bool:
        return self.mode == "cold_start"


def explore_this_week(educator_public_id: str, today: dt.date) -> bool:
    year, week, _ = today.isocalendar()
    seed = zlib.crc32(f"{educator_public_id}:{year}:{week}".encode())
    return seed % EXPLORE_ONE_IN == 0


_FORMAT_LABELS = dict(LearningFormat.choices)


def shortlist_for(
    access: DistrictAccess,
    educator: Any,
    *,
    bundle: inputs.CatalogBundle | None = None,
    settings_row: RecommendationSettings | None = None,
    preloaded: inputs.Preloaded | None = None,
) -> tuple[Shortlist, inputs.EducatorContext, int]:
    """The engine's shortlist for one educator, their context and the list size used."""
    bundle = bundle or inputs.catalog_for(access.district)
    settings_row = settings_row or recommendation_settings(access.district)
    context = inputs.educator_input(access, educator, bundle, preloaded=preloaded)
    size = settings_row.size_for(context.input.stage)
    result = shortlist(
        context.input,
        bundle.arrays,
        weights_of(settings_row),
        size=size,
        reserved=min(settings_row.reserved_slots, size),
        explore=explore_this_week(context.input.educator_id, timezone.localdate()),
    )
    return result, context, size


def recommendations_for(
    access: DistrictAccess, educator: Any, *, preloaded: inputs.Preloaded | None = None
) -> Recommendations:
    """The educator's shortlist ready for a page or the API, in a fixed number of queries
    (fewer when the page has `preloaded` the profile and renewal standing)."""
    bundle = inputs.catalog_for(access.district)
    result, context, size = shortlist_for(access, educator, bundle=bundle, preloaded=preloaded)
    arrays = bundle.arrays
    picks = []
    for rank, pick in enumerate(result.picks, start=1):
        i = pick.index
        picks.append(
            PickView(
                rank=rank,
                offering_id=pick.offering_id,
                title=arrays.titles[i],
                score=round(float(pick.score), 1),
                slot=pick.slot,
                factors={
                    "need_match": round(float(pick.need_match), 3),
                    "fit": round(float(pick.fit), 3),
                    "effectiveness": round(float(pick.effectiveness), 3),
                    "feasibility": round(float(pick.feasibility), 3),
                    "credit_bonus": round(float(pick.credit_bonus), 2),
                },
                reasons=_with_coach_notes(pick.reasons, context.suggestions.get(i, [])),
                hours=float(arrays.hours[i]),
                cost=float(arrays.cost[i]),
                format_label=_FORMAT_LABELS.get(
                    arrays.formats[arrays.format_index[i]], arrays.formats[arrays.format_index[i]]
                ),
                feedback=context.feedback.get(i, ""),
                suggestions=context.suggestions.get(i, []),
            )
        )
    in_list = {p.offering_id for p in picks}
    saved = [
        (arrays.offering_ids[i], arrays.titles[i])
        for i, action in sorted(context.feedback.items())
        if action == "save" and arrays.offering_ids[i] not in in_list
    ]
    return Recommendations(
        educator=educator,
        stage=context.input.stage,
        size=size,
        mode=result.mode,
        considered=result.considered,
        picks=picks,
        saved=saved,
        has_self_assessment=context.has_self_assessment,
        has_framework=bool(bundle.competency_pks),
    )


def _with_coach_notes(
    reasons: tuple[Reason, ...], suggestions: list[CoachSuggestion]
) -> tuple[Reason, ...]:
    """The coach's own words replace the engine's generic "your coach suggested it"."""
    if not suggestions:
        return reasons
    kept = tuple(r for r in reasons if r.code != "coach")
    notes = tuple(
        Reason(
            code="coach",
            text=(
                f"{s.coach.full_name or s.coach.email} suggested it: “{s.note}”"
                if s.note
                else f"{s.coach.full_name or s.coach.email} suggested it."
            ),
            data={"coach": str(s.coach.public_id), "note": s.note},
        )
        for s in suggestions
    )
    return notes + kept


# ---------------------------------------------------------------------------------------------
# settings pages: priorities and the offerings the admin can pick
# ---------------------------------------------------------------------------------------------


def district_priorities(district: Any) -> QuerySet[PriorityCompetency]:
    return PriorityCompetency.objects.filter(district=district).select_related("item", "school")


def priority_offerings(district: Any) -> QuerySet[PriorityOffering]:
    return PriorityOffering.objects.filter(district=district).select_related("offering")


def published_offerings(district: Any) -> QuerySet[Offering]:
    return Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED).order_by(
        "title", "pk"
    )


def get_published_offering(access: DistrictAccess, public_id: Any) -> Offering:
    found = (
        published_offerings(access.district).filter(public_id=public_id_or_404(public_id)).first()
    )
    if found is None:
        raise Http404("No such offering in the catalog.")
    return found


def suggestions_by(access: DistrictAccess, coach: Any, educator: Any) -> list[CoachSuggestion]:
    return list(
        CoachSuggestion.objects.filter(
            district=access.district, coach=coach, educator=educator
        ).select_related("offering")
    )


# ---------------------------------------------------------------------------------------------
# who is recommended what (from the stored snapshot)
# ---------------------------------------------------------------------------------------------


@dataclass
class OfferingReach:
    offering: Offering
    educators: int
    by_stage: dict[str, int]
    by_school: list[tuple[str, int]]


STAGES = ("novice", "developing", "experienced", "veteran")


def snapshot_summary(district: Any) -> dict[str, Any]:
    figures = RecommendationSnapshot.objects.filter(district=district).aggregate(
        rows=Count("id"),
        educators=Count("educator", distinct=True),
        offerings=Count("offering", distinct=True),
    )
    latest = (
        RecommendationSnapshot.objects.filter(district=district)
        .order_by("-computed_at")
        .values_list("computed_at", flat=True)
        .first()
    )
    published = published_offerings(district).count()
    figures["computed_at"] = latest
    figures["published"] = published
    figures["catalog_coverage"] = round(100 * figures["offerings"] / published) if published else 0
    return figures


def reach_page(district: Any, offerings: list[Offering]) -> list[OfferingReach]:
    """Per offering of the page: educators with it in their list, by stage and by school."""
    by_stage: dict[int, dict[str, int]] = {o.pk: dict.fromkeys(STAGES, 0) for o in offerings}
    by_school: dict[int, dict[str, int]] = {o.pk: {} for o in offerings}
    totals: dict[int, int] = dict.fromkeys(by_stage, 0)
    for offering_id, stage, school, n in (
        RecommendationSnapshot.objects.filter(district=district, offering_id__in=list(by_stage))
        .values_list("offering_id", "stage", "school__name")
        .annotate(n=Count("id"))
        .values_list("offering_id", "stage", "school__name", "n")
    ):
        by_stage[offering_id][stage] = by_stage[offering_id].get(stage, 0) + n
        name = school or "No school"
        by_school[offering_id][name] = by_school[offering_id].get(name, 0) + n
        totals[offering_id] += n
    return [
        OfferingReach(
            offering=o,
            educators=totals[o.pk],
            by_stage=by_stage[o.pk],
            by_school=sorted(by_school[o.pk].items()),
        )
        for o in offerings
    ]


def reach_offerings(district: Any) -> QuerySet[Offering]:
    """Offerings in anyone's stored list, most-recommended first."""
    return (
        Offering.objects.filter(district=district)
        .annotate(
            educators=Count("recommendation_rows", filter=Q(recommendation_rows__district=district))
        )
        .filter(educators__gt=0)
        .order_by("-educators", "title", "pk")
    )


def educator_snapshot(district: Any, educator: Any) -> list[RecommendationSnapshot]:
    return list(
        RecommendationSnapshot.objects.filter(district=district, educator=educator)
        .select_related("offering")
        .order_by("rank")
    )


def snapshot_educators(district: Any, *, search: str = "") -> QuerySet:
    user_model = get_user_model()
    people = user_model.objects.filter(
        pk__in=RecommendationSnapshot.objects.filter(district=district).values("educator_id")
    )
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people.order_by("full_name", "email")


def get_snapshot_educator(access: DistrictAccess, public_id: Any) -> Any:
    user_model = get_user_model()
    members = Membership.objects.filter(district=access.district).values("user_id")
    found = user_model.objects.filter(public_id=public_id_or_404(public_id), pk__in=members).first()
    if found is None:
        raise Http404("No such educator in this district.")
    return found


def home_card(
    access: DistrictAccess,
    user: Any,
    *,
    limit: int = 3,
    preloaded: inputs.Preloaded | None = None,
) -> Recommendations:
    """The first few picks for the compact card on the educator home."""
    found = recommendations_for(access, user, preloaded=preloaded)
    found.picks = found.picks[:limit]
    return found
