"""From the bytes of a statements request to JSON the store can keep, or a clear reason why
not. Plain Python: the view maps a PayloadError to its HTTP status.

Python's json module accepts things no database column can hold: NaN and Infinity (as
literals or as numbers too large for a float), NUL characters (PostgreSQL text and jsonb refuse
them), unpaired surrogates (not encodable as UTF-8), and nesting deep enough to exhaust the
stack. They are refused here, before any statement is checked or stored.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_BODY_BYTES = 1024 * 1024
MAX_STATEMENTS = 500  # per request; GET pages are at most 500 too
MAX_DEPTH = 32  # objects and lists inside each other; real statements use under 10


class PayloadError(ValueError):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _constant(name: str) -> Any:
    raise PayloadError("bad_json", f"The body is not valid JSON: {name} is not a JSON number.")


def _bad_text(text: str) -> str:
    """Why a string cannot be stored, or ""."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000)"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains an unpaired UTF-16 surrogate (such as \\ud800)"
    return ""


def _path(parts: tuple[str | int, ...]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the body"


def check_storable(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """PayloadError naming the first value that cannot be stored; iterative, so a hostile
    nesting depth cannot exhaust the stack here."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, parts = stack.pop()
        if isinstance(node, dict | list) and len(parts) >= max_depth:
            raise PayloadError(
                "too_deep",
                f"{_path(parts[:max_depth])}: objects and lists nest more than {max_depth} "
                "levels deep.",
            )
        if isinstance(node, dict):
            for key, child in node.items():
                why = _bad_text(key)
                if why:
                    raise PayloadError("bad_characters", f"{_path(parts)}: a key {why}.")
                stack.append((child, (*parts, key)))
        elif isinstance(node, list):
            stack.extend((child, (*parts, i)) for i, child in enumerate(node))
        elif isinstance(node, str):
            why = _bad_text(node)
            if why:
                raise PayloadError("bad_characters", f"{_path(parts)}: {why}.")
        elif isinstance(node, float) and not math.isfinite(node):
            raise PayloadError("bad_number", f"{_path(parts)}: the number is too large.")


def parse_statements_body(raw: bytes) -> Any:
    """The parsed JSON of a POST or PUT body, checked to be storable and small enough."""
    if len(raw) > MAX_BODY_BYTES:
        raise PayloadError("too_large", "Send at most 1 MB of statements per request.", 413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError(
            "bad_encoding", "The body is not UTF-8 text; send JSON encoded as UTF-8."
        ) from None
    try:
        payload = json.loads(text, parse_constant=_constant)
    except RecursionError:
        raise PayloadError(
            "too_deep", f"Objects and lists nest more than {MAX_DEPTH} levels deep."
        ) from None
    except PayloadError:
        raise
    except ValueError as error:  # JSONDecodeError, or an integer with thousands of digits
        raise PayloadError("bad_json", f"The body is not valid JSON: {error}.") from None
    check_storable(payload)
    if isinstance(payload, list) and len(payload) > MAX_STATEMENTS:
        raise PayloadError(
            "too_many_statements",
            f"Send at most {MAX_STATEMENTS} statements per request; this one has {len(payload)}.",
            413,
        )
    return payload
