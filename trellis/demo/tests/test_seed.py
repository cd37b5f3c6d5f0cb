"""`trellis seed`: the demo cast of DESIGN §7 (idempotent) and synthetic districts for benchmarks."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from trellis.accounts.models import User
from trellis.districts.models import District, Membership, School
from trellis.growth.career import CareerStage
from trellis.growth.models import EducatorProfile
from trellis.growth.queries import career_stage_counts

pytestmark = pytest.mark.django_db

SEEDED_MODELS = (User, Membership, EducatorProfile, School, District)

# DESIGN §7: e-mail → (district slug, roles, years of experience)
DEMO_CAST = {
    "educator@pinevalley.test": ("pine-valley", {"educator"}, 1),
    "veteran@pinevalley.test": ("pine-valley", {"educator"}, 20),
    "coach@pinevalley.test": ("pine-valley", {"coach", "educator"}, 11),
    "assessor@pinevalley.test": ("pine-valley", {"assessor", "educator"}, 14),
    "principal@pinevalley.test": ("pine-valley", {"approver", "educator"}, 17),
    "admin@pinevalley.test": ("pine-valley", {"district_admin", "educator"}, 15),
    "admin@cedarridge.test": ("cedar-ridge", {"district_admin", "educator"}, 12),
    "educator@cedarridge.test": ("cedar-ridge", {"educator"}, 6),
}


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_demo_seed_creates_the_two_districts_with_exact_counts():
    _seed()

    # Pine Valley: 6 cast (10 roles) + 42 educators; Cedar Ridge: 2 cast (3 roles) + 18; and
    # veteran colleagues who also assess micro-credentials (2 in Pine Valley, 3 in Cedar Ridge,
    # so each district has three assessors).
    assert _counts() == {
        "User": 68,
        "Membership": 78,
        "EducatorProfile": 68,
        "School": 7,
        "District": 2,
    }
    assert sorted(District.objects.values_list("name", flat=True)) == ["Cedar Ridge", "Pine Valley"]


def test_demo_seed_run_twice_creates_nothing_more():
    first_output = _seed()
    after_first = _counts()

    second_output = _seed()

    assert _counts() == after_first
    assert "Pine Valley: 48 people (48 new)." in first_output
    assert "Pine Valley: 48 people (0 new)." in second_output
    assert "Cedar Ridge: 20 people (0 new)." in second_output


def test_demo_cast_has_the_documented_accounts_roles_and_password():
    _seed()

    for email, (district_slug, roles, years) in DEMO_CAST.items():
        user = User.objects.get(email=email)
        assert user.check_password("trellis-demo"), email
        memberships = Membership.objects.filter(user=user)
        assert {m.district.slug for m in memberships} == {district_slug}, email
        assert set(memberships.values_list("role", flat=True)) == roles, email
        assert all(m.is_active for m in memberships), email
        profile = EducatorProfile.objects.get(user=user)
        assert profile.years_experience == years, email


def test_the_principal_is_tied_to_their_school_and_the_admins_are_district_wide():
    _seed()

    principal = Membership.objects.get(user__email="principal@pinevalley.test", role="approver")
    admin = Membership.objects.get(user__email="admin@pinevalley.test", role="district_admin")

    assert principal.school.name == "Pine Valley Middle School"
    assert admin.school is None


def test_every_career_stage_is_present_in_pine_valley():
    _seed()
    pine_valley = District.objects.get(slug="pine-valley")

    counts = career_stage_counts(pine_valley)

    assert set(counts) == set(CareerStage)
    assert all(counts[stage] > 0 for stage in CareerStage), counts
    assert sum(counts.values()) == 48


def test_synthetic_seed_creates_exactly_the_requested_educators_and_a_rerun_adds_nothing():
    _seed()
    before = _counts()

    output = _seed("--district", "Test ISD", "--educators", "1200")

    district = District.objects.get(slug="test-isd")
    after = _counts()
    assert {name: after[name] - before[name] for name in after} == {
        "User": 1200,
        "Membership": 1200,
        "EducatorProfile": 1200,
        "School": 2,
        "District": 1,
    }
    assert Membership.objects.filter(district=district, role="educator").count() == 1200
    assert EducatorProfile.objects.filter(district=district).count() == 1200
    assert School.objects.filter(district=district).count() == 2
    assert User.objects.filter(email__endswith="@test-isd.test").count() == 1200
    assert "Test ISD: 1200 educators added, 1200 in all." in output

    rerun_output = _seed("--district", "Test ISD", "--educators", "1200")

    assert _counts() == after
    assert "Test ISD: 0 educators added, 1200 in all." in rerun_output


def test_synthetic_educators_can_sign_in_with_the_demo_password():
    _seed("--district", "Test ISD", "--educators", "3")

    user = User.objects.filter(email__endswith="@test-isd.test").order_by("pk").first()

    assert user.check_password("trellis-demo")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--district", "Big ISD"), "Use --district and --educators together"),
        (("--educators", "100"), "Use --district and --educators together"),
        (("--educators", "0"), "Use --district and --educators together"),
        (("--district", "Big ISD", "--educators", "0"), "--educators must be at least 1 (got 0)"),
        (("--district", "Big ISD", "--educators", "-5"), "--educators must be at least 1 (got -5)"),
        (("--district", "  ", "--educators", "10"), "Use --district and --educators together"),
    ],
)
def test_bad_arguments_give_a_clear_error_and_change_nothing(args, message):
    with pytest.raises(CommandError) as raised:
        _seed(*args)

    assert message in str(raised.value)
    assert _counts() == dict.fromkeys(_counts(), 0)
