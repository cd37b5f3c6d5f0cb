"""Hostile input at /xapi/statements: every bad request gets a clear 4xx xAPI error, writes
nothing (no statement, no entry, no audit row) and never a 5xx. Property-based where it fits.
Attachments: metadata with a fileUrl is kept; attachment files are refused (413/400), never
silently dropped."""

from __future__ import annotations

import base64
import copy
import json
import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trellis.audit.models import AuditEvent
from trellis.informal.models import InformalEntry, XapiStatement
from trellis.informal.services import integrations
from trellis.informal.tests.helpers import Xapi, statement
from trellis.informal.xapi.payload import MAX_DEPTH, MAX_STATEMENTS, check_storable

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SHA = "a" * 64


def written() -> tuple[int, int, int]:
    return (
        XapiStatement.objects.count(),
        InformalEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def raw_post(xapi: Xapi, body: bytes | str, content_type: str = "application/json"):
    return xapi.client.generic("POST", "/xapi/statements", body, content_type=content_type)


def assert_refused(response, status: int, code: str | None = None, before=None) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["X-Experience-API-Version"] == "1.0.3"
    found = response.json()["error"]
    assert found["message"]
    if code is not None:
        assert found["code"] == code
    if before is not None:
        assert written() == before
    return found


# --- malformed JSON, wrong encodings ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b" ", "bad_json"),
        (b"{", "bad_json"),
        (b'{"actor": }', "bad_json"),
        (b"nul", "bad_json"),
        (b"\xef\xbb\xbf{}", "bad_json"),  # a UTF-8 byte-order mark
        ("{}".encode("utf-16"), "bad_encoding"),
        ('{"name": "Zoë"}'.encode("latin-1"), "bad_encoding"),
        (b"\xff\xfe\xfa", "bad_encoding"),
        (b'{"result": {"score": {"raw": NaN}}}', "bad_json"),
        (b'{"result": {"score": {"raw": Infinity}}}', "bad_json"),
        (b'{"result": {"score": {"raw": -Infinity}}}', "bad_json"),
        (b'{"result": {"score": {"raw": 1e400}}}', "bad_number"),
        (b'{"result": {"score": {"raw": ' + b"9" * 5000 + b"}}}", "bad_json"),
    ],
)
def test_malformed_bodies_are_400_and_write_nothing(xapi, body, code) -> None:
    before = written()
    assert_refused(raw_post(xapi, body), 400, code, before)


def test_an_empty_body_is_400(xapi) -> None:
    before = written()
    assert_refused(raw_post(xapi, b""), 400, None, before)


def test_nul_characters_and_lone_surrogates_are_refused_with_their_path(xapi) -> None:
    before = written()
    nul = statement(actor={"mbox": "mailto:alice@northfield.test", "name": "Al\u0000ice"})
    found = assert_refused(xapi.post(nul), 400, "bad_characters", before)
    assert found["message"] == "actor.name: contains a NUL character (\\u0000)."
    surrogate = '{"actor": {"name": "\\ud800"}}'
    found = assert_refused(raw_post(xapi, surrogate), 400, "bad_characters", before)
    assert (
        found["message"] == "actor.name: contains an unpaired UTF-16 surrogate (such as \\ud800)."
    )
    key = json.dumps([statement(result={"extensions": {"https://x.test/\u0000": 1}})])
    found = assert_refused(raw_post(xapi, key), 400, "bad_characters", before)
    assert found["message"] == "[0].result.extensions: a key contains a NUL character (\\u0000)."


def test_a_valid_statement_in_a_charset_labelled_body_is_read_as_utf8(xapi) -> None:
    body = json.dumps(statement(actor={"mbox": "mailto:zoe@example.org", "name": "Zoë"}))
    response = raw_post(xapi, body.encode(), "application/json; charset=utf-8")
    assert response.status_code == 200
    assert XapiStatement.objects.get().received["actor"]["name"] == "Zoë"


# --- huge and deep bodies ---------------------------------------------------------------------


def test_huge_bodies_are_413_before_anything_is_parsed(xapi) -> None:
    before = written()
    big = b"[" + b" " * (1024 * 1024) + b"]"
    assert_refused(raw_post(xapi, big), 413, "too_large", before)
    # a Content-Length over the limit is refused without reading the body
    response = xapi.client.generic(
        "POST",
        "/xapi/statements",
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="99999999",
    )
    assert_refused(response, 413, "too_large", before)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 100_000])
def test_deeply_nested_objects_are_refused_not_a_crash(xapi, depth) -> None:
    before = written()
    nested = '{"a":' * depth + "1" + "}" * depth
    body = json.dumps(statement(result={"extensions": {"https://x.test/e": "__"}})).replace(
        '"__"', nested
    )
    assert_refused(raw_post(xapi, body), 400, "too_deep", before)
    lists = "[" * depth + "]" * depth
    assert_refused(raw_post(xapi, lists), 400, "too_deep", before)


def test_nesting_within_the_limit_is_fine(xapi) -> None:
    inner: object = 1
    for _ in range(MAX_DEPTH - 5):  # the statement itself uses a few levels
        inner = {"a": inner}
    response = xapi.post(statement(result={"extensions": {"https://x.test/e": inner}}))
    assert response.status_code == 200


def test_too_many_statements_in_one_request_is_413(xapi) -> None:
    before = written()
    batch = [statement() for _ in range(MAX_STATEMENTS + 1)]
    found = assert_refused(xapi.post(batch), 413, "too_many_statements", before)
    assert found["message"] == (
        f"Send at most {MAX_STATEMENTS} statements per request; this one has {MAX_STATEMENTS + 1}."
    )


# --- wrong types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (42, "send one statement (a JSON object) or a non-empty list of them"),
        ("a statement", "send one statement (a JSON object) or a non-empty list of them"),
        (None, "send one statement (a JSON object) or a non-empty list of them"),
        (True, "send one statement (a JSON object) or a non-empty list of them"),
        ([], "send one statement (a JSON object) or a non-empty list of them"),
        ([1], "[0]: must be a JSON object"),
        ([statement(), "x"], "[1]: must be a JSON object"),
        (statement(actor=[]), "actor: must be a JSON object"),
        (statement(verb="completed"), "verb: must be a JSON object"),
        (
            statement(timestamp=20261120),
            "timestamp: must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not 20261120",
        ),
        (
            statement(result={"duration": 45}),
            "result.duration: must be an ISO 8601 duration such as PT45M or PT1H30M, not 45",
        ),
        (statement(result={"completion": "yes"}), "result.completion: must be true or false"),
        (
            statement(id=12),
            "id: must be a UUID such as 2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c, not 12",
        ),
    ],
)
def test_wrong_types_are_400_with_the_reason(xapi, payload, message) -> None:
    before = written()
    found = assert_refused(xapi.post(payload), 400, "invalid_statement", before)
    assert found["message"] == message


def test_timestamps_and_durations_past_the_calendar_are_400_not_500(xapi) -> None:
    before = written()
    for bad in (
        statement(timestamp="9999-12-31T23:00:00-05:00"),
        statement(timestamp="0001-01-01T00:30:00+01:00"),
        statement(result={"duration": "P" + "9" * 400 + "Y"}),
    ):
        assert_refused(xapi.post(bad), 400, "invalid_statement", before)


# --- credentials ------------------------------------------------------------------------------


def _basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode()


@pytest.mark.parametrize(
    "header",
    [
        "Basic",
        "Basic ",
        "Basic !!!not-base64!!!",
        "Basic dXNlcg",  # bad padding
        _basic(b"no-colon-at-all"),
        _basic(b"\xff\xfe:\xff"),
        _basic(b":"),
        _basic(b"nobody:nothing"),
        "Bearer abc.def.ghi",
        "Digest username=x",
        "basic " + "A" * 10_000,
    ],
)
def test_bad_basic_credentials_are_401_and_write_nothing(video_library, header) -> None:
    before = written()
    client = Client(HTTP_AUTHORIZATION=header, HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    for response in (
        client.post("/xapi/statements", json.dumps(statement()), content_type="application/json"),
        client.get("/xapi/statements"),
    ):
        found = assert_refused(response, 401, "unauthorized", before)
        assert (
            found["message"] == "Send this integration's username and secret with HTTP Basic auth."
        )
        assert response["WWW-Authenticate"].startswith('Basic realm="Trellis xAPI"')


@pytest.fixture
def other_integrations(cast):
    """A second Northfield tool and Southport's tool."""
    mine, mine_secret = integrations.create_integration(
        access=cast.access(cast.dana), actor=cast.dana, name="Podcast app"
    )
    theirs, theirs_secret = integrations.create_integration(
        access=cast.access(cast.bea), actor=cast.bea, name="Southport LMS"
    )
    return (mine, mine_secret), (theirs, theirs_secret)


def test_one_integrations_username_with_anothers_secret_is_401(
    video_library, other_integrations
) -> None:
    integration, _secret = video_library
    (_, podcast_secret), (southport, southport_secret) = other_integrations
    before = written()
    for username, secret in (
        (integration.username, podcast_secret),
        (integration.username, southport_secret),
        (southport.username, podcast_secret),
    ):
        assert_refused(Xapi(username, secret).post(statement()), 401, "unauthorized", before)


def test_another_districts_credentials_cannot_read_void_or_overwrite(
    cast, xapi, other_integrations
) -> None:
    sid = str(uuid.uuid4())
    assert xapi.post(statement(id=sid)).status_code == 200
    before = written()
    (_, _), (southport, southport_secret) = other_integrations
    intruder = Xapi(southport.username, southport_secret)
    assert_refused(intruder.get(statementId=sid), 404, "not_found", before)
    assert intruder.get().json() == {"statements": [], "more": ""}
    void = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": sid},
        result=None,
    )
    found = assert_refused(intruder.post(void), 400, "invalid_statement", before)
    assert "no statement" in found["message"]
    # the same id under Southport is Southport's own statement: ours is untouched
    changed = statement(id=sid, result={"duration": "PT5M"})
    assert intruder.post(changed).status_code == 200
    ours = XapiStatement.objects.get(district=cast.district_a, statement_id=sid)
    assert ours.received["result"]["duration"] == "PT45M"
    assert InformalEntry.objects.filter(district=cast.district_a).count() == 1


# --- attachments ------------------------------------------------------------------------------


def attachment(**overrides) -> dict:
    found = {
        "usageType": "http://adlnet.gov/expapi/attachments/signature",
        "display": {"en-US": "Certificate"},
        "contentType": "application/pdf",
        "length": 1024,
        "sha2": SHA,
        "fileUrl": "https://lms.example.org/certificates/42.pdf",
    }
    found.update(overrides)
    return {k: v for k, v in found.items() if v is not None}


def test_attachments_with_a_file_url_are_kept_with_the_statement(xapi) -> None:
    response = xapi.post(statement(attachments=[attachment()]))
    assert response.status_code == 200
    (statement_id,) = response.json()
    stored = XapiStatement.objects.get()
    assert stored.received["attachments"] == [attachment()]
    got = xapi.get(statementId=statement_id).json()
    assert got["attachments"] == [attachment()]


def test_attachment_data_in_the_request_is_refused_never_dropped(xapi) -> None:
    before = written()
    body = (
        b"--xyz\r\nContent-Type: application/json\r\n\r\n"
        + json.dumps(statement(attachments=[attachment(fileUrl=None)])).encode()
        + b"\r\n--xyz\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: binary\r\n"
        + b"X-Experience-API-Hash: "
        + SHA.encode()
        + b"\r\n\r\n%PDF-1.7 ...\r\n--xyz--"
    )
    response = raw_post(xapi, body, "multipart/mixed; boundary=xyz")
    found = assert_refused(response, 413, "attachment_data_not_stored", before)
    assert found["message"] == (
        "Trellis does not store attachment files, so multipart/mixed requests are refused. "
        "Send the statements as application/json and give each attachment a fileUrl."
    )


def test_an_attachment_without_file_url_sent_as_json_is_400(xapi) -> None:
    before = written()
    found = assert_refused(
        xapi.post([statement(), statement(attachments=[attachment(), attachment(fileUrl=None)])]),
        400,
        "attachment_data_not_stored",
        before,
    )
    assert found["message"] == (
        "[1].attachments[1]: Trellis keeps attachment details and links but not attachment "
        "files; give the attachment a fileUrl where the file can be fetched."
    )
    found = assert_refused(
        xapi.post(statement(attachments=[attachment(fileUrl=None)])), 400, None, before
    )
    assert found["message"].startswith("statement.attachments[0]: Trellis keeps")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("nope", "attachments: must be a list"),
        (["x"], "attachments[0]: must be a JSON object"),
        ([attachment(usageType=None)], "attachments[0]: an attachment needs usageType"),
        ([attachment(sha2=None)], "attachments[0]: an attachment needs sha2"),
        (
            [attachment(usageType="signature")],
            "attachments[0].usageType: must be an absolute IRI such as https://example.org/x, not 'signature'",
        ),
        (
            [attachment(display="Certificate")],
            'attachments[0].display: must be a language map such as {"en-US": "watched"}',
        ),
        (
            [attachment(contentType="pdf")],
            "attachments[0].contentType: must be a media type such as application/pdf",
        ),
        (
            [attachment(length=-1)],
            "attachments[0].length: must be a whole number of bytes, 0 or more",
        ),
        (
            [attachment(length=1.5)],
            "attachments[0].length: must be a whole number of bytes, 0 or more",
        ),
        (
            [attachment(length=True)],
            "attachments[0].length: must be a whole number of bytes, 0 or more",
        ),
        ([attachment(sha2="xyz")], "attachments[0].sha2: must be a SHA-2 hash in hexadecimal"),
        (
            [attachment(fileUrl="not a url")],
            "attachments[0].fileUrl: must be an absolute IRI such as https://example.org/x, not 'not a url'",
        ),
        ([{**attachment(), "data": "JVBERi0="}], "attachments[0]: unknown property “data”"),
    ],
)
def test_malformed_attachments_are_400(xapi, bad, message) -> None:
    before = written()
    found = assert_refused(xapi.post(statement(attachments=bad)), 400, "invalid_statement", before)
    assert found["message"] == message


# --- properties -------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(payload=json_values)
def test_any_json_body_gets_a_clear_answer_and_never_a_5xx(xapi, payload) -> None:
    before = written()
    response = xapi.post(payload)
    assert response.status_code < 500
    if response.status_code != 200:
        assert response.json()["error"]["message"]
        assert written() == before


@FUZZ
@given(body=st.binary(max_size=200))
def test_any_bytes_get_a_clear_answer_and_never_a_5xx(xapi, body) -> None:
    before = written()
    response = raw_post(xapi, body)
    assert response.status_code < 500
    if response.status_code != 200:
        assert response.json()["error"]["message"]
        assert written() == before


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


VALID = statement(
    context={
        "registration": str(uuid.uuid4()),
        "contextActivities": {"parent": [{"id": "https://x.test/p"}]},
    },
    attachments=[attachment()],
)
PATHS = [path for path in _paths(VALID) if path]


@FUZZ
@given(path=st.sampled_from(PATHS), value=json_values, drop=st.booleans())
def test_a_valid_statement_with_any_one_part_replaced_or_removed_never_gives_a_5xx(
    xapi, path, value, drop
) -> None:
    mutated = copy.deepcopy(VALID)
    parent = mutated
    for key in path[:-1]:
        parent = parent[key]
    if drop:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    before = written()
    response = xapi.post(mutated)
    assert response.status_code < 500
    if response.status_code != 200:
        assert response.json()["error"]["message"]
        assert written() == before


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "statementId",
                "voidedStatementId",
                "agent",
                "verb",
                "activity",
                "registration",
                "related_activities",
                "related_agents",
                "since",
                "until",
                "limit",
                "format",
                "attachments",
                "ascending",
                "cursor",
                "other",
            ]
        ),
        st.text(max_size=30),
        max_size=4,
    )
)
def test_any_get_filters_get_a_clear_answer_and_never_a_5xx(xapi, params) -> None:
    response = xapi.get(**params)
    assert response.status_code in (200, 400, 404)
    if response.status_code != 200:
        assert response.json()["error"]["message"]


storable_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20
)
storable_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | storable_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(storable_text, children, max_size=4)
    ),
    max_leaves=20,
)


@given(value=storable_values)
def test_check_storable_accepts_every_json_value_a_database_can_hold(value) -> None:
    check_storable(value, max_depth=64)


def test_the_depth_limit_counts_objects_and_lists() -> None:
    inside: object = "leaf"
    for _ in range(MAX_DEPTH):
        inside = [inside]
    check_storable(inside)  # exactly MAX_DEPTH levels
    with pytest.raises(ValueError, match=f"nest more than {MAX_DEPTH} levels deep"):
        check_storable([inside])


@pytest.mark.parametrize(
    "param", ["verb", "activity", "agent", "registration", "since", "statementId", "cursor"]
)
def test_a_nul_character_in_a_filter_is_400(xapi, param) -> None:
    response = xapi.get(**{param: "https://x.test/\x00"})
    assert response.status_code == 400
    assert response.json()["error"]["message"]
