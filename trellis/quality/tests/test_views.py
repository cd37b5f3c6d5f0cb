from django.urls import reverse

from trellis.catalog.models import OfferingStatus
from trellis.catalog.tests.factories import OfferingFactory
from trellis.growth.tests.factories import build_framework
from trellis.quality.models import Proposal, ProposalStatus, Review, VettingReview
from trellis.quality.services.vetting import vet_offering
from trellis.quality.tests.factories import completer, full_marks, growth_case, rubric


def vet_post(district, *, points=3, comment=""):
    data = {"comment": comment}
    for item in rubric(district):
        data[f"points_{item.public_id}"] = str(points)
        data[f"comment_{item.public_id}"] = ""
    return data


def test_offering_page_shows_the_scorecard_in_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    built = build_framework(cast.district_a)
    offering = OfferingFactory(district=cast.district_a, title="Number talks")
    offering.competencies.set([built.competencies[0]])
    growth_case(cast.district_a, built.framework, built.competencies[0], offering)
    vet_offering(
        access=cast.access(cast.dana),
        actor=cast.dana,
        offering=offering,
        scores=full_marks(cast.district_a),
    )
    for e in offering.enrollments.all()[:3]:
        Review.objects.create(
            district=cast.district_a, offering=offering, author=e.educator, stars=5
        )
    client = client_for(cast.alice)
    url = reverse("catalog:offering", args=[offering.public_id])
    client.get(url)
    with django_assert_max_num_queries(40):
        response = client.get(url)
    html = response.content.decode()
    assert "Quality scorecard" in html
    assert "Vetted" in html
    assert "+1.00</strong> levels on its competencies" in html
    assert "n=5" in html
    assert "Review this offering" not in html  # alice did not complete it


def test_scorecard_says_not_enough_data(cast, client_for):
    offering = OfferingFactory(district=cast.district_a)
    completer(offering, cast.alice)
    html = (
        client_for(cast.alice)
        .get(reverse("catalog:offering", args=[offering.public_id]))
        .content.decode()
    )
    assert "Not enough data yet (0 participants with before-and-after ratings; 5 needed)" in html
    assert "Not vetted yet." in html
    assert "Review this offering" in html


def test_queue_lists_proposals_and_unvetted_oldest_first(
    cast, client_for, django_assert_max_num_queries
):
    OfferingFactory(district=cast.district_a, title="Unvetted one")
    OfferingFactory(district=cast.district_b, title="Elsewhere")
    for n in range(3):
        Proposal.objects.create(
            district=cast.district_a,
            proposer=cast.alice,
            kind="found_online",
            title=f"Idea {n}",
            description="d",
            format="self_paced",
            hours=1,
            submitted_at=f"2026-0{n + 1}-01T00:00:00Z",
        )
    client = client_for(cast.dana)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("quality:queue"))
    html = response.content.decode()
    assert html.index("Idea 0") < html.index("Idea 1") < html.index("Idea 2")
    assert "Unvetted one" in html
    assert "Elsewhere" not in html


def test_queue_and_rubric_are_for_managers_only(cast, client_for):
    client = client_for(cast.alice)
    assert client.get(reverse("quality:queue")).status_code == 403
    assert client.get(reverse("quality:rubric")).status_code == 403
    assert client.get(reverse("quality:moderation")).status_code == 403


def test_rubric_page_seeds_the_default_and_adds_items(cast, client_for):
    client = client_for(cast.dana)
    html = client.get(reverse("quality:rubric")).content.decode()
    assert "Accessible to every participant" in html
    bad = client.post(reverse("quality:rubric"), {"text": "", "max_points": "3"})
    assert bad.status_code == 400
    response = client.post(
        reverse("quality:rubric"),
        {"text": "Fits the calendar", "max_points": "2", "essential": "on"},
    )
    assert response.status_code == 302
    assert "Fits the calendar" in client.get(reverse("quality:rubric")).content.decode()


def test_vetting_form_records_and_refuses_publishing_unmet(cast, client_for):
    offering = OfferingFactory(
        district=cast.district_a, status=OfferingStatus.DRAFT, kind="self_paced", published_at=None
    )
    client = client_for(cast.dana)
    url = reverse("quality:vet_offering", args=[offering.public_id])
    assert client.get(url).status_code == 200
    refused = client.post(url, {**vet_post(cast.district_a, points=1), "publish": "on"})
    assert refused.status_code == 400
    assert "cannot be published as vetted" in refused.content.decode()
    assert not VettingReview.objects.exists()
    missing = client.post(url, {"comment": ""})
    assert missing.status_code == 400
    done = client.post(url, {**vet_post(cast.district_a), "publish": "on"})
    assert done.status_code == 302
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.PUBLISHED


def test_other_districts_objects_are_not_found(cast, client_for):
    offering = OfferingFactory(district=cast.district_b)
    client = client_for(cast.dana)
    assert client.get(reverse("quality:vet_offering", args=[offering.public_id])).status_code == 404
    assert client.get(reverse("quality:my_review", args=[offering.public_id])).status_code == 404


def test_propose_accept_flow_through_pages(cast, client_for):
    educator = client_for(cast.alice)
    form = educator.get(reverse("quality:propose")).content.decode()
    assert "I'll facilitate" not in form  # a first-year teacher
    response = educator.post(
        reverse("quality:propose"),
        {
            "kind": "found_online",
            "title": "Classroom talk moves",
            "description": "An online course.",
            "link": "https://example.org/talk",
            "provider": "Example",
            "format": "self_paced",
            "hours": "3",
            "cost": "0",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert "Classroom talk moves" in educator.get(reverse("quality:my_proposals")).content.decode()
    admin = client_for(cast.dana)
    url = reverse("quality:proposal", args=[proposal.public_id])
    assert admin.post(url, {"action": "start_review"}).status_code == 302
    accepted = admin.post(url, {"action": "accept", **vet_post(cast.district_a)})
    assert accepted.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.offering.status == OfferingStatus.PUBLISHED
    # another educator cannot see it
    assert client_for(cast.eve).get(url).status_code == 404


def test_decline_needs_a_reason_on_the_page(cast, client_for):
    proposal = Proposal.objects.create(
        district=cast.district_a,
        proposer=cast.alice,
        kind="found_online",
        title="Idea",
        description="d",
        format="self_paced",
        hours=1,
        submitted_at="2026-01-01T00:00:00Z",
    )
    admin = client_for(cast.dana)
    url = reverse("quality:proposal", args=[proposal.public_id])
    assert admin.post(url, {"action": "decline", "reason": ""}).status_code == 400
    assert admin.post(url, {"action": "decline", "reason": "Duplicate"}).status_code == 302
    html = client_for(cast.alice).get(reverse("quality:my_proposals")).content.decode()
    assert "Duplicate" in html


def test_review_page_for_completers(cast, client_for):
    offering = OfferingFactory(district=cast.district_a)
    client = client_for(cast.alice)
    url = reverse("quality:my_review", args=[offering.public_id])
    assert client.get(url).status_code == 403
    completer(offering, cast.alice)
    assert client.get(url).status_code == 200
    assert client.post(url, {"stars": "9"}).status_code == 400
    assert client.post(url, {"stars": "4", "text": "Good"}).status_code == 302
    assert Review.objects.get().stars == 4


def test_moderation_page_hides_with_reason(cast, client_for):
    offering = OfferingFactory(district=cast.district_a)
    completer(offering, cast.alice)
    review = Review.objects.create(
        district=cast.district_a, offering=offering, author=cast.alice, stars=1
    )
    admin = client_for(cast.dana)
    assert "1 of 5 stars" in admin.get(reverse("quality:moderation")).content.decode()
    admin.post(reverse("quality:moderate", args=[review.public_id]), {"reason": ""})
    review.refresh_from_db()
    assert review.hidden is False
    admin.post(reverse("quality:moderate", args=[review.public_id]), {"reason": "Spam"})
    review.refresh_from_db()
    assert (review.hidden, review.hidden_reason) == (True, "Spam")
