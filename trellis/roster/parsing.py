"""Roster files → plain rows. Pure Python (no Django, no database): every problem becomes a message.

Two inputs produce the same `ParsedRoster`: our own CSV (columns in docs/roster-import.md) and
OneRoster 1.1 CSV (`trellis.roster.oneroster`). File-level problems raise `DomainError` (nothing
can be imported); row-level problems become `RowError`s and the other rows stay importable.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from trellis.core.csvio import RowError
from trellis.core.errors import DomainError

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

# Mirrors of districts.Role, growth.Position and growth.GradeBand values (this module may not
# import models); a test keeps them in step.
ROLE_VALUES = ("educator", "coach", "assessor", "approver", "district_admin")
POSITION_VALUES = (
    "teacher", "counselor", "para", "specialist", "librarian", "coach", "leader", "district",
)  # fmt: skip
GRADE_BAND_VALUES = ("pre_k", "k_5", "6_8", "9_12")

CSV_COLUMNS = (
    "email", "full_name", "given_name", "family_name", "roles", "school", "position",
    "years_experience", "subjects", "grade_bands", "source_id",
)  # fmt: skip
TEMPLATE_CSV = (
    "email,full_name,roles,school,position,years_experience,subjects,grade_bands,source_id\n"
    "maria.lopez@example.org,Maria Lopez,educator,Lincoln Elementary,teacher,3,"
    "Mathematics;Science,K-5,T-1001\n"
    "sam.lee@example.org,Sam Lee,educator;coach,Lincoln Elementary,coach,12,Literacy,k_5;6_8,"
    "T-1002\n"
    "ana.ruiz@example.org,Ana Ruiz,district_admin,,district,15,,,S-0007\n"
)

ROLE_ALIASES = {
    "admin": "district_admin",
    "district_administrator": "district_admin",
    "pd_leader": "district_admin",
    "principal": "approver",
    "mentor": "coach",
    "teacher": "educator",
}
POSITION_ALIASES = {
    "paraprofessional": "para",
    "aide": "para",
    "interventionist": "specialist",
    "media_specialist": "librarian",
    "instructional_coach": "coach",
    "principal": "leader",
    "assistant_principal": "leader",
    "school_leader": "leader",
    "administrator": "leader",
    "district_staff": "district",
}
MAX_NAME = 150
MAX_SOURCE_ID = 128
MAX_SUBJECTS = 20
MAX_SUBJECT = 80
MAX_YEARS = 70

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)


class UploadTooLarge(DomainError):
    status = 413


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person to import. `None` means "not in the file": the current value is kept."""

    row: int
    email: str
    full_name: str
    roles: tuple[str, ...]
    school: str | None = None
    school_source_id: str = ""
    position: str | None = None
    years_experience: int | None = None
    subjects: tuple[str, ...] | None = None
    grade_bands: tuple[str, ...] | None = None
    source_id: str = ""


@dataclass(frozen=True, slots=True)
class SchoolRow:
    name: str
    source_id: str = ""


@dataclass
class ParsedRoster:
    format: str
    people: list[PersonRow] = field(default_factory=list)
    schools: list[SchoolRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → rows
    notices: list[str] = field(default_factory=list)
    # (email, source_id) of invalid rows: a full sync must not deactivate these people.
    invalid_keys: list[tuple[str, str]] = field(default_factory=list)
    is_delta: bool = False

    @property
    def invalid_rows(self) -> int:
        return len({error.row for error in self.errors})

    @property
    def skipped_rows(self) -> int:
        return sum(self.skipped.values())


# --- text and CSV ------------------------------------------------------------------------------


def check_size(data: bytes, label: str = "The file") -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(
            "file_too_large",
            f"{label} is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it by school and import each part.",
        )


def decode_text(data: bytes, label: str = "The file") -> str:
    """UTF-8 text (a byte-order mark is fine); anything else gets a message saying how to fix it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DomainError(
            "bad_encoding",
            f"{label} is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and retry.",
        )
    if data.startswith(b"PK\x03\x04"):
        kind = "an Excel workbook" if b"xl/workbook" in data[:65536] else "a zip archive"
        raise DomainError(
            "not_csv",
            f"{label} is {kind}, not a CSV file. Save it as “CSV UTF-8”, or choose the "
            "OneRoster format for a OneRoster zip.",
        )
    if b"\x00" in data:
        raise DomainError("not_csv", f"{label} is not a CSV file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            "bad_encoding",
            f"{label} is not UTF-8 text (unreadable byte at position {exc.start}). "
            "In Excel choose “CSV UTF-8 (Comma delimited)”; elsewhere save with UTF-8 encoding.",
        ) from None


def _delimiter(header_line: str) -> str:
    """Comma unless the header clearly uses semicolons or tabs (some spreadsheet locales do)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def read_table(
    data: bytes, label: str, *, required: Iterable[str] = ()
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """Header (trimmed, lower-case) and an iterator of (row number, cells); row 1 is the header."""
    text = decode_text(data, label)
    if not text.strip():
        raise DomainError("empty_file", f"{label} is empty: expected a header row.")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line), strict=False)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except csv.Error as exc:
        raise DomainError("malformed_csv", f"{label} could not be read: {exc}.") from None
    missing = [column for column in required if column.lower() not in header]
    if missing:
        raise DomainError(
            "missing_columns",
            f"{label} is missing column(s): {', '.join(missing)}. Found: "
            f"{', '.join(h for h in header if h) or 'nothing'}.",
        )

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        try:
            for cells in reader:
                number += 1
                if any(cell.strip() for cell in cells):
                    yield number, cells
        except csv.Error as exc:
            raise DomainError(
                "malformed_csv", f"{label} could not be read near row {number + 1}: {exc}."
            ) from None

    return header, rows()


def cell_getter(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        positions.setdefault(name, index)
    return positions


def cell(cells: list[str], positions: dict[str, int], name: str) -> str:
    index = positions.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


# --- normalisation -----------------------------------------------------------------------------


def _token(value: str) -> str:
    return re.sub(r"[\s\-/]+", "_", value.strip().lower())


def normalize_email(value: str) -> str:
    return value.strip().lower()


def email_problem(email: str) -> str | None:
    if not email:
        return "An e-mail address is required."
    if len(email) > 254 or not EMAIL_PATTERN.match(email):
        return f"“{email}” is not a valid e-mail address."
    return None


@lru_cache(maxsize=4096)  # the same few values repeat on most rows
def parse_roles(value: str) -> tuple[tuple[str, ...], str | None]:
    """Roles separated by ';' (or ','); blank means educator."""
    wanted: set[str] = set()
    unknown: list[str] = []
    for part in re.split(r"[;,|]", value):
        if not part.strip():
            continue
        token = _token(part)
        role = ROLE_ALIASES.get(token, token)
        if role in ROLE_VALUES:
            wanted.add(role)
        else:
            unknown.append(part.strip())
    if unknown:
        return (), f"Unknown role(s): {', '.join(unknown)}. Use: {';'.join(ROLE_VALUES)}."
    return tuple(r for r in ROLE_VALUES if r in wanted) or ("educator",), None


@lru_cache(maxsize=4096)
def parse_position(value: str) -> tuple[str | None, str | None]:
    if not value.strip():
        return None, None
    token = _token(value)
    position = POSITION_ALIASES.get(token, token)
    if position not in POSITION_VALUES:
        return None, f"Unknown position “{value.strip()}”. Use: {', '.join(POSITION_VALUES)}."
    return position, None


def parse_years(value: str) -> tuple[int | None, str | None]:
    if not value.strip():
        return None, None
    if not value.strip().isdigit() or int(value) > MAX_YEARS:
        return None, f"“{value.strip()}” is not a whole number of years from 0 to {MAX_YEARS}."
    return int(value), None


@lru_cache(maxsize=4096)
def parse_subjects(value: str) -> tuple[tuple[str, ...] | None, str | None]:
    subjects: list[str] = []
    for part in value.split(";"):
        subject = " ".join(part.split())
        if subject and subject.lower() not in {s.lower() for s in subjects}:
            subjects.append(subject)
    if not subjects:
        return None, None
    if len(subjects) > MAX_SUBJECTS or any(len(s) > MAX_SUBJECT for s in subjects):
        return None, f"At most {MAX_SUBJECTS} subjects of up to {MAX_SUBJECT} characters each."
    return tuple(subjects), None


_PRE_K = {"pk", "prek", "pre_k", "pr", "it", "tk", "preschool", "pre_kindergarten"}
_KINDERGARTEN = {"k", "kg", "kindergarten"}
_IGNORED_GRADES = {"13", "ps", "ug", "other", "ungraded", "postsecondary"}


def _grade_level(token: str) -> int | None:
    """-1 for pre-kindergarten, 0 for kindergarten, 1–12 for grades; None when unknown."""
    token = token.strip().lower().replace(" ", "")
    token = token.removeprefix("grade").removeprefix("gr")
    if token in _PRE_K:
        return -1
    if token in _KINDERGARTEN:
        return 0
    if token.isdigit() and 1 <= int(token) <= 12:
        return int(token)
    return None


def _band(level: int) -> str:
    if level < 0:
        return "pre_k"
    if level <= 5:
        return "k_5"
    return "6_8" if level <= 8 else "9_12"


@lru_cache(maxsize=4096)
def parse_grade_bands(
    value: str, *, separators: str = ";", lenient: bool = False
) -> tuple[tuple[str, ...] | None, str | None]:
    """Band values (k_5) or grade ranges (K-5, 06-08, PK-12) or single grades (3, KG).

    `lenient` (OneRoster grade codes) ignores codes with no band, such as 13 or UG.
    """
    bands: set[str] = set()
    for part in re.split(f"[{re.escape(separators)}]", value):
        token = part.strip().lower()
        if not token:
            continue
        if token in GRADE_BAND_VALUES or token.replace("-", "_") in {"pre_k"}:
            bands.add(token.replace("-", "_"))
            continue
        ends = [end for end in re.split(r"\s*(?:–|—|-|_|\bto\b)\s*", token) if end]
        levels = [level for level in map(_grade_level, ends) if level is not None]
        if len(ends) in (1, 2) and len(levels) == len(ends):
            low, high = levels[0], levels[-1]
            if low > high:
                return None, f"The grade range “{part.strip()}” runs backwards."
            bands.update(_band(level) for level in range(low, high + 1))
        elif not (lenient and token in _IGNORED_GRADES):
            return None, (
                f"Unknown grade band “{part.strip()}”. Use {';'.join(GRADE_BAND_VALUES)} "
                "or grade ranges such as K-5, 06-08, 9-12."
            )
    if not bands:
        return None, None
    return tuple(b for b in GRADE_BAND_VALUES if b in bands), None


# --- our CSV -----------------------------------------------------------------------------------


class DuplicateTracker:
    """First row of each e-mail and source id: later duplicates are errors."""

    def __init__(self) -> None:
        self.emails: dict[str, int] = {}
        self.source_ids: dict[str, int] = {}

    def duplicates(self, number: int, email: str, source_id: str) -> list[RowError]:
        errors = []
        if email and email in self.emails:
            errors.append(
                RowError(number, "email", f"{email} is also on row {self.emails[email]}.")
            )
        if source_id and source_id in self.source_ids:
            errors.append(
                RowError(
                    number, "source_id", f"{source_id} is also on row {self.source_ids[source_id]}."
                )
            )
        self.emails.setdefault(email, number)
        if source_id:
            self.source_ids.setdefault(source_id, number)
        return errors


def _name_from(full: str, given: str, family: str) -> str:
    return " ".join((full or f"{given} {family}").split())


def parse_trellis_csv(data: bytes, label: str = "The file") -> ParsedRoster:
    check_size(data, label)
    header, rows = read_table(data, label, required=("email",))
    if "full_name" not in header and not {"given_name", "family_name"} <= set(header):
        raise DomainError(
            "missing_columns",
            f"{label} needs a full_name column (or given_name and family_name columns).",
        )
    result = ParsedRoster(format="csv")
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if unknown:
        result.notices.append(f"Column(s) not used by Trellis were ignored: {', '.join(unknown)}.")
    positions = cell_getter(header)
    seen = DuplicateTracker()
    schools: dict[str, SchoolRow] = {}
    for number, cells in rows:
        result.total_rows += 1
        if result.total_rows > MAX_ROWS:
            raise DomainError(
                "too_many_rows", f"{label} has more than {MAX_ROWS:,} people; split it by school."
            )
        person, errors = _person_from_csv(number, cells, positions)
        errors += seen.duplicates(
            number, normalize_email(cell(cells, positions, "email")), person.source_id
        )
        if errors:
            result.errors.extend(errors)
            result.invalid_keys.append((person.email, person.source_id))
            continue
        result.people.append(person)
        if person.school and person.school.lower() not in schools:
            schools[person.school.lower()] = SchoolRow(name=person.school)
    if result.total_rows == 0:
        raise DomainError("no_rows", f"{label} has a header but no people.")
    result.schools = list(schools.values())
    return result


def _person_from_csv(
    number: int, cells: list[str], positions: dict[str, int]
) -> tuple[PersonRow, list[RowError]]:
    def get(name: str) -> str:
        return cell(cells, positions, name)

    errors: list[RowError] = []

    def check(column: str, problem: str | None) -> None:
        if problem:
            errors.append(RowError(number, column, problem))

    email = normalize_email(get("email"))
    check("email", email_problem(email))
    full_name = _name_from(get("full_name"), get("given_name"), get("family_name"))
    name_column = "full_name" if "full_name" in positions else "given_name"
    check(name_column, "A name is required." if not full_name else None)
    check(
        name_column,
        f"Names are at most {MAX_NAME} characters." if len(full_name) > MAX_NAME else None,
    )
    roles, problem = parse_roles(get("roles"))
    check("roles", problem)
    position, problem = parse_position(get("position"))
    check("position", problem)
    years, problem = parse_years(get("years_experience"))
    check("years_experience", problem)
    subjects, problem = parse_subjects(get("subjects"))
    check("subjects", problem)
    grade_bands, problem = parse_grade_bands(get("grade_bands"))
    check("grade_bands", problem)
    school = " ".join(get("school").split()) or None
    check(
        "school",
        f"School names are at most {MAX_NAME} characters."
        if school and len(school) > MAX_NAME
        else None,
    )
    source_id = get("source_id")
    check(
        "source_id",
        f"source_id is at most {MAX_SOURCE_ID} characters."
        if len(source_id) > MAX_SOURCE_ID
        else None,
    )
    person = PersonRow(
        row=number,
        email=email,
        full_name=full_name,
        roles=roles,
        school=school,
        position=position,
        years_experience=years,
        subjects=subjects,
        grade_bands=grade_bands,
        source_id=source_id,
    )
    return person, errors


def guess_format(name: str, data: bytes) -> str:
    """'oneroster' for a zip, else 'csv' — used when the caller does not say."""
    return "oneroster" if data.startswith(b"PK\x03\x04") or name.lower().endswith(".zip") else "csv"


def parse_file(fmt: str, data: bytes) -> ParsedRoster:
    """Parse a stored upload: our CSV, or a OneRoster zip."""
    if fmt == "oneroster":
        from trellis.roster import oneroster  # imported here: oneroster builds on this module

        return oneroster.parse_oneroster(oneroster.read_zip(data))
    return parse_trellis_csv(data)


def check_file(fmt: str, data: bytes) -> None:
    """The file-level checks only (size, type, encoding, columns), fast enough for a request."""
    if fmt == "oneroster":
        from trellis.roster import oneroster

        oneroster.check_files(oneroster.read_zip(data))
        return
    check_size(data)
    header, rows = read_table(data, "The file", required=("email",))
    if "full_name" not in header and not {"given_name", "family_name"} <= set(header):
        raise DomainError(
            "missing_columns",
            "The file needs a full_name column (or given_name and family_name columns).",
        )
    if next(rows, None) is None:
        raise DomainError("no_rows", "The file has a header but no people.")
