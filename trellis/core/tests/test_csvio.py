"""Reading CSV uploads: encodings, headers, blank and short rows, size and shape errors."""

from __future__ import annotations

import pytest

from trellis.core.csvio import MAX_CSV_BYTES, read_csv, read_csv_numbered
from trellis.core.errors import DomainError

REQUIRED = {"email", "roles"}


def refused(data: bytes, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        read_csv(data, **{"required_columns": REQUIRED, **kwargs})
    assert caught.value.status == 400
    return caught.value


def test_rows_come_back_as_dicts_keyed_by_trimmed_lower_case_headers():
    rows = read_csv(
        b" Email ,ROLES,School\r\n a@x.test , educator ,Middle\r\nb@x.test,coach,\r\n",
        required_columns=REQUIRED,
    )

    assert rows == [
        {"email": "a@x.test", "roles": "educator", "school": "Middle"},
        {"email": "b@x.test", "roles": "coach", "school": ""},
    ]


def test_a_byte_order_mark_from_excel_is_ignored():
    rows = read_csv("\ufeffemail,roles\na@x.test,educator\n".encode(), required_columns=REQUIRED)

    assert rows == [{"email": "a@x.test", "roles": "educator"}]


def test_non_ascii_utf8_text_is_kept():
    rows = read_csv(
        "email,roles,name\nz@x.test,educator,Zoë Ñúñez\n".encode(), required_columns=REQUIRED
    )

    assert rows[0]["name"] == "Zoë Ñúñez"


def test_quoted_cells_may_hold_commas_quotes_and_line_breaks():
    rows = read_csv(
        b'email,roles,note\na@x.test,"educator,coach","said ""hi""\nthen left"\n',
        required_columns=REQUIRED,
    )

    assert rows == [
        {"email": "a@x.test", "roles": "educator,coach", "note": 'said "hi"\nthen left'}
    ]


def test_missing_required_columns_are_named_in_order():
    error = refused(b"name,school\nAda,Middle\n", required_columns={"roles", "email", "name"})

    assert error.code == "missing_columns"
    assert error.message == "Missing column(s): email, roles."


def test_one_missing_column_is_named():
    error = refused(b"email\na@x.test\n")

    assert (error.code, error.message) == ("missing_columns", "Missing column(s): roles.")


def test_a_file_that_is_not_utf8_is_refused_with_advice():
    error = refused("email,roles\nzoë@x.test,educator\n".encode("latin-1"))

    assert error.code == "bad_encoding"
    assert error.message == "The file is not UTF-8 text. Save it as CSV (UTF-8) and retry."


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\r\n", b" , ,\nx,y\n", b"\xef\xbb\xbf"])
def test_an_empty_file_or_blank_header_is_refused(data):
    error = refused(data)

    assert error.code == "empty_file"
    assert error.message == "The file is empty: expected a header row."


def test_a_header_row_alone_gives_no_rows():
    assert read_csv(b"email,roles\n", required_columns=REQUIRED) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read():
    limit = 1024 * 1024
    data = b"email,roles\n" + b"x" * (limit - 12 + 1)
    assert len(data) == limit + 1

    error = refused(data, max_bytes=limit)

    assert error.code == "file_too_large"
    assert error.message == "The file is larger than 1 MB."


def test_a_file_exactly_at_the_limit_is_read():
    data = b"email,roles\na@x.test,educator\n"

    assert read_csv(data, required_columns=REQUIRED, max_bytes=len(data)) == [
        {"email": "a@x.test", "roles": "educator"}
    ]


def test_the_default_limit_is_twenty_megabytes():
    assert MAX_CSV_BYTES == 20 * 1024 * 1024
    error = refused(b"x" * (MAX_CSV_BYTES + 1))
    assert error.message == "The file is larger than 20 MB."


def test_blank_lines_and_rows_of_blank_cells_are_skipped():
    rows = read_csv(
        b"email,roles\n\na@x.test,educator\n , \n,,\r\n\nb@x.test,coach\n\n",
        required_columns=REQUIRED,
    )

    assert [row["email"] for row in rows] == ["a@x.test", "b@x.test"]


def test_short_rows_are_padded_with_empty_cells_and_long_rows_cut():
    rows = read_csv(
        b"email,roles,school\na@x.test\nb@x.test,coach,Middle,extra,cells\n",
        required_columns=REQUIRED,
    )

    assert rows == [
        {"email": "a@x.test", "roles": "", "school": ""},
        {"email": "b@x.test", "roles": "coach", "school": "Middle"},
    ]


def test_a_cell_too_large_for_the_parser_is_a_clear_error():
    error = refused(b"email,roles\n" + b'"' + b"x" * 200_000 + b'",educator\n')

    assert error.code == "malformed_csv"
    assert error.message == "The CSV could not be read: field larger than field limit (131072)."


def test_numbered_rows_keep_their_spreadsheet_row_numbers_across_skipped_blank_rows():
    rows = read_csv_numbered(
        b'email,roles\n\na@x.test,educator\n , \nb@x.test,"coach\nand educator"\nc@x.test,x\n',
        required_columns=REQUIRED,
    )

    assert [(number, row["email"]) for number, row in rows] == [
        (3, "a@x.test"),
        (5, "b@x.test"),
        (6, "c@x.test"),
    ]


def test_numbered_reading_refuses_bad_files_like_plain_reading():
    with pytest.raises(DomainError) as caught:
        read_csv_numbered(b"email\n", required_columns=REQUIRED)

    assert caught.value.message == "Missing column(s): roles."


def test_a_small_size_limit_is_named_in_kilobytes():
    with pytest.raises(DomainError) as raised:
        read_csv(b"email\n" + b"a" * 3000, required_columns={"email"}, max_bytes=2048)

    assert raised.value.message == "The file is larger than 2 KB."
