"""Self-assessment: empty state, the grouped form, drafts that keep work, dated snapshots."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.errors import DomainError
from trellis.frameworks.models import FrameworkItem
from trellis.growth import queries
from trellis.growth.models import SelfAssessment, SelfRating
from trellis.growth.services.assessments import (
    RatingInput,
    discard_self_assessment_draft,
    save_self_assessment,
)
from trellis.growth.tests.factories import build_framework, submitted_snapshot

URL = "/growth/self-assessment/"


def form_data(levels: dict, notes: dict | None = None, action: str = "draft") -> dict:
    data = {"action": action}
    for item, value in levels.items():
        data[f"level_{item.public_id.hex}"] = str(value)
    for item, note in (notes or {}).items():
        data[f"note_{item.public_id.hex}"] = note
    return data


def stored() -> list[tuple]:
    """Every self-assessment with its ratings: (status, [(code, value, note)])."""
    return [
        (
            a.status,
            a.submitted_at is not None,
            [(r.item.human_code, r.value, r.note) for r in a.ratings.order_by("item__human_code")],
        )
        for a in SelfAssessment.objects.order_by("id")
    ]


# ---------------------------------------------------------------------------------------------
# empty states
# ---------------------------------------------------------------------------------------------


def test_without_an_adopted_framework_the_page_explains_and_saves_nothing(cast, client_for):
    build_framework(cast.district_a, adopted=False)  # a framework, but not adopted
    build_framework(cast.district_b)  # adopted elsewhere
    client = client_for(cast.alice)

    page = client.get(URL)
    posted = client.post(URL, {"action": "submit"})
    growth = client.get("/growth/")

    assert page.status_code == 200
    assert (
        "Northfield has not adopted a competency framework yet, so there is nothing to rate "
        "yourself against." in page.content.decode()
    )
    assert '<form method="post" novalidate>' not in page.content.decode()
    assert posted.status_code == 200
    assert not SelfAssessment.objects.exists()
    assert "Northfield has not adopted a competency framework yet." in growth.content.decode()


def test_the_service_refuses_without_an_adopted_framework(cast):
    with pytest.raises(DomainError) as caught:
        save_self_assessment(
            access=cast.access(cast.alice), actor=cast.alice, ratings=[], submit=False
        )

    assert caught.value.code == "no_adopted_framework"
    assert caught.value.message == (
        "Northfield has not adopted a competency framework yet, so there are no competencies to "
        "work with. A district PD leader adopts one under Frameworks."
    )


def test_a_framework_without_competencies_has_its_own_empty_state(cast, client_for):
    build_framework(cast.district_a, domains=0)

    page = client_for(cast.alice).get(URL).content.decode()

    assert "Northfield Teaching Framework has no competencies to rate yet." in page


# ---------------------------------------------------------------------------------------------
# the form
# ---------------------------------------------------------------------------------------------


def test_the_form_has_a_fieldset_per_domain_and_a_radio_group_per_competency(
    cast, client_for, adopted
):
    content = client_for(cast.alice).get(URL).content.decode()

    assert re.findall(
        r'<fieldset class="card" id="domain-\d">\s*<legend><h2>([^<]+)</h2>', content
    ) == [
        "1 Domain 1",
        "2 Domain 2",
    ]
    assert re.findall(r'<fieldset class="competency">\s*<legend>([^<]+)</legend>', content) == [
        "1.1 Competency 1.1",
        "1.2 Competency 1.2",
        "2.1 Competency 2.1",
        "2.2 Competency 2.2",
    ]
    first = adopted.competencies[0].public_id.hex
    radios = re.findall(rf'<input type="radio" name="level_{first}" value="(\d)"', content)
    assert radios == ["1", "2", "3", "4"]
    assert re.findall(
        rf'<label for="id_level_{first}_\d">\s*<input[^>]*>\s*([A-Za-z]+)', content
    ) == [
        "Beginning",
        "Developing",
        "Proficient",
        "Exemplary",
    ]
    assert "Indicator 1.1.a" not in content  # only competencies are rated
    assert content.count('value="draft"') == 3  # one per domain and one at the end
    assert '<a href="#domain-2">2 Domain 2</a>' in content


def test_competencies_under_standards_are_grouped_by_their_domain(cast, client_for):
    built = build_framework(cast.district_a, with_standards=True)
    loose = FrameworkItem.objects.create(
        framework=built.framework, kind="competency", human_code="9.9", title="Loose", position=9
    )

    cmap = queries.competency_map(built.framework)

    assert [(g.title, [str(i) for i in g.competencies]) for g in cmap.groups] == [
        ("1 Domain 1", ["1.1 Competency 1.1", "1.2 Competency 1.2"]),
        ("2 Domain 2", ["2.1 Competency 2.1", "2.2 Competency 2.2"]),
        ("Other competencies", [str(loose)]),
    ]


def test_saving_part_way_keeps_a_server_side_draft(cast, client_for, adopted):
    first, second = adopted.competencies[:2]
    client = client_for(cast.alice)

    response = client.post(URL, form_data({first: 2}, {second: "Not sure yet"}))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert stored() == [("draft", False, [("1.1", 2, ""), ("1.2", None, "Not sure yet")])]
    page = client.get(URL).content.decode()
    assert "(1 of 4 rated)" in page
    assert re.search(rf'name="level_{first.public_id.hex}" value="2"[^>]*checked', page)
    assert "Not sure yet</textarea>" in page
    event = AuditEvent.objects.get(action="growth.self_assessment_draft_saved")
    assert event.data == {"rated": 1, "total": 4}


def test_submitting_an_incomplete_form_keeps_the_answers_and_changes_nothing(
    cast, client_for, adopted
):
    first, second, third, _fourth = adopted.competencies
    client = client_for(cast.alice)
    client.post(URL, form_data({first: 1}))
    before = stored()

    response = client.post(URL, form_data({first: 3, second: 2}, {third: "Later"}, action="submit"))

    content = response.content.decode()
    assert response.status_code == 400
    assert (
        "Rate every competency before submitting: 2 of 4 still have no level "
        "(2.1 Competency 2.1, 2.2 Competency 2.2). Save a draft to finish later." in content
    )
    assert re.search(rf'name="level_{first.public_id.hex}" value="3"[^>]*checked', content)
    assert "Later</textarea>" in content
    assert stored() == before


def test_submitting_makes_a_dated_snapshot_and_ends_the_draft(cast, client_for, adopted):
    c = adopted.competencies
    client = client_for(cast.alice)
    client.post(URL, form_data({c[0]: 1}))

    response = client.post(URL, form_data({c[0]: 2, c[1]: 3, c[2]: 1, c[3]: 4}, action="submit"))

    assert response.status_code == 302
    assert response["Location"] == "/growth/"
    assert stored() == [
        ("submitted", True, [("1.1", 2, ""), ("1.2", 3, ""), ("2.1", 1, ""), ("2.2", 4, "")])
    ]
    assert queries.self_assessment_draft(cast.district_a, cast.alice) is None
    event = AuditEvent.objects.get(action="growth.self_assessment_submitted")
    assert event.summary == "alice@northfield.test submitted a self-assessment of 4 competencies"


def test_history_is_kept_and_the_next_form_starts_from_the_latest_snapshot(
    cast, client_for, adopted
):
    c = adopted.competencies
    client = client_for(cast.alice)
    client.post(URL, form_data(dict.fromkeys(c, 1), {c[0]: "Starting out"}, action="submit"))
    page = client.get(URL).content.decode()

    client.post(URL, form_data({c[0]: 3, c[1]: 2, c[2]: 1, c[3]: 2}, action="submit"))

    assert "are filled in: change what has changed." in page
    assert re.search(rf'name="level_{c[0].public_id.hex}" value="1"[^>]*checked', page)
    assert "Starting out</textarea>" in page
    snapshots = list(queries.self_assessment_history(cast.district_a, cast.alice))
    assert [(s.rated, s.mean) for s in snapshots] == [(4, 2.0), (4, 1.0)]
    growth = client.get("/growth/").content.decode()
    assert growth.count('href="/growth/self-assessment/') == 3  # button + two snapshots
    row = growth[growth.index('<th scope="row">1.1 Competency 1.1</th>') :].split("</tr>")[0]
    assert "<td>3 · Proficient</td>" in row
    assert '<td><span class="up">+2</span></td>' in row


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("level", "Select a valid choice. 9 is not one of the available choices."),
        ("note", "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_bad_form_values_are_refused_and_nothing_is_written(
    cast, client_for, adopted, change, message
):
    item = adopted.competencies[0]
    data = form_data({item: 9}) if change == "level" else form_data({item: 2}, {item: "n" * 1001})

    response = client_for(cast.alice).post(URL, data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SelfAssessment.objects.exists()


def test_the_service_reports_every_bad_rating_and_writes_nothing(cast, adopted):
    c = adopted.competencies
    indicator = FrameworkItem.objects.get(framework=adopted.framework, human_code="1.1.a")
    foreign = build_framework(cast.district_b).competencies[0]

    with pytest.raises(DomainError) as caught:
        save_self_assessment(
            access=cast.access(cast.alice),
            actor=cast.alice,
            ratings=[
                RatingInput(str(c[0].public_id), 2),
                RatingInput(str(c[0].public_id), 3),
                RatingInput(str(c[1].public_id), 5),
                RatingInput(str(c[2].public_id), 2, "x" * 1001),
                RatingInput(str(indicator.public_id), 2),
                RatingInput(str(foreign.public_id), 2),
                RatingInput("not-an-id", 2),
            ],
            submit=False,
        )

    assert caught.value.code == "invalid_ratings"
    assert caught.value.message == "1.1 Competency 1.1 is rated more than once. (and 5 more)"
    assert [(e["field"], e["message"]) for e in caught.value.details["errors"]] == [
        ("competency", "1.1 Competency 1.1 is rated more than once."),
        (
            "level",
            "1.2 Competency 1.2: 5 is not a level of the scale: 1 (Beginning), 2 (Developing), "
            "3 (Proficient), 4 (Exemplary).",
        ),
        ("note", "2.1 Competency 2.1: the note is too long, at most 1000 characters (1001 given)."),
        (
            "competency",
            f"“{indicator.public_id}” is not a competency of Northfield Teaching Framework.",
        ),
        (
            "competency",
            f"“{foreign.public_id}” is not a competency of Northfield Teaching Framework.",
        ),
        ("competency", "“not-an-id” is not a competency of Northfield Teaching Framework."),
    ]
    assert not SelfAssessment.objects.exists()
    assert not SelfRating.objects.exists()


def test_a_saved_draft_replaces_the_previous_draft(cast, adopted):
    c = adopted.competencies
    access = cast.access(cast.alice)
    first = save_self_assessment(
        access=access, actor=cast.alice, ratings=[RatingInput(str(c[0].public_id), 1)], submit=False
    )

    second = save_self_assessment(
        access=access, actor=cast.alice, ratings=[RatingInput(str(c[1].public_id), 4)], submit=False
    )

    assert first.pk == second.pk
    assert stored() == [("draft", False, [("1.2", 4, "")])]


def test_discarding_a_draft_keeps_snapshots(cast, client_for, adopted):
    c = adopted.competencies
    submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, dict.fromkeys(c, 2), days_ago=5
    )
    client = client_for(cast.alice)
    client.post(URL, form_data({c[0]: 4}))

    response = client.post(URL, {"action": "discard"})

    assert response.status_code == 302
    assert [s[0] for s in stored()] == ["submitted"]
    assert discard_self_assessment_draft(access=cast.access(cast.alice), actor=cast.alice) is False
    assert AuditEvent.objects.filter(action="growth.self_assessment_draft_discarded").count() == 1


def test_drafts_are_personal(cast, client_for, adopted):
    c = adopted.competencies
    client_for(cast.alice).post(URL, form_data({c[0]: 4}))

    page = client_for(cast.eve).get(URL).content.decode()

    assert "You are continuing your draft" not in page
    assert not re.search(rf'name="level_{c[0].public_id.hex}" value="4"[^>]*checked', page)


# ---------------------------------------------------------------------------------------------
# snapshots
# ---------------------------------------------------------------------------------------------


def test_a_snapshot_page_shows_its_ratings_and_notes(cast, client_for, adopted):
    c = adopted.competencies
    snap = submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, {c[0]: 3, c[1]: 1}, notes={c[0]: "Strong"}
    )

    response = client_for(cast.alice).get(f"{URL}{snap.public_id}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<h1>Self-assessment of <time datetime="{timezone.localtime(snap.submitted_at).isoformat()}">'
        in content
    )
    assert (
        '<tr><th scope="row">1.1 Competency 1.1</th><td>3 · Proficient</td><td>Strong</td></tr>'
        in content
    )
    assert (
        '<tr><th scope="row">1.2 Competency 1.2</th><td>1 · Beginning</td><td>—</td></tr>'
        in content
    )


@pytest.mark.parametrize("who", ["eve", "carol", "dana", "bob"])
def test_someone_elses_snapshot_is_missing(cast, client_for, adopted, who):
    snap = submitted_snapshot(
        cast.alice, cast.district_a, adopted.framework, {adopted.competencies[0]: 3}
    )

    response = client_for(getattr(cast, who)).get(f"{URL}{snap.public_id}/")

    assert response.status_code == 404


def test_a_draft_has_no_snapshot_page(cast, client_for, adopted):
    draft = save_self_assessment(
        access=cast.access(cast.alice),
        actor=cast.alice,
        ratings=[RatingInput(str(adopted.competencies[0].public_id), 2)],
        submit=False,
    )

    assert client_for(cast.alice).get(f"{URL}{draft.public_id}/").status_code == 404
