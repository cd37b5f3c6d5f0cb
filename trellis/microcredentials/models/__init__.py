"""Micro-credential models, split by topic; import them from here."""

from trellis.microcredentials.models.assessment import (
    AssessmentSettings,
    AssessorQualification,
    Assignment,
    CriterionScore,
    EarnedMicroCredential,
)
from trellis.microcredentials.models.definitions import (
    DefinitionVersion,
    MicroCredential,
    RequirementPart,
    RubricCriterion,
    Stack,
)
from trellis.microcredentials.models.submissions import (
    OPEN_STATUSES,
    Answer,
    AnswerRevision,
    Artifact,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from trellis.microcredentials.models.uploads import UploadSession, UploadStatus

__all__ = [
    "OPEN_STATUSES",
    "Answer",
    "AnswerRevision",
    "Artifact",
    "AssessmentSettings",
    "AssessorQualification",
    "Assignment",
    "CriterionScore",
    "DefinitionVersion",
    "EarnedMicroCredential",
    "MicroCredential",
    "RequirementPart",
    "RubricCriterion",
    "Stack",
    "Submission",
    "SubmissionEvent",
    "SubmissionStatus",
    "UploadSession",
    "UploadStatus",
]
