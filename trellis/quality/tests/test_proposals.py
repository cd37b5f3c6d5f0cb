from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404

from trellis.catalog.models import Offering, OfferingStatus
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.growth.tests.factories import build_framework
from trellis.quality.models import Proposal, ProposalStatus, VettingReview
from trellis.quality.services import proposals as services
from trellis.quality.tests.factories import full_marks

ONLINE = {
    "kind": "found_online",
    "title": "Questioning for deeper thinking",
    "description": "A free online course with classroom video and practice tasks.",
    "link": "https://courses.example.org/questioning",
    "provider": "Example University",
    "format": "self_paced",
    "hours": "5",
    "cost": "0",
}
FACILITATE = {
    "kind": "facilitate",
    "title": "Lab safety for new science teachers",
    "description": "Three after-school sessions in the lab.",
    "format": "in_person",
    "hours": "4.5",
    "sessions_count": 3,
    "audience": "Science teachers in their first three years",
}


def submit(cast, user, **fields):
    return services.submit_proposal(access=cast.access(user), actor=user, **fields)


def test_any_educator_proposes_a_course_found_online(cast, django_capture_on_commit_callbacks):
    built = build_framework(cast.district_a)
    proposal = submit(
        cast, cast.alice, **ONLINE, competencies=[str(built.competencies[0].public_id)]
    )
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.hours == Decimal("5.00")
    assert list(proposal.competencies.all()) == [built.competencies[0]]


def test_only_experienced_educators_propose_to_facilitate(cast):
    with pytest.raises(PermissionDenied, match="experienced and veteran"):
        submit(cast, cast.alice, **FACILITATE)  # 1 year
    proposal = submit(cast, cast.eve, **FACILITATE)  # 25 years
    assert proposal.sessions_count == 3
    assert proposal.audience == "Science teachers in their first three years"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "other"}, "kind"),
        ({"title": ""}, "title"),
        ({"description": " "}, "description"),
        ({"link": ""}, "link"),
        ({"link": "ftp://x.example"}, "link"),
        ({"provider": ""}, "provider"),
        ({"format": "carrier_pigeon"}, "format"),
        ({"hours": "0"}, "hours"),
        ({"hours": "lots"}, "hours"),
        ({"cost": "-1"}, "cost"),
        ({"competencies": ["not-an-id"]}, "competencies"),
    ],
)
def test_bad_proposals_are_refused_with_the_field(cast, changes, field):
    with pytest.raises(DomainError) as caught:
        submit(cast, cast.alice, **{**ONLINE, **changes})
    assert caught.value.details["field"] == field
    assert not Proposal.objects.exists()


def test_facilitation_needs_sessions_and_audience(cast):
    with pytest.raises(DomainError) as caught:
        submit(cast, cast.eve, **{**FACILITATE, "sessions_count": 0})
    assert caught.value.details["field"] == "sessions_count"
    with pytest.raises(DomainError) as caught:
        submit(cast, cast.eve, **{**FACILITATE, "audience": ""})
    assert caught.value.details["field"] == "audience"


def test_accepting_vets_creates_and_publishes_and_tells_the_proposer(
    cast, django_capture_on_commit_callbacks
):
    proposal = submit(cast, cast.alice, **ONLINE)
    admin = cast.access(cast.dana)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_review(access=admin, actor=cast.dana, proposal=proposal)
        accepted = services.accept_proposal(
            access=admin,
            actor=cast.dana,
            proposal=proposal,
            scores=full_marks(cast.district_a),
            comment="Great find.",
        )
    assert accepted.status == ProposalStatus.ACCEPTED
    offering = accepted.offering
    assert offering.status == OfferingStatus.PUBLISHED
    assert offering.title == ONLINE["title"]
    assert offering.link == ONLINE["link"]
    assert VettingReview.objects.get(offering=offering).essentials_met is True
    subjects = [m.subject for m in mail.outbox if m.to == [cast.alice.email]]
    assert subjects == [
        f"Trellis: Your proposal “{ONLINE['title']}” is being reviewed",
        f"Trellis: Your proposal “{ONLINE['title']}” was accepted",
    ]
    assert "Great find." in mail.outbox[-1].body


def test_accepting_is_refused_when_essentials_are_unmet(cast):
    proposal = submit(cast, cast.alice, **ONLINE)
    with pytest.raises(DomainError, match="cannot be accepted yet") as caught:
        services.accept_proposal(
            access=cast.access(cast.dana),
            actor=cast.dana,
            proposal=proposal,
            scores=full_marks(cast.district_a, except_essential=1),
        )
    assert caught.value.details["unmet"] == [
        "States what participants will be able to do in their classrooms afterwards"
    ]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert not Offering.objects.exists()
    assert not VettingReview.objects.exists()


def test_an_accepted_facilitated_workshop_waits_for_sessions(cast):
    proposal = submit(cast, cast.eve, **FACILITATE)
    accepted = services.accept_proposal(
        access=cast.access(cast.dana),
        actor=cast.dana,
        proposal=proposal,
        scores=full_marks(cast.district_a),
    )
    assert accepted.offering.status == OfferingStatus.DRAFT
    assert accepted.offering.kind == "workshop_series"
    assert accepted.offering.provider == "Eve Evans"


def test_declining_needs_a_reason_and_tells_why(cast, django_capture_on_commit_callbacks):
    proposal = submit(cast, cast.alice, **ONLINE)
    admin = cast.access(cast.dana)
    with pytest.raises(DomainError, match="Enter the reason"):
        services.decline_proposal(access=admin, actor=cast.dana, proposal=proposal, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_proposal(
            access=admin, actor=cast.dana, proposal=proposal, reason="We already offer this."
        )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason) == ("declined", "We already offer this.")
    assert "Why: We already offer this." in mail.outbox[-1].body
    with pytest.raises(ConflictError, match="already declined"):
        services.decline_proposal(access=admin, actor=cast.dana, proposal=proposal, reason="x")
    with pytest.raises(ConflictError):
        services.withdraw_proposal(
            access=cast.access(cast.alice), actor=cast.alice, proposal=proposal
        )


def test_only_the_proposer_withdraws(cast):
    proposal = submit(cast, cast.alice, **ONLINE)
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(access=cast.access(cast.eve), actor=cast.eve, proposal=proposal)
    services.withdraw_proposal(access=cast.access(cast.alice), actor=cast.alice, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_deciding_needs_the_permission_and_the_district(cast):
    proposal = submit(cast, cast.alice, **ONLINE)
    with pytest.raises(PermissionDenied):
        services.start_review(access=cast.access(cast.carol), actor=cast.carol, proposal=proposal)
    with pytest.raises(Http404):
        services.decline_proposal(
            access=cast.access(cast.bea), actor=cast.bea, proposal=proposal, reason="No"
        )
