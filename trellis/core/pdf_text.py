"""Text for PDFs drawn with fpdf2's core fonts, which only know Windows-1252. Plain Python."""

from __future__ import annotations

import unicodedata
from typing import Any

ENCODING = "windows-1252"
# Common symbols outside Windows-1252 with a readable stand-in; the rest are approximated.
REPLACEMENTS = {"≤": "<=", "≥": ">=", "→": "->", "←": "<-", "✓": "v", "−": "-", "\u00a0": " "}


def printable(text: Any) -> str:
    """Text the core fonts can draw: Windows-1252 characters kept, others approximated or "?"."""
    out = []
    for char in str(text):
        try:
            char.encode(ENCODING)
        except UnicodeEncodeError:
            if char in REPLACEMENTS:
                out.append(REPLACEMENTS[char])
                continue
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
        else:
            out.append(char)
    return "".join(out)
