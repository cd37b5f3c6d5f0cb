"""Reading one chunk of a resumable upload from an HTTP request (the workspace's JSON views and
the API share it): the body straight from the stream, at most one chunk, and its
`Content-Range: bytes start-end/total` header checked against the body and the upload."""

from __future__ import annotations

import re

from django.http import HttpRequest

from trellis.core.errors import DomainError
from trellis.microcredentials.services.uploads import MAX_CHUNK, MB

_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


def _too_large() -> DomainError:
    return DomainError(
        "chunk_too_large",
        f"A chunk may be at most {MAX_CHUNK // MB} MB.",
        details={"max_chunk": MAX_CHUNK},
    )


def parse_content_range(header: str, length: int, size: int) -> int:
    """The chunk's start from `bytes start-end/total`, checked against the body's length and
    the size the upload was started with."""
    match = _RANGE.match(str(header or "").strip())
    if match is None:
        raise DomainError(
            "invalid_range",
            "Send the chunk with a Content-Range header such as “bytes 0-4194303/52428800”.",
        )
    start, end, total = (int(g) for g in match.groups())
    if end < start or end - start + 1 != length:
        raise DomainError(
            "invalid_range",
            f"The Content-Range says {max(end - start + 1, 0)} bytes but the body has {length}.",
        )
    if total != size:
        raise DomainError(
            "invalid_range",
            f"The Content-Range total is {total} bytes but the upload was started for {size}.",
        )
    return start


def read_chunk(request: HttpRequest) -> bytes:
    """The request body, at most one chunk (read from the stream, so the form-size limit for
    in-memory bodies does not apply; a larger body is refused without reading it all)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_CHUNK:
        raise _too_large()
    data = request.read(MAX_CHUNK + 1)
    if len(data) > MAX_CHUNK:
        raise _too_large()
    return data
