"""Our CSV → plain rows: normalisation and every kind of bad input (no database)."""

from __future__ import annotations

import pytest

from trellis.core.csvio import RowError
from trellis.core.errors import DomainError
from trellis.districts.models import Role
from trellis.growth.models import GradeBand, Position
from trellis.roster import parsing
from trellis.roster.parsing import PersonRow, parse_grade_bands, parse_trellis_csv
from trellis.roster.tests.conftest import roster_csv


def refused(data: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_trellis_csv(data)
    return caught.value


def test_the_mirrored_vocabularies_match_the_models():
    assert tuple(Role.values) == parsing.ROLE_VALUES
    assert tuple(Position.values) == parsing.POSITION_VALUES
    assert tuple(GradeBand.values) == parsing.GRADE_BAND_VALUES


def test_a_full_row_becomes_a_person():
    parsed = parse_trellis_csv(
        roster_csv(
            " Maria.Lopez@Example.org ,Maria  Lopez,Educator; COACH,Lincoln Elementary,"
            "Paraprofessional,3,Mathematics;Science;mathematics,K-5;06-08,T-1"
        )
    )

    assert parsed.errors == []
    assert parsed.total_rows == 1
    assert parsed.people == [
        PersonRow(
            row=2,
            email="maria.lopez@example.org",
            full_name="Maria Lopez",
            roles=("educator", "coach"),
            school="Lincoln Elementary",
            position="para",
            years_experience=3,
            subjects=("Mathematics", "Science"),
            grade_bands=("k_5", "6_8"),
            source_id="T-1",
        )
    ]
    assert parsed.schools == [parsing.SchoolRow(name="Lincoln Elementary")]


def test_blank_cells_mean_keep_and_roles_default_to_educator():
    parsed = parse_trellis_csv(roster_csv("sam@example.org,Sam Lee,,,,,,,"))

    assert parsed.people == [
        PersonRow(row=2, email="sam@example.org", full_name="Sam Lee", roles=("educator",))
    ]
    assert parsed.schools == []


def test_given_and_family_name_columns_make_the_full_name():
    parsed = parse_trellis_csv(
        roster_csv("ana@example.org,Ana,Ruiz", header="email,given_name,family_name")
    )

    assert parsed.people[0].full_name == "Ana Ruiz"


def test_semicolon_separated_files_with_a_byte_order_mark_are_read():
    data = "\ufeffemail;full_name;roles\nana@example.org;Ana Ruiz;coach\n".encode()

    parsed = parse_trellis_csv(data)

    assert [(p.email, p.roles) for p in parsed.people] == [("ana@example.org", ("coach",))]


def test_unknown_columns_are_ignored_with_a_note_and_blank_lines_keep_row_numbers():
    data = b"email,full_name,favourite_colour\n\nana@example.org,Ana Ruiz,green\n"

    parsed = parse_trellis_csv(data)

    assert parsed.notices == ["Column(s) not used by Trellis were ignored: favourite_colour."]
    assert [p.row for p in parsed.people] == [3]


@pytest.mark.parametrize(
    ("value", "bands"),
    [
        ("K-5", ("k_5",)),
        ("06-08", ("6_8",)),
        ("9-12", ("9_12",)),
        ("pre_k;k_5;6_8;9_12", ("pre_k", "k_5", "6_8", "9_12")),
        ("PK-12", ("pre_k", "k_5", "6_8", "9_12")),
        ("K–8", ("k_5", "6_8")),
        ("Pre-K", ("pre_k",)),
        ("KG", ("k_5",)),
        ("7", ("6_8",)),
        ("Grade 10", ("9_12",)),
        ("", None),
    ],
)
def test_grade_bands_accept_band_values_and_grade_ranges(value, bands):
    assert parse_grade_bands(value) == (bands, None)


def test_oneroster_grade_codes_ignore_codes_without_a_band():
    assert parse_grade_bands("09,10,13,UG", separators=",", lenient=True) == (("9_12",), None)


def test_every_bad_cell_is_reported_with_row_column_and_message():
    parsed = parse_trellis_csv(
        roster_csv(
            "not-an-email,Ann Ames,educator,,,,,,",
            "bo@example.org,Bo Bell,wizard;coach,,,,,,",
            "cy@example.org,Cy Cole,educator,,,,,K-13,",
            "di@example.org,Di Dunn,,,,,,8-6,",
            "ed@example.org,Ed Eng,,,astronaut,,,,",
            "fa@example.org,Fa Fox,,,,seventy,,,",
            "gu@example.org,Gu Gray,,,,71,,,",
            "hi@example.org,,,,,,,,",
            "ok@example.org,Ok Person,,,,,,,S-1",
            "OK@example.org,Ok Again,,,,,,,S-2",
            "other@example.org,Other,,,,,,,S-1",
            ",,,,,,,,",
        )
    )

    assert parsed.errors == [
        RowError(2, "email", "“not-an-email” is not a valid e-mail address."),
        RowError(
            3,
            "roles",
            "Unknown role(s): wizard. Use: educator;coach;assessor;approver;district_admin.",
        ),
        RowError(
            4,
            "grade_bands",
            "Unknown grade band “K-13”. Use pre_k;k_5;6_8;9_12 or grade ranges such as "
            "K-5, 06-08, 9-12.",
        ),
        RowError(5, "grade_bands", "The grade range “8-6” runs backwards."),
        RowError(
            6,
            "position",
            "Unknown position “astronaut”. Use: teacher, counselor, para, specialist, librarian, "
            "coach, leader, district.",
        ),
        RowError(7, "years_experience", "“seventy” is not a whole number of years from 0 to 70."),
        RowError(8, "years_experience", "“71” is not a whole number of years from 0 to 70."),
        RowError(9, "full_name", "A name is required."),
        RowError(11, "email", "ok@example.org is also on row 10."),
        RowError(12, "source_id", "S-1 is also on row 10."),
    ]
    assert [p.row for p in parsed.people] == [10]
    assert parsed.invalid_rows == 10
    assert parsed.total_rows == 12 - 1  # the all-blank line is no row
    assert ("ok@example.org", "S-2") in parsed.invalid_keys


def test_overlong_values_are_row_errors():
    parsed = parse_trellis_csv(
        roster_csv(f"a@example.org,{'N' * 151},,{'S' * 151},,,{'x' * 81},,{'9' * 129}")
    )

    assert [(e.column, e.message) for e in parsed.errors] == [
        ("full_name", "Names are at most 150 characters."),
        ("subjects", "At most 20 subjects of up to 80 characters each."),
        ("school", "School names are at most 150 characters."),
        ("source_id", "source_id is at most 128 characters."),
    ]


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"", "empty_file", "The file is empty: expected a header row."),
        (b"email,full_name\n", "no_rows", "The file has a header but no people."),
        (
            b"mail,full_name\nx@example.org,X\n",
            "missing_columns",
            "The file is missing column(s): email. Found: mail, full_name.",
        ),
        (
            b"email,given_name\nx@example.org,X\n",
            "missing_columns",
            "The file needs a full_name column (or given_name and family_name columns).",
        ),
        (
            "email,full_name\nzoë@example.org,Zoë\n".encode("latin-1"),
            "bad_encoding",
            "The file is not UTF-8 text (unreadable byte at position 18). In Excel choose "
            "“CSV UTF-8 (Comma delimited)”; elsewhere save with UTF-8 encoding.",
        ),
        (
            "email,full_name\n".encode("utf-16"),
            "bad_encoding",
            "The file is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and retry.",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "not_csv",
            "The file is not a CSV file (it contains binary data).",
        ),
        (
            b"PK\x03\x04" + b"\x00" * 30 + b"xl/workbook.xml",
            "not_csv",
            "The file is an Excel workbook, not a CSV file. Save it as “CSV UTF-8”, or choose "
            "the OneRoster format for a OneRoster zip.",
        ),
    ],
)
def test_file_level_problems_are_refused_with_a_clear_message(data, code, message):
    error = refused(data)

    assert (error.code, error.message) == (code, message)


def test_a_cell_over_the_csv_field_limit_is_a_clear_error():
    error = refused(b'email,full_name\nx@example.org,"' + b"x" * 200_000 + b'"\n')

    assert error.code == "malformed_csv"
    assert error.message.startswith("The file could not be read near row 2: field larger than")


def test_a_file_over_50_mb_is_refused_before_reading():
    error = refused(b"email,full_name\n" + b"x" * (50 * 1024 * 1024))

    assert error.code == "file_too_large"
    assert error.status == 413
    assert error.message == (
        "The file is 50.0 MB; the limit is 50 MB. Split it by school and import each part."
    )


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)

    error = refused(roster_csv("a@example.org,A", "b@example.org,B", "c@example.org,C"))

    assert error.message == "The file has more than 2 people; split it by school."


def test_check_file_runs_only_the_file_level_checks():
    parsing.check_file("csv", roster_csv("not-an-email,Someone"))  # row problems wait for the task

    with pytest.raises(DomainError) as caught:
        parsing.check_file("csv", b"email,full_name\n")
    assert caught.value.code == "no_rows"


def test_the_template_parses_cleanly():
    parsed = parse_trellis_csv(parsing.TEMPLATE_CSV.encode())

    assert parsed.errors == []
    assert [p.email for p in parsed.people] == [
        "maria.lopez@example.org",
        "sam.lee@example.org",
        "ana.ruiz@example.org",
    ]


def test_the_format_is_guessed_from_zip_bytes_or_the_name():
    assert parsing.guess_format("roster.csv", b"email\n") == "csv"
    assert parsing.guess_format("export.zip", b"") == "oneroster"
    assert parsing.guess_format("export", b"PK\x03\x04rest") == "oneroster"
