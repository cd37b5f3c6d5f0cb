"""What Trellis knows about an educator as a learner in one district, and their growth there:
profile and preferences, self-assessments, observation ratings, goals, learning plan, coaching."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from trellis.core.models import PublicModel, TimeStampedModel
from trellis.growth.career import DEFAULT_THRESHOLDS, CareerStage, career_stage, stage_label


class GradeBand(models.TextChoices):
    EARLY_CHILDHOOD = "pre_k", "Early childhood (Pre-K)"
    ELEMENTARY = "k_5", "Elementary (K–5)"
    MIDDLE = "6_8", "Middle (6–8)"
    HIGH = "9_12", "High (9–12)"


class Position(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    COUNSELOR = "counselor", "Counselor"
    PARAPROFESSIONAL = "para", "Paraprofessional"
    SPECIALIST = "specialist", "Specialist or interventionist"
    LIBRARIAN = "librarian", "Librarian / media specialist"
    INSTRUCTIONAL_COACH = "coach", "Instructional coach"
    SCHOOL_LEADER = "leader", "School leader"
    DISTRICT_STAFF = "district", "District staff"


class StudentGroup(models.TextChoices):
    ENGLISH_LEARNERS = "english_learners", "English learners / multilingual learners"
    DISABILITIES = "disabilities", "Students with disabilities"
    GIFTED = "gifted", "Gifted and talented students"
    EARLY_CHILDHOOD = "early_childhood", "Early childhood"
    LOW_INCOME = "low_income", "Students from low-income families"
    ALTERNATIVE = "alternative", "Alternative or credit-recovery settings"


class LearningFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE_LIVE = "online_live", "Online, live"
    SELF_PACED = "self_paced", "Online, self-paced"
    COACHING = "coaching", "Coaching"
    PLC = "plc", "Professional learning community (PLC)"
    MICRO_CREDENTIAL = "micro_credential", "Micro-credential"


class LearningTime(models.TextChoices):
    PLC_TIME = "plc_time", "During PLC time"
    AFTER_SCHOOL = "after_school", "After school"
    SUMMER = "summer", "Summer"
    WEEKENDS = "weekends", "Weekends"


MAX_WEEKLY_MINUTES = 1200  # 20 hours: anything above is a typo, not a plan


class EducatorProfile(PublicModel):
    """One per person per district. The educator edits it; roster imports fill what they can."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="educator_profiles"
    )
    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="educator_profiles"
    )
    position = models.CharField(max_length=20, choices=Position.choices, default=Position.TEACHER)
    years_experience = models.PositiveSmallIntegerField(default=0)
    subjects = models.JSONField(
        default=list, blank=True, help_text="Subjects taught, e.g. ['Mathematics']"
    )
    grade_bands = models.JSONField(default=list, blank=True, help_text="GradeBand values")
    source_id = models.CharField(
        max_length=128, blank=True, help_text="Identifier in the roster source"
    )
    students_served = models.JSONField(default=list, blank=True, help_text="StudentGroup values")
    preferred_formats = models.JSONField(
        default=list, blank=True, help_text="LearningFormat values"
    )
    learning_times = models.JSONField(
        default=list, blank=True, help_text="LearningTime values: when they can learn"
    )
    weekly_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Minutes a week available for learning; empty is unknown"
    )
    interests = models.TextField(blank=True, help_text="What they want to learn, in their words")

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_profile_per_district"),
            models.CheckConstraint(
                condition=Q(weekly_minutes__isnull=True)
                | Q(weekly_minutes__lte=MAX_WEEKLY_MINUTES),
                name="profile_weekly_minutes_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.district}"

    @property
    def stage_thresholds(self) -> tuple[int, int, int]:
        """The district's thresholds: annotated by the queries (no extra query), else looked up once."""
        found = self.__dict__.get("_stage_thresholds")
        if found is None:
            if "stage_developing_from" in self.__dict__:  # see queries.with_stage_thresholds
                found = (
                    self.stage_developing_from,
                    self.stage_experienced_from,
                    self.stage_veteran_from,
                )
                if None in found:  # the district keeps the defaults
                    found = DEFAULT_THRESHOLDS
            else:
                settings_row = GrowthSettings.objects.filter(district_id=self.district_id).first()
                found = settings_row.thresholds if settings_row else DEFAULT_THRESHOLDS
            self.__dict__["_stage_thresholds"] = found
        return found

    @property
    def career_stage(self) -> CareerStage:
        return career_stage(self.years_experience, self.stage_thresholds)

    @property
    def career_stage_label(self) -> str:
        return stage_label(self.career_stage, self.stage_thresholds)

    def grade_band_labels(self) -> list[str]:
        return [GradeBand(value).label for value in self.grade_bands if value in GradeBand.values]

    def student_group_labels(self) -> list[str]:
        return _labels(StudentGroup, self.students_served)

    def format_labels(self) -> list[str]:
        return _labels(LearningFormat, self.preferred_formats)

    def learning_time_labels(self) -> list[str]:
        return _labels(LearningTime, self.learning_times)


def _labels(choices: type[models.TextChoices], values: list[str]) -> list[str]:
    return [choices(value).label for value in values if value in choices.values]


class GrowthSettings(TimeStampedModel):
    """Per-district growth settings: the first year of each career stage after novice."""

    district = models.OneToOneField(
        "districts.District", on_delete=models.CASCADE, related_name="growth_settings"
    )
    developing_from = models.PositiveSmallIntegerField(default=DEFAULT_THRESHOLDS[0])
    experienced_from = models.PositiveSmallIntegerField(default=DEFAULT_THRESHOLDS[1])
    veteran_from = models.PositiveSmallIntegerField(default=DEFAULT_THRESHOLDS[2])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name_plural = "growth settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(developing_from__gte=1)
                & Q(experienced_from__gt=F("developing_from"))
                & Q(veteran_from__gt=F("experienced_from")),
                name="growth_stage_thresholds_increase",
            )
        ]

    def __str__(self) -> str:
        return f"Growth settings of {self.district}"

    @property
    def thresholds(self) -> tuple[int, int, int]:
        return (self.developing_from, self.experienced_from, self.veteran_from)


class SelfAssessment(PublicModel):
    """A dated snapshot of an educator's self-ratings against the adopted framework.

    At most one draft per educator and district holds work in progress; submitting it turns it
    into a snapshot that is never edited again, so growth over time stays visible.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # saved part-way, still editable
        SUBMITTED = "submitted", "Submitted"  # a dated snapshot, read-only

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="self_assessments"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.CASCADE, related_name="self_assessments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "educator"],
                condition=Q(status="draft"),
                name="one_self_assessment_draft",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_self_assessment_has_date",
            ),
        ]
        indexes = [models.Index(fields=["district", "educator", "status"])]

    def __str__(self) -> str:
        return f"Self-assessment of {self.educator} ({self.get_status_display()})"


MAX_NOTE_LENGTH = 1000


class SelfRating(models.Model):
    """One competency of a self-assessment: the level chosen (empty in a draft) and a short note."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(
        "frameworks.FrameworkItem", on_delete=models.CASCADE, related_name="self_ratings"
    )
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="ProficiencyLevel.value; empty while a draft"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="one_rating_per_item"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1), name="self_rating_value_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"


class ObserverRole(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    COACH = "coach", "Coach"
    PEER = "peer", "Peer"
    OTHER = "other", "Other"


class ObservationRating(PublicModel):
    """A rating given by an observer, imported from CSV. Every rater is kept; nothing is overwritten."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="observation_ratings"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="observation_ratings"
    )
    item = models.ForeignKey(
        "frameworks.FrameworkItem", on_delete=models.CASCADE, related_name="observation_ratings"
    )
    value = models.PositiveSmallIntegerField(help_text="ProficiencyLevel.value")
    observed_on = models.DateField()
    observer_role = models.CharField(max_length=20, choices=ObserverRole.choices)
    observer_name = models.CharField(max_length=150, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["educator", "item", "observed_on", "observer_role", "observer_name"],
                name="observation_natural_key",
            ),
            models.CheckConstraint(condition=Q(value__gte=1), name="observation_value_positive"),
        ]
        indexes = [models.Index(fields=["district", "educator"])]

    def __str__(self) -> str:
        return (
            f"{self.item}: {self.value} by {self.get_observer_role_display()} on {self.observed_on}"
        )


class CoachingAssignment(PublicModel):
    """A coach's caseload, one educator per row; managed by district admins."""

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="coaching_assignments"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload_assignments"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["coach__full_name", "educator__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "coach", "educator"], name="coaching_assignment_once"
            ),
            models.CheckConstraint(
                condition=~Q(coach=F("educator")), name="coach_is_not_own_educator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.educator}"


class Goal(PublicModel):
    """A SMART goal linked to competencies of the adopted framework."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"  # being written
        ACTIVE = "active", "Active"  # being worked on
        ACHIEVED = "achieved", "Achieved"  # the measure of success was met
        SET_ASIDE = "set_aside", "Set aside"  # paused or abandoned, kept for the record

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="goals"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="Specific: what will change in practice")
    measure = models.TextField(help_text="Measurable: how success will be known")
    target_date = models.DateField(help_text="Time-bound: when")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    competencies = models.ManyToManyField("frameworks.FrameworkItem", related_name="goals")

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [models.Index(fields=["district", "educator", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.ACTIVE}

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.target_date < today


class GoalReflection(TimeStampedModel):
    """A dated entry the educator writes about progress on a goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    written_on = models.DateField()

    class Meta:
        ordering = ["written_on", "id"]

    def __str__(self) -> str:
        return f"Reflection on {self.goal} ({self.written_on})"


class GoalComment(TimeStampedModel):
    """A coach's comment on a goal of an educator on their caseload."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.goal} by {self.author}"


class PlanItem(PublicModel):
    """One activity in an educator's learning plan."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course"
        WORKSHOP = "workshop", "Workshop"
        PLC = "plc", "PLC"
        COACHING = "coaching", "Coaching"
        MICRO_CREDENTIAL = "micro_credential", "Micro-credential"
        READING = "reading", "Reading"
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    district = models.ForeignKey(
        "districts.District", on_delete=models.CASCADE, related_name="plan_items"
    )
    educator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_items"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    link = models.URLField(max_length=500, blank=True)
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_items"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [models.Index(fields=["district", "educator", "status"])]

    def __str__(self) -> str:
        return self.title
