"""Checks one xAPI 1.0.3 statement (already parsed from JSON) and names the first problem with
its path, e.g. "actor: an Agent needs exactly one of mbox, mbox_sha1sum, openid, account".

Only structure is checked here; whether a voided statement exists is the store's business."""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from typing import Any

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SUPPORTED_VERSION_PREFIX = "1.0."

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^mailto:[^@\s]+@[^@\s]+\.[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"^P(?:{_NUMBER}Y)?(?:{_NUMBER}M)?(?:{_NUMBER}W)?(?:{_NUMBER}D)?"
    rf"(?:T(?:{_NUMBER}H)?(?:{_NUMBER}M)?(?:{_NUMBER}S)?)?$"
)

STATEMENT_KEYS = frozenset(
    {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
     "version", "attachments"}
)  # fmt: skip
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
AGENT_KEYS = frozenset({"objectType", "name", *IFI_KEYS})
GROUP_KEYS = frozenset({"objectType", "name", "member", *IFI_KEYS})
VERB_KEYS = frozenset({"id", "display"})
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
DEFINITION_KEYS = frozenset(
    {"name", "description", "type", "moreInfo", "extensions", "interactionType",
     "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
)  # fmt: skip
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_KEYS = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision", "platform",
     "language", "statement", "extensions"}
)  # fmt: skip
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})


class StatementError(ValueError):
    """A statement broke a rule; `str()` is the path and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}" if path else reason)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _object(value: Any, path: str, allowed: frozenset[str]) -> dict:
    if not isinstance(value, dict):
        raise StatementError(path, "must be a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise StatementError(path, f"unknown property “{unknown[0]}”")
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise StatementError(path, "must be a string")
    return value


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _iri(value: Any, path: str) -> str:
    if not is_iri(value):
        raise StatementError(
            path, f"must be an absolute IRI such as https://example.org/x, not {value!r}"
        )
    return value


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or not _UUID.match(value):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _uuid(value: Any, path: str) -> str:
    if not is_uuid(value):
        raise StatementError(
            path, f"must be a UUID such as 2f1c6c4e-0c5e-4b8e-9f7a-1d2e3f4a5b6c, not {value!r}"
        )
    return value


def _language_map(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise StatementError(path, 'must be a language map such as {"en-US": "watched"}')
    for tag, text in value.items():
        if not _LANGUAGE_TAG.match(tag):
            raise StatementError(_join(path, tag), "is not a language tag such as en-US")
        _string(text, _join(path, tag))


def _extensions(value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise StatementError(path, "must be a JSON object keyed by IRIs")
    for key in value:
        if not is_iri(key):
            raise StatementError(_join(path, key), "extension keys must be IRIs")


def parse_duration(value: Any) -> float:
    """Seconds in an ISO 8601 duration such as PT1H30M; ValueError when it is not one.
    Years count 365 days and months 30 (statements rarely use them)."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or value in ("P", "PT") or value.endswith("T"):
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    factors = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)
    total = 0.0
    for group, factor in zip(match.groups(), factors, strict=True):
        if group is not None:
            total += float(group.replace(",", ".")) * factor
    if not math.isfinite(total):
        raise ValueError(f"the duration {value!r} is too long")
    return total


def parse_timestamp(value: Any) -> dt.datetime:
    """An ISO 8601 date and time; naive times are read as UTC. ValueError otherwise."""
    if not isinstance(value, str) or "T" not in value.upper():
        raise ValueError(f"not an ISO 8601 date and time: {value!r}")
    if value.endswith("-00:00"):
        raise ValueError("the offset -00:00 is not allowed; use Z or +00:00")
    parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    try:  # 9999-12-31T23:00:00-05:00 is a valid string but no UTC moment
        parsed.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is outside the years 1 to 9999 in UTC") from None
    return parsed


def _timestamp(value: Any, path: str) -> None:
    try:
        parse_timestamp(value)
    except ValueError:
        raise StatementError(
            path, f"must be an ISO 8601 date and time such as 2026-03-01T14:30:00Z, not {value!r}"
        ) from None


def _account(value: Any, path: str) -> None:
    account = _object(value, path, frozenset({"homePage", "name"}))
    if "homePage" not in account or "name" not in account:
        raise StatementError(path, "an account needs both homePage and name")
    _iri(account["homePage"], _join(path, "homePage"))
    if not _string(account["name"], _join(path, "name")).strip():
        raise StatementError(_join(path, "name"), "must not be empty")


def _ifis(value: dict, path: str) -> list[str]:
    present = [key for key in IFI_KEYS if key in value]
    for key in present:
        where = _join(path, key)
        if key == "mbox" and not (isinstance(value[key], str) and _EMAIL.match(value[key])):
            raise StatementError(
                where, "must be an e-mail address as a mailto: IRI, e.g. mailto:ann@example.org"
            )
        if key == "mbox_sha1sum" and not (isinstance(value[key], str) and _SHA1.match(value[key])):
            raise StatementError(where, "must be the 40 hexadecimal characters of a SHA-1 hash")
        if key == "openid":
            _iri(value[key], where)
        if key == "account":
            _account(value[key], where)
    return present


def validate_agent(value: Any, path: str) -> None:
    agent = _object(value, path, AGENT_KEYS)
    if agent.get("objectType", "Agent") != "Agent":
        raise StatementError(_join(path, "objectType"), "must be “Agent” here")
    if "name" in agent:
        _string(agent["name"], _join(path, "name"))
    if len(_ifis(agent, path)) != 1:
        raise StatementError(
            path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid, account"
        )


def validate_group(value: Any, path: str) -> None:
    group = _object(value, path, GROUP_KEYS)
    if group.get("objectType") != "Group":
        raise StatementError(_join(path, "objectType"), "must be “Group” for a group")
    if "name" in group:
        _string(group["name"], _join(path, "name"))
    ifis = _ifis(group, path)
    if len(ifis) > 1:
        raise StatementError(
            path, "an identified Group has exactly one of mbox, mbox_sha1sum, openid, account"
        )
    members = group.get("member")
    if not ifis and not members:
        raise StatementError(
            path, "an anonymous Group (no identifier) needs a non-empty member list"
        )
    if members is not None:
        if not isinstance(members, list):
            raise StatementError(_join(path, "member"), "must be a list of Agents")
        for index, member in enumerate(members):
            where = _join(_join(path, "member"), index)
            if isinstance(member, dict) and member.get("objectType") == "Group":
                raise StatementError(where, "a Group's members must be Agents, not Groups")
            validate_agent(member, where)


def validate_actor(value: Any, path: str) -> None:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        validate_group(value, path)
    else:
        validate_agent(value, path)


def _verb(value: Any, path: str) -> None:
    verb = _object(value, path, VERB_KEYS)
    if "id" not in verb:
        raise StatementError(path, "a verb needs an id (an IRI)")
    _iri(verb["id"], _join(path, "id"))
    if "display" in verb:
        _language_map(verb["display"], _join(path, "display"))


def _activity(value: Any, path: str) -> None:
    activity = _object(value, path, ACTIVITY_KEYS)
    if "id" not in activity:
        raise StatementError(path, "an Activity needs an id (an IRI)")
    _iri(activity["id"], _join(path, "id"))
    if "definition" in activity:
        where = _join(path, "definition")
        definition = _object(activity["definition"], where, DEFINITION_KEYS)
        for key in ("name", "description"):
            if key in definition:
                _language_map(definition[key], _join(where, key))
        for key in ("type", "moreInfo"):
            if key in definition:
                _iri(definition[key], _join(where, key))
        if "extensions" in definition:
            _extensions(definition["extensions"], _join(where, "extensions"))


def _statement_ref(value: Any, path: str) -> None:
    ref = _object(value, path, frozenset({"objectType", "id"}))
    if "id" not in ref:
        raise StatementError(path, "a StatementRef needs the id of the statement it refers to")
    _uuid(ref["id"], _join(path, "id"))


def _object_target(value: Any, path: str, *, inside_substatement: bool) -> str:
    if not isinstance(value, dict):
        raise StatementError(path, "must be a JSON object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        _activity(value, path)
    elif kind == "Agent":
        validate_agent(value, path)
    elif kind == "Group":
        validate_group(value, path)
    elif kind == "StatementRef":
        _statement_ref(value, path)
    elif kind == "SubStatement":
        if inside_substatement:
            raise StatementError(path, "a SubStatement cannot contain another SubStatement")
        _substatement(value, path)
    else:
        raise StatementError(
            _join(path, "objectType"),
            "must be Activity, Agent, Group, StatementRef or SubStatement",
        )
    return kind


def _score(value: Any, path: str) -> None:
    score = _object(value, path, SCORE_KEYS)
    for key in SCORE_KEYS & set(score):
        if isinstance(score[key], bool) or not isinstance(score[key], int | float):
            raise StatementError(_join(path, key), "must be a number")
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        raise StatementError(_join(path, "scaled"), "must be between -1 and 1")
    low, high, raw = score.get("min"), score.get("max"), score.get("raw")
    if low is not None and high is not None and low > high:
        raise StatementError(path, "min must not be more than max")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise StatementError(_join(path, "raw"), "must be between min and max")


def _result(value: Any, path: str) -> None:
    result = _object(value, path, RESULT_KEYS)
    if "score" in result:
        _score(result["score"], _join(path, "score"))
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise StatementError(_join(path, key), "must be true or false")
    if "response" in result:
        _string(result["response"], _join(path, "response"))
    if "duration" in result:
        try:
            parse_duration(result["duration"])
        except ValueError:
            raise StatementError(
                _join(path, "duration"),
                f"must be an ISO 8601 duration such as PT45M or PT1H30M, not {result['duration']!r}",
            ) from None
    if "extensions" in result:
        _extensions(result["extensions"], _join(path, "extensions"))


def _context(value: Any, path: str, object_kind: str) -> None:
    context = _object(value, path, CONTEXT_KEYS)
    if "registration" in context:
        _uuid(context["registration"], _join(path, "registration"))
    if "instructor" in context:
        validate_actor(context["instructor"], _join(path, "instructor"))
    if "team" in context:
        validate_group(context["team"], _join(path, "team"))
    if "contextActivities" in context:
        where = _join(path, "contextActivities")
        activities = _object(context["contextActivities"], where, CONTEXT_ACTIVITY_KEYS)
        for key, found in activities.items():
            for index, activity in enumerate(found if isinstance(found, list) else [found]):
                _activity(activity, _join(_join(where, key), index))
    for key in ("revision", "platform"):
        if key in context:
            _string(context[key], _join(path, key))
            if object_kind != "Activity":
                raise StatementError(
                    _join(path, key), "is only allowed when the object is an Activity"
                )
    if "language" in context and not (
        isinstance(context["language"], str) and _LANGUAGE_TAG.match(context["language"])
    ):
        raise StatementError(_join(path, "language"), "must be a language tag such as en-US")
    if "statement" in context:
        _statement_ref(context["statement"], _join(path, "statement"))
    if "extensions" in context:
        _extensions(context["extensions"], _join(path, "extensions"))


ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)
_SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")


def _attachments(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise StatementError(path, "must be a list")
    for index, found in enumerate(value):
        where = _join(path, index)
        attachment = _object(found, where, ATTACHMENT_KEYS)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in attachment:
                raise StatementError(where, f"an attachment needs {key}")
        _iri(attachment["usageType"], _join(where, "usageType"))
        _language_map(attachment["display"], _join(where, "display"))
        if "description" in attachment:
            _language_map(attachment["description"], _join(where, "description"))
        if "/" not in _string(attachment["contentType"], _join(where, "contentType")):
            raise StatementError(
                _join(where, "contentType"), "must be a media type such as application/pdf"
            )
        length = attachment["length"]
        if not isinstance(length, int) or isinstance(length, bool) or length < 0:
            raise StatementError(
                _join(where, "length"), "must be a whole number of bytes, 0 or more"
            )
        if not isinstance(attachment["sha2"], str) or not _SHA2.match(attachment["sha2"]):
            raise StatementError(_join(where, "sha2"), "must be a SHA-2 hash in hexadecimal")
        if "fileUrl" in attachment:
            _iri(attachment["fileUrl"], _join(where, "fileUrl"))


def attachment_without_file_url(statements: list[dict]) -> str:
    """The path of the first attachment whose data would have to travel in the request (no
    fileUrl), or "". Trellis keeps attachment metadata and links, never the files."""
    for index, statement in enumerate(statements):
        for where, body in ((f"[{index}]", statement), (f"[{index}].object", statement["object"])):
            for n, attachment in enumerate(body.get("attachments") or ()):
                if "fileUrl" not in attachment:
                    return f"{where}.attachments[{n}]"
    return ""


def _body(value: dict, path: str, *, inside_substatement: bool) -> None:
    for key in ("actor", "verb", "object"):
        if key not in value:
            raise StatementError(path or "statement", f"a statement needs {key}")
    validate_actor(value["actor"], _join(path, "actor"))
    _verb(value["verb"], _join(path, "verb"))
    kind = _object_target(
        value["object"], _join(path, "object"), inside_substatement=inside_substatement
    )
    if "result" in value:
        _result(value["result"], _join(path, "result"))
    if "context" in value:
        _context(value["context"], _join(path, "context"), kind)
    if "timestamp" in value:
        _timestamp(value["timestamp"], _join(path, "timestamp"))
    if "attachments" in value:
        _attachments(value["attachments"], _join(path, "attachments"))
    if value["verb"]["id"] == VOIDED_VERB and kind != "StatementRef":
        raise StatementError(
            _join(path, "object"), "a voiding statement's object must be a StatementRef"
        )


def _substatement(value: Any, path: str) -> None:
    substatement = _object(value, path, SUBSTATEMENT_KEYS)
    _body(substatement, path, inside_substatement=True)


def validate_statement(value: Any, path: str = "") -> None:
    """Raise StatementError for the first rule `value` breaks."""
    statement = _object(value, path or "statement", STATEMENT_KEYS)
    if "id" in statement:
        _uuid(statement["id"], _join(path, "id"))
    if "version" in statement and not (
        isinstance(statement["version"], str)
        and statement["version"].startswith(SUPPORTED_VERSION_PREFIX)
    ):
        raise StatementError(_join(path, "version"), "must be a 1.0.x version such as 1.0.3")
    if "stored" in statement:
        _timestamp(statement["stored"], _join(path, "stored"))
    if "authority" in statement:
        validate_actor(statement["authority"], _join(path, "authority"))
    _body(statement, path, inside_substatement=False)


def validate_batch(value: Any) -> list[dict]:
    """One statement or a list of them → the list; StatementError names the bad one's index."""
    if isinstance(value, dict):
        validate_statement(value)
        return [value]
    if not isinstance(value, list) or not value:
        raise StatementError("", "send one statement (a JSON object) or a non-empty list of them")
    seen: set[str] = set()
    for index, statement in enumerate(value):
        validate_statement(statement, f"[{index}]")
        if "id" in statement:
            key = statement["id"].lower()
            if key in seen:
                raise StatementError(f"[{index}].id", "the same id appears twice in this batch")
            seen.add(key)
    return value
