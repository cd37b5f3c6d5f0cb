"""CSV helpers shared by imports: decoding uploads safely and reporting row-level errors."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from trellis.core.errors import DomainError

MAX_CSV_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB" if size >= 1024 else f"{size} bytes"


def read_csv(
    data: bytes, *, required_columns: set[str], max_bytes: int = MAX_CSV_BYTES
) -> list[dict[str, str]]:
    """Decode and parse a CSV upload; headers are matched case-insensitively and trimmed."""
    return [
        row
        for _number, row in read_csv_numbered(
            data, required_columns=required_columns, max_bytes=max_bytes
        )
    ]


def read_csv_numbered(
    data: bytes, *, required_columns: set[str], max_bytes: int = MAX_CSV_BYTES
) -> list[tuple[int, dict[str, str]]]:
    """Like `read_csv`, each row paired with its number in the file (the header is row 1).

    Blank rows are skipped but still counted, so reported numbers match the spreadsheet.
    """
    if len(data) > max_bytes:
        raise DomainError("file_too_large", f"The file is larger than {_size_text(max_bytes)}.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            "bad_encoding", "The file is not UTF-8 text. Save it as CSV (UTF-8) and retry."
        ) from None
    if "\x00" in text:  # no database stores it in text, and no spreadsheet writes it
        raise DomainError(
            "bad_encoding",
            "The file contains NUL characters, so it is not plain CSV text. Save it as CSV (UTF-8) "
            "and retry.",
        )
    try:
        all_rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise DomainError("malformed_csv", f"The CSV could not be read: {exc}.") from None
    if not all_rows or not any(cell.strip() for cell in all_rows[0]):
        raise DomainError("empty_file", "The file is empty: expected a header row.")
    headers = [cell.strip().lower() for cell in all_rows[0]]
    missing = sorted(required_columns - set(headers))
    if missing:
        raise DomainError("missing_columns", f"Missing column(s): {', '.join(missing)}.")
    return [
        (
            number,
            {header: (row[i].strip() if i < len(row) else "") for i, header in enumerate(headers)},
        )
        for number, row in enumerate(all_rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
