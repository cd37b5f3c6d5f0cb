"""SMART goals, reflections, coaches' comments on their caseload, and caseload management."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.tests.factories import MembershipFactory
from trellis.growth.models import CoachingAssignment, Goal, GoalComment, GoalReflection
from trellis.growth.services import goals as services
from trellis.growth.services.caseload import assign_coach
from trellis.growth.tests.factories import (
    GoalFactory,
    build_framework,
    submitted_snapshot,
)

TODAY = timezone.localdate


def goal_form(adopted, **change) -> dict:
    data = {
        "title": "Check for understanding",
        "description": "Plan two hinge questions per lesson.",
        "measure": "Used in 8 of 10 observed lessons.",
        "target_date": (TODAY() + dt.timedelta(days=60)).isoformat(),
        "competencies": [
            str(adopted.competencies[0].public_id),
            str(adopted.competencies[2].public_id),
        ],
        "status": "active",
    }
    data.update(change)
    return data


def goals_state() -> list[tuple]:
    return [
        (
            g.educator.email,
            g.title,
            g.status,
            g.target_date,
            sorted(c.human_code for c in g.competencies.all()),
        )
        for g in Goal.objects.order_by("id")
    ]


def make_goal(cast, adopted, user=None, **kwargs) -> Goal:
    user = user or cast.alice
    return GoalFactory(
        district=cast.district_a, educator=user, competencies=adopted.competencies[:1], **kwargs
    )


# ---------------------------------------------------------------------------------------------
# setting goals
# ---------------------------------------------------------------------------------------------


def test_an_educator_sets_a_smart_goal(cast, client_for, adopted):
    client = client_for(cast.alice)
    form = client.get(f"/growth/goals/new/?competency={adopted.competencies[1].public_id}")

    response = client.post("/growth/goals/new/", goal_form(adopted))

    goal = Goal.objects.get()
    assert f'value="{adopted.competencies[1].public_id}" checked' in form.content.decode()
    assert "<fieldset>\n      <legend>1 Domain 1</legend>" in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"/growth/goals/{goal.public_id}/"
    assert goals_state() == [
        (
            "alice@northfield.test",
            "Check for understanding",
            "active",
            TODAY() + dt.timedelta(days=60),
            ["1.1", "2.1"],
        )
    ]
    event = AuditEvent.objects.get(action="growth.goal_created")
    assert event.summary == "alice@northfield.test set the goal “Check for understanding”"
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Check for understanding</h1>" in page
    assert "<dt>Measure</dt><dd>Used in 8 of 10 observed lessons.</dd>" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target_date": "today"}, "The target date must be in the future."),
        ({"target_date": "yesterday"}, "The target date must be in the future."),
        ({"target_date": "31/12/2030"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
        ({"measure": "  "}, "This field is required."),
        ({"title": "t" * 201}, "Ensure this value has at most 200 characters (it has 201)."),
        ({"competencies": []}, "This field is required."),
        ({"competencies": ["6b1f5a44-1111-4a8e-9f0b-2f3c5d7e8a90"]}, "Select a valid choice."),
        (
            {"status": "achieved"},
            "Select a valid choice. achieved is not one of the available choices.",
        ),
    ],
)
def test_a_bad_goal_is_refused_and_nothing_is_written(cast, client_for, adopted, change, message):
    if change.get("target_date") == "today":
        change["target_date"] = TODAY().isoformat()
    if change.get("target_date") == "yesterday":
        change["target_date"] = (TODAY() - dt.timedelta(days=1)).isoformat()

    response = client_for(cast.alice).post("/growth/goals/new/", goal_form(adopted, **change))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Goal.objects.exists()
    assert not AuditEvent.objects.filter(action="growth.goal_created").exists()


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"target_date": "tomorrow"}, None, None),
        ({"target_date": None}, "target_date_required", "Enter a target date."),
        (
            {"competencies": []},
            "competencies_required",
            "Link the goal to at least one competency.",
        ),
        ({"competencies": ["foreign"]}, "unknown_competency", None),
        ({"description": ""}, "description_required", "Enter the specific description."),
        ({"status": "set_aside"}, "invalid_status", "A new goal starts as a draft or active."),
    ],
)
def test_the_goal_service_checks_every_field(cast, adopted, change, code, message):
    foreign = build_framework(cast.district_b).competencies[0]
    fields = {
        "title": "T",
        "description": "D",
        "measure": "M",
        "target_date": TODAY() + dt.timedelta(days=1),
        "competencies": [str(adopted.competencies[0].public_id)],
        **change,
    }
    if fields["target_date"] == "tomorrow":
        fields["target_date"] = TODAY() + dt.timedelta(days=1)
    if fields["competencies"] == ["foreign"]:
        fields["competencies"] = [str(foreign.public_id)]
        message = f"“{foreign.public_id}” is not a competency of Northfield Teaching Framework."
    if code is None:
        goal = services.create_goal(access=cast.access(cast.alice), actor=cast.alice, **fields)
        assert goal.target_date == TODAY() + dt.timedelta(days=1)
        return

    with pytest.raises(DomainError) as caught:
        services.create_goal(access=cast.access(cast.alice), actor=cast.alice, **fields)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert not Goal.objects.exists()


def test_without_a_framework_goals_cannot_be_set(cast, client_for):
    client = client_for(cast.alice)

    page = client.get("/growth/goals/new/").content.decode()
    client.post("/growth/goals/new/", {"title": "x"})

    assert "has not adopted one yet" in page
    assert not Goal.objects.exists()


def test_too_many_competencies_are_refused(cast):
    built = build_framework(cast.district_a, domains=3, per_domain=4)

    with pytest.raises(DomainError) as caught:
        services.create_goal(
            access=cast.access(cast.alice),
            actor=cast.alice,
            title="T",
            description="D",
            measure="M",
            target_date=TODAY() + dt.timedelta(days=9),
            competencies=[str(c.public_id) for c in built.competencies[:11]],
        )

    assert caught.value.code == "too_many_competencies"


# ---------------------------------------------------------------------------------------------
# editing, status and reflections
# ---------------------------------------------------------------------------------------------


def test_editing_keeps_a_past_target_date_that_was_not_changed(cast, client_for, adopted):
    goal = make_goal(cast, adopted, target_date=TODAY() - dt.timedelta(days=3))
    data = goal_form(adopted, title="Renamed", target_date=goal.target_date.isoformat())
    data["competencies"] = [str(adopted.competencies[0].public_id)]

    response = client_for(cast.alice).post(f"/growth/goals/{goal.public_id}/edit/", data)

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.target_date) == ("Renamed", TODAY() - dt.timedelta(days=3))
    assert AuditEvent.objects.get(action="growth.goal_updated").data == {
        "changed": ["title", "description", "measure"],
        "status": ["active", "active"],
    }


def test_moving_the_target_date_into_the_past_is_refused(cast, client_for, adopted):
    goal = make_goal(cast, adopted)
    before = goals_state()
    data = goal_form(adopted, target_date=(TODAY() - dt.timedelta(days=1)).isoformat())

    response = client_for(cast.alice).post(f"/growth/goals/{goal.public_id}/edit/", data)

    assert response.status_code == 400
    assert "The target date must be in the future." in response.content.decode()
    assert goals_state() == before


@pytest.mark.parametrize(
    ("start", "new", "allowed"),
    [
        ("draft", "active", True),
        ("active", "achieved", True),
        ("active", "set_aside", True),
        ("set_aside", "active", True),
        ("achieved", "active", True),
        ("achieved", "set_aside", False),
        ("draft", "achieved", False),
        ("set_aside", "achieved", False),
    ],
)
def test_goal_statuses_follow_the_life_cycle(cast, adopted, start, new, allowed):
    goal = make_goal(cast, adopted, status=start)

    if allowed:
        services.update_goal(
            access=cast.access(cast.alice), actor=cast.alice, goal=goal, status=new
        )
        goal.refresh_from_db()
        assert goal.status == new
        assert goal.status_changed_at is not None
        return
    with pytest.raises(DomainError) as caught:
        services.update_goal(
            access=cast.access(cast.alice), actor=cast.alice, goal=goal, status=new
        )
    assert caught.value.code == "invalid_status_change"
    goal.refresh_from_db()
    assert goal.status == start


def test_the_status_message_names_the_allowed_moves(cast, adopted):
    goal = make_goal(cast, adopted, status="achieved")

    with pytest.raises(DomainError) as caught:
        services.update_goal(
            access=cast.access(cast.alice), actor=cast.alice, goal=goal, status="set_aside"
        )

    assert (
        caught.value.message
        == "A goal that is achieved cannot become set aside; it can become active."
    )


def test_the_status_form_on_the_goal_page(cast, client_for, adopted):
    goal = make_goal(cast, adopted)
    client = client_for(cast.alice)

    done = client.post(f"/growth/goals/{goal.public_id}/status/", {"status": "achieved"})
    bad = client.post(f"/growth/goals/{goal.public_id}/status/", {"status": "draft"})

    assert done.status_code == 302
    assert bad.status_code == 400
    assert (
        "Select a valid choice. draft is not one of the available choices." in bad.content.decode()
    )
    goal.refresh_from_db()
    assert goal.status == "achieved"


def test_reflections_are_dated_entries_kept_in_order(cast, client_for, adopted):
    goal = make_goal(cast, adopted)
    client = client_for(cast.alice)

    client.post(f"/growth/goals/{goal.public_id}/reflections/", {"body": "First week went well."})
    client.post(f"/growth/goals/{goal.public_id}/reflections/", {"body": "Harder with period 3."})
    empty = client.post(f"/growth/goals/{goal.public_id}/reflections/", {"body": "   "})

    assert list(GoalReflection.objects.values_list("body", "written_on", "author")) == [
        ("First week went well.", TODAY(), cast.alice.pk),
        ("Harder with period 3.", TODAY(), cast.alice.pk),
    ]
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    page = client.get(f"/growth/goals/{goal.public_id}/").content.decode()
    assert page.index("First week went well.") < page.index("Harder with period 3.")


@pytest.mark.parametrize("who", ["eve", "carol", "dana", "bob"])
def test_another_persons_goal_is_missing_without_a_caseload(cast, client_for, adopted, who):
    goal = make_goal(cast, adopted)
    client = client_for(getattr(cast, who))

    assert client.get(f"/growth/goals/{goal.public_id}/").status_code == 404
    assert client.get(f"/growth/goals/{goal.public_id}/edit/").status_code == 404
    assert (
        client.post(f"/growth/goals/{goal.public_id}/reflections/", {"body": "x"}).status_code
        == 404
    )
    assert not GoalReflection.objects.exists()


def test_only_the_owner_changes_a_goal_in_the_service(cast, adopted, caseload):
    goal = make_goal(cast, adopted)

    with pytest.raises(PermissionDenied):
        services.update_goal(
            access=cast.access(cast.carol), actor=cast.carol, goal=goal, title="Mine"
        )
    with pytest.raises(PermissionDenied):
        services.add_reflection(
            access=cast.access(cast.carol), actor=cast.carol, goal=goal, body="x"
        )


# ---------------------------------------------------------------------------------------------
# coaches and caseloads
# ---------------------------------------------------------------------------------------------


def test_a_coach_sees_and_comments_on_their_caseloads_goals(cast, client_for, adopted, caseload):
    goal = make_goal(cast, adopted, title="Student talk")
    GoalReflection.objects.create(
        goal=goal, author=cast.alice, body="Trying turn-and-talk.", written_on=TODAY()
    )
    client = client_for(cast.carol)

    listing = client.get("/caseload/").content.decode()
    person = client.get(f"/caseload/{cast.alice.public_id}/").content.decode()
    page = client.get(f"/growth/goals/{goal.public_id}/").content.decode()
    response = client.post(
        f"/growth/goals/{goal.public_id}/comments/", {"comment-body": "Nice start!"}
    )

    assert '<th scope="row"><a href="/caseload/' in listing
    assert "<td>alice@northfield.test</td><td>1</td>" in listing
    assert "Student talk" in person
    assert "Trying turn-and-talk." in page
    assert "Edit the goal" not in page
    assert "Save status" not in page
    assert response.status_code == 302
    assert list(GoalComment.objects.values_list("author__email", "body")) == [
        ("carol@northfield.test", "Nice start!")
    ]
    event = AuditEvent.objects.get(action="growth.goal_commented")
    assert event.subject == cast.alice
    own = client_for(cast.alice).get(f"/growth/goals/{goal.public_id}/").content.decode()
    assert "<strong>Carol Cruz</strong>" in own
    assert "Nice start!" in own


def test_a_coach_without_the_educator_on_their_caseload_gets_404(
    cast, client_for, adopted, caseload
):
    eves = make_goal(cast, adopted, user=cast.eve)
    other_coach = MembershipFactory(
        user__email="otto@northfield.test",
        district=cast.district_a,
        role="coach",
        school=cast.middle_a,
    ).user
    alices = make_goal(cast, adopted)

    assert client_for(cast.carol).get(f"/growth/goals/{eves.public_id}/").status_code == 404
    assert client_for(cast.carol).get(f"/caseload/{cast.eve.public_id}/").status_code == 404
    assert client_for(other_coach).get(f"/growth/goals/{alices.public_id}/").status_code == 404
    response = client_for(other_coach).post(
        f"/growth/goals/{alices.public_id}/comments/", {"comment-body": "x"}
    )
    assert response.status_code == 404
    assert not GoalComment.objects.exists()


def test_another_districts_coach_gets_404(cast, client_for, adopted, caseload):
    goal = make_goal(cast, adopted)
    coach_b = MembershipFactory(
        user__email="cody@southport.test",
        district=cast.district_b,
        role="coach",
        school=cast.school_b,
    ).user

    assert client_for(coach_b).get(f"/growth/goals/{goal.public_id}/").status_code == 404
    assert (
        client_for(coach_b)
        .post(f"/growth/goals/{goal.public_id}/comments/", {"comment-body": "x"})
        .status_code
        == 404
    )
    assert not GoalComment.objects.exists()


def test_an_educator_cannot_comment_and_a_coach_cannot_comment_on_their_own_goal(
    cast, client_for, adopted, caseload
):
    alices = make_goal(cast, adopted)
    carols = make_goal(cast, adopted, user=cast.carol)

    assert (
        client_for(cast.alice)
        .post(f"/growth/goals/{alices.public_id}/comments/", {"comment-body": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(cast.carol)
        .post(f"/growth/goals/{carols.public_id}/comments/", {"comment-body": "x"})
        .status_code
        == 404
    )
    assert not GoalComment.objects.exists()


def test_an_empty_comment_is_refused(cast, client_for, adopted, caseload):
    goal = make_goal(cast, adopted)

    response = client_for(cast.carol).post(
        f"/growth/goals/{goal.public_id}/comments/", {"comment-body": ""}
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not GoalComment.objects.exists()


def test_the_comment_service_rechecks_the_caseload(cast, adopted):
    goal = make_goal(cast, adopted)

    with pytest.raises(PermissionDenied) as caught:
        services.add_comment(access=cast.access(cast.carol), actor=cast.carol, goal=goal, body="Hi")

    assert caught.value.message == "You can comment only on goals of educators on your caseload."


def test_an_empty_caseload_says_so(cast, client_for):
    content = client_for(cast.carol).get("/caseload/").content.decode()

    assert "No one is on your caseload yet." in content


@pytest.mark.parametrize("who", ["alice", "pat", "dana"])
def test_only_coaches_have_a_caseload_page(cast, client_for, who):
    assert client_for(getattr(cast, who)).get("/caseload/").status_code == 403


# ---------------------------------------------------------------------------------------------
# admins manage caseloads on the person page
# ---------------------------------------------------------------------------------------------


def test_an_admin_assigns_and_removes_a_coach_on_the_person_page(cast, client_for):
    client = client_for(cast.dana)
    page = client.get(f"/people/{cast.alice.public_id}/").content.decode()

    added = client.post(
        f"/people/{cast.alice.public_id}/coaches/", {"coach": str(cast.carol.public_id)}
    )
    shown = client.get(f"/people/{cast.alice.public_id}/").content.decode()
    assignment = CoachingAssignment.objects.get()
    removed = client.post(f"/people/{cast.alice.public_id}/coaches/{assignment.public_id}/remove/")

    assert '<h2 id="coaching-h">Coaching</h2>' in page
    assert f'<option value="{cast.carol.public_id}">Carol Cruz</option>' in page
    assert added.status_code == 302
    assert added["Location"] == f"/people/{cast.alice.public_id}/"
    assert "Carol Cruz now coaches Alice Archer." in shown
    assert 'aria-label="Remove Carol Cruz as coach of Alice Archer"' in shown
    assert removed.status_code == 302
    assert not CoachingAssignment.objects.exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="growth.coach_").values_list(
            "action", "summary"
        )
    ) == [
        (
            "growth.coach_unassigned",
            "carol@northfield.test no longer coaches alice@northfield.test",
        ),
        ("growth.coach_assigned", "carol@northfield.test now coaches alice@northfield.test"),
    ]


@pytest.mark.parametrize(
    ("coach", "message"),
    [
        ("pat", "Choose a coach from the list."),  # not a coach
        ("nonsense", "Choose a coach from the list."),
        ("", "Choose a coach from the list."),
        ("carol-twice", "Carol Cruz already coaches Alice Archer."),
    ],
)
def test_a_bad_assignment_is_refused_with_a_message(cast, client_for, coach, message):
    if coach == "carol-twice":
        CoachingAssignment.objects.create(
            district=cast.district_a, coach=cast.carol, educator=cast.alice
        )
    value = {"pat": str(cast.pat.public_id), "carol-twice": str(cast.carol.public_id)}.get(
        coach, coach
    )
    before = CoachingAssignment.objects.count()

    response = client_for(cast.dana).post(
        f"/people/{cast.alice.public_id}/coaches/", {"coach": value}, follow=True
    )

    assert message in response.content.decode()
    assert CoachingAssignment.objects.count() == before


def test_a_coach_cannot_coach_themselves(cast):
    with pytest.raises(DomainError) as caught:
        assign_coach(
            access=cast.access(cast.dana), actor=cast.dana, coach=cast.carol, educator=cast.carol
        )

    assert caught.value.code == "cannot_coach_self"


def test_only_admins_assign_and_only_in_their_district(cast, client_for):
    data = {"coach": str(cast.carol.public_id)}

    assert (
        client_for(cast.pat).post(f"/people/{cast.alice.public_id}/coaches/", data).status_code
        == 403
    )
    assert (
        client_for(cast.carol).post(f"/people/{cast.alice.public_id}/coaches/", data).status_code
        == 403
    )
    assert (
        client_for(cast.bea).post(f"/people/{cast.alice.public_id}/coaches/", data).status_code
        == 404
    )
    assert (
        client_for(cast.dana).post(f"/people/{cast.bob.public_id}/coaches/", data).status_code
        == 404
    )
    assert not CoachingAssignment.objects.exists()
    assert (
        "Coaching"
        not in client_for(cast.pat).get(f"/people/{cast.alice.public_id}/").content.decode()
    )


def test_an_assignment_is_removed_only_through_its_own_person(cast, client_for, caseload):
    response = client_for(cast.dana).post(
        f"/people/{cast.eve.public_id}/coaches/{caseload.public_id}/remove/"
    )

    assert response.status_code == 404
    assert CoachingAssignment.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# the dashboard panel
# ---------------------------------------------------------------------------------------------


def test_the_home_page_shows_active_goals_and_the_latest_self_assessment(cast, client_for, adopted):
    make_goal(cast, adopted, title="Talk moves", target_date=TODAY() + dt.timedelta(days=30))
    make_goal(cast, adopted, title="Exit tickets", target_date=TODAY() + dt.timedelta(days=10))
    make_goal(cast, adopted, title="Old one", status="achieved")
    snap = submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, {adopted.competencies[0]: 2}
    )

    content = client_for(cast.alice).get("/").content.decode()
    empty = client_for(cast.eve).get("/").content.decode()

    assert "<p>2 active goals:</p>" in content
    assert content.index("Exit tickets") < content.index("Talk moves")
    assert "Old one" not in content
    assert (
        f'Latest self-assessment: <time datetime="{timezone.localtime(snap.submitted_at).isoformat()}">'
        in content
    )
    assert "<p>No active goals.</p>" in empty
    assert "No self-assessment yet." in empty
