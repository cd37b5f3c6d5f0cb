"""Open Badges 3.0 baking: a credential carried inside its badge image.

PNG: one uncompressed `iTXt` chunk with the keyword "openbadgecredential", before IEND.
SVG: an `<openbadges:credential>` element (namespace https://purl.imsglobal.org/ob/v3p0) on the
root, holding the credential JSON in CDATA, or a VC-JWT in its `verify` attribute."""

from __future__ import annotations

import json
import re
import struct
import zlib
from typing import Any

from lxml import etree

from trellis.credentials.core.errors import CredentialError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
OB2_PNG_KEYWORD = b"openbadges"  # Open Badges 2.0 baking: an assertion's JSON, or its URL
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SVG_TAG = f"{{{SVG_NAMESPACE}}}credential"
MAX_IMAGE_BYTES = 20 * 1024 * 1024

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def credential_text(credential: dict[str, Any] | str) -> tuple[str, bool]:
    """The text to bake and whether it is a JWT: compact JSON for a dict (or a JSON string),
    the token itself for a compact JWS."""
    if isinstance(credential, dict):
        return json.dumps(credential, separators=(",", ":"), ensure_ascii=False), False
    if isinstance(credential, str):
        text = credential.strip()
        if _JWS.match(text):
            return text, True
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return json.dumps(parsed, separators=(",", ":"), ensure_ascii=False), False
    raise CredentialError("Only a credential JSON object or a VC-JWT can be baked into a badge.")


# --- PNG ---------------------------------------------------------------------------------------


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, checking the signature, lengths and CRCs."""
    if not isinstance(png, bytes | bytearray) or not png.startswith(PNG_SIGNATURE):
        raise CredentialError("The image is not a PNG file.")
    if len(png) > MAX_IMAGE_BYTES:
        raise CredentialError("The PNG image is too large to bake (20 MB at most).")
    chunks: list[tuple[bytes, bytes]] = []
    position = len(PNG_SIGNATURE)
    while position < len(png):
        if position + 8 > len(png):
            raise CredentialError("The PNG file is truncated.")
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        end = position + 8 + length + 4
        if end > len(png):
            raise CredentialError("The PNG file is truncated.")
        data = bytes(png[position + 8 : position + 8 + length])
        (crc,) = struct.unpack(">I", png[end - 4 : end])
        if zlib.crc32(kind + data) != crc:
            raise CredentialError(
                f"The PNG file is damaged (bad checksum in a {kind.decode('latin-1')!r} chunk)."
            )
        chunks.append((kind, data))
        position = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR":
        raise CredentialError("The PNG file does not start with an IHDR chunk.")
    if chunks[-1][0] != b"IEND":
        raise CredentialError("The PNG file has no IEND chunk (it is truncated).")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _itxt_keyword(data: bytes) -> bytes:
    return data.split(b"\x00", 1)[0]


def bake_png(png: bytes, credential: dict[str, Any] | str) -> bytes:
    """The PNG with the credential in one `openbadgecredential` iTXt chunk (replacing any)."""
    text, _ = credential_text(credential)
    chunks = _chunks(png)
    # keyword, NUL, compression flag 0, method 0, empty language tag + NUL, empty translated
    # keyword + NUL, then the UTF-8 text.
    payload = PNG_KEYWORD + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    out = bytearray(PNG_SIGNATURE)
    for kind, data in chunks:
        if kind == b"iTXt" and _itxt_keyword(data) == PNG_KEYWORD:
            continue
        if kind == b"IEND":
            out += _chunk(b"iTXt", payload)
        out += _chunk(kind, data)
    return bytes(out)


def unbake_png(png: bytes, *, keyword: bytes = PNG_KEYWORD) -> str | None:
    """The credential text (JSON or a JWT) baked into a PNG, or None when there is none.
    `keyword=OB2_PNG_KEYWORD` reads an Open Badges 2.0 baked assertion instead."""
    for kind, data in _chunks(png):
        if kind != b"iTXt" or _itxt_keyword(data) != keyword:
            continue
        rest = data[len(keyword) + 1 :]
        if len(rest) < 2:
            raise CredentialError("The PNG's openbadgecredential chunk is malformed.")
        compressed, method = rest[0], rest[1]
        parts = rest[2:].split(b"\x00", 2)
        if len(parts) != 3:
            raise CredentialError("The PNG's openbadgecredential chunk is malformed.")
        body = parts[2]
        if compressed:
            if method != 0:
                raise CredentialError("The PNG's credential uses an unknown compression method.")
            try:
                body = zlib.decompressobj().decompress(body, MAX_IMAGE_BYTES)
            except zlib.error as error:
                raise CredentialError("The PNG's credential cannot be decompressed.") from error
        try:
            return body.decode("utf-8").strip()
        except UnicodeDecodeError as error:
            raise CredentialError("The PNG's credential is not UTF-8 text.") from error
    return None


# --- SVG ---------------------------------------------------------------------------------------


def _parse_svg(svg: str | bytes) -> etree._Element:
    if isinstance(svg, str):
        data = svg.encode("utf-8")
    elif isinstance(svg, bytes | bytearray):
        data = bytes(svg)
    else:
        raise CredentialError("The image is not an SVG file.")
    if len(data) > MAX_IMAGE_BYTES:
        raise CredentialError("The SVG image is too large to bake (20 MB at most).")
    if data.startswith(b"<?xml"):
        # An XML declaration's encoding is not allowed when parsing text that is already decoded.
        data = re.sub(rb"^<\?xml[^>]*\?>", b"", data, count=1)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise CredentialError(f"The SVG image is not well-formed XML: {error}") from error
    if root is None or etree.QName(root).localname != "svg":
        raise CredentialError("The image is not an SVG file (its root element is not <svg>).")
    if any(True for _ in root.iter(etree.Entity)):
        # Entities are never expanded; a document that relies on them cannot be baked safely.
        raise CredentialError(
            "The SVG image uses XML entities (&name;), which badge images may not contain; "
            "export it again without them."
        )
    return root


def bake_svg(svg: str, credential: dict[str, Any] | str) -> str:
    """The SVG with one `<openbadges:credential>` holding the credential (replacing any)."""
    text, is_jwt = credential_text(credential)
    root = _parse_svg(svg)
    for old in root.findall(SVG_TAG):
        _remove(old)
    nsmap = dict(root.nsmap)
    if nsmap.get("openbadges") != SVG_NAMESPACE:
        # Re-create the root with the openbadges prefix declared on it.
        nsmap = {prefix: uri for prefix, uri in nsmap.items() if prefix != "openbadges"}
        nsmap["openbadges"] = SVG_NAMESPACE
        new_root = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=nsmap)
        new_root.text = root.text
        for child in list(root):
            new_root.append(child)
        root = new_root
    element = etree.Element(SVG_TAG)
    if is_jwt:
        element.set("verify", text)
    else:
        # "]]>" can only occur inside JSON strings, where ">" may be written as \u003e.
        element.text = etree.CDATA(text.replace("]]>", "]]\\u003e"))
    # After a leading <title>/<desc>, which assistive technology expects to come first.
    position = 0
    for child in root:
        if not isinstance(child.tag, str) or etree.QName(child).localname not in ("title", "desc"):
            break
        position += 1
    if position:
        element.tail = root[position - 1].tail
    else:
        element.tail = root.text
    root.insert(position, element)
    return etree.tostring(root, encoding="unicode")


def unbake_svg(svg: str) -> str | None:
    """The credential text (JSON or a JWT) baked into an SVG, or None when there is none."""
    root = _parse_svg(svg)
    element = root.find(SVG_TAG)
    if element is None:
        return None
    token = element.get("verify")
    if token:
        return token.strip()
    text = (element.text or "").strip()
    if not text:
        raise CredentialError("The SVG's openbadges:credential element is empty.")
    return text


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    previous = element.getprevious()
    if element.tail and element.tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
