"""The learning plan, and the growth page that brings profile, goals, plan and history together."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError, PermissionDenied
from trellis.growth.charts import paired_bars, short_number
from trellis.growth.models import PlanItem
from trellis.growth.services import plan as services
from trellis.growth.tests.factories import (
    GoalFactory,
    ObservationFactory,
    PlanItemFactory,
    build_framework,
    submitted_snapshot,
)

TODAY = timezone.localdate


def plan_state() -> list[tuple]:
    return list(
        PlanItem.objects.order_by("id").values_list(
            "educator__email", "title", "kind", "link", "goal__title", "status", "target_date"
        )
    )


def plan_form(**change) -> dict:
    return {
        "title": "Formative assessment course",
        "kind": "course",
        "link": "https://example.org/course",
        "goal": "",
        "status": "planned",
        "target_date": (TODAY() + dt.timedelta(days=30)).isoformat(),
        **change,
    }


def test_an_educator_adds_an_activity_linked_to_a_goal(cast, client_for, adopted):
    goal = GoalFactory(district=cast.district_a, educator=cast.alice, title="Talk moves")
    client = client_for(cast.alice)
    form = client.get(f"/growth/plan/new/?goal={goal.public_id}").content.decode()

    response = client.post("/growth/plan/new/", plan_form(goal=str(goal.public_id)))

    assert f'<option value="{goal.public_id}" selected>Talk moves</option>' in form
    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    assert plan_state() == [
        (
            "alice@northfield.test",
            "Formative assessment course",
            "course",
            "https://example.org/course",
            "Talk moves",
            "planned",
            TODAY() + dt.timedelta(days=30),
        )
    ]
    event = AuditEvent.objects.get(action="growth.plan_item_added")
    assert event.data == {"kind": "course", "status": "planned"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "This field is required."),
        (
            {"kind": "podcast"},
            "Select a valid choice. podcast is not one of the available choices.",
        ),
        ({"link": "not a link"}, "Enter a valid URL."),
        (
            {"status": "abandoned"},
            "Select a valid choice. abandoned is not one of the available choices.",
        ),
        ({"goal": "6b1f5a44-1111-4a8e-9f0b-2f3c5d7e8a90"}, "Select a valid choice."),
        ({"target_date": "yesterday"}, "The target date cannot be in the past."),
    ],
)
def test_a_bad_activity_is_refused_and_nothing_is_written(cast, client_for, change, message):
    if change.get("target_date") == "yesterday":
        change["target_date"] = (TODAY() - dt.timedelta(days=1)).isoformat()

    response = client_for(cast.alice).post("/growth/plan/new/", plan_form(**change))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanItem.objects.exists()


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (
            {"link": "ftp://example.org/x"},
            "invalid_link",
            "“ftp://example.org/x” is not a web address; it should start with https://.",
        ),
        ({"goal": "someone-elses"}, "unknown_goal", "That goal is not one of yours."),
        ({"goal": "garbage"}, "unknown_goal", "That goal is not one of yours."),
        (
            {"kind": "podcast"},
            "unknown_kind",
            "Unknown kind “podcast”. Use: course, workshop, plc, coaching, micro_credential, reading, video, other.",
        ),
        ({"title": " "}, "title_required", "Enter the title."),
    ],
)
def test_the_plan_service_checks_every_field(cast, change, code, message):
    eves = GoalFactory(district=cast.district_a, educator=cast.eve)
    if change.get("goal") == "someone-elses":
        change["goal"] = str(eves.public_id)

    with pytest.raises(DomainError) as caught:
        services.add_plan_item(
            access=cast.access(cast.alice),
            actor=cast.alice,
            **{"title": "T", "kind": "video", **change},
        )

    assert (caught.value.code, caught.value.message) == (code, message)
    assert not PlanItem.objects.exists()


def test_an_educator_updates_the_state_of_an_activity(cast, client_for):
    item = PlanItemFactory(
        district=cast.district_a, educator=cast.alice, target_date=TODAY() - dt.timedelta(days=5)
    )
    data = plan_form(
        title=item.title, link="", status="done", target_date=item.target_date.isoformat()
    )

    response = client_for(cast.alice).post(f"/growth/plan/{item.public_id}/", data)

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.target_date) == ("done", TODAY() - dt.timedelta(days=5))
    assert AuditEvent.objects.get(action="growth.plan_item_updated").data == {
        "changed": ["status"],
        "status": ["planned", "done"],
    }


@pytest.mark.parametrize("who", ["eve", "carol", "dana", "bob"])
def test_another_persons_activity_is_missing(cast, client_for, who):
    item = PlanItemFactory(district=cast.district_a, educator=cast.alice)

    client = client_for(getattr(cast, who))

    assert client.get(f"/growth/plan/{item.public_id}/").status_code == 404
    assert (
        client.post(f"/growth/plan/{item.public_id}/", plan_form(status="done")).status_code == 404
    )
    item.refresh_from_db()
    assert item.status == "planned"


def test_only_the_owner_updates_an_activity_in_the_service(cast):
    item = PlanItemFactory(district=cast.district_a, educator=cast.alice)

    with pytest.raises(PermissionDenied):
        services.update_plan_item(
            access=cast.access(cast.eve), actor=cast.eve, item=item, status="done"
        )


# ---------------------------------------------------------------------------------------------
# the growth page
# ---------------------------------------------------------------------------------------------


def test_the_growth_page_shows_goals_plan_and_history_in_one_view(cast, client_for, adopted):
    c = adopted.competencies
    submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, dict.fromkeys(c, 1), days_ago=60
    )
    submitted_snapshot(cast.alice, cast.district_a, adopted.framework, dict.fromkeys(c, 2))
    goal = GoalFactory(
        district=cast.district_a, educator=cast.alice, title="Talk moves", competencies=c[:2]
    )
    GoalFactory(district=cast.district_a, educator=cast.alice, title="Done one", status="achieved")
    PlanItemFactory(
        district=cast.district_a,
        educator=cast.alice,
        title="Read a book",
        kind="reading",
        goal=goal,
    )
    PlanItemFactory(
        district=cast.district_a, educator=cast.alice, title="Doing it", status="in_progress"
    )

    content = client_for(cast.alice).get("/growth/").content.decode()

    assert '<h2 id="competencies-h">Competency profile</h2>' in content
    assert '<svg class="pair-chart" viewBox="0 0 590 210" role="img"' in content
    assert "<caption>Self-assessment and observations per competency</caption>" in content
    assert "Talk moves</a>" in content
    assert "· 1.1, 1.2" in content
    assert "<summary>Achieved and set-aside goals (1)</summary>" in content
    assert content.index("Doing it") < content.index("Read a book")  # in progress first
    assert "<td>Reading</td>\n      <td>Talk moves</td>" in content
    assert content.count("<td>Northfield Teaching Framework</td>") == 2
    assert "<td>4</td>\n      <td>2.00</td>" in content
    assert "<td>4</td>\n      <td>1.00</td>" in content


def test_the_growth_page_of_a_newcomer_shows_every_empty_state(cast, client_for, adopted):
    content = client_for(cast.eve).get("/growth/").content.decode()

    assert "You have not submitted a self-assessment yet." in content
    assert "Start your self-assessment" in content
    assert "No goals in progress." in content
    assert "Your plan is empty." in content
    assert "No self-assessments yet." in content


def _fill(cast, built, goals: int) -> None:
    c = built.competencies
    submitted_snapshot(
        cast.alice, cast.district_a, built.framework, dict.fromkeys(c, 1), days_ago=90
    )
    submitted_snapshot(
        cast.alice, cast.district_a, built.framework, dict.fromkeys(c, 2), days_ago=30
    )
    submitted_snapshot(cast.alice, cast.district_a, built.framework, dict.fromkeys(c, 3))
    for item in c:
        ObservationFactory(
            district=cast.district_a, educator=cast.alice, item=item, observer_role="coach"
        )
        ObservationFactory(
            district=cast.district_a, educator=cast.alice, item=item, observer_role="principal"
        )
    for n in range(goals):
        goal = GoalFactory(district=cast.district_a, educator=cast.alice, competencies=c[:2])
        goal.reflections.create(author=cast.alice, body=f"Reflection {n}", written_on=TODAY())
        goal.comments.create(author=cast.carol, body=f"Comment {n}")
        PlanItemFactory(district=cast.district_a, educator=cast.alice, goal=goal)


@pytest.mark.parametrize(("small", "large"), [((1, 3, 3), (3, 4, 12))])
def test_the_growth_page_costs_the_same_queries_for_3_or_12_competencies_and_goals(
    cast, client_for, django_assert_max_num_queries, small, large
):
    client = client_for(cast.alice)
    built = build_framework(cast.district_a, domains=small[0], per_domain=small[1])
    _fill(cast, built, goals=small[2])
    with CaptureQueriesContext(connection) as few:
        response = client.get("/growth/")
    assert (
        response.content.decode().count('<th scope="row">') == 3 + 3 + 3
    )  # rows: competencies, plan, history

    built.framework.delete()
    built = build_framework(cast.district_a, domains=large[0], per_domain=large[1])
    _fill(cast, built, goals=large[2])
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as many:
        response = client.get("/growth/")
    assert response.content.decode().count('<th scope="row">') == 12 + 15 + 3

    assert len(many) == len(few)


# ---------------------------------------------------------------------------------------------
# chart geometry
# ---------------------------------------------------------------------------------------------


def test_the_chart_places_self_and_observed_bars_on_the_scale():
    chart = paired_bars(
        [
            ("1.1 Planning", 2, 3.5),
            ("1.2 A very long competency name that will not fit", None, None),
        ],
        levels=[(1, "Beginning"), (2, "Developing"), (3, "Proficient"), (4, "Exemplary")],
    )

    first, second = chart.rows
    assert (first.y, first.self_width, first.observed_width, first.observed_text) == (
        30,
        150.0,
        262.5,
        "3.5",
    )
    assert (first.self_text_x, first.observed_text_x) == (386.0, 498.5)
    assert second.label == "1.2 A very long competency name t…"
    assert second.title == "1.2 A very long competency name that will not fit"
    assert (second.self_width, second.observed_width, second.observed_text) == (0.0, 0.0, "")
    assert [(t.x, t.value) for t in chart.ticks] == [(305.0, 1), (380.0, 2), (455.0, 3), (530.0, 4)]
    assert (chart.width, chart.height, chart.axis_height) == (590, 130, 110)


@pytest.mark.parametrize(
    ("value", "text"), [(2.5, "2.5"), (3.0, "3"), (2.333333, "2.33"), (2.999, "3")]
)
def test_short_numbers(value, text):
    assert short_number(value) == text
