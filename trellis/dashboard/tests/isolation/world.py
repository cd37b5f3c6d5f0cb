"""The shared object set the isolation crawler points at: the two demo districts (Pine Valley is
"ours", Cedar Ridge is "the other district"), plus the rows the demo seed does not make
(tokens, invitations, staged uploads, imports, batches).

`World.pick(model, other=True)` finds one row of a model owned by the other district;
`World.pick(model, other=False, owner=...)` one of our district owned by another educator.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from io import StringIO
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone

from trellis.accounts.models import User
from trellis.accounts.services import create_api_token
from trellis.districts.models import District, Role
from trellis.districts.tests.helpers import make_invitation

OURS = "pine-valley"
OTHER = "cedar-ridge"

# How each model reaches its district, for models without a `district` field.
DISTRICT_PATHS: dict[str, str] = {
    "accounts.User": "memberships__district",
    "accounts.ApiToken": "user__memberships__district",
    "frameworks.FrameworkItem": "framework__district",
    "catalog.OfferingSession": "offering__district",
    "catalog.ApprovalStep": "enrollment__district",
    "credentials.SigningKey": "issuer__district",
    "credentials.StatusList": "issuer__district",
    "microcredentials.DefinitionVersion": "micro_credential__district",
    "microcredentials.RequirementPart": "version__micro_credential__district",
    "microcredentials.RubricCriterion": "part__version__micro_credential__district",
    "microcredentials.Artifact": "submission__district",
    "microcredentials.Assignment": "submission__district",
    "microcredentials.UploadSession": "submission__district",
    "voice.TopicVote": "request__district",
    "quality.VettingScore": "review__district",
}

# The field naming the educator a personal object belongs to.
OWNER_FIELDS: dict[str, str] = {
    "growth.Goal": "educator",
    "growth.SelfAssessment": "educator",
    "growth.PlanItem": "educator",
    "growth.CoachingAssignment": "educator",
    "catalog.Enrollment": "educator",
    "microcredentials.Submission": "educator",
    "microcredentials.Artifact": "submission__educator",
    "microcredentials.UploadSession": "uploader",
    "credentials.IssuedCredential": "recipient",
    "credentials.ImportedBadge": "owner",
    "accounts.ApiToken": "user",
    "informal.InformalEntry": "educator",
    "voice.TopicRequest": "requester",
    "voice.VolunteerOffer": "volunteer",
    "quality.Proposal": "proposer",
    "quality.Review": "author",
    "notifications.Notification": "recipient",
    "recommend.CoachSuggestion": "educator",
}


@dataclass
class World:
    ours: District
    other: District
    # Our district's people by role: the attackers.
    attackers: dict[str, User]
    # The other district's admin and educator: with the object's own people (owner, assessor,
    # coach…), the positive control that proves an id really names a reachable object.
    insiders: list[User]
    # Our plain educator and a colleague whose personal objects the educator must not reach.
    educator: User
    colleague: User

    def pick(
        self, label: str, *conditions: Any, other: bool = True, owner: Any = None, **filters: Any
    ):
        """One row of `label` in the other district (or ours), optionally owned by `owner`."""
        model: type[Model] = apps.get_model(label)
        district = self.other if other else self.ours
        path = DISTRICT_PATHS.get(label, "district")
        query = model.objects.filter(*conditions, **{path: district}, **filters)
        if owner is not None:
            query = query.filter(**{OWNER_FIELDS[label]: owner})
        elif not other and label in OWNER_FIELDS:
            # In our own district: someone else's personal object, never our educator's.
            query = query.exclude(**{OWNER_FIELDS[label]: self.educator})
        return query.order_by("pk").first()


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _personal_rows(district: District, owner: User) -> None:
    """Personal rows the demo seed does not create: a token, an imported badge, an upload."""
    from trellis.credentials.models import ImportedBadge
    from trellis.microcredentials.models import Submission, UploadSession

    create_api_token(user=owner, name="isolation")
    ImportedBadge.objects.create(
        district=district,
        owner=owner,
        format="ob3",
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{owner.pk:012d}",
        document={"type": ["VerifiableCredential"]},
        jwt="",
        issuer_name="Elsewhere",
        achievement_name="Something",
        verified_at=timezone.now(),
    )
    submission = (
        (
            Submission.objects.filter(district=district).exclude(
                educator__email__startswith="educator@"
            )
        )
        .order_by("pk")
        .first()
    )
    if submission is not None:
        UploadSession.objects.create(
            submission=submission,
            part=submission.version.parts.order_by("pk").first(),
            uploader=submission.educator,
            filename="video.mp4",
            description="",
            size=10,
            temp_name=f"isolation-{district.slug}.part",
            error="",
            expires_at=timezone.now() + dt.timedelta(days=1),
        )


def _draft_definition(district: District) -> None:
    """A draft micro-credential with a part and a criterion: the authoring routes edit drafts."""
    from trellis.microcredentials.models import DefinitionVersion, MicroCredential
    from trellis.microcredentials.tests.factories import (
        DefinitionVersionFactory,
        RequirementPartFactory,
        RubricCriterionFactory,
    )

    version = DefinitionVersionFactory(
        micro_credential__district=district,
        micro_credential__status=MicroCredential.Status.DRAFT,
        status=DefinitionVersion.Status.DRAFT,
        published_at=None,
    )
    RubricCriterionFactory(part=RequirementPartFactory(version=version, position=1))


def _coach_and_approver(district: District, educator: User) -> list[User]:
    """A coach with a caseload of one and a principal of the educator's school: the demo's
    second district has neither, and the caseload, comment and approval routes need them."""
    from trellis.accounts.tests.factories import UserFactory
    from trellis.districts.tests.factories import MembershipFactory
    from trellis.growth.tests.factories import CoachingAssignmentFactory

    coach = UserFactory(email=f"coach@{district.slug}.isolation.test", full_name="Cory Coach")
    MembershipFactory(user=coach, district=district, role=Role.COACH)
    CoachingAssignmentFactory(district=district, coach=coach, educator=educator)
    from trellis.catalog.models import ApprovalStep

    pending = (
        ApprovalStep.objects.filter(enrollment__district=district, status="pending")
        .exclude(school=None)
        .order_by("pk")
        .first()
    )
    school = pending.school if pending is not None else educator.memberships.first().school
    principal = UserFactory(email=f"principal@{district.slug}.isolation.test", full_name="Pia P")
    MembershipFactory(user=principal, district=district, role=Role.APPROVER, school=school)
    _recommendation_rows(district, coach, educator)
    return [coach, principal]


def _recommendation_rows(district: District, coach: User, educator: User) -> None:
    """A coach's suggestion and a priority offering, which the demo seed may leave out."""
    from trellis.catalog.models import Offering
    from trellis.recommend.models import CoachSuggestion, PriorityOffering

    offering = Offering.objects.filter(district=district).order_by("pk").first()
    CoachSuggestion.objects.create(
        district=district, coach=coach, educator=educator, offering=offering, note="Try this"
    )
    if not PriorityOffering.objects.filter(district=district).exists():
        PriorityOffering.objects.create(district=district, offering=offering)


def _extra_rows(other: District, insider: User, admin: User) -> list[User]:
    """Rows of kinds the demo seed does not create, in the other district."""
    from trellis.credentials.models import IssuanceBatch
    from trellis.frameworks.models import CaseUpload
    from trellis.roster.models import RosterImport

    _personal_rows(other, insider)
    create_api_token(user=admin, name="isolation")
    make_invitation(other, "newcomer@cedarridge.test", invited_by=admin)
    CaseUpload.objects.create(
        district=other, uploaded_by=admin, filename="case.json", content=json.dumps({})
    )
    RosterImport.objects.create(
        district=other,
        created_by=admin,
        format=RosterImport.Format.CSV,
        file_name="people.csv",
        stored_file="roster/none.csv",
        step=RosterImport.Step.DONE,
        message="",
    )
    _draft_definition(other)
    IssuanceBatch.objects.create(district=other, created_by=admin, title="Batch")
    return _coach_and_approver(other, insider)


def build_world() -> World:
    call_command("seed", stdout=StringIO())
    ours = District.objects.get(slug=OURS)
    other = District.objects.get(slug=OTHER)
    attackers = {
        Role.EDUCATOR: _user("educator@pinevalley.test"),
        Role.COACH: _user("coach@pinevalley.test"),
        Role.ASSESSOR: _user("assessor@pinevalley.test"),
        Role.APPROVER: _user("principal@pinevalley.test"),
        Role.DISTRICT_ADMIN: _user("admin@pinevalley.test"),
    }
    admin_b = _user("admin@cedarridge.test")
    educator_b = _user("educator@cedarridge.test")
    staff_b = _extra_rows(other, educator_b, admin_b)
    colleague = _user("veteran@pinevalley.test")
    _personal_rows(ours, colleague)
    insiders = [admin_b, educator_b, *staff_b]
    return World(
        ours=ours,
        other=other,
        attackers=attackers,
        insiders=insiders,
        educator=attackers[Role.EDUCATOR],
        colleague=colleague,
    )
