"""Catalog models, split by topic; import them from here."""

from trellis.catalog.models.enrolment import (
    ACTIVE,
    SEAT_HOLDING,
    ApprovalCondition,
    ApprovalRule,
    ApprovalStep,
    ApproverKind,
    AttendanceRecord,
    CompletionPolicy,
    Enrollment,
    EnrollmentStatus,
    SurveyPhase,
    SurveyQuestion,
    SurveyResponse,
)
from trellis.catalog.models.offerings import (
    DesignFeature,
    EvidenceTier,
    Offering,
    OfferingKind,
    OfferingSession,
    OfferingStatus,
    Registration,
)

__all__ = [
    "ACTIVE",
    "SEAT_HOLDING",
    "ApprovalCondition",
    "ApprovalRule",
    "ApprovalStep",
    "ApproverKind",
    "AttendanceRecord",
    "CompletionPolicy",
    "DesignFeature",
    "Enrollment",
    "EnrollmentStatus",
    "EvidenceTier",
    "Offering",
    "OfferingKind",
    "OfferingSession",
    "OfferingStatus",
    "Registration",
    "SurveyPhase",
    "SurveyQuestion",
    "SurveyResponse",
]
