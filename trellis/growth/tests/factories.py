import datetime as dt
from dataclasses import dataclass

import factory
from django.utils import timezone

from trellis.accounts.tests.factories import UserFactory
from trellis.districts.tests.factories import DistrictFactory
from trellis.frameworks.models import Framework, FrameworkItem, ProficiencyLevel
from trellis.growth.models import (
    CoachingAssignment,
    EducatorProfile,
    Goal,
    ObservationRating,
    PlanItem,
    SelfAssessment,
    SelfRating,
)


class EducatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducatorProfile

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    position = "teacher"
    years_experience = 5
    subjects = factory.LazyFunction(lambda: ["Mathematics"])
    grade_bands = factory.LazyFunction(lambda: ["6_8"])


# ---------------------------------------------------------------------------------------------
# growth: frameworks (built directly, small), self-assessments, observations, goals, plan
# ---------------------------------------------------------------------------------------------

LEVEL_LABELS = ("Beginning", "Developing", "Proficient", "Exemplary")


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Teaching Framework {n}")
    is_adopted = False


@dataclass
class BuiltFramework:
    framework: Framework
    domains: list[FrameworkItem]
    competencies: list[FrameworkItem]  # in tree order
    levels: list[ProficiencyLevel]


def build_framework(
    district,
    *,
    domains: int = 2,
    per_domain: int = 2,
    adopted: bool = True,
    title: str = "Northfield Teaching Framework",
    levels: tuple[str, ...] = LEVEL_LABELS,
    with_standards: bool = False,
) -> BuiltFramework:
    """Domains "1", "2", … each with competencies "1.1", "1.2", … (kind competency); optionally a
    standard level between them, plus one indicator under each competency (never rated)."""
    framework = FrameworkFactory(district=district, title=title, is_adopted=adopted)
    scale = [
        ProficiencyLevel.objects.create(
            framework=framework, value=n, label=label, is_target=(n == 3)
        )
        for n, label in enumerate(levels, start=1)
    ]
    domain_items, competencies = [], []
    for d in range(1, domains + 1):
        domain = FrameworkItem.objects.create(
            framework=framework,
            kind=FrameworkItem.Kind.DOMAIN,
            human_code=str(d),
            title=f"Domain {d}",
            position=d,
            depth=0,
        )
        domain_items.append(domain)
        parent = domain
        if with_standards:
            parent = FrameworkItem.objects.create(
                framework=framework,
                parent=domain,
                kind=FrameworkItem.Kind.STANDARD,
                human_code=f"{d}.S",
                title=f"Standard {d}",
                position=1,
                depth=1,
            )
        for c in range(1, per_domain + 1):
            item = FrameworkItem.objects.create(
                framework=framework,
                parent=parent,
                kind=FrameworkItem.Kind.COMPETENCY,
                human_code=f"{d}.{c}",
                title=f"Competency {d}.{c}",
                position=c,
                depth=parent.depth + 1,
                case_identifier=f"case-{framework.pk}-{d}-{c}",
            )
            FrameworkItem.objects.create(
                framework=framework,
                parent=item,
                kind=FrameworkItem.Kind.INDICATOR,
                human_code=f"{d}.{c}.a",
                title=f"Indicator {d}.{c}.a",
                position=1,
                depth=item.depth + 1,
            )
            competencies.append(item)
    return BuiltFramework(framework, domain_items, competencies, scale)


def submitted_snapshot(user, district, framework, values: dict, *, days_ago: int = 0, notes=None):
    """A submitted self-assessment written directly (values: {competency item: level value})."""
    assessment = SelfAssessment.objects.create(
        district=district,
        educator=user,
        framework=framework,
        status=SelfAssessment.Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    SelfRating.objects.bulk_create(
        [
            SelfRating(
                assessment=assessment, item=item, value=value, note=(notes or {}).get(item, "")
            )
            for item, value in values.items()
        ]
    )
    return assessment


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationRating

    value = 3
    observed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    observer_role = "principal"
    observer_name = ""


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Goal {n:02d}")
    description = "Use exit tickets in every lesson."
    measure = "Exit tickets in 9 of 10 lessons for a month."
    target_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))
    status = Goal.Status.ACTIVE

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(extracted)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    title = factory.Sequence(lambda n: f"Activity {n:02d}")
    kind = PlanItem.Kind.COURSE
    status = PlanItem.Status.PLANNED


class CoachingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingAssignment
