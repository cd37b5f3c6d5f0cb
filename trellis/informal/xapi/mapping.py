"""From a valid statement to what an informal-learning entry needs, and the identifiers the
store filters on. Plain Python: the store decides which educator (if any) the actor is."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from trellis.informal.xapi.validate import IFI_KEYS, parse_duration, parse_timestamp

# Verbs that say the learning happened (not "launched", "paused", "answered"). Documented in
# docs/informal-learning.md; other verbs are stored but create no entry.
COMPLETION_VERBS = frozenset(
    {
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/experienced",
        "http://adlnet.gov/expapi/verbs/attended",
        "http://adlnet.gov/expapi/verbs/passed",
        "http://activitystrea.ms/schema/1.0/watch",
        "http://activitystrea.ms/schema/1.0/read",
        "http://activitystrea.ms/schema/1.0/listen",
        "http://id.tincanapi.com/verb/viewed",
        "https://w3id.org/xapi/acrossx/verbs/watched",
        "https://w3id.org/xapi/acrossx/verbs/read",
    }
)

# Words in the activity type IRI → entry format (first match wins).
FORMAT_BY_TYPE_WORD = (
    ("video", "video"),
    ("podcast", "podcast"),
    ("audio", "podcast"),
    ("book", "book"),
    ("article", "article"),
    ("blog", "article"),
    ("course", "course"),
    ("module", "course"),
    ("lesson", "course"),
    ("meeting", "other"),
)
MAX_MINUTES = 1440
MAX_TITLE = 200


@dataclass(frozen=True)
class EntryDraft:
    title: str
    url: str
    minutes: int
    format: str
    learned_on: dt.date


def actor_ifi(actor: dict) -> str:
    """One string per identified agent or group, e.g. "mbox:mailto:ann@example.org" or
    "account:https://lms.example.org|ann"; empty for an anonymous group."""
    for key in IFI_KEYS:
        if key in actor:
            value = actor[key]
            if key == "account":
                return f"account:{value['homePage']}|{value['name']}"
            return f"{key}:{value.lower() if key == 'mbox' else value}"
    return ""


def related_keys(statement: dict) -> list[str]:
    """Every agent IFI and activity id anywhere in the statement, for related_* filters."""
    keys: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ifi = actor_ifi(node) if node.get("objectType") in (None, "Agent", "Group") else ""
            if ifi and any(k in node for k in IFI_KEYS):
                keys.append(ifi)
            if (
                node.get("objectType", "Activity") == "Activity"
                and isinstance(node.get("id"), str)
                and "verb" not in node
                and "actor" not in node
                and not any(k in node for k in IFI_KEYS)
            ):
                keys.append(f"activity:{node['id']}")
            for key, child in node.items():
                if key not in ("verb", "authority", "result", "extensions"):
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk({k: v for k, v in statement.items() if k != "id"})
    return sorted(set(keys))


def actor_lookup(actor: dict) -> tuple[str, str] | None:
    """How to find the educator: ("email", address) for mbox, ("account", name) for an account;
    None for hashed mailboxes, OpenIDs and groups (never matched)."""
    if actor.get("objectType") == "Group":
        return None
    if "mbox" in actor:
        return ("email", actor["mbox"].removeprefix("mailto:").strip().lower())
    if "account" in actor:
        return ("account", actor["account"]["name"].strip())
    return None


def _name(definition: dict) -> str:
    names = definition.get("name") or {}
    for tag in ("en-US", "en", "en-GB"):
        if names.get(tag):
            return names[tag]
    return next((text for text in names.values() if text), "")


def _format(definition: dict) -> str:
    kind = str(definition.get("type", "")).lower().rsplit("/", 1)[-1]
    for word, entry_format in FORMAT_BY_TYPE_WORD:
        if word in kind:
            return entry_format
    return "other"


def entry_draft(
    statement: dict, *, stored: dt.datetime, today: dt.date
) -> tuple[EntryDraft | None, str]:
    """What the entry would be, or (None, why not) for statements that are not learning done."""
    if statement["verb"]["id"] not in COMPLETION_VERBS:
        return None, "the verb is not one that says learning was done"
    target = statement["object"]
    if target.get("objectType", "Activity") != "Activity":
        return None, "the object is not an Activity"
    duration = (statement.get("result") or {}).get("duration")
    if duration is None:
        return None, "the result has no duration"
    minutes = min(MAX_MINUTES, max(1, math.ceil(parse_duration(duration) / 60)))
    definition = target.get("definition") or {}
    title = (_name(definition) or target["id"]).strip()[:MAX_TITLE]
    url = target["id"] if target["id"].lower().startswith(("http://", "https://")) else ""
    when = parse_timestamp(statement["timestamp"]) if "timestamp" in statement else stored
    learned_on = min(when.astimezone(dt.UTC).date(), today)
    return EntryDraft(title, url[:1000], minutes, _format(definition), learned_on), ""
