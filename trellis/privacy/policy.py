"""What erasing an educator's personal data does to each kind of record: the policy, in one
place. The page shows it, and a test (tests/test_policy.py) fails for any model holding a
foreign key to the user that appears in neither table, so a new kind of personal data cannot
be forgotten.

Erasure is per district: only rows whose district (or whose parent's district) is the one the
request came from. Stored evidence files go with their rows.
"""

from __future__ import annotations

# Kind of row erased → what it is, for the preview and the list of erasures. The order is the
# order the page shows them in.
KIND_LABELS: dict[str, str] = {
    "growth.profiles": "Educator profile",
    "growth.self_assessments": "Self-assessments",
    "growth.self_ratings": "Self-assessment ratings",
    "growth.observation_ratings": "Observation ratings about them",
    "growth.goals": "Goals",
    "growth.goal_reflections": "Goal reflections",
    "growth.goal_comments": "Comments on their goals",
    "growth.plan_items": "Learning-plan items",
    "growth.coaching_assignments": "Coaching assignments (as the one coached)",
    "microcredentials.submissions": "Micro-credential submissions that did not earn",
    "microcredentials.answers": "Answers of those submissions",
    "microcredentials.answer_revisions": "Answer history of those submissions",
    "microcredentials.submission_events": "Events of those submissions",
    "microcredentials.assignments": "Assessor assignments of those submissions",
    "microcredentials.criterion_scores": "Scores of those submissions",
    "microcredentials.artifacts": "Evidence artifacts and their stored files (earned ones too)",
    "microcredentials.upload_sessions": "Upload sessions",
    "informal.entries": "Informal-learning entries",
    "informal.xapi_statements": "xAPI statements about them",
    "voice.votes": "Topic-request upvotes",
    "voice.volunteer_offers": "Volunteer offers",
    "voice.requests": "Topic requests nobody else upvoted",
    "voice.requests_unattributed": "Topic requests others upvoted (kept without their name)",
    "recommend.feedback": "Recommendation feedback",
    "recommend.coach_suggestions": "Coach suggestions made for them",
    "recommend.snapshots": "Recommendation snapshots",
    "notifications.notifications": "Notifications",
    "notifications.preferences": "Notification preferences",
    "notifications.reminders_sent": "Reminder bookkeeping (with their last district only)",
    "notifications.digests_sent": "Digest bookkeeping (with their last district only)",
    "catalog.survey_responses": "Survey responses",
    "credentials.imported_badges": "Badges they imported",
    "credit.imported_credit_declines": "Credit declines about those badges",
    "districts.memberships": "Roles in this district (ends their access)",
}

# Model → what is erased of it. Every model here has a foreign key to the user.
ERASED: dict[str, str] = {
    "growth.EducatorProfile": "their profile",
    "growth.SelfAssessment": "their self-assessments (and their ratings)",
    "growth.ObservationRating": "observation ratings about them",
    "growth.Goal": "their goals, with reflections and comments",
    "growth.GoalReflection": "reflections on their goals",
    "growth.GoalComment": "comments on their goals",
    "growth.PlanItem": "their learning-plan items",
    "growth.CoachingAssignment": "assignments where they are coached (as a coach: kept)",
    "microcredentials.Submission": "submissions that did not earn, whole",
    "microcredentials.Answer": "answers of submissions that did not earn",
    "microcredentials.Artifact": "every artifact and its stored file (student work samples)",
    "microcredentials.SubmissionEvent": "events of submissions that did not earn",
    "microcredentials.Assignment": "assessor assignments of submissions that did not earn",
    "microcredentials.UploadSession": "upload sessions and their partial files",
    "informal.InformalEntry": "their informal-learning entries",
    "informal.XapiStatement": "xAPI statements about them",
    "voice.TopicRequest": "requests nobody else upvoted; the others lose their author",
    "voice.TopicVote": "their upvotes",
    "voice.VolunteerOffer": "their volunteer offers",
    "recommend.RecommendationFeedback": "their feedback",
    "recommend.CoachSuggestion": "suggestions made for them (made by them as a coach: kept)",
    "recommend.RecommendationSnapshot": "snapshots of their recommendations",
    "notifications.Notification": "their notifications",
    "notifications.NotificationPreference": "their preferences",
    "notifications.ReminderSent": "reminder bookkeeping, when no district is left",
    "notifications.DigestSent": "digest bookkeeping, when no district is left",
    "credentials.ImportedBadge": "badges they imported (and the credit declines about them)",
    "districts.Membership": "their roles in the district",
}

# Model → why it is kept.
KEPT: dict[str, str] = {
    "credit.CreditAward": "Credit awards are the licensure record the state requires.",
    "credit.License": "Licences are the licensure record the state requires.",
    "catalog.Enrollment": "Enrolments are the licensure record the state requires.",
    "catalog.AttendanceRecord": "Attendance is the licensure record the state requires.",
    "microcredentials.EarnedMicroCredential": (
        "Earned micro-credentials stay: third parties may be verifying the credential; revoking "
        "it is a separate admin action."
    ),
    "credentials.IssuedCredential": (
        "Issued credentials stay: third parties may be verifying them; revoking is a separate "
        "admin action."
    ),
    "credentials.IssuanceBatchItem": "The record of a credential issued to them (kept above).",
    "audit.AuditEvent": "The audit log is append-only; the erasure itself is recorded there.",
    "privacy.ErasureRecord": "The record of an erasure: counts and the public id, no content.",
    "accounts.ApiToken": "Tokens are revoked, not deleted, so the audit of their use resolves.",
    "districts.Invitation": "Invitations record who invited whom; the inviter is staff.",
    "microcredentials.AssessorQualification": "An assessor's qualification is district setup.",
    "reports.ReportEducator": (
        "Report summaries are rebuilt from the records on each refresh and follow what is kept."
    ),
    "reports.ReportParticipation": (
        "Report summaries are rebuilt from the records on each refresh and follow what is kept."
    ),
    "quality.Review": (
        "Completer reviews are about an offering, for other educators; moderators hide one on "
        "request."
    ),
    "quality.Proposal": "Offering proposals become the district's catalog history.",
    # Rows that name a person only as the staff member who did something (settings changed,
    # imports run, offerings written, decisions made): the district's own work record.
    "frameworks.CaseUpload": "Staff work record (who uploaded).",
    "growth.GrowthSettings": "Staff work record (who changed settings).",
    "roster.RosterImport": "Staff work record (who imported).",
    "credit.CreditSettings": "Staff work record (who changed settings).",
    "credit.ImportedCreditDecline": "Declines by a reviewer are kept; those about them go.",
    "credentials.IssuerProfile": "Staff work record (who changed the issuer).",
    "credentials.IssuanceBatch": "Staff work record (who issued a batch).",
    "catalog.Offering": "Staff work record (who wrote the offering).",
    "catalog.OfferingSession": "Staff work record (who facilitated).",
    "catalog.ApprovalStep": "Staff work record (who decided a request).",
    "catalog.CompletionPolicy": "Staff work record (who changed the policy).",
    "quality.VettingReview": "Staff work record (who vetted an offering).",
    "informal.InformalRules": "Staff work record (who changed the rules).",
    "informal.XapiIntegration": "Staff work record (who set up the integration).",
    "microcredentials.MicroCredential": "Staff work record (who wrote the definition).",
    "microcredentials.DefinitionVersion": "Staff work record (who wrote the version).",
    "microcredentials.AssessmentSettings": "Staff work record (who changed settings).",
    "recommend.RecommendationSettings": "Staff work record (who tuned the weights).",
    "recommend.PriorityCompetency": "Staff work record (who set a priority).",
    "recommend.PriorityOffering": "Staff work record (who set a priority).",
}

# What the page says is kept, and why (the licensure and verification records above).
KEPT_ON_PAGE: list[tuple[str, str]] = [
    ("Credit awards and licences", KEPT["credit.CreditAward"]),
    ("Enrolments and attendance", KEPT["catalog.Enrollment"]),
    ("Earned micro-credentials and issued credentials", KEPT["credentials.IssuedCredential"]),
    ("Audit log", KEPT["audit.AuditEvent"]),
]
