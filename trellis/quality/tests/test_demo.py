from io import StringIO

import pytest
from django.core.management import call_command

from trellis.catalog.models import Offering, OfferingStatus
from trellis.districts.models import District
from trellis.quality import queries
from trellis.quality.demo import seed_quality
from trellis.quality.models import Proposal, ProposalStatus, Review, RubricItem, VettingReview


@pytest.mark.django_db
def test_demo_seed_gives_every_part_of_the_scorecard_data_and_is_idempotent():
    call_command("seed", stdout=StringIO())
    district = District.objects.get(slug="pine-valley")
    counts = (
        RubricItem.objects.filter(district=district).count(),
        VettingReview.objects.filter(district=district).count(),
        Review.objects.filter(district=district).count(),
        Proposal.objects.filter(district=district).count(),
    )
    seed_quality(district)
    assert counts == (
        RubricItem.objects.filter(district=district).count(),
        VettingReview.objects.filter(district=district).count(),
        Review.objects.filter(district=district).count(),
        Proposal.objects.filter(district=district).count(),
    )
    assert counts[0] == 14
    reviews = VettingReview.objects.filter(district=district)
    assert reviews.filter(essentials_met=False).exists()
    assert reviews.filter(essentials_met=True).exists()
    assert queries.unvetted_offerings(district).exists()
    assert set(Proposal.objects.filter(district=district).values_list("status", flat=True)) == {
        ProposalStatus.SUBMITTED,
        ProposalStatus.DECLINED,
        ProposalStatus.ACCEPTED,
    }
    assert Review.objects.filter(district=district, hidden=True).count() == 1
    signals = queries.offering_signals(district)
    measured = [pk for pk, s in signals.items() if s.growth_effect is not None]
    assert measured, "one offering has a measured growth effect"
    assert any(signals[pk].growth_effect > 0.3 for pk in measured)
    assert any(s.growth_effect is None for s in signals.values())
    published = Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
    assert len(signals) == published.count()
