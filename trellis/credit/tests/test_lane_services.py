"""Salary lanes: replaced in one go, added, edited and deleted one at a time; positions unique and
requirements increasing with position; bad input refused with nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trellis.audit.models import AuditEvent
from trellis.core.errors import PermissionDenied
from trellis.credit import services
from trellis.credit.models import SalaryLane
from trellis.credit.tests.checks import refused
from trellis.credit.tests.factories import SalaryLaneFactory
from trellis.credit.validation import LaneSpec

D = Decimal


def lanes_of(district) -> list[tuple]:
    return [
        (lane.name, lane.position, lane.credits_required, lane.micro_credentials_required)
        for lane in SalaryLane.objects.filter(district=district).order_by("position")
    ]


def set_lanes(cast, lanes, user=None):
    return services.set_salary_lanes(
        access=cast.access(user or cast.dana), actor=user or cast.dana, lanes=lanes
    )


def test_salary_lanes_are_replaced_in_one_go(cast):
    set_lanes(
        cast,
        [
            {
                "name": "MA equivalent",
                "position": 2,
                "credits_required": "45",
                "micro_credentials_required": 30,
            },
            {"name": "BA+15", "position": 1, "credits_required": "15"},
        ],
    )

    assert lanes_of(cast.district_a) == [
        ("BA+15", 1, D(15), None),
        ("MA equivalent", 2, D(45), 30),
    ]
    event = AuditEvent.objects.get(action="credit.salary_lanes_changed")
    assert event.summary == "Salary lanes: BA+15, MA equivalent"


def test_set_salary_lanes_keeps_updates_and_deletes_by_public_id(cast):
    low = SalaryLaneFactory(
        district=cast.district_a, name="Low", position=1, credits_required=D(10)
    )
    high = SalaryLaneFactory(
        district=cast.district_a, name="High", position=2, credits_required=D(20)
    )
    SalaryLaneFactory(district=cast.district_a, name="Gone", position=3, credits_required=D(30))

    set_lanes(
        cast,
        [
            LaneSpec("Low", 1, D(5), None, "", str(low.public_id)),
            LaneSpec("High", 2, D(25), None, "", high.public_id),
            LaneSpec("New", 3, None, 12),
        ],
    )

    assert lanes_of(cast.district_a) == [
        ("Low", 1, D(5), None),
        ("High", 2, D(25), None),
        ("New", 3, None, 12),
    ]
    assert SalaryLane.objects.get(name="Low").public_id == low.public_id


@pytest.mark.parametrize(
    ("lanes", "code", "message"),
    [
        (
            [
                {"name": "A", "position": 1, "credits_required": "15"},
                {"name": "B", "position": 1, "credits_required": "30"},
            ],
            "duplicate_lane_position",
            "“A” and “B” both have position 1; each lane needs its own place on the schedule.",
        ),
        (
            [
                {"name": "A", "position": 1, "credits_required": "30"},
                {"name": "B", "position": 2, "credits_required": "30"},
            ],
            "lane_requirements_not_increasing",
            "“B” (position 2) asks for 30 salary-lane credits, but “A” below it (position 1) "
            "already asks for 30: requirements must increase with position.",
        ),
        (
            [
                {"name": "A", "position": 1, "micro_credentials_required": 10},
                {"name": "B", "position": 2, "credits_required": "45"},
                {"name": "C", "position": 3, "micro_credentials_required": 5},
            ],
            "lane_requirements_not_increasing",
            "“C” (position 3) asks for 5 micro-credentials, but “A” below it (position 1) "
            "already asks for 10: requirements must increase with position.",
        ),
        (
            [{"name": "A", "position": 1}],
            "lane_without_requirement",
            "Give “A” a requirement: salary-lane credits, micro-credentials or both.",
        ),
        (
            [
                {"name": "Same", "position": 1, "credits_required": "1"},
                {"name": "same", "position": 2, "credits_required": "2"},
            ],
            "duplicate_lane_name",
            "Two lanes are called “same”; give each its own name.",
        ),
        (
            [{"name": "", "position": 1, "credits_required": "1"}],
            "name_required",
            "Enter the lane name.",
        ),
        (
            [{"name": "A", "position": "first", "credits_required": "1"}],
            "invalid_position",
            "The position must be a whole number from 1 to 1000.",
        ),
        (
            [{"name": "A", "position": 1, "credits_required": "-3"}],
            "invalid_credits_required",
            "The salary-lane credits for “A” must be more than 0, not -3.",
        ),
        (
            [{"name": "A", "position": 1, "micro_credentials_required": "2.5"}],
            "invalid_micro_credentials_required",
            "The micro-credentials for “A” must be a whole number from 1 to 1000.",
        ),
        (
            [
                {
                    "name": "A",
                    "position": 1,
                    "credits_required": "1",
                    "public_id": "00000000-0000-0000-0000-000000000000",
                }
            ],
            "unknown_lane",
            "“A” names a lane that is not one of Northfield's.",
        ),
    ],
)
def test_bad_lanes_are_refused(cast, lanes, code, message):
    SalaryLaneFactory(district=cast.district_a, name="Existing", position=7)

    refused(lambda: set_lanes(cast, lanes), code, message)

    assert lanes_of(cast.district_a) == [("Existing", 7, D(15), None)]


def test_swapping_two_lanes_positions_does_not_collide(cast):
    one = SalaryLaneFactory(
        district=cast.district_a,
        name="One",
        position=1,
        credits_required=None,
        micro_credentials_required=5,
    )
    two = SalaryLaneFactory(district=cast.district_a, name="Two", position=2, credits_required=D(9))

    set_lanes(
        cast,
        [
            LaneSpec("One", 2, None, 5, "", one.public_id),
            LaneSpec("Two", 1, D(9), None, "", two.public_id),
        ],
    )

    assert lanes_of(cast.district_a) == [("Two", 1, D(9), None), ("One", 2, None, 5)]


def test_adding_editing_and_deleting_one_lane(cast):
    access = cast.access(cast.dana)
    first = services.add_salary_lane(
        access=access,
        actor=cast.dana,
        name="BA+15",
        position="1",
        credits_required="15",
        micro_credentials_required="",
        description="",
    )
    services.add_salary_lane(
        access=access,
        actor=cast.dana,
        name="BA+30",
        position=2,
        credits_required="30",
        micro_credentials_required=None,
        description="",
    )
    services.update_salary_lane(
        access=access,
        actor=cast.dana,
        lane=first,
        name="BA+12",
        position=1,
        credits_required="12",
        micro_credentials_required=None,
        description="Twelve",
    )
    assert lanes_of(cast.district_a) == [("BA+12", 1, D(12), None), ("BA+30", 2, D(30), None)]

    refused(
        lambda: services.update_salary_lane(
            access=access,
            actor=cast.dana,
            lane=first,
            name="BA+12",
            position=1,
            credits_required="40",
            micro_credentials_required=None,
            description="",
        ),
        "lane_requirements_not_increasing",
        "“BA+30” (position 2) asks for 30 salary-lane credits, but “BA+12” below it (position "
        "1) already asks for 40: requirements must increase with position.",
    )

    services.delete_salary_lane(access=access, actor=cast.dana, lane=first)
    assert lanes_of(cast.district_a) == [("BA+30", 2, D(30), None)]


def test_another_districts_lane_cannot_be_edited(cast):
    other = SalaryLaneFactory(district=cast.district_b, name="Theirs", position=1)

    refused(
        lambda: services.delete_salary_lane(
            access=cast.access(cast.dana), actor=cast.dana, lane=other
        ),
        "unknown_lane",
        "That lane is not one of this district's.",
    )


def test_only_credit_managers_change_lanes(cast):
    with pytest.raises(PermissionDenied):
        set_lanes(cast, [{"name": "A", "position": 1, "credits_required": "1"}], user=cast.carol)
    assert SalaryLane.objects.count() == 0
