"""Managing the catalog through its pages: who may, creating and editing, statuses, deleting,
copying, and the manager's list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.catalog.models import EnrollmentStatus, Offering, OfferingSession, OfferingStatus
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)
from trellis.growth.tests.factories import build_framework


def offering_post(**overrides) -> dict:
    data = {
        "title": "Number talks",
        "summary": "Short daily routines for number sense.",
        "description": "Plan, rehearse and film number talks.",
        "kind": "workshop_series",
        "format": "in_person",
        "provider": "District mathematics team",
        "location": "Central office",
        "link": "",
        "hours": "9",
        "cost": "0",
        "grade_bands": ["6_8"],
        "subjects": "Mathematics, Science",
        "positions": ["teacher"],
        "career_stages": ["novice", "developing"],
        "students_served": ["english_learners"],
        "evidence_tier": "3",
        "evidence_citation": "Parrish (2011).",
        "design_features": ["content_focus", "active_learning"],
        "credit_amount": "9",
        "credit_unit": "clock_hour",
        "credit_category": "workshop",
        "topics": "ELL, literacy",
        "registration": "whole",
        "capacity": "30",
        "waitlist_enabled": "on",
        "enrolment_opens": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------------------------------------
# who may
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/catalog/manage/"),
        ("get", "/catalog/manage/new/"),
        ("post", "/catalog/manage/new/"),
        ("get", "/catalog/manage/import/"),
        ("get", "/catalog/manage/template.csv"),
        ("get", "/catalog/export.csv"),
        ("get", "/catalog/{o}/edit/"),
        ("post", "/catalog/{o}/status/"),
        ("post", "/catalog/{o}/copy/"),
        ("get", "/catalog/{o}/delete/"),
        ("post", "/catalog/{o}/delete/"),
        ("get", "/catalog/{o}/sessions/new/"),
        ("get", "/catalog/sessions/{s}/edit/"),
        ("post", "/catalog/sessions/{s}/cancel/"),
    ],
)
@pytest.mark.parametrize("who", ["alice", "carol", "pat"])
def test_only_catalog_managers_reach_the_manage_pages(cast, client_for, method, path, who):
    o = OfferingFactory(district=cast.district_a)
    s = OfferingSessionFactory(offering=o)
    url = path.format(o=o.public_id, s=s.public_id)
    response = getattr(client_for(getattr(cast, who)), method)(url)
    assert response.status_code == 403
    assert Offering.objects.count() == 1
    assert OfferingSession.objects.get().status == OfferingSession.Status.SCHEDULED


def test_the_nav_offers_the_catalog_to_everyone_and_managing_to_managers(cast, client_for):
    alice_page = client_for(cast.alice).get("/catalog/").content.decode()
    assert '<a href="/catalog/" aria-current="page">Catalog</a>' in alice_page
    assert "Manage catalog" not in alice_page
    dana_page = client_for(cast.dana).get("/catalog/manage/").content.decode()
    assert '<a href="/catalog/manage/" aria-current="page">Manage catalog</a>' in dana_page


# ---------------------------------------------------------------------------------------------
# create and edit
# ---------------------------------------------------------------------------------------------


def test_a_manager_creates_a_draft_offering(cast, client_for):
    built = build_framework(cast.district_a)
    post = offering_post(competencies=[str(built.competencies[0].public_id)])
    response = client_for(cast.dana).post("/catalog/manage/new/", post)

    created = Offering.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/{created.public_id}/"
    assert created.status == OfferingStatus.DRAFT
    assert created.district == cast.district_a
    assert created.created_by == cast.dana
    assert created.hours == Decimal(9)
    assert created.subjects == ["Mathematics", "Science"]
    assert created.topics == ["ell", "literacy"]
    assert created.grade_bands == ["6_8"]
    assert created.career_stages == ["novice", "developing"]
    assert created.capacity == 30
    assert created.waitlist_enabled is True
    assert created.requires_reflection is False
    assert list(created.competencies.all()) == [built.competencies[0]]
    event = AuditEvent.objects.get(action="offering.created")
    assert event.actor == cast.dana
    assert event.target_id == str(created.public_id)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"hours": "0"}, "hours", "Ensure this value is greater than or equal to 0.25."),
        ({"cost": "-5"}, "cost", "Ensure this value is greater than or equal to 0."),
        ({"kind": "webinar"}, "kind", "Select a valid choice. webinar is not one of the"),
        (
            {"evidence_citation": ""},
            "evidence_citation",
            "Give the citation of the study behind the evidence tier",
        ),
        ({"grade_bands": ["13"]}, "grade_bands", "Select a valid choice. 13 is not one of the"),
        ({"credit_unit": "points"}, "credit_unit", "Select a valid choice. points is not one of"),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"link": "not a link"}, "link", "Enter a valid URL."),
        ({"competencies": ["00000000-0000-0000-0000-000000000000"]}, "competencies", "Select a"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(cast, client_for, overrides, field, message):
    build_framework(cast.district_a)
    response = client_for(cast.dana).post("/catalog/manage/new/", offering_post(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)
    assert Offering.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="offering.").exists()


def test_another_districts_competency_cannot_be_linked_by_the_service(cast):
    from trellis.catalog.services import offerings as services
    from trellis.core.errors import DomainError

    theirs = build_framework(cast.district_b, title="Theirs").competencies[0]
    with pytest.raises(DomainError) as caught:
        services.create_offering(
            access=cast.access(cast.dana),
            actor=cast.dana,
            title="X",
            kind="workshop",
            format="in_person",
            hours=Decimal(1),
            competencies=[str(theirs.public_id)],
        )
    assert caught.value.code == "unknown_competency"
    assert caught.value.details == {"field": "competencies"}
    assert Offering.objects.count() == 0


def test_a_manager_edits_an_offering(cast, client_for):
    o = OfferingFactory(district=cast.district_a, title="Old title")
    OfferingSessionFactory(offering=o)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/edit/", offering_post(title="New title", capacity="")
    )
    assert response.status_code == 302
    o.refresh_from_db()
    assert o.title == "New title"
    assert o.capacity is None
    assert o.status == OfferingStatus.PUBLISHED  # editing never changes the status
    event = AuditEvent.objects.get(action="offering.updated")
    assert "title" in event.data["changed"]


def test_the_edit_form_starts_from_the_offering(cast, client_for):
    o = OfferingFactory(district=cast.district_a, title="Book study", subjects=["Art", "Music"])
    html = client_for(cast.dana).get(f"/catalog/{o.public_id}/edit/").content.decode()
    assert 'value="Book study"' in html
    assert 'value="Art, Music"' in html


def test_capacity_cannot_drop_below_the_seats_taken(cast, client_for):
    o = OfferingFactory(district=cast.district_a, capacity=5)
    OfferingSessionFactory(offering=o)
    for _ in range(3):
        EnrollmentFactory(offering=o, status=EnrollmentStatus.ENROLLED)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/edit/", offering_post(capacity="2")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["capacity"] == [
        "3 seats are already taken, so the capacity cannot be less than 3."
    ]
    o.refresh_from_db()
    assert o.capacity == 5


def test_a_published_offering_keeps_what_publishing_needs(cast, client_for):
    o = OfferingFactory(district=cast.district_a)  # a workshop without sessions
    OfferingSessionFactory(offering=o)
    response = client_for(cast.dana).post(
        f"/catalog/{o.public_id}/edit/", offering_post(description="")
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A published offering must keep what publishing needs: Write a description."
    ]


# ---------------------------------------------------------------------------------------------
# statuses
# ---------------------------------------------------------------------------------------------


def move(client, o, status):
    return client.post(f"/catalog/{o.public_id}/status/", {"status": status}, follow=True)


def test_an_offering_goes_from_draft_through_review_to_published_to_retired(cast, client_for):
    o = OfferingFactory(district=cast.district_a, status=OfferingStatus.PROPOSED, published_at=None)
    OfferingSessionFactory(offering=o)
    client = client_for(cast.dana)
    for status in ("draft", "under_review", "published", "retired"):
        response = move(client, o, status)
        assert response.status_code == 200
        o.refresh_from_db()
        assert o.status == status
    assert o.published_at is not None
    assert list(
        AuditEvent.objects.filter(action="offering.status_changed")
        .order_by("pk")
        .values_list("data", flat=True)
    ) == [
        {"from": "proposed", "to": "draft"},
        {"from": "draft", "to": "under_review"},
        {"from": "under_review", "to": "published"},
        {"from": "published", "to": "retired"},
    ]


def test_a_pd_leader_publishes_their_own_draft_directly(cast, client_for):
    o = OfferingFactory(district=cast.district_a, status=OfferingStatus.DRAFT, published_at=None)
    OfferingSessionFactory(offering=o)
    assert move(client_for(cast.dana), o, "published").status_code == 200
    o.refresh_from_db()
    assert o.status == "published"
    assert o.published_at is not None


@pytest.mark.parametrize("start", ["proposed", "under_review"])
def test_a_proposal_can_go_back_to_draft(cast, client_for, start):
    o = OfferingFactory(district=cast.district_a, status=start)
    move(client_for(cast.dana), o, "draft")
    o.refresh_from_db()
    assert o.status == "draft"


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (
            "proposed",
            "published",
            "A proposed offering can go to under review or draft, not to published.",
        ),
        (
            "draft",
            "retired",
            "A draft offering can go to published or under review, not to retired.",
        ),
        ("published", "draft", "A published offering can go to retired, not to draft."),
        ("retired", "published", "A retired offering can go to nothing else, not to published."),
        ("draft", "draft", "The offering is already draft."),
        ("draft", "archived", "Unknown status “archived”."),
    ],
)
def test_a_wrong_move_is_refused(cast, client_for, start, target, message):
    o = OfferingFactory(district=cast.district_a, status=start)
    response = move(client_for(cast.dana), o, target)
    assert message in response.content.decode()
    o.refresh_from_db()
    assert o.status == start
    assert not AuditEvent.objects.filter(action="offering.status_changed").exists()


def test_publishing_needs_hours_provider_description_and_a_session(cast, client_for):
    o = OfferingFactory(
        district=cast.district_a, status="under_review", provider="", description=""
    )
    response = move(client_for(cast.dana), o, "published")
    assert (
        "Before publishing: Name the provider. Write a description. Add at least one session "
        "(a date when it meets)." in response.content.decode()
    )
    o.refresh_from_db()
    assert o.status == "under_review"


def test_a_cancelled_session_does_not_count_for_publishing(cast, client_for):
    o = OfferingFactory(district=cast.district_a, status="under_review")
    OfferingSessionFactory(offering=o, status=OfferingSession.Status.CANCELLED)
    move(client_for(cast.dana), o, "published")
    o.refresh_from_db()
    assert o.status == "under_review"


@pytest.mark.parametrize("kind", ["self_paced", "online_course", "external", "micro_credential"])
def test_self_paced_kinds_publish_without_sessions(cast, client_for, kind):
    o = OfferingFactory(district=cast.district_a, status="under_review", kind=kind)
    move(client_for(cast.dana), o, "published")
    o.refresh_from_db()
    assert o.status == "published"


# ---------------------------------------------------------------------------------------------
# delete and copy
# ---------------------------------------------------------------------------------------------


def test_deleting_an_offering_with_enrolments_is_refused(cast, client_for):
    o = OfferingFactory(district=cast.district_a, title="Popular")
    OfferingSessionFactory(offering=o)
    EnrollmentFactory(offering=o, status=EnrollmentStatus.WITHDRAWN)
    client = client_for(cast.dana)

    page = client.get(f"/catalog/{o.public_id}/delete/").content.decode()
    assert "Retire it instead" in page

    response = client.post(f"/catalog/{o.public_id}/delete/")
    assert response.status_code == 409
    assert (
        "“Popular” has 1 enrolment, so it cannot be deleted: retire it instead"
        in response.content.decode()
    )
    assert Offering.objects.filter(pk=o.pk).exists()
    assert o.sessions.count() == 1
    assert not AuditEvent.objects.filter(action="offering.deleted").exists()


def test_an_offering_nobody_enrolled_in_can_be_deleted(cast, client_for):
    o = OfferingFactory(district=cast.district_a, title="Unused")
    OfferingSessionFactory(offering=o)
    response = client_for(cast.dana).post(f"/catalog/{o.public_id}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/catalog/manage/"
    assert not Offering.objects.exists()
    assert not OfferingSession.objects.exists()
    assert AuditEvent.objects.get(action="offering.deleted").target_label == "Unused"


def test_copying_makes_a_draft_without_sessions(cast, client_for):
    built = build_framework(cast.district_a)
    o = OfferingFactory(district=cast.district_a, title="Original", grade_bands=["k_5"])
    o.competencies.set(built.competencies[:2])
    OfferingSessionFactory(offering=o)
    response = client_for(cast.dana).post(f"/catalog/{o.public_id}/copy/")
    copy = Offering.objects.exclude(pk=o.pk).get()
    assert response["Location"] == f"/catalog/{copy.public_id}/edit/"
    assert copy.title == "Copy of Original"
    assert copy.status == OfferingStatus.DRAFT
    assert copy.grade_bands == ["k_5"]
    assert set(copy.competencies.all()) == set(built.competencies[:2])
    assert copy.sessions.count() == 0
    assert AuditEvent.objects.get(action="offering.copied").data == {
        "copied_from": str(o.public_id)
    }


# ---------------------------------------------------------------------------------------------
# the manager's list
# ---------------------------------------------------------------------------------------------


def test_the_manage_list_counts_by_status_and_filters(cast, client_for):
    OfferingFactory(district=cast.district_a, title="Live one")
    OfferingFactory(district=cast.district_a, title="Idea", status="draft")
    OfferingFactory(district=cast.district_a, title="Another idea", status="draft")
    OfferingFactory(district=cast.district_b, title="Not ours", status="draft")
    client = client_for(cast.dana)

    html = client.get("/catalog/manage/").content.decode()
    assert '<span class="value">3</span> <span class="label">All</span>' in html
    assert '<span class="value">2</span> <span class="label">Draft</span>' in html
    assert "Not ours" not in html

    drafts = client.get("/catalog/manage/?status=draft").content.decode()
    assert "Idea" in drafts
    assert "Live one" not in drafts

    bad = client.get("/catalog/manage/?status=archived")
    assert bad.status_code == 400
    assert "Unknown status “archived”: showing every status." in bad.content.decode()
