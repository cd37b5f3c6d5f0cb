"""Hostile roster files (Trellis CSV and OneRoster zips): malformed, huge, wrongly encoded,
zip bombs and path tricks get a clear DomainError, nothing is stored or written, and memory
stays bounded."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.accounts.models import User
from trellis.core.errors import DomainError
from trellis.roster import oneroster, parsing
from trellis.roster.models import RosterImport
from trellis.roster.services import Upload, start_import

HEADER = "email,first_name,last_name,roles\n"
ROW = "ann@northfield.test,Ann,Lee,educator\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


HOSTILE_CSV = [
    pytest.param(b"", "empty_file", id="empty"),
    pytest.param(b"\xff\xfe" + HEADER.encode("utf-16-le"), "bad_encoding", id="utf16-bom"),
    pytest.param(
        HEADER.encode() + "zoë@x.test,Zoë,Ö,educator\n".encode("latin-1"),
        "bad_encoding",
        id="latin1",
    ),
    pytest.param(
        HEADER.encode() + b"\xc3\x28@x.test,a,b,educator\n", "bad_encoding", id="invalid-utf8"
    ),
    pytest.param(HEADER.encode() + b"a\x00b@x.test,a,b,educator\n", "not_csv", id="nul-bytes"),
    pytest.param(b"PK\x03\x04" + b"\x00" * 40, "not_csv", id="zip-as-csv"),
    pytest.param(b"name,roles\nAnn,educator\n", "missing_columns", id="no-email-column"),
]


@pytest.mark.parametrize(("data", "code"), HOSTILE_CSV)
def test_hostile_csv_files_are_refused_with_a_clear_error_and_nothing_stored(
    cast, data: bytes, code: str
) -> None:
    people = User.objects.count()

    with pytest.raises(DomainError) as raised:
        start_import(
            access=cast.access(cast.dana),
            actor=cast.dana,
            uploads=[Upload(name="people.csv", data=data)],
            fmt="csv",
        )

    assert raised.value.code == code
    assert raised.value.message
    assert RosterImport.objects.count() == 0
    assert User.objects.count() == people


def _bomb(size: int) -> bytes:
    return _zip({"manifest.csv": b"", "users.csv": HEADER.encode() + b"\n" * size})


HOSTILE_ZIPS = [
    pytest.param(b"PK\x03\x04not really a zip", "not_zip", id="broken-zip"),
    pytest.param(_zip({"orgs.csv": b"sourcedId\n"}), "missing_users_file", id="no-users"),
    pytest.param(
        _zip({"../../users.csv": HEADER.encode()}), "missing_users_file", id="path-traversal"
    ),
    pytest.param(
        _zip({"/etc/users.csv": HEADER.encode()}), "missing_users_file", id="absolute-path"
    ),
    pytest.param(
        _zip({"a/users.csv": b"x", "b/users.csv": b"y"}), "zip_ambiguous", id="two-users-files"
    ),
    pytest.param(
        _zip({f"f{i}.txt": b"" for i in range(oneroster.MAX_ZIP_ENTRIES + 1)}),
        "zip_too_many_files",
        id="too-many-entries",
    ),
]


@pytest.mark.parametrize(("data", "code"), HOSTILE_ZIPS)
def test_hostile_oneroster_zips_are_refused_with_a_clear_error_and_nothing_stored(
    cast, data: bytes, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        start_import(
            access=cast.access(cast.dana),
            actor=cast.dana,
            uploads=[Upload(name="export.zip", data=data)],
            fmt="oneroster",
        )

    assert raised.value.code == code
    assert RosterImport.objects.count() == 0


def test_a_zip_bomb_stops_at_the_decompression_budget_in_bounded_memory(monkeypatch) -> None:
    # The real budget is 150 MB; a 1 MB budget proves the same code path cheaply.
    budget = 1024 * 1024
    monkeypatch.setattr(oneroster, "MAX_DECOMPRESSED_BYTES", budget)
    bomb = _bomb(20 * budget)  # 20 MB of newlines, about 20 KB compressed
    assert len(bomb) < 100 * 1024

    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as raised:
            oneroster.read_zip(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert raised.value.message
    assert peak < 4 * budget


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read() -> None:
    data = bytes(parsing.MAX_UPLOAD_BYTES + 1)

    tracemalloc.start()
    try:
        with pytest.raises(parsing.UploadTooLarge) as raised:
            parsing.check_file("csv", data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert raised.value.code == "file_too_large"
    assert "50 MB" in raised.value.message
    assert peak < 1024 * 1024


@settings(max_examples=80, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.text(alphabet=st.sampled_from('ab@.,;"\n\r\t \x00é'), max_size=300))
def test_any_csv_text_parses_or_gets_a_domain_error(body: str) -> None:
    try:
        parsing.parse_trellis_csv((HEADER + body).encode("utf-8"))
    except DomainError as error:
        assert error.message  # noqa: PT017 - either outcome is fine; a message is required


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300))
def test_any_bytes_parse_or_get_a_domain_error(data: bytes) -> None:
    for fmt in ("csv", "oneroster"):
        try:
            parsing.parse_file(fmt, data)
        except DomainError as error:
            assert error.message  # noqa: PT017 - either outcome is fine; a message is required
