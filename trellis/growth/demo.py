"""Demo growth data: self-assessment history, observation ratings, goals with coach comments and
learning plans for every educator of a district. Called by the demo seed (`trellis.demo`).

Deterministic (one seeded random generator per educator) and idempotent (each kind of data is
written only for educators who have none of it yet). Dates are relative to today, so the demo
always looks current. Needs the district's adopted framework; without one it does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.districts.models import District, Membership, Role
from trellis.growth import queries
from trellis.growth.models import (
    CoachingAssignment,
    EducatorProfile,
    Goal,
    GoalComment,
    GoalReflection,
    ObservationRating,
    ObserverRole,
    PlanItem,
    SelfAssessment,
    SelfRating,
)

SNAPSHOT_DAYS_AGO = (330, 170, 25)  # three dated self-assessments over a school year
GOAL_TEMPLATES = (
    (
        "Check for understanding in every lesson",
        "Plan two hinge questions per lesson and adjust instruction on the spot.",
        "Hinge questions used in 8 of 10 observed lessons; exit-ticket mastery up 15 points.",
    ),
    (
        "Grow student discourse",
        "Use structured talk protocols so that every student explains their thinking daily.",
        "Student talk is at least 40% of class time in two coached observations.",
    ),
    (
        "Differentiate for English learners",
        "Add sentence frames and visuals to each unit's key tasks.",
        "English learners' task completion rises from 60% to 85% this semester.",
    ),
    (
        "Use data to plan small groups",
        "Regroup students every two weeks from formative data.",
        "Small-group plans written from data for six consecutive cycles.",
    ),
    (
        "Build a positive classroom culture",
        "Teach and reinforce three routines with specific praise.",
        "Transitions under one minute and referrals down by half by spring.",
    ),
)
PLAN_TEMPLATES = (
    (
        "Formative Assessment in Practice (online course)",
        PlanItem.Kind.COURSE,
        "https://example.org/courses/formative-assessment",
    ),
    ("Grade-level PLC: looking at student work", PlanItem.Kind.PLC, ""),
    ("Coaching cycle with my instructional coach", PlanItem.Kind.COACHING, ""),
    ("Embedded Formative Assessment (book study)", PlanItem.Kind.READING, ""),
    ("Micro-credential: Checking for Understanding", PlanItem.Kind.MICRO_CREDENTIAL, ""),
    (
        "Classroom talk moves (video series)",
        PlanItem.Kind.VIDEO,
        "https://example.org/videos/talk-moves",
    ),
    ("Workshop: Scaffolds for English learners", PlanItem.Kind.WORKSHOP, ""),
)
REFLECTIONS = (
    "Tried this in two classes this week; the second went much better once I wrote the questions in advance.",
    "Students needed more modelling than I expected. Adjusting the routine next week.",
    "Halfway there: the data from the last cycle shows real progress for my small groups.",
)
COACH_COMMENTS = (
    "Great focus. Let's look at a lesson video together and pick one moment to refine.",
    "Your evidence plan is clear. Could you collect student work samples at the midpoint?",
    "I saw this in action on Tuesday — students were explaining their reasoning. Keep going!",
)
NOTES = (
    "I do this well with my strongest class, less so with the others.",
    "New to me this year; I want support here.",
    "A strength: colleagues ask me about this.",
)


@dataclass
class GrowthSeedReport:
    district: District
    skipped: str = ""  # why nothing was done, when nothing was
    educators: int = 0
    created: dict[str, int] = field(default_factory=dict)


def _educators(district: District) -> list[Any]:
    ids = Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True).values(
        "user_id"
    )
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("email"))


def _people_with_role(district: District, role: str) -> list[tuple[Any, int | None]]:
    return [
        (m.user, m.school_id)
        for m in Membership.objects.filter(district=district, role=role, is_active=True)
        .select_related("user")
        .order_by("user__email")
    ]


def _start_level(years: int, top: int, rng: random.Random) -> int:
    base = 1 if years < 4 else 2 if years < 16 else 3
    return max(1, min(top - 1, base + rng.choice((0, 0, 1)) - rng.choice((0, 1))))


@transaction.atomic
def seed_growth(district: District) -> GrowthSeedReport:
    """Give every educator of the district growth data; safe to run again (changes nothing)."""
    report = GrowthSeedReport(district=district)
    framework = queries.adopted_framework(district)
    if framework is None:
        report.skipped = "no adopted framework"
        return report
    cmap = queries.competency_map(framework)
    competencies = cmap.competencies
    values = [level.value for level in cmap.levels]
    if not competencies or not values:
        report.skipped = "the adopted framework has no competencies or no scale"
        return report
    low, top = min(values), max(values)
    today = timezone.localdate()
    now = timezone.now()
    educators = _educators(district)
    report.educators = len(educators)
    profiles = {
        p.user_id: p for p in EducatorProfile.objects.filter(district=district, user__in=educators)
    }
    coaches = _people_with_role(district, Role.COACH)
    principals = _people_with_role(district, Role.APPROVER)
    school_of = dict(
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .exclude(school=None)
        .values_list("user_id", "school_id")
    )
    has = {
        "snapshots": set(
            SelfAssessment.objects.filter(district=district).values_list("educator_id", flat=True)
        ),
        "observations": set(
            ObservationRating.objects.filter(district=district).values_list(
                "educator_id", flat=True
            )
        ),
        "goals": set(Goal.objects.filter(district=district).values_list("educator_id", flat=True)),
        "plan": set(
            PlanItem.objects.filter(district=district).values_list("educator_id", flat=True)
        ),
    }
    created = dict.fromkeys(
        ("coaching", "snapshots", "observations", "goals", "comments", "plan_items"), 0
    )

    def coach_for(user: Any) -> Any:
        """The coach of the educator's school, else the district's first coach; never themselves."""
        candidates = [c for c, school in coaches if school and school == school_of.get(user.pk)]
        candidates += [c for c, _school in coaches]
        return next((c for c in candidates if c.pk != user.pk), None)

    def principal_name(user: Any, rng: random.Random) -> str:
        for principal, school in principals:
            if school and school == school_of.get(user.pk) and principal.pk != user.pk:
                return principal.full_name
        return rng.choice(("Dr. Elena Ruiz", "Mr. Marcus Hill", "Ms. Grace Kim"))

    for user in educators:
        rng = random.Random(f"trellis-growth:{district.slug}:{user.email}")  # noqa: S311 - demo data
        years = profiles[user.pk].years_experience if user.pk in profiles else 5
        coach = coach_for(user)
        if coach is not None:
            _assignment, made = CoachingAssignment.objects.get_or_create(
                district=district, coach=coach, educator=user
            )
            created["coaching"] += int(made)
        # Self-assessment history: 2–3 snapshots, each a little higher than the last.
        levels = {item.pk: _start_level(years, top, rng) for item in competencies}
        history: list[dict[int, int]] = []
        count = rng.choice((2, 3, 3))
        for _ in range(count):
            history.append(dict(levels))
            for item in rng.sample(competencies, k=max(1, len(competencies) // 3)):
                levels[item.pk] = min(top, levels[item.pk] + 1)
        latest = history[-1]
        if user.pk not in has["snapshots"]:
            for days_ago, snapshot in zip(SNAPSHOT_DAYS_AGO[-count:], history, strict=True):
                assessment = SelfAssessment.objects.create(
                    district=district,
                    educator=user,
                    framework=framework,
                    status=SelfAssessment.Status.SUBMITTED,
                    submitted_at=now - dt.timedelta(days=days_ago),
                )
                noted = {item.pk for item in rng.sample(competencies, k=min(2, len(competencies)))}
                SelfRating.objects.bulk_create(
                    [
                        SelfRating(
                            assessment=assessment,
                            item=item,
                            value=snapshot[item.pk],
                            note=rng.choice(NOTES) if item.pk in noted else "",
                        )
                        for item in competencies
                    ]
                )
                created["snapshots"] += 1
        # Observation ratings: a principal and a coach on a few competencies, kept apart.
        if user.pk not in has["observations"]:
            observed = rng.sample(competencies, k=min(len(competencies), rng.randint(3, 5)))
            rows = []
            for item in observed:
                for role, name, days_ago in (
                    (ObserverRole.PRINCIPAL, principal_name(user, rng), rng.randint(40, 80)),
                    (ObserverRole.COACH, coach.full_name if coach else "", rng.randint(10, 35)),
                ):
                    value = max(low, min(top, latest[item.pk] + rng.choice((-1, 0, 0, 1))))
                    rows.append(
                        ObservationRating(
                            district=district,
                            educator=user,
                            item=item,
                            value=value,
                            observed_on=today - dt.timedelta(days=days_ago),
                            observer_role=role,
                            observer_name=name,
                        )
                    )
            ObservationRating.objects.bulk_create(rows, ignore_conflicts=True)
            created["observations"] += len(rows)
        # Goals on the lowest-rated competencies, one reflection each, a coach comment.
        goals: list[Goal] = []
        if user.pk not in has["goals"]:
            weakest = sorted(competencies, key=lambda i: (latest[i.pk], rng.random()))
            for index, template in enumerate(rng.sample(GOAL_TEMPLATES, k=rng.choice((1, 2)))):
                title, description, measure = template
                goal = Goal.objects.create(
                    district=district,
                    educator=user,
                    title=title,
                    description=description,
                    measure=measure,
                    target_date=today + dt.timedelta(days=rng.randint(45, 160)),
                    status=Goal.Status.ACTIVE,
                    status_changed_at=now - dt.timedelta(days=60),
                )
                goal.competencies.set(weakest[index * 2 : index * 2 + 2] or weakest[:1])
                GoalReflection.objects.create(
                    goal=goal,
                    author=user,
                    body=rng.choice(REFLECTIONS),
                    written_on=today - dt.timedelta(days=rng.randint(3, 20)),
                )
                if coach is not None:
                    GoalComment.objects.create(
                        goal=goal, author=coach, body=rng.choice(COACH_COMMENTS)
                    )
                    created["comments"] += 1
                goals.append(goal)
            created["goals"] += len(goals)
        # Learning plan: 2–3 activities in various states, tied to the first goal.
        if user.pk not in has["plan"]:
            first_goal = (
                goals[0] if goals else Goal.objects.filter(district=district, educator=user).first()
            )
            statuses = (PlanItem.Status.IN_PROGRESS, PlanItem.Status.PLANNED, PlanItem.Status.DONE)
            for index, (title, kind, link) in enumerate(
                rng.sample(PLAN_TEMPLATES, k=rng.choice((2, 3)))
            ):
                status = statuses[index]
                PlanItem.objects.create(
                    district=district,
                    educator=user,
                    title=title,
                    kind=kind,
                    link=link,
                    goal=first_goal if index < 2 else None,
                    status=status,
                    target_date=None
                    if status == PlanItem.Status.DONE
                    else today + dt.timedelta(days=rng.randint(14, 120)),
                )
                created["plan_items"] += 1
    report.created = created
    if any(created.values()):
        audit.record(
            action="growth.demo_seeded",
            summary=f"Demo growth data for {len(educators)} educators of {district.name}",
            district=district,
            target=framework,
            data=created,
        )
    return report
