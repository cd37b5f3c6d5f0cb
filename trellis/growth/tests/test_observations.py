"""Observation ratings from CSV: dry run, all-or-nothing, no duplicates, summaries beside self."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from trellis.audit.models import AuditEvent
from trellis.core.csvio import RowError
from trellis.core.errors import DomainError, PermissionDenied
from trellis.growth import queries
from trellis.growth.models import ObservationRating
from trellis.growth.services.observations import import_observations
from trellis.growth.tests.factories import ObservationFactory, build_framework, submitted_snapshot

HEADER = "educator_email,competency_code,rating,observed_on,observer_role,observer_name\n"
GOOD = (
    HEADER
    + "alice@northfield.test,1.1,2,2025-03-14,principal,Pat Park\n"
    + "ALICE@northfield.test,1.1,3,2025-03-20,coach,Carol Cruz\n"
    + "alice@northfield.test,1.2,4,2025-03-20,peer,\n"
    + "eve@northfield.test,2.1,1,2025-04-01,other,  Visiting   team \n"
)


def run(cast, data: str | bytes, *, dry_run: bool = False, who=None):
    who = who or cast.dana
    raw = data.encode() if isinstance(data, str) else data
    return import_observations(access=cast.access(who), actor=who, data=raw, dry_run=dry_run)


def stored() -> list[tuple]:
    return list(
        ObservationRating.objects.order_by("id").values_list(
            "educator__email",
            "item__human_code",
            "value",
            "observed_on",
            "observer_role",
            "observer_name",
        )
    )


EXPECTED = [
    ("alice@northfield.test", "1.1", 2, dt.date(2025, 3, 14), "principal", "Pat Park"),
    ("alice@northfield.test", "1.1", 3, dt.date(2025, 3, 20), "coach", "Carol Cruz"),
    ("alice@northfield.test", "1.2", 4, dt.date(2025, 3, 20), "peer", ""),
    ("eve@northfield.test", "2.1", 1, dt.date(2025, 4, 1), "other", "Visiting team"),
]


def test_a_dry_run_previews_and_writes_nothing(cast, adopted):
    result = run(cast, GOOD, dry_run=True)

    assert (
        result.rows,
        len(result.new),
        result.already_imported,
        result.errors,
        result.written,
    ) == (
        4,
        4,
        0,
        [],
        0,
    )
    assert [(r.row, r.educator.email, str(r.item), r.value, r.level_label) for r in result.new] == [
        (2, "alice@northfield.test", "1.1 Competency 1.1", 2, "Developing"),
        (3, "alice@northfield.test", "1.1 Competency 1.1", 3, "Proficient"),
        (4, "alice@northfield.test", "1.2 Competency 1.2", 4, "Exemplary"),
        (5, "eve@northfield.test", "2.1 Competency 2.1", 1, "Beginning"),
    ]
    assert not ObservationRating.objects.exists()
    assert not AuditEvent.objects.filter(action="growth.observations_imported").exists()


def test_an_import_writes_every_rater_apart_and_a_second_import_adds_nothing(cast, adopted):
    first = run(cast, GOOD)
    second = run(cast, GOOD)

    assert (first.written, first.already_imported) == (4, 0)
    assert (second.written, second.already_imported, second.errors) == (0, 4, [])
    assert stored() == EXPECTED
    assert set(ObservationRating.objects.values_list("imported_by", flat=True)) == {cast.dana.pk}
    event = AuditEvent.objects.get(action="growth.observations_imported")
    assert event.data == {"rows": 4, "created": 4, "already_imported": 0}
    assert event.summary == "Imported 4 observation rating(s) for 2 educator(s)"


def test_a_file_with_old_and_new_rows_adds_only_the_new(cast, adopted):
    run(cast, GOOD)

    result = run(cast, GOOD + "eve@northfield.test,2.2,2,2025-04-02,principal,Pat Park\n")

    assert (result.written, result.already_imported) == (1, 4)
    assert stored()[-1] == (
        "eve@northfield.test",
        "2.2",
        2,
        dt.date(2025, 4, 2),
        "principal",
        "Pat Park",
    )


def test_codes_match_the_human_code_or_the_case_identifier_in_any_case(cast, adopted):
    item = adopted.competencies[3]
    data = HEADER + f"alice@northfield.test,{item.case_identifier.upper()},2,2025-01-10,COACH,\n"

    result = run(cast, data)

    assert result.written == 1
    assert stored() == [("alice@northfield.test", "2.2", 2, dt.date(2025, 1, 10), "coach", "")]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(cast, adopted):
    build_framework(cast.district_b)  # its codes 1.1… must not match for Northfield
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    data = (
        HEADER
        + "alice@northfield.test,1.1,2,2025-03-14,principal,\n"  # row 2: fine
        + "bob@southport.test,1.1,2,2025-03-14,principal,\n"  # 3: other district
        + "alice@northfield.test,1.1.a,2,2025-03-14,principal,\n"  # 4: an indicator
        + "alice@northfield.test,7.7,5,14/03/2025,boss,\n"  # 5: four problems
        + f"alice@northfield.test,1.2,two,{future},coach,{'n' * 151}\n"  # 6
        + ",,,,,\n"  # blank line: skipped
        + "alice@northfield.test,1.1,2,2025-03-14,principal,\n"  # 8: repeats row 2
        + ",1.1,2,2025-03-14,coach,\n"  # 9: no e-mail
    )

    result = run(cast, data)

    assert result.errors == [
        RowError(
            3, "educator_email", "No one with the e-mail bob@southport.test works in this district."
        ),
        RowError(
            4,
            "competency_code",
            "No competency with the code “1.1.a” in Northfield Teaching Framework.",
        ),
        RowError(
            5,
            "competency_code",
            "No competency with the code “7.7” in Northfield Teaching Framework.",
        ),
        RowError(
            5, "observed_on", "“14/03/2025” is not a date; write it as YYYY-MM-DD, e.g. 2025-03-14."
        ),
        RowError(
            5,
            "observer_role",
            "“boss” is not an observer role; use one of principal, coach, peer, other.",
        ),
        RowError(5, "rating", "“5” is not a level of the scale; use one of 1, 2, 3, 4."),
        RowError(6, "observed_on", f"{future} is in the future."),
        RowError(6, "observer_name", "The name is too long: at most 150 characters."),
        RowError(6, "rating", "“two” is not a level of the scale; use one of 1, 2, 3, 4."),
        RowError(
            8,
            "educator_email",
            "This row repeats row 2 (same educator, competency, date and observer).",
        ),
        RowError(9, "educator_email", "The e-mail is empty."),
    ]
    assert result.written == 0
    assert not ObservationRating.objects.exists()


def test_a_different_rating_for_an_existing_observation_is_refused_never_overwritten(cast, adopted):
    run(cast, GOOD)
    changed = HEADER + "alice@northfield.test,1.1,4,2025-03-14,principal,Pat Park\n"

    result = run(cast, changed)

    assert result.errors == [
        RowError(
            2,
            "rating",
            "A rating of 2 is already recorded for this educator, competency, date and observer; "
            "ratings are never overwritten. If this is another observation, give another date or "
            "observer_name.",
        )
    ]
    assert stored() == EXPECTED


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty_file", "The file is empty: expected a header row."),
        (HEADER.encode(), "no_rows", "The file has a header but no ratings."),
        (
            b"educator_email,rating\nalice@northfield.test,2\n",
            "missing_columns",
            "Missing column(s): competency_code, observed_on, observer_role.",
        ),
        (
            "educator_email,competency_code,rating,observed_on,observer_role\né,1.1,2,2025-01-01,coach\n".encode(
                "latin-1"
            ),
            "bad_encoding",
            "The file is not UTF-8 text. Save it as CSV (UTF-8) and retry.",
        ),
    ],
)
def test_an_unreadable_file_is_refused_with_a_clear_message(cast, adopted, data, code, message):
    with pytest.raises(DomainError) as caught:
        run(cast, data)

    assert (caught.value.code, caught.value.message) == (code, message)
    assert not ObservationRating.objects.exists()


def test_only_admins_import_and_only_with_an_adopted_framework(cast):
    with pytest.raises(DomainError) as caught:
        run(cast, GOOD)
    assert caught.value.code == "no_adopted_framework"
    build_framework(cast.district_a)
    with pytest.raises(PermissionDenied):
        run(cast, GOOD, who=cast.pat)
    assert not ObservationRating.objects.exists()


# ---------------------------------------------------------------------------------------------
# summaries beside the self-assessment
# ---------------------------------------------------------------------------------------------


def test_several_raters_are_summarised_by_mean_count_and_latest(cast, adopted):
    item = adopted.competencies[0]
    for value, days, role, name in (
        (2, 40, "principal", "Pat"),
        (3, 20, "coach", "Carol"),
        (4, 30, "principal", "Pat"),
    ):
        ObservationFactory(
            district=cast.district_a,
            educator=cast.alice,
            item=item,
            value=value,
            observed_on=timezone.localdate() - dt.timedelta(days=days),
            observer_role=role,
            observer_name=name,
        )
    ObservationFactory(district=cast.district_a, educator=cast.eve, item=item, value=1)

    summary = queries.observation_summaries(cast.district_a, cast.alice)[item.pk]

    assert (summary.count, summary.mean, summary.latest.value, summary.latest.observer_role) == (
        3,
        3.0,
        3,
        "coach",
    )
    assert summary.by_role() == [("Coach", "3", 1), ("Principal", "3", 2)]
    assert summary.mean_text == "3"


def test_the_growth_page_shows_observations_next_to_self_ratings(cast, client_for, adopted):
    first, second = adopted.competencies[:2]
    submitted_snapshot(cast.alice, cast.district_a, adopted.framework, {first: 2, second: 3})
    run(cast, GOOD)

    content = client_for(cast.alice).get("/growth/").content.decode()

    row = content[content.index('<th scope="row">1.1 Competency 1.1</th>') :].split("</tr>")[0]
    assert "<td>2 · Developing</td>" in row
    assert "<td>2.5</td>" in row
    assert (
        '<td>2<br><span class="muted">Coach: 3 (1)</span><br><span class="muted">Principal: 2 (1)</span></td>'
        in row
    )
    assert (
        '<td>3 · Proficient, coach Carol Cruz, <time datetime="2025-03-20">Mar 20, 2025</time></td>'
        in row
    )
    other = content[content.index('<th scope="row">2.1 Competency 2.1</th>') :].split("</tr>")[0]
    assert "<td>—</td>" in other  # eve's rating is not alice's
    assert '<text x="423.5" y="32" font-size="11" fill="#1d2330">2.5</text>' in content


# ---------------------------------------------------------------------------------------------
# the import page
# ---------------------------------------------------------------------------------------------


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("ratings.csv", text.encode(), content_type="text/csv")


@pytest.mark.parametrize(
    ("who", "status"), [("alice", 403), ("carol", 403), ("pat", 403), ("dana", 200)]
)
def test_the_import_page_is_for_admins(cast, client_for, adopted, who, status):
    assert client_for(getattr(cast, who)).get("/observations/import/").status_code == status


def test_checking_a_file_on_the_page_shows_the_preview_and_saves_nothing(cast, client_for, adopted):
    response = client_for(cast.dana).post(
        "/observations/import/", {"file": upload(GOOD), "action": "check"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Check passed — nothing saved yet" in content
    assert "4 rows read: 4 new ratings, 0 already imported." in content
    assert (
        "<td>2</td><td>Alice Archer</td><td>1.1 Competency 1.1</td><td>2 · Developing</td>"
        in content
    )
    assert not ObservationRating.objects.exists()


def test_importing_on_the_page_saves_and_reports(cast, client_for, adopted):
    client = client_for(cast.dana)

    response = client.post("/observations/import/", {"file": upload(GOOD), "action": "import"})
    again = client.post(
        "/observations/import/", {"file": upload(GOOD), "action": "import"}, follow=True
    )

    assert response.status_code == 302
    assert stored() == EXPECTED
    assert "0 rating(s) imported; 4 were already there and were skipped." in again.content.decode()


def test_row_errors_are_listed_on_the_page_with_400(cast, client_for, adopted):
    response = client_for(cast.dana).post(
        "/observations/import/",
        {
            "file": upload(HEADER + "nobody@northfield.test,1.1,2,2025-03-14,coach,\n"),
            "action": "import",
        },
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Rows to fix — nothing was imported" in content
    assert (
        "<tr><td>2</td><td>educator_email</td><td>No one with the e-mail "
        "nobody@northfield.test works in this district.</td></tr>" in content
    )
    assert not ObservationRating.objects.exists()


def test_the_page_without_a_framework_explains_why(cast, client_for):
    content = client_for(cast.dana).get("/observations/import/").content.decode()

    assert "Northfield has not adopted a competency framework yet." in content


def test_the_template_file_has_the_documented_columns(cast, client_for):
    response = client_for(cast.dana).get("/observations/template.csv")

    assert response.status_code == 200
    assert response.content.decode().splitlines()[0] == HEADER.strip()
