"""Hostile catalog CSV imports: malformed, huge, wrongly encoded files get a clear error (a
DomainError for the file, row errors with messages for its rows), no offering is written (all
rows or none), and memory stays bounded."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.catalog.models import Offering, OfferingSession
from trellis.catalog.services.catalog_csv import import_catalog
from trellis.catalog.services.catalog_csv_export import COLUMNS, MAX_BYTES
from trellis.core.errors import DomainError

HEADER = ",".join(COLUMNS) + "\n"

HOSTILE = [
    pytest.param(b"", id="empty"),
    pytest.param(HEADER.encode(), id="header-only"),
    pytest.param(b"\xff\xfe" + HEADER.encode("utf-16-le"), id="utf16-bom"),
    pytest.param(HEADER.encode() + "Caf\xe9 talk".encode("latin-1") + b"\n", id="latin1"),
    pytest.param(HEADER.encode() + b"\xc3\x28\n", id="invalid-utf8"),
    pytest.param(HEADER.encode() + b"a\x00b," * len(COLUMNS) + b"\n", id="nul-bytes"),
    pytest.param(b"title\nA talk\n", id="missing-columns"),
    pytest.param(HEADER.encode() + b'"unterminated,quote\n', id="unterminated-quote"),
    pytest.param(HEADER.encode() + b"x" * 200 + b"\n", id="garbage-row"),
]


def _counts() -> tuple[int, int]:
    return Offering.objects.count(), OfferingSession.objects.count()


def _problems(cast, data: bytes, *, dry_run: bool = False) -> list[str]:
    """The messages the import gives: the file's DomainError, or each row's error."""
    try:
        result = import_catalog(
            access=cast.access(cast.dana), actor=cast.dana, data=data, dry_run=dry_run
        )
    except DomainError as error:
        return [error.message]
    return [error.message for error in result.errors]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_catalog_files_get_a_clear_error_and_write_nothing(cast, data: bytes) -> None:
    before = _counts()

    problems = _problems(cast, data)

    assert problems
    assert all(problems)
    assert _counts() == before


def test_a_file_over_the_limit_is_refused_before_parsing_in_bounded_memory(cast) -> None:
    data = HEADER.encode() + b" " * MAX_BYTES

    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as raised:
            import_catalog(access=cast.access(cast.dana), actor=cast.dana, data=data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert raised.value.code == "file_too_large"
    assert peak < 1024 * 1024
    assert Offering.objects.count() == 0


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    row=st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
        min_size=1,
        max_size=len(COLUMNS) + 2,
    )
)
def test_any_row_is_planned_or_gets_a_clear_error(cast, row: list[str]) -> None:
    line = ",".join('"' + cell.replace('"', '""') + '"' for cell in row)

    problems = _problems(cast, (HEADER + line + "\n").encode("utf-8"), dry_run=True)

    assert all(problems)
    assert Offering.objects.count() == 0
