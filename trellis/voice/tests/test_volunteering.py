"""Volunteer offers: one pending offer per kind, withdrawal, the PD leader's follow-up."""

from __future__ import annotations

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.voice import services
from trellis.voice.models import VolunteerKind, VolunteerOffer, VolunteerStatus

pytestmark = pytest.mark.django_db


def offer(cast, user, kind="mentor", **kw):
    return services.offer_to_volunteer(access=cast.access(user), actor=user, kind=kind, **kw)


def test_the_kinds_are_the_contract_the_recommendations_app_links_to() -> None:
    assert VolunteerKind.values == ["lead_session", "present", "lead_plc", "mentor", "assessor"]


def test_an_educator_volunteers_with_competencies(cast, adopted) -> None:
    made = offer(
        cast,
        cast.eve,
        "mentor",
        competencies=[adopted.competencies[0].public_id, str(adopted.competencies[2].public_id)],
        note=" Happy to help ",
        availability="Tuesdays",
    )
    made.refresh_from_db()
    assert (made.kind, made.note, made.availability, made.status) == (
        "mentor",
        "Happy to help",
        "Tuesdays",
        "open",
    )
    assert made.school == cast.elementary_a
    assert list(made.competencies.order_by("pk")) == [
        adopted.competencies[0],
        adopted.competencies[2],
    ]
    assert AuditEvent.objects.get(action="voice.volunteered").data["kind"] == "mentor"


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"kind": "juggle"}, "unknown_kind", "kind"),
        ({"kind": ""}, "unknown_kind", "kind"),
        ({"competencies": ["nope"]}, "unknown_competency", "competencies"),
        ({"note": "x" * 4001}, "note_too_long", "note"),
        ({"availability": "x" * 301}, "availability_too_long", "availability"),
    ],
)
def test_bad_offers_are_refused(cast, adopted, fields, code, field) -> None:
    data = {"kind": "mentor", **fields}
    with pytest.raises(DomainError) as caught:
        services.offer_to_volunteer(access=cast.access(cast.eve), actor=cast.eve, **data)
    assert (caught.value.code, caught.value.details["field"]) == (code, field)
    assert VolunteerOffer.objects.count() == 0


def test_at_most_ten_competencies(cast) -> None:
    from trellis.growth.tests.factories import build_framework

    big = build_framework(cast.district_a, domains=3, per_domain=4)
    with pytest.raises(DomainError) as caught:
        offer(cast, cast.eve, competencies=[c.public_id for c in big.competencies[:11]])
    assert caught.value.code == "too_many_competencies"


def test_one_pending_offer_per_kind(cast) -> None:
    first = offer(cast, cast.eve, "mentor")
    with pytest.raises(ConflictError) as caught:
        offer(cast, cast.eve, "mentor")
    assert caught.value.details["offer"] == str(first.public_id)
    offer(cast, cast.eve, "assessor")  # another kind is fine
    offer(cast, cast.alice, "mentor")  # so is another person
    services.set_offer_status(
        access=cast.access(cast.dana), actor=cast.dana, offer=first, status="contacted"
    )
    with pytest.raises(ConflictError):
        offer(cast, cast.eve, "mentor")  # contacted is still pending
    services.set_offer_status(
        access=cast.access(cast.dana), actor=cast.dana, offer=first, status="declined"
    )
    again = offer(cast, cast.eve, "mentor")
    assert again.status == "open"
    assert VolunteerOffer.objects.filter(volunteer=cast.eve, kind="mentor").count() == 2


def test_withdrawing_frees_the_kind_again(cast) -> None:
    first = offer(cast, cast.eve)
    services.withdraw_offer(access=cast.access(cast.eve), actor=cast.eve, offer=first)
    first.refresh_from_db()
    assert first.status == VolunteerStatus.WITHDRAWN
    offer(cast, cast.eve)
    with pytest.raises(ConflictError) as caught:
        services.withdraw_offer(access=cast.access(cast.eve), actor=cast.eve, offer=first)
    assert caught.value.code == "offer_closed"


def test_only_the_volunteer_withdraws(cast) -> None:
    made = offer(cast, cast.eve)
    with pytest.raises(PermissionDenied):
        services.withdraw_offer(access=cast.access(cast.alice), actor=cast.alice, offer=made)


def test_the_volunteer_is_told_of_the_follow_up(
    cast, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    made = offer(cast, cast.eve, "assessor")
    with django_capture_on_commit_callbacks(execute=True):
        services.set_offer_status(
            access=cast.access(cast.dana),
            actor=cast.dana,
            offer=made,
            status="accepted",
            note="Welcome!",
        )
    made.refresh_from_db()
    assert (made.status, made.status_note) == ("accepted", "Welcome!")
    assert [m.to for m in mailoutbox] == [["eve@northfield.test"]]
    assert mailoutbox[0].subject == "Trellis: Your offer to become a micro-credential assessor"
    assert "Your offer is accepted. Thank you!" in mailoutbox[0].body
    assert "Note from Northfield: Welcome!" in mailoutbox[0].body
    assert AuditEvent.objects.get(action="voice.volunteer_status").data == {
        "from": "open",
        "to": "accepted",
    }


@pytest.mark.parametrize(
    ("first", "then"), [("accepted", "declined"), ("declined", "accepted"), (None, "open")]
)
def test_final_offers_stay_final(cast, first, then) -> None:
    made = offer(cast, cast.eve)
    access = cast.access(cast.dana)
    if first:
        services.set_offer_status(access=access, actor=cast.dana, offer=made, status=first)
    with pytest.raises(ConflictError) as caught:
        services.set_offer_status(access=access, actor=cast.dana, offer=made, status=then)
    assert caught.value.code == "invalid_transition"


def test_only_pd_leaders_follow_up_and_only_in_their_district(cast) -> None:
    made = offer(cast, cast.eve)
    with pytest.raises(PermissionDenied):
        services.set_offer_status(
            access=cast.access(cast.carol), actor=cast.carol, offer=made, status="accepted"
        )
    with pytest.raises(PermissionDenied):
        services.set_offer_status(
            access=cast.access(cast.bea), actor=cast.bea, offer=made, status="accepted"
        )
    made.refresh_from_db()
    assert made.status == "open"
