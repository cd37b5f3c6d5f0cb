"""What an uploaded file really is, read from its first bytes (magic numbers).

The name and the type the browser declared are never trusted: a PNG renamed `.pdf` is a PNG, and
an SVG or HTML page named `.png` is refused. Only passive formats are accepted; anything a
browser could run (SVG, HTML, XML, scripts, macro-enabled Office files, bare ZIP archives) is
refused. Pure Python: no Django.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 4096
TEXT_MAX_BYTES = 20 * 1024 * 1024  # larger "text" is not read into memory to check it

# Kinds of artifact an upload can be (RequirementPart.accepted_types uses the same words).
DOCUMENT, IMAGE, VIDEO, AUDIO = "document", "image", "video", "audio"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

# Types a browser may show in the page (everything else is served as a download).
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"})

# Markers of active content: a file whose first bytes contain one is refused whatever its magic
# number says (old browsers sniffed HTML anywhere in the first few hundred bytes).
_ACTIVE_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed)\b", re.IGNORECASE
)
# Plain text that is really markup (XML can carry SVG or XSLT) is refused too.
_MARKUP_TEXT = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<\s*[?!a-z]", re.IGNORECASE)


@dataclass(frozen=True)
class FileType:
    kind: str  # document, image, video, audio
    content_type: str
    extension: str  # what we store it as; never the user's extension
    label: str


class UnsupportedFile(ValueError):
    """The bytes are not one of the accepted formats; the message says why, for the educator."""


TYPES = {
    "pdf": FileType(DOCUMENT, "application/pdf", "pdf", "PDF"),
    "docx": FileType(DOCUMENT, DOCX, "docx", "Word document"),
    "xlsx": FileType(DOCUMENT, XLSX, "xlsx", "Excel workbook"),
    "pptx": FileType(DOCUMENT, PPTX, "pptx", "PowerPoint presentation"),
    "text": FileType(DOCUMENT, "text/plain; charset=utf-8", "txt", "plain text"),
    "png": FileType(IMAGE, "image/png", "png", "PNG image"),
    "jpeg": FileType(IMAGE, "image/jpeg", "jpg", "JPEG image"),
    "gif": FileType(IMAGE, "image/gif", "gif", "GIF image"),
    "webp": FileType(IMAGE, "image/webp", "webp", "WebP image"),
    "mp4": FileType(VIDEO, "video/mp4", "mp4", "MP4 video"),
    "mov": FileType(VIDEO, "video/quicktime", "mov", "QuickTime video"),
    "webm": FileType(VIDEO, "video/webm", "webm", "WebM video"),
    "mkv": FileType(VIDEO, "video/x-matroska", "mkv", "Matroska video"),
    "m4a": FileType(AUDIO, "audio/mp4", "m4a", "M4A audio"),
    "mp3": FileType(AUDIO, "audio/mpeg", "mp3", "MP3 audio"),
    "wav": FileType(AUDIO, "audio/wav", "wav", "WAV audio"),
    "ogg": FileType(AUDIO, "audio/ogg", "ogg", "Ogg audio"),
}

ACCEPTED_FORMATS = (
    "PDF, Word, Excel and PowerPoint files, plain text, PNG, JPEG, GIF and WebP images, MP4, "
    "QuickTime, WebM and Matroska video, MP3, M4A, WAV and Ogg audio"
)


# What a file name's extension suggests, before any byte has arrived (used only to refuse an
# oversized upload early; the bytes decide the real type when the file is complete).
_EXTENSION_KINDS = {
    **dict.fromkeys(("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt"), DOCUMENT),
    **dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp"), IMAGE),
    **dict.fromkeys(("mp4", "m4v", "mov", "qt", "webm", "mkv"), VIDEO),
    **dict.fromkeys(("mp3", "m4a", "wav", "ogg", "oga"), AUDIO),
}


def kind_from_name(name: str) -> str | None:
    """The kind a file name's extension suggests (document, image, video, audio), or None."""
    _stem, dot, ext = str(name or "").rpartition(".")
    return _EXTENSION_KINDS.get(ext.lower()) if dot else None


def _ftyp(head: bytes) -> FileType | None:
    brand = head[8:12]
    if brand == b"qt  ":
        return TYPES["mov"]
    if brand in (b"M4A ", b"M4B "):
        return TYPES["m4a"]
    if brand[:3] in (b"hei", b"mif", b"avi"):  # HEIC/AVIF stills: not supported
        return None
    return TYPES["mp4"]


def _office(stream: BinaryIO) -> FileType:
    """A ZIP is only accepted as an Office Open XML file without macros."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsupportedFile("The file looks like a damaged ZIP archive.") from None
    finally:
        stream.seek(0)
    if "[Content_Types].xml" not in names:
        raise UnsupportedFile(
            "ZIP archives are not accepted; upload the files themselves (or a Word, Excel or "
            "PowerPoint file)."
        )
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnsupportedFile("Files with macros are not accepted; save it without macros.")
    if "word/document.xml" in names:
        return TYPES["docx"]
    if "xl/workbook.xml" in names:
        return TYPES["xlsx"]
    if "ppt/presentation.xml" in names:
        return TYPES["pptx"]
    raise UnsupportedFile("This Office file type is not accepted.")


def _text(stream: BinaryIO) -> FileType | None:
    stream.seek(0)
    data = stream.read(TEXT_MAX_BYTES + 1)
    stream.seek(0)
    if not data or len(data) > TEXT_MAX_BYTES or b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Control characters other than tabs and line breaks mean binary data, not text.
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text):
        return None
    return TYPES["text"]


def sniff(stream: BinaryIO) -> FileType:
    """The type of the file in `stream` (seekable; left at position 0), or UnsupportedFile."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise UnsupportedFile("The file is empty.")
    if _ACTIVE_MARKERS.search(head[:1024]):
        raise UnsupportedFile(
            "The file contains web page or script content (HTML, SVG or XML), which is not "
            "accepted. Export it as PDF or as a PNG or JPEG image."
        )
    found = _by_magic(head, stream)
    if found is None:
        found = _text(stream)
        if found is not None and _MARKUP_TEXT.match(head):
            raise UnsupportedFile(
                "Markup files (HTML, SVG, XML) are not accepted. Export it as PDF or plain text."
            )
    if found is None:
        raise UnsupportedFile(f"This type of file is not accepted. Accepted: {ACCEPTED_FORMATS}.")
    return found


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio layer III frame header: 11 sync bits, a valid version, layer III, a valid
    bitrate and sample rate (so a UTF-16 text's FF FE byte order mark is not "audio")."""
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = head[1] & 0x18, head[1] & 0x06
    bitrate, rate = head[2] & 0xF0, head[2] & 0x0C
    return version != 0x08 and layer == 0x02 and bitrate != 0xF0 and rate != 0x0C


def _by_magic(head: bytes, stream: BinaryIO) -> FileType | None:
    if head.startswith(b"%PDF-"):
        return TYPES["pdf"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if head[12:16] != b"IHDR":
            raise UnsupportedFile("The file claims to be a PNG image but is damaged.")
        return TYPES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return TYPES["gif"]
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return TYPES["webp"]
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return TYPES["wav"]
    if head[4:8] == b"ftyp":
        return _ftyp(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM, or Matroska when its doctype says so
        return TYPES["mkv"] if b"matroska" in head[:64] else TYPES["webm"]
    if head.startswith(b"ID3") or _mp3_frame(head):
        return TYPES["mp3"]
    if head.startswith(b"OggS"):
        return TYPES["ogg"]
    if head.startswith(b"PK\x03\x04"):
        return _office(stream)
    return None


_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]+')


def display_name(name: str, *, max_length: int = 255) -> str:
    """The user's file name made safe to show (never used to store the file): the last path
    segment, no control or path characters, no leading dots."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > max_length:
        _stem, dot, ext = name.rpartition(".")
        keep = ("." + ext) if dot and len(ext) <= 10 else ""
        name = name[: max_length - len(keep)] + keep
    return name or "file"
