"""Hostile input to the credential parsers: badge import (JSON-LD, VC-JWT, baked PNG/SVG) and
the public verifiers (/api/v1/verify, /vc-api/credentials/verify). Malformed, huge, deeply
nested and wrongly encoded input gets a clear error, writes nothing, and stays within a
stated memory bound."""

from __future__ import annotations

import json
import tracemalloc

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.core.errors import DomainError
from trellis.credentials.models import ImportedBadge
from trellis.credentials.services.imports import (
    MAX_IMAGE_BYTES,
    MAX_TEXT_BYTES,
    import_badge,
    parse_upload,
)

DEEP_JSON = "[" * 10_000 + "]" * 10_000
DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

HOSTILE = [
    pytest.param(b"", id="empty"),
    pytest.param(b"\x00\x00\x00", id="nul-bytes"),
    pytest.param(b"\xff\xfe{\x00}\x00", id="utf16-bom"),
    pytest.param(b"\xc3\x28{}", id="invalid-utf8"),
    pytest.param('{"type": ["VerifiableCredential"]}'.encode("latin-1") + b"\xe9", id="latin1"),
    pytest.param(DEEP_JSON.encode(), id="deep-array"),
    pytest.param(DEEP_OBJECT.encode(), id="deep-object"),
    pytest.param(b"not json at all", id="garbage"),
    pytest.param(b"a.b.c", id="jwt-shaped-garbage"),
    pytest.param(b"eyJhbGciOiJub25lIn0.eyJ2YyI6e319.", id="unsigned-jwt"),
    pytest.param(PNG_SIGNATURE + b"\x00" * 64, id="truncated-png"),
    pytest.param(PNG_SIGNATURE + b"\x00\x00\x00\x0diHDR" + b"\x00" * 40, id="bad-png-chunks"),
    pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", id="svg-not-baked"),
    pytest.param(
        b"<?xml version='1.0'?><!DOCTYPE s [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
        b"<svg xmlns='http://www.w3.org/2000/svg'>&x;</svg>",
        id="svg-external-entity",
    ),
    pytest.param(
        b"<?xml version='1.0'?><!DOCTYPE s [<!ENTITY a 'aaaaaaaaaa'>"
        b"<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'><!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;'>"
        b"<!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;'>]><svg>&d;</svg>",
        id="svg-entity-expansion",
    ),
    pytest.param(b"<svg", id="svg-truncated"),
    pytest.param(b'{"type": "VerifiablePresentation"}', id="presentation"),
    pytest.param(b"[1, 2, 3]", id="json-array"),
]


@pytest.mark.parametrize("data", HOSTILE)
def test_hostile_badge_files_get_a_clear_error_and_write_nothing(cast, data: bytes) -> None:
    access = cast.access(cast.alice)

    with pytest.raises(DomainError) as raised:
        import_badge(access=access, actor=cast.alice, data=data)

    assert raised.value.message
    assert ImportedBadge.objects.count() == 0


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"{" + b" " * MAX_IMAGE_BYTES + b"}", id="bytes-over-5MB"),
        pytest.param("{" + " " * MAX_TEXT_BYTES + "}", id="text-over-1MB"),
    ],
)
def test_oversized_badges_are_refused_before_parsing_in_bounded_memory(data) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as raised:
            parse_upload(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert raised.value.code == "too_large"
    # The refusal must not copy the input: well under one more copy of it.
    assert peak < 3 * 1024 * 1024


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=400)))
def test_any_bytes_or_text_either_parse_or_get_a_domain_error(data) -> None:
    try:
        parse_upload(data)
    except DomainError as error:
        assert error.message  # noqa: PT017 - either outcome is fine; a message is required


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(["type", "@context", "issuer", "credentialSubject", "proof", "id"]),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_any_json_shape_either_parses_or_gets_a_domain_error(data) -> None:
    try:
        parse_upload(json.dumps(data))
    except DomainError as error:
        assert error.message  # noqa: PT017 - either outcome is fine; a message is required


VERIFIERS = ["/api/v1/verify", "/vc-api/credentials/verify"]
BODIES = [
    pytest.param(DEEP_JSON, id="deep-array"),
    pytest.param(DEEP_OBJECT, id="deep-object"),
    pytest.param('{"credential": ' + DEEP_OBJECT + "}", id="deep-inside"),
    pytest.param("{not json", id="malformed"),
    pytest.param("", id="empty"),
    pytest.param('{"credential": "\u0000"}', id="nul"),
    pytest.param('{"verifiableCredential": 12}', id="wrong-type"),
    pytest.param('{"credential": {"type": ["VerifiableCredential"], "proof": [1]}}', id="proof"),
]


@pytest.mark.parametrize("url", VERIFIERS)
@pytest.mark.parametrize("body", BODIES)
def test_public_verifiers_answer_hostile_bodies_without_a_server_error(
    db: None, url: str, body: str
) -> None:
    response = Client(raise_request_exception=False).post(
        url, body, content_type="application/json"
    )

    assert response.status_code < 500, response.content[:500]
    # application/json, or application/problem+json from the VC-API.
    assert response["Content-Type"].startswith("application/")
    assert "json" in response["Content-Type"]


@pytest.mark.parametrize("url", VERIFIERS)
def test_public_verifiers_refuse_bodies_over_the_upload_limit(db: None, url: str, settings) -> None:
    """Django's DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) is the limit for every JSON body."""
    body = '{"credential": "' + "a" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'

    response = Client(raise_request_exception=False).post(
        url, body, content_type="application/json"
    )

    assert response.status_code in (400, 413), response.status_code
