"""CSV files: an educator's transcript, and the district's state-reporting export.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return) get a leading apostrophe. Amounts are plain decimals without trailing zeros ("7.5").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from trellis.credit.queries.renewal import Renewal, renewal_progress_bulk
from trellis.credit.queries.transcript import Transcript
from trellis.credit.rules.wording import number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

TRANSCRIPT_COLUMNS = (
    "completed_on",
    "title",
    "provider",
    "source",
    "category",
    "amount",
    "unit",
    "hours",
    "topics",
    "approved_provider",
    "counted",
    "counted_unit",
    "status",
)

STATE_EXPORT_COLUMNS = (
    "educator_name",
    "educator_email",
    "licence_number",
    "rule_set",
    "cycle_start",
    "cycle_end",
    "title",
    "provider",
    "approved_provider",
    "completed_on",
    "amount",
    "unit",
    "value",
    "rule_set_unit",
    "counted",
)


def safe(text: Any) -> str:
    value = str(text)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class _Line:
    """A file-like object whose write returns the text, so csv.writer yields lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def transcript_rows(transcript: Transcript) -> Iterator[list[str]]:
    progress = transcript.renewal.progress
    for row in transcript.rows:
        award = row.award
        yield [
            award.completed_on.isoformat(),
            safe(award.title),
            safe(award.provider),
            award.source,
            award.category,
            number(award.amount),
            award.unit,
            number(award.hours),
            ";".join(award.topics),
            yes_no(award.provider_approved),
            number(row.counted) if row.counted is not None else "",
            progress.unit.value if progress is not None else "",
            row.status.lower().replace(" ", "_") if row.status else "",
        ]


def transcript_csv(transcript: Transcript) -> str:
    return "".join(csv_lines(TRANSCRIPT_COLUMNS, transcript_rows(transcript)))


def state_export_rows(renewals: Iterable[Renewal]) -> Iterator[list[str]]:
    """One row per award that counts (even partly) in the educator's current cycle; educators
    without a rule set have nothing to report and are left out."""
    for renewal in renewals:
        progress = renewal.progress
        if progress is None:
            continue
        awards = {award.record_id: award for award in renewal.awards}
        licence_number = renewal.license.number if renewal.license is not None else ""
        for line in progress.records:
            if not line.counted:
                continue
            award = awards[line.record_id]
            yield [
                safe(renewal.educator_name),
                safe(renewal.educator_email),
                safe(licence_number),
                progress.rule_set_key,
                progress.cycle_start.isoformat(),
                progress.deadline.isoformat(),
                safe(award.title),
                safe(award.provider),
                yes_no(award.provider_approved),
                award.completed_on.isoformat(),
                number(award.amount),
                award.unit,
                number(line.value) if line.value is not None else "",
                progress.unit.value,
                number(line.counted),
            ]


def state_export_lines(district: Any, **bulk_options: Any) -> Iterator[str]:
    """The state-reporting export as CSV text lines, computed chunk by chunk as it streams."""
    renewals = renewal_progress_bulk(district, **bulk_options)
    return csv_lines(STATE_EXPORT_COLUMNS, state_export_rows(renewals))
