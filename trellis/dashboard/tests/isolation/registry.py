"""Which object each parameterised route is about, so the crawler can aim it at another
district's (or another educator's) object.

How to cover a new route (the crawler fails until you do):
- a page route: add its "namespace:name" to VIEW_ROUTES with a function from (world, other,
  owner) to {url kwarg: object}; the objects' `public_id` fill the URL. `one(label)` picks one
  row of the model, `nested(...)` a parent and a child of it. Put it in PERSONAL too when the
  object belongs to one educator (goals, submissions, enrolments, credentials, entries…): the
  crawler then also aims a plain educator at a colleague's object in the same district.
- an API route: the same, keyed by the OpenAPI path template in API_ROUTES / API_PERSONAL.
- a route that is public by design (anyone with the link may read it): add it to PUBLIC_VIEWS
  or PUBLIC_API with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trellis.dashboard.tests.isolation.world import World

Resolver = Callable[[World, bool, Any], dict[str, Any] | None]


def one(label: str, **filters: Any) -> Resolver:
    """Every kwarg of the route names one row of `label`."""

    def resolve(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
        found = world.pick(label, other=other, owner=owner, **filters)
        return None if found is None else {"*": found}

    return resolve


def nested(
    parent_kwarg: str, child_kwarg: str, child_label: str, to_parent: str, **filters: Any
) -> Resolver:
    """A child row (`child_label`) and its parent, reached by the attribute path `to_parent`."""

    def resolve(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
        child = world.pick(child_label, other=other, owner=owner, **filters)
        if child is None:
            return None
        parent = child
        for attribute in to_parent.split("."):
            parent = getattr(parent, attribute)
        return {parent_kwarg: parent, child_kwarg: child}

    return resolve


def with_educator(kwarg: str, label: str) -> Resolver:
    """A row and the educator it is about (people/<educator>/coaches/<assignment>/remove/)."""

    def resolve(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
        row = world.pick(label, other=other, owner=owner)
        return None if row is None else {"public_id": row.educator, kwarg: row}

    return resolve


def _submission_part(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
    submission = world.pick("microcredentials.Submission", other=other, owner=owner)
    if submission is None:
        return None
    return {"public_id": submission, "part_id": submission.version.parts.order_by("pk").first()}


def caseload_member(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
    """An educator with a coach; the assignment brings the coach into the positive control."""
    row = world.pick("growth.CoachingAssignment", other=other)
    return None if row is None else {"public_id": row.educator, "_control": row}


def _pending_step(world: World, other: bool) -> dict[str, Any] | None:
    """An enrolment waiting for a decision that is not the admin's own request."""
    from django.db.models import Q

    admin = world.insiders[0] if other else world.attackers["district_admin"]
    step = world.pick(
        "catalog.ApprovalStep", ~Q(enrollment__educator=admin), other=other, status="pending"
    )
    return None if step is None else {"enrollment_id": step.enrollment, "_control": step}


def _assigned(world: World, other: bool) -> dict[str, Any] | None:
    """A submission with its assessment assignment (the assessor joins the control)."""
    row = world.pick("microcredentials.Assignment", other=other, status="assigned")
    return None if row is None else {"submission_id": row.submission, "_control": row}


def coached_goal(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
    """A goal of an educator who has a coach (comments are the coach's); the coach joins the
    positive control."""
    assignment = world.pick("growth.CoachingAssignment", other=other, owner=owner)
    if assignment is None:
        return None
    goal = world.pick("growth.Goal", other=other, owner=assignment.educator)
    return None if goal is None else {"*": goal, "_control": assignment}


def reviewable_offering(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
    """An offering someone completed (only they may review it); they join the control."""
    enrollment = world.pick("catalog.Enrollment", other=other, owner=owner, status="completed")
    return None if enrollment is None else {"*": enrollment.offering, "_control": enrollment}


def draft_with_completed_learning(world: World, other: bool, owner: Any) -> dict[str, Any] | None:
    """A draft submission whose educator completed an offering (offered as evidence)."""
    from trellis.catalog.models import Enrollment

    completers = Enrollment.objects.filter(status="completed").values("educator")
    found = world.pick(
        "microcredentials.Submission",
        other=other,
        owner=owner,
        status="draft",
        educator__in=completers,
    )
    return None if found is None else {"*": found}


PRIVATE = {"visibility": "private"}
DRAFT = {"status": "draft"}
PERSON = one("accounts.User")
GOAL = one("growth.Goal")
OFFERING = one("catalog.Offering")
SESSION = one("catalog.OfferingSession")
ENROLLMENT = one("catalog.Enrollment")
FRAMEWORK = one("frameworks.Framework")
FRAMEWORK_ITEM = nested("public_id", "item_id", "frameworks.FrameworkItem", "framework")
MICRO_CREDENTIAL = one("microcredentials.MicroCredential")
DRAFT_MICRO_CREDENTIAL = one("microcredentials.MicroCredential", **DRAFT)
DRAFT_PART = nested(
    "public_id",
    "part_id",
    "microcredentials.RequirementPart",
    "version.micro_credential",
    version__status="draft",
)
SUBMISSION = one("microcredentials.Submission")
DRAFT_SUBMISSION = one("microcredentials.Submission", **DRAFT)
CREDENTIAL = one("credentials.IssuedCredential", **PRIVATE)
IMPORTED = one("credentials.ImportedBadge")
INFORMAL_ENTRY = one("informal.InformalEntry")
TOPIC_REQUEST = one("voice.TopicRequest")

VIEW_ROUTES: dict[str, Resolver] = {
    "accounts:revoke_token": one("accounts.ApiToken"),
    "districts:revoke_invitation": one("districts.Invitation"),
    "districts:resend_invitation": one("districts.Invitation"),
    "growth:person": PERSON,
    "privacy:erase": PERSON,
    "growth:assign_coach": PERSON,
    "growth:unassign_coach": with_educator("assignment_id", "growth.CoachingAssignment"),
    "growth:snapshot": one("growth.SelfAssessment"),
    "growth:goal": GOAL,
    "growth:goal_edit": GOAL,
    "growth:goal_status": GOAL,
    "growth:goal_reflect": GOAL,
    "growth:goal_comment": coached_goal,
    "growth:plan_item": one("growth.PlanItem"),
    "growth:caseload_person": caseload_member,
    "frameworks:import_preview": one("frameworks.CaseUpload"),
    "frameworks:detail": FRAMEWORK,
    "frameworks:export": FRAMEWORK,
    "frameworks:adopt": FRAMEWORK,
    "frameworks:copy": FRAMEWORK,
    "frameworks:edit": FRAMEWORK,
    "frameworks:scale": FRAMEWORK,
    "frameworks:item_add": FRAMEWORK,
    "frameworks:item_edit": FRAMEWORK_ITEM,
    "frameworks:item_delete": FRAMEWORK_ITEM,
    "frameworks:item_move": FRAMEWORK_ITEM,
    "roster:detail": one("roster.RosterImport"),
    "roster:apply": one("roster.RosterImport"),
    "catalog:offering": OFFERING,
    "catalog:offering_edit": OFFERING,
    "catalog:offering_status": OFFERING,
    "catalog:offering_copy": OFFERING,
    "catalog:offering_delete": OFFERING,
    "catalog:session_new": OFFERING,
    "catalog:enroll": OFFERING,
    "catalog:offering_enrollments": OFFERING,
    "catalog:issue_credentials": OFFERING,
    "catalog:offering_feedback": OFFERING,
    "catalog:session_edit": SESSION,
    "catalog:session_cancel": SESSION,
    "catalog:roster": SESSION,
    "catalog:check_in_code": SESSION,
    "catalog:no_shows": SESSION,
    "catalog:withdraw": ENROLLMENT,
    "catalog:complete": ENROLLMENT,
    "catalog:survey": ENROLLMENT,
    "catalog:approval": one("catalog.ApprovalStep"),
    "catalog:survey_question_edit": one("catalog.SurveyQuestion"),
    "catalog:survey_question_action": one("catalog.SurveyQuestion"),
    "credit:person_renewal": PERSON,
    "credit:educator": PERSON,
    "credit:licence_save": PERSON,
    "credit:licence_remove": PERSON,
    "credit:credit_record": PERSON,
    "credit:lane_edit": one("credit.SalaryLane"),
    "credit:lane_delete": one("credit.SalaryLane"),
    "credit:award_revoke": one("credit.CreditAward"),
    "credit:imported_review": IMPORTED,
    "credit:imported_count": IMPORTED,
    "credit:imported_decline": IMPORTED,
    "microcredentials:stack_edit": one("microcredentials.Stack"),
    "microcredentials:stack_active": one("microcredentials.Stack"),
    "microcredentials:definition": MICRO_CREDENTIAL,
    "microcredentials:export": MICRO_CREDENTIAL,
    "microcredentials:edit": DRAFT_MICRO_CREDENTIAL,
    "microcredentials:publish": DRAFT_MICRO_CREDENTIAL,
    "microcredentials:new_version": MICRO_CREDENTIAL,
    "microcredentials:status": DRAFT_MICRO_CREDENTIAL,
    "microcredentials:part_add": DRAFT_MICRO_CREDENTIAL,
    "microcredentials:submission_start": MICRO_CREDENTIAL,
    "microcredentials:part_edit": DRAFT_PART,
    "microcredentials:part_action": DRAFT_PART,
    "microcredentials:criterion_add": DRAFT_PART,
    "microcredentials:criterion_edit": nested(
        "public_id",
        "criterion_id",
        "microcredentials.RubricCriterion",
        "part.version.micro_credential",
        part__version__status="draft",
    ),
    "microcredentials:workspace": SUBMISSION,
    "microcredentials:workspace_autosave": DRAFT_SUBMISSION,
    "microcredentials:artifact_upload": DRAFT_SUBMISSION,
    "microcredentials:upload_start": DRAFT_SUBMISSION,
    "microcredentials:offering_evidence": draft_with_completed_learning,
    "microcredentials:submission_withdraw": SUBMISSION,
    "microcredentials:upload": nested(
        "public_id", "upload_id", "microcredentials.UploadSession", "submission"
    ),
    "microcredentials:artifact_remove": nested(
        "public_id", "artifact_id", "microcredentials.Artifact", "submission"
    ),
    "microcredentials:answer_history": lambda world, other, owner: _submission_part(
        world, other, owner
    ),
    "microcredentials:evidence": one("microcredentials.Artifact", file__gt=""),
    "microcredentials:assessment_score": one("microcredentials.Assignment"),
    "microcredentials:assessment_appeal": SUBMISSION,
    "microcredentials:assessment_assessor_remove": one("microcredentials.AssessorQualification"),
    "microcredentials:assessment_assign": SUBMISSION,
    "microcredentials:assessment_reassign": one("microcredentials.Assignment"),
    "credentials:admin_key_revoke": one("credentials.SigningKey"),
    "credentials:admin_revoke": CREDENTIAL,
    "credentials:admin_suspend": CREDENTIAL,
    "credentials:admin_unsuspend": CREDENTIAL,
    "credentials:detail": CREDENTIAL,
    "credentials:download_json": CREDENTIAL,
    "credentials:download_jwt": CREDENTIAL,
    "credentials:download_png": CREDENTIAL,
    "credentials:download_svg": CREDENTIAL,
    "credentials:visibility": CREDENTIAL,
    "credentials_portability:imported_detail": IMPORTED,
    "credentials_portability:imported_reverify": IMPORTED,
    "credentials_portability:imported_visibility": IMPORTED,
    "credentials_portability:imported_delete": IMPORTED,
    "credentials_portability:batch_detail": one("credentials.IssuanceBatch"),
    "credentials_portability:batch_progress": one("credentials.IssuanceBatch"),
    # The apps added with issue 10's second wave.
    "quality:rubric_item": one("quality.RubricItem"),
    "quality:rubric_item_action": one("quality.RubricItem"),
    "quality:vet_offering": OFFERING,
    "quality:my_review": reviewable_offering,
    "quality:proposal": one("quality.Proposal"),
    "quality:moderate": one("quality.Review"),
    "informal:integration_rotate": one("informal.XapiIntegration"),
    "informal:integration_deactivate": one("informal.XapiIntegration"),
    "informal:entry": INFORMAL_ENTRY,
    "informal:edit": INFORMAL_ENTRY,
    "informal:delete": INFORMAL_ENTRY,
    "voice:request": TOPIC_REQUEST,
    "voice:request_edit": TOPIC_REQUEST,
    "voice:request_withdraw": TOPIC_REQUEST,
    "voice:request_vote": TOPIC_REQUEST,
    "voice:request_status": TOPIC_REQUEST,
    "voice:volunteer_withdraw": one("voice.VolunteerOffer"),
    "voice:volunteer_status": one("voice.VolunteerOffer"),
    "recommend:educator": PERSON,
    "recommend:who_educator": PERSON,
    "recommend:withdraw_suggestion": one("recommend.CoachSuggestion"),
    "recommend:priority_remove": one("recommend.PriorityCompetency"),
    "recommend:priority_offering_remove": one("recommend.PriorityOffering"),
    "notifications:read": one("notifications.Notification"),
    "notifications:open": one("notifications.Notification"),
}

# Routes whose object belongs to one educator: a plain educator must not reach a colleague's.
PERSONAL_VIEWS = {
    "accounts:revoke_token",
    "growth:snapshot",
    "growth:goal",
    "growth:goal_edit",
    "growth:goal_status",
    "growth:goal_reflect",
    "growth:goal_comment",
    "growth:plan_item",
    "catalog:withdraw",
    "catalog:complete",
    "catalog:survey",
    "microcredentials:workspace",
    "microcredentials:workspace_autosave",
    "microcredentials:artifact_upload",
    "microcredentials:upload_start",
    "microcredentials:offering_evidence",
    "microcredentials:submission_withdraw",
    "microcredentials:upload",
    "microcredentials:artifact_remove",
    "microcredentials:answer_history",
    "microcredentials:evidence",
    "credentials:detail",
    "credentials:download_json",
    "credentials:download_jwt",
    "credentials:download_png",
    "credentials:download_svg",
    "credentials:visibility",
    "credentials_portability:imported_detail",
    "credentials_portability:imported_reverify",
    "credentials_portability:imported_visibility",
    "credentials_portability:imported_delete",
    "informal:entry",
    "informal:edit",
    "informal:delete",
    # Not voice:request_edit / request_withdraw: topic requests are open to the whole district
    # by design; another educator's edit or withdrawal is refused with a message (voice tests).
    "voice:volunteer_withdraw",
    # A non-manager reaches only their own proposal; PD leaders (vetting) see every one.
    "quality:proposal",
    "notifications:read",
    "notifications:open",
}

# Known findings, reported to the owning app and expected to fail until fixed (strict xfail:
# the crawler says so the moment they are fixed, and then the entry must go).
KNOWN_ISSUES: dict[str, str] = {}

# Public by design: anyone holding the link may use it, whatever their district.
PUBLIC_VIEWS = {
    # The reset link's token is the credential; it is checked by Django's token generator.
    "accounts:password_reset_confirm": "capability link sent by e-mail",
    # The invitation secret is the credential; accepting it is how people join a district.
    "districts:accept_invitation": "capability link sent by e-mail",
    # An iCalendar feed read by calendar apps without a session; the token is per person.
    "catalog:calendar_feed": "per-person secret feed token",
    # The per-person unsubscribe link in every e-mail works without signing in.
    "notifications:unsubscribe": "signed per-person link in e-mails",
    # Verifiers fetch these without an account (W3C Bitstring Status List, did:web).
    "credentials:status_list": "status lists are public by the VC standard",
    "credentials_public:did_document": "DID documents are public by did:web",
    # Open Badges 2.0 hosted verification needs the issuer, badge and assertion URLs public.
    "credentials_portability:ob2_issuer": "OB 2.0 hosted verification",
    "credentials_portability:ob2_badge": "OB 2.0 hosted verification",
    "credentials_portability:ob2_badge_image": "OB 2.0 hosted verification",
    "credentials_portability:ob2_assertion": "OB 2.0 hosted verification",
}

# Parameterised, but the parameter names no object: the permission matrix covers them.
NOT_OBJECTS = {
    # The code in the path only pre-fills the check-in form; the POST checks it per district.
    "catalog:check_in_with_code": "form prefill",
    # The table name picks one report of the caller's own district.
    "voice:demand_csv": "report name",
    # A report table's key picks one table of the caller's own district and scope.
    "reports:export_csv": "report table name",
    "reports:export_xlsx": "report table name",
    # An opaque drill key; ids inside it are checked against the district and the report
    # scope (trellis/reports/tests/test_views.py aims them at another district: 404).
    "reports:drill": "drill key, checked by reports.drill",
    "reports:drill_csv": "drill key, checked by reports.drill",
}

API_ROUTES: dict[str, Resolver] = {
    "/api/v1/me/tokens/{token_id}/revoke": one("accounts.ApiToken"),
    "/api/v1/me/notifications/{notification_id}/read": one("notifications.Notification"),
    "/api/v1/people/{person_id}": PERSON,
    "/api/v1/people/{person_id}/erase": PERSON,
    "/api/v1/invitations/{invitation_id}/revoke": one("districts.Invitation"),
    "/api/v1/me/goals/{goal_id}": GOAL,
    "/api/v1/me/goals/{goal_id}/reflections": GOAL,
    "/api/v1/goals/{goal_id}/comments": coached_goal,
    "/api/v1/me/plan/{item_id}": one("growth.PlanItem"),
    "/api/v1/roster-imports/{import_id}": one("roster.RosterImport"),
    "/api/v1/roster-imports/{import_id}/apply": one("roster.RosterImport"),
    "/api/v1/frameworks/{framework_id}": FRAMEWORK,
    "/api/v1/frameworks/{framework_id}/competencies": FRAMEWORK,
    "/api/v1/frameworks/{framework_id}/case": FRAMEWORK,
    "/api/v1/offerings/{offering_id}": OFFERING,
    "/api/v1/offerings/{offering_id}/enrollments": OFFERING,
    "/api/v1/enrollments/{enrollment_id}/decision": lambda world, other, owner: _pending_step(
        world, other
    ),
    "/api/v1/enrollments/{enrollment_id}/withdraw": ENROLLMENT,
    "/api/v1/micro-credentials/{mc_id}": MICRO_CREDENTIAL,
    "/api/v1/micro-credentials/{mc_id}/export": MICRO_CREDENTIAL,
    "/api/v1/micro-credentials/{micro_credential_id}/submissions": MICRO_CREDENTIAL,
    "/api/v1/submissions/{submission_id}": SUBMISSION,
    "/api/v1/submissions/{submission_id}/artifacts": DRAFT_SUBMISSION,
    "/api/v1/submissions/{submission_id}/submit": DRAFT_SUBMISSION,
    "/api/v1/submissions/{submission_id}/uploads": DRAFT_SUBMISSION,
    "/api/v1/submissions/{submission_id}/scores": lambda world, other, owner: _assigned(
        world, other
    ),
    "/api/v1/submissions/{submission_id}/appeal": SUBMISSION,
    "/api/v1/uploads/{upload_id}": one("microcredentials.UploadSession"),
    "/api/v1/credentials/{credential_id}": CREDENTIAL,
    "/api/v1/credentials/{credential_id}/revoke": CREDENTIAL,
    "/api/v1/credentials/{credential_id}/suspend": CREDENTIAL,
    "/api/v1/credentials/{credential_id}/unsuspend": CREDENTIAL,
    "/api/v1/me/imported-badges/{badge_id}": IMPORTED,
    "/api/v1/credit/imported-credentials/{badge_id}/count": IMPORTED,
    "/api/v1/credit/imported-credentials/{badge_id}/decline": IMPORTED,
    "/api/v1/offerings/{offering_id}/scorecard": OFFERING,
    "/api/v1/offerings/{offering_id}/my-review": reviewable_offering,
    "/api/v1/me/informal-learning/{entry_id}": INFORMAL_ENTRY,
    "/api/v1/topic-requests/{request_id}/vote": TOPIC_REQUEST,
    "/api/v1/educators/{educator_id}/recommendations": PERSON,
}

API_PERSONAL = {
    "/api/v1/me/notifications/{notification_id}/read",
    "/api/v1/me/tokens/{token_id}/revoke",
    "/api/v1/me/goals/{goal_id}",
    "/api/v1/me/goals/{goal_id}/reflections",
    "/api/v1/goals/{goal_id}/comments",
    "/api/v1/me/plan/{item_id}",
    "/api/v1/enrollments/{enrollment_id}/withdraw",
    "/api/v1/submissions/{submission_id}",
    "/api/v1/submissions/{submission_id}/artifacts",
    "/api/v1/submissions/{submission_id}/submit",
    "/api/v1/submissions/{submission_id}/uploads",
    "/api/v1/uploads/{upload_id}",
    "/api/v1/credentials/{credential_id}",
    "/api/v1/me/imported-badges/{badge_id}",
    "/api/v1/me/informal-learning/{entry_id}",
}

PUBLIC_API: dict[str, str] = {}

# Actions that check their form before looking the object up get a valid form, so the answer
# is about the object and not about the empty form.
POST_DATA: dict[str, dict[str, str]] = {
    "credentials:admin_key_revoke": {"reason": "Isolation test"},
    "credentials:visibility": {"visibility": "public"},
    "microcredentials:artifact_upload": {"part": "{part}", "url": "https://example.org/lesson"},
    "microcredentials:offering_evidence": {"part": "{part}", "enrollment": "{enrollment}"},
}

# Bodies for API operations that validate their input before looking the object up (the
# minimal body built from the OpenAPI schema would be refused before the lookup). "{part}" is
# replaced by a requirement part of the submission.
API_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/goals/{goal_id}/comments": {"body": "Isolation test"},
    "/api/v1/me/goals/{goal_id}/reflections": {"body": "Isolation test"},
    "/api/v1/credentials/{credential_id}/revoke": {"reason": "Isolation test"},
    "/api/v1/credentials/{credential_id}/suspend": {"reason": "Isolation test"},
    "/api/v1/submissions/{submission_id}/uploads": {
        "part": "{part}",
        "filename": "lesson.mp4",
        "size": 1000,
    },
    "/api/v1/submissions/{submission_id}/artifacts": {
        "part": "{part}",
        "url": "https://example.org/lesson",
    },
}
