"""Hostile CASE packages: malformed, huge, deeply nested and wrongly encoded JSON gets a clear
DomainError; no framework, item or staged upload is written; memory stays bounded."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.core.errors import DomainError
from trellis.frameworks.case.model import MAX_PACKAGE_BYTES
from trellis.frameworks.models import CaseUpload, Framework, FrameworkItem
from trellis.frameworks.services import import_case_package, stage_case_upload

DOCUMENT = {"identifier": "c0ffee00-0000-4000-8000-000000000001", "title": "T"}

HOSTILE = [
    pytest.param(b"", id="empty"),
    pytest.param(b"\x00\x00", id="nul-bytes"),
    pytest.param(b"\xff\xfe{\x00}\x00", id="utf16-bom"),
    pytest.param(b'{"CFDocument": {"title": "Caf\xe9"}}', id="latin1"),
    pytest.param(b"\xc3\x28", id="invalid-utf8"),
    pytest.param(("[" * 10_000 + "]" * 10_000).encode(), id="deep-array"),
    pytest.param(('{"a":' * 10_000 + "1" + "}" * 10_000).encode(), id="deep-object"),
    pytest.param(
        json.dumps({"CFDocument": DOCUMENT, "CFItems": "x" * 10}).encode(), id="items-not-list"
    ),
    pytest.param(b"[]", id="not-an-object"),
    pytest.param(b'{"CFDocument": 7}', id="document-not-object"),
    pytest.param(b"{not json", id="malformed"),
]


def _counts() -> tuple[int, int, int]:
    return Framework.objects.count(), FrameworkItem.objects.count(), CaseUpload.objects.count()


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_case_packages_get_a_clear_error_and_write_nothing(cast, data: bytes) -> None:
    access = cast.access(cast.dana)
    before = _counts()

    for attempt in (import_case_package, stage_case_upload):
        with pytest.raises(DomainError) as raised:
            attempt(access=access, actor=cast.dana, data=data)
        assert raised.value.message

    assert _counts() == before


def test_a_package_over_the_limit_is_refused_before_parsing_in_bounded_memory(cast) -> None:
    access = cast.access(cast.dana)
    data = b"{" + b" " * MAX_PACKAGE_BYTES + b"}"
    before = _counts()

    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as raised:
            import_case_package(access=access, actor=cast.dana, data=data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert raised.value.code == "file_too_large"
    assert peak < 2 * 1024 * 1024  # refused by length, without decoding 10 MB
    assert _counts() == before


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    package=st.fixed_dictionaries(
        {
            "CFDocument": st.one_of(
                st.just(DOCUMENT), st.dictionaries(st.text(max_size=5), st.text(max_size=5))
            )
        },
        optional={
            "CFItems": st.lists(
                st.dictionaries(
                    st.sampled_from(
                        ["identifier", "fullStatement", "CFItemType", "humanCodingScheme"]
                    ),
                    st.one_of(st.text(max_size=10), st.integers(), st.none()),
                ),
                max_size=4,
            ),
            "CFAssociations": st.lists(
                st.dictionaries(
                    st.sampled_from(["associationType", "originNodeURI", "destinationNodeURI"]),
                    st.one_of(
                        st.text(max_size=10),
                        st.dictionaries(st.just("identifier"), st.text(max_size=5)),
                    ),
                ),
                max_size=4,
            ),
        },
    )
)
def test_any_package_shape_parses_or_gets_a_domain_error(package) -> None:
    from trellis.frameworks.case import CaseError, parse_package

    try:
        parse_package(json.dumps(package))
    except CaseError as error:
        assert error.message  # noqa: PT017 - either outcome is fine; a message is required
