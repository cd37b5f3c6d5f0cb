"""OneRoster 1.1 CSV → plain rows. Pure Python (no Django), like `parsing`.

A OneRoster export is a zip (or a set of files) holding manifest.csv, orgs.csv and users.csv.
Teachers, administrators and aides become educators; schools (orgs of type school) become
schools; students, guardians, parents and relatives are skipped and counted. Only the expected
file names are read from a zip, each with a cap on its decompressed size, so zip bombs and
path-traversal names come to nothing.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections import Counter
from collections.abc import Callable

from trellis.core.csvio import RowError
from trellis.core.errors import DomainError
from trellis.roster.parsing import (
    MAX_NAME,
    MAX_ROWS,
    MAX_SOURCE_ID,
    DuplicateTracker,
    ParsedRoster,
    PersonRow,
    SchoolRow,
    cell,
    cell_getter,
    check_size,
    email_problem,
    normalize_email,
    parse_grade_bands,
    read_table,
)

REQUIRED_FILE = "users.csv"
READ_FILES = ("manifest.csv", "orgs.csv", "users.csv", "enrollments.csv")
MAX_ZIP_ENTRIES = 1000
MAX_DECOMPRESSED_BYTES = 150 * 1024 * 1024  # all files read from one zip, together
SUPPORTED_VERSIONS = {"1.0", "1.1"}
KNOWN_MANIFEST_KEYS = {
    "manifest.version",
    "oneroster.version",
    "source.systemname",
    "source.systemcode",
    *(
        f"file.{name}"
        for name in (
            "academicsessions",
            "categories",
            "classes",
            "classresources",
            "courses",
            "courseresources",
            "demographics",
            "enrollments",
            "lineitems",
            "orgs",
            "resources",
            "results",
            "users",
        )
    ),
}
# OneRoster role → (Trellis roles, position). Roles not listed are skipped and counted.
ROLE_MAP: dict[str, tuple[tuple[str, ...], str]] = {
    "teacher": (("educator",), "teacher"),
    "administrator": (("educator", "approver"), "leader"),
    "aide": (("educator",), "para"),
}
SKIPPED_ROLES = {"student", "guardian", "parent", "relative", "proctor"}
USER_COLUMNS = ("sourcedId", "role", "email", "givenName", "familyName", "orgSourcedIds")
ORG_COLUMNS = ("sourcedId", "name", "type")


def _safe_member_name(name: str) -> bool:
    """A plain file at the top of the zip or inside one folder: no '..', no absolute paths."""
    if not name or "\\" in name or name.startswith("/") or ":" in name:
        return False
    parts = name.split("/")
    return ".." not in parts and len(parts) <= 2 and posixpath.normpath(name) == name


def read_zip(data: bytes) -> dict[str, bytes]:
    """The expected OneRoster files of a zip, by lower-case base name."""
    check_size(data, "The zip file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DomainError(
            "not_zip",
            "The file is not a valid zip archive. Upload the OneRoster export as a .zip, or its "
            "manifest.csv, orgs.csv and users.csv files.",
        ) from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise DomainError("zip_too_many_files", f"The zip holds more than {MAX_ZIP_ENTRIES} files.")
    found: dict[str, zipfile.ZipInfo] = {}
    unsafe: list[str] = []
    for entry in entries:
        base = posixpath.basename(entry.filename.replace("\\", "/")).lower()
        if entry.is_dir() or base not in READ_FILES:
            continue
        if not _safe_member_name(entry.filename):
            unsafe.append(entry.filename)
            continue
        if base in found:
            raise DomainError(
                "zip_ambiguous", f"The zip holds more than one {base}; keep one export per zip."
            )
        found[base] = entry
    if REQUIRED_FILE not in found:
        hint = f" Entries with unsafe names were ignored: {', '.join(unsafe)}." if unsafe else ""
        raise DomainError(
            "missing_users_file",
            "The zip has no users.csv. A OneRoster 1.1 CSV export holds manifest.csv, orgs.csv "
            f"and users.csv at its top level.{hint}",
        )
    budget = MAX_DECOMPRESSED_BYTES
    files: dict[str, bytes] = {}
    for base, entry in found.items():
        files[base] = _read_capped(archive, entry, budget)
        budget -= len(files[base])
    return files


def _read_capped(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    # The sizes in the zip's directory can lie, so count what actually comes out.
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if total > budget:
                    raise DomainError(
                        "zip_too_large",
                        "The zip expands to more than "
                        f"{MAX_DECOMPRESSED_BYTES // (1024 * 1024)} MB; it was not read.",
                    )
                chunks.append(chunk)
    except RuntimeError:  # encrypted entries
        raise DomainError(
            "zip_encrypted", "The zip is password-protected; export it without a password."
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise DomainError("zip_damaged", f"The zip is damaged ({entry.filename}: {exc}).") from None
    return b"".join(chunks)


def bundle(files: dict[str, bytes]) -> bytes:
    """Several uploaded OneRoster files as one zip, so a stored import is always one file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _manifest(data: bytes, result: ParsedRoster) -> None:
    header, rows = read_table(data, "manifest.csv", required=("propertyName", "value"))
    positions = cell_getter(header)
    properties = {
        cell(cells, positions, "propertyname").lower(): cell(cells, positions, "value")
        for _number, cells in rows
    }
    unknown = sorted(key for key in properties if key not in KNOWN_MANIFEST_KEYS)
    if unknown:
        result.notices.append(f"manifest.csv: unknown propert(ies) ignored: {', '.join(unknown)}.")
    version = properties.get("oneroster.version", "")
    if version and version not in SUPPORTED_VERSIONS:
        raise DomainError(
            "unsupported_version",
            f"This is a OneRoster {version} export; Trellis reads OneRoster 1.1 CSV. "
            "Ask your SIS for a OneRoster 1.1 CSV export.",
        )
    users_mode = properties.get("file.users", "bulk").lower()
    if users_mode == "absent":
        raise DomainError("missing_users_file", "manifest.csv says users.csv is absent.")
    result.is_delta = users_mode == "delta"


def _orgs(data: bytes, result: ParsedRoster) -> dict[str, SchoolRow]:
    header, rows = read_table(data, "orgs.csv", required=ORG_COLUMNS)
    positions = cell_getter(header)
    schools: dict[str, SchoolRow] = {}
    names: dict[str, int] = {}
    for number, cells in rows:
        kind = cell(cells, positions, "type").lower()
        status = cell(cells, positions, "status").lower()
        if kind != "school" or status == "tobedeleted":
            continue
        source_id = cell(cells, positions, "sourcedid")
        name = " ".join(cell(cells, positions, "name").split())
        if not name or len(name) > MAX_NAME or not source_id:
            result.errors.append(
                RowError(
                    number,
                    "orgs.csv name",
                    f"A school needs a sourcedId and a name of 1–{MAX_NAME} characters.",
                )
            )
            continue
        if name.lower() in names:
            result.errors.append(
                RowError(
                    number,
                    "orgs.csv name",
                    f"Another school on row {names[name.lower()]} has the name {name}.",
                )
            )
            continue
        names[name.lower()] = number
        schools[source_id] = SchoolRow(name=name, source_id=source_id)
    return schools


def _teaching_ids(data: bytes) -> set[str]:
    """sourcedIds with a teacher enrollment: used only to explain skipped rows."""
    header, rows = read_table(data, "enrollments.csv")
    positions = cell_getter(header)
    return {
        cell(cells, positions, "usersourcedid")
        for _number, cells in rows
        if cell(cells, positions, "role").lower() == "teacher"
    }


def parse_oneroster(files: dict[str, bytes]) -> ParsedRoster:
    """Parse OneRoster files keyed by lower-case name (see `read_zip`)."""
    files = {name.lower(): content for name, content in files.items()}
    if REQUIRED_FILE not in files:
        raise DomainError(
            "missing_users_file",
            "users.csv is missing. Upload the OneRoster zip, or manifest.csv, orgs.csv and users.csv.",
        )
    result = ParsedRoster(format="oneroster")
    if "manifest.csv" in files:
        _manifest(files["manifest.csv"], result)
    else:
        result.notices.append("No manifest.csv: the files were read as OneRoster 1.1.")
    schools: dict[str, SchoolRow] = {}
    if "orgs.csv" in files:
        schools = _orgs(files["orgs.csv"], result)
    else:
        result.notices.append("No orgs.csv: people were imported without a school.")
    result.schools = list(schools.values())
    _users(files[REQUIRED_FILE], schools, result)
    if "enrollments.csv" in files:
        _explain_skipped_teachers(files, result)
    return result


def check_files(files: dict[str, bytes]) -> None:
    """File-level checks: the manifest's version and the columns of users.csv and orgs.csv."""
    if "manifest.csv" in files:
        _manifest(files["manifest.csv"], ParsedRoster(format="oneroster"))
    if "orgs.csv" in files:
        read_table(files["orgs.csv"], "orgs.csv", required=ORG_COLUMNS)
    _header, rows = read_table(files[REQUIRED_FILE], "users.csv", required=USER_COLUMNS)
    if next(rows, None) is None:
        raise DomainError("no_rows", "users.csv has a header but no people.")


def _users(data: bytes, schools: dict[str, SchoolRow], result: ParsedRoster) -> None:
    header, rows = read_table(data, "users.csv", required=USER_COLUMNS)
    positions = cell_getter(header)
    seen = DuplicateTracker()
    skipped: Counter[str] = Counter()
    for number, cells in rows:
        result.total_rows += 1
        if result.total_rows > MAX_ROWS:
            raise DomainError("too_many_rows", f"users.csv has more than {MAX_ROWS:,} rows.")

        def get(name: str, cells: list[str] = cells) -> str:
            return cell(cells, positions, name.lower())

        role = get("role").lower()
        if get("status").lower() == "tobedeleted":
            skipped["to be deleted"] += 1
            continue
        if get("enabledUser").lower() == "false":
            skipped["disabled"] += 1
            continue
        if role in SKIPPED_ROLES:
            skipped[role] += 1
            continue
        person, errors = _person(number, get, role, schools)
        errors += seen.duplicates(number, person.email, person.source_id)
        if errors:
            result.errors.extend(errors)
            result.invalid_keys.append((person.email, person.source_id))
            continue
        result.people.append(person)
    result.skipped = dict(sorted(skipped.items()))


def _person(
    number: int, get: Callable[[str], str], role: str, schools: dict[str, SchoolRow]
) -> tuple[PersonRow, list[RowError]]:
    errors: list[RowError] = []
    roles, position = ROLE_MAP.get(role, ((), ""))
    if not roles:
        errors.append(RowError(number, "role", f"Unknown OneRoster role “{get('role')}”."))
    email = normalize_email(get("email"))
    problem = email_problem(email)
    if problem:
        errors.append(
            RowError(
                number, "email", problem + " Trellis needs an e-mail address to sign people in."
            )
        )
    full_name = " ".join(f"{get('givenName')} {get('familyName')}".split())
    if not full_name or len(full_name) > MAX_NAME:
        errors.append(
            RowError(number, "givenName", f"A name of 1–{MAX_NAME} characters is required.")
        )
    source_id = get("sourcedId")
    if not source_id or len(source_id) > MAX_SOURCE_ID:
        errors.append(
            RowError(
                number, "sourcedId", f"A sourcedId of 1–{MAX_SOURCE_ID} characters is required."
            )
        )
    school = next(
        (schools[org.strip()] for org in get("orgSourcedIds").split(",") if org.strip() in schools),
        None,
    )
    grade_bands, problem = parse_grade_bands(get("grades"), separators=",", lenient=True)
    if problem:
        errors.append(RowError(number, "grades", problem))
    person = PersonRow(
        row=number,
        email=email,
        full_name=full_name,
        roles=roles,
        school=school.name if school else None,
        school_source_id=school.source_id if school else "",
        position=position or None,
        grade_bands=grade_bands,
        source_id=source_id,
    )
    return person, errors


def _explain_skipped_teachers(files: dict[str, bytes], result: ParsedRoster) -> None:
    teaching = _teaching_ids(files["enrollments.csv"])
    if not teaching:
        return
    header, rows = read_table(files[REQUIRED_FILE], "users.csv")
    positions = cell_getter(header)
    mislabelled = sorted(
        cell(cells, positions, "sourcedid")
        for _number, cells in rows
        if cell(cells, positions, "role").lower() in SKIPPED_ROLES
        and cell(cells, positions, "sourcedid") in teaching
    )
    if mislabelled:
        result.notices.append(
            f"{len(mislabelled)} user(s) teach classes in enrollments.csv but users.csv gives them "
            f"a non-staff role, so they were skipped: {', '.join(mislabelled[:20])}. "
            "Fix their role in your SIS to import them."
        )
