"""The pure statement checks: every shape, valid and invalid, with the exact reason."""

# ruff: noqa: E501 (expected messages are quoted whole)

from __future__ import annotations

import pytest

from trellis.informal.tests.helpers import statement
from trellis.informal.xapi.mapping import actor_ifi, entry_draft, related_keys
from trellis.informal.xapi.validate import (
    StatementError,
    parse_duration,
    validate_batch,
    validate_statement,
)

UUID = "2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c"
ACCOUNT = {"homePage": "https://lms.example.org", "name": "alice"}


def reason(value) -> str:
    with pytest.raises(StatementError) as caught:
        validate_statement(value)
    return str(caught.value)


@pytest.mark.parametrize(
    "actor",
    [
        {"mbox": "mailto:a@example.org"},
        {"objectType": "Agent", "mbox_sha1sum": "a" * 40},
        {"openid": "https://openid.example.org/alice"},
        {"account": ACCOUNT, "name": "Alice"},
        {"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]},
        {"objectType": "Group", "account": ACCOUNT, "member": []},
        {"objectType": "Group", "mbox": "mailto:team@example.org"},
    ],
)
def test_valid_actors(actor) -> None:
    validate_statement(statement(actor=actor))


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (
            {"name": "Nobody"},
            "actor: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account",
        ),
        (
            {"mbox": "mailto:a@example.org", "openid": "https://id.example.org/a"},
            "actor: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account",
        ),
        (
            {"mbox": "a@example.org"},
            "actor.mbox: must be an e-mail address as a mailto: IRI, e.g. mailto:ann@example.org",
        ),
        (
            {"mbox_sha1sum": "xyz"},
            "actor.mbox_sha1sum: must be the 40 hexadecimal characters of a SHA-1 hash",
        ),
        ({"account": {"name": "alice"}}, "actor.account: an account needs both homePage and name"),
        (
            {"account": {"homePage": "lms", "name": "a"}},
            "actor.account.homePage: must be an absolute IRI such as https://example.org/x, not 'lms'",
        ),
        (
            {"objectType": "Person", "mbox": "mailto:a@example.org"},
            "actor.objectType: must be “Agent” here",
        ),
        ({"mbox": "mailto:a@example.org", "age": 3}, "actor: unknown property “age”"),
        (
            {"objectType": "Group"},
            "actor: an anonymous Group (no identifier) needs a non-empty member list",
        ),
        (
            {
                "objectType": "Group",
                "member": [{"objectType": "Group", "mbox": "mailto:t@example.org"}],
            },
            "actor.member[0]: a Group's members must be Agents, not Groups",
        ),
        (
            {"objectType": "Group", "member": [{"name": "x"}]},
            "actor.member[0]: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account",
        ),
        ("alice", "actor: must be a JSON object"),
    ],
)
def test_invalid_actors(actor, expected) -> None:
    assert reason(statement(actor=actor)) == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"verb": None}, "statement: a statement needs verb"),
        ({"actor": None}, "statement: a statement needs actor"),
        ({"object": None}, "statement: a statement needs object"),
        ({"verb": {"display": {"en-US": "did"}}}, "verb: a verb needs an id (an IRI)"),
        (
            {"verb": {"id": "completed"}},
            "verb.id: must be an absolute IRI such as https://example.org/x, not 'completed'",
        ),
        (
            {"verb": {"id": "http://x.org/v", "display": "done"}},
            'verb.display: must be a language map such as {"en-US": "watched"}',
        ),
        (
            {"verb": {"id": "http://x.org/v", "display": {"english!": "done"}}},
            "verb.display.english!: is not a language tag such as en-US",
        ),
        (
            {"object": {"id": "not an iri"}},
            "object.id: must be an absolute IRI such as https://example.org/x, not 'not an iri'",
        ),
        ({"object": {"objectType": "Activity"}}, "object: an Activity needs an id (an IRI)"),
        (
            {"object": {"id": "http://x.org/a", "definition": {"type": "video"}}},
            "object.definition.type: must be an absolute IRI such as https://example.org/x, not 'video'",
        ),
        (
            {"object": {"objectType": "Thing", "id": "http://x.org/a"}},
            "object.objectType: must be Activity, Agent, Group, StatementRef or SubStatement",
        ),
        (
            {"object": {"objectType": "StatementRef"}},
            "object: a StatementRef needs the id of the statement it refers to",
        ),
        (
            {"object": {"objectType": "StatementRef", "id": "123"}},
            "object.id: must be a UUID such as 2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c, not '123'",
        ),
        (
            {"id": "not-a-uuid"},
            "id: must be a UUID such as 2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c, not 'not-a-uuid'",
        ),
        (
            {"result": {"duration": "45 minutes"}},
            "result.duration: must be an ISO 8601 duration such as PT45M or PT1H30M, not '45 minutes'",
        ),
        (
            {"result": {"duration": "PT"}},
            "result.duration: must be an ISO 8601 duration such as PT45M or PT1H30M, not 'PT'",
        ),
        (
            {"result": {"duration": "P1DT"}},
            "result.duration: must be an ISO 8601 duration such as PT45M or PT1H30M, not 'P1DT'",
        ),
        ({"result": {"score": {"scaled": 1.5}}}, "result.score.scaled: must be between -1 and 1"),
        (
            {"result": {"score": {"raw": 11, "min": 0, "max": 10}}},
            "result.score.raw: must be between min and max",
        ),
        ({"result": {"success": "yes"}}, "result.success: must be true or false"),
        (
            {"timestamp": "yesterday"},
            "timestamp: must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not 'yesterday'",
        ),
        (
            {"timestamp": "2026-11-20"},
            "timestamp: must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not '2026-11-20'",
        ),
        (
            {"timestamp": "2026-11-20T10:00:00-00:00"},
            "timestamp: must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not '2026-11-20T10:00:00-00:00'",
        ),
        (
            {"timestamp": "2026-13-40T10:00:00Z"},
            "timestamp: must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not '2026-13-40T10:00:00Z'",
        ),
        ({"version": "2.0.0"}, "version: must be a 1.0.x version such as 1.0.3"),
        (
            {"context": {"registration": "nope"}},
            "context.registration: must be a UUID such as 2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c, not 'nope'",
        ),
        (
            {"context": {"contextActivities": {"parent": [{"id": "x"}]}}},
            "context.contextActivities.parent[0].id: must be an absolute IRI such as https://example.org/x, not 'x'",
        ),
        ({"mood": "happy"}, "statement: unknown property “mood”"),
        (
            {"verb": {"id": "http://adlnet.gov/expapi/verbs/voided"}},
            "object: a voiding statement's object must be a StatementRef",
        ),
    ],
)
def test_invalid_statements(overrides, expected) -> None:
    assert reason(statement(**overrides)) == expected


def test_revision_only_with_an_activity() -> None:
    bad = statement(
        object={"objectType": "Agent", "mbox": "mailto:b@example.org"},
        context={"revision": "2"},
    )
    assert reason(bad) == "context.revision: is only allowed when the object is an Activity"


def test_statement_ref_agent_and_substatement_objects() -> None:
    validate_statement(statement(id=UUID, object={"objectType": "StatementRef", "id": UUID}))
    validate_statement(statement(object={"objectType": "Agent", "account": ACCOUNT}))
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://edcamp.example.org/2026"},
    }
    validate_statement(statement(object=sub))


def test_substatement_rules() -> None:
    inner = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": "http://x.org/v"},
        "object": {"id": "http://x.org/a"},
    }
    nested = dict(inner, object=dict(inner))
    assert reason(statement(object=nested)) == (
        "object.object: a SubStatement cannot contain another SubStatement"
    )
    assert reason(statement(object=dict(inner, id=UUID))) == "object: unknown property “id”"
    assert reason(statement(object=dict(inner, actor={"name": "x"}))) == (
        "object.actor: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account"
    )


def test_batch_names_the_bad_statement() -> None:
    with pytest.raises(StatementError) as caught:
        validate_batch([statement(), statement(actor={"name": "x"})])
    assert str(caught.value) == (
        "[1].actor: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account"
    )
    with pytest.raises(StatementError) as caught:
        validate_batch([statement(id=UUID), statement(id=UUID)])
    assert str(caught.value) == "[1].id: the same id appears twice in this batch"
    with pytest.raises(StatementError):
        validate_batch([])


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT45M", 2700),
        ("PT1H30M", 5400),
        ("PT0.5S", 0.5),
        ("P1D", 86400),
        ("P1W", 604800),
        ("PT1,5H", 5400),
    ],
)
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == seconds


def test_entry_draft_maps_title_url_minutes_format_and_date() -> None:
    import datetime as dt

    stored = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    draft, why = entry_draft(
        statement(result={"duration": "PT44M1S"}), stored=stored, today=dt.date(2026, 11, 21)
    )
    assert why == ""
    assert (draft.title, draft.url, draft.minutes, draft.format, draft.learned_on) == (
        "Checking for understanding in 5 minutes",
        "https://www.youtube.com/watch?v=abc123",
        45,
        "video",
        dt.date(2026, 11, 20),
    )
    none, why = entry_draft(
        statement(verb={"id": "http://adlnet.gov/expapi/verbs/launched"}),
        stored=stored,
        today=stored.date(),
    )
    assert (none, why) == (None, "the verb is not one that says learning was done")
    none, why = entry_draft(statement(result=None), stored=stored, today=stored.date())
    assert (none, why) == (None, "the result has no duration")


def test_identifiers_for_filters() -> None:
    assert actor_ifi({"mbox": "mailto:Alice@Example.org"}) == "mbox:mailto:alice@example.org"
    assert actor_ifi({"account": ACCOUNT}) == "account:https://lms.example.org|alice"
    keys = related_keys(
        statement(
            context={
                "instructor": {"mbox": "mailto:coach@example.org"},
                "contextActivities": {"parent": [{"id": "https://x.org/course"}]},
            }
        )
    )
    assert keys == [
        "activity:https://www.youtube.com/watch?v=abc123",
        "activity:https://x.org/course",
        "mbox:mailto:alice@northfield.test",
        "mbox:mailto:coach@example.org",
    ]
