"""OneRoster 1.1 CSV → plain rows: the real sample export, mapping, and hostile zips."""

from __future__ import annotations

import io
import zipfile

import pytest

from trellis.core.csvio import RowError
from trellis.core.errors import DomainError
from trellis.roster import oneroster, parsing
from trellis.roster.parsing import PersonRow, SchoolRow
from trellis.roster.tests.conftest import ONEROSTER_SAMPLES

MANIFEST = b'"propertyName","value"\n"oneroster.version","1.1"\n"file.users","bulk"\n'
ORGS = (
    b"sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
    b"d1,,,Pine Valley District,district,,\n"
    b"s1,,,Pine Valley High,school,,d1\n"
    b"s2,,,Pine Valley Elementary,school,,d1\n"
    b"s3,tobedeleted,,Closed School,school,,d1\n"
)
USERS_HEADER = (
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)


def users(*rows: str) -> bytes:
    return ("\n".join([USERS_HEADER, *rows]) + "\n").encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def refused(data: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parsing.parse_file("oneroster", data)
    return caught.value


def sample_files() -> dict[str, bytes]:
    if not ONEROSTER_SAMPLES.is_dir():
        pytest.skip(f"The OneRoster samples are not here: {ONEROSTER_SAMPLES}")
    return {path.name: path.read_bytes() for path in sorted(ONEROSTER_SAMPLES.glob("*.csv"))}


def test_the_real_sample_export_has_one_school_and_only_students():
    parsed = parsing.parse_file("oneroster", zipped(sample_files()))

    assert parsed.schools == [SchoolRow(name="Sample School", source_id="or0001")]
    assert parsed.people == []
    assert parsed.errors == []
    assert parsed.total_rows == 20
    assert parsed.skipped == {"student": 20}
    assert parsed.notices == [
        "manifest.csv: unknown propert(ies) ignored: fiel.demographics.",
        "2 user(s) teach classes in enrollments.csv but users.csv gives them a non-staff role, "
        "so they were skipped: us0001, us0002. Fix their role in your SIS to import them.",
    ]


def test_staff_roles_map_to_educators_and_others_are_skipped():
    parsed = oneroster.parse_oneroster(
        {
            "manifest.csv": MANIFEST,
            "orgs.csv": ORGS,
            "users.csv": users(
                't1,,,true,s1,teacher,,,Tia,Tran,,,Tia.Tran@PV.test,,,,"09,10,11",',
                'a1,,,true,"d1,s2",administrator,,,Al,Aziz,,,al@pv.test,,,,,',
                "x1,,,true,s2,aide,,,Ida,Ives,,,ida@pv.test,,,,KG,",
                "d1u,,,true,d1,teacher,,,Dee,Dale,,,dee@pv.test,,,,,",
                "st1,,,true,s1,student,,,Stu,Dent,,,stu@pv.test,,,,10,",
                "g1,,,true,s1,guardian,,,Gus,Gray,,,gus@pv.test,,,,,",
                "p1,,,true,s1,parent,,,Pam,Park,,,pam@pv.test,,,,,",
                "t2,tobedeleted,,true,s1,teacher,,,Old,Timer,,,old@pv.test,,,,,",
                "t3,,,false,s1,teacher,,,Off,Line,,,off@pv.test,,,,,",
                "t4,,,true,s1,teacher,,,No,Mail,,,,,,,,",
                "t5,,,true,s1,janitor,,,Jan,Itor,,,jan@pv.test,,,,,",
            ),
        }
    )

    assert parsed.people == [
        PersonRow(
            row=2,
            email="tia.tran@pv.test",
            full_name="Tia Tran",
            roles=("educator",),
            school="Pine Valley High",
            school_source_id="s1",
            position="teacher",
            grade_bands=("9_12",),
            source_id="t1",
        ),
        PersonRow(
            row=3,
            email="al@pv.test",
            full_name="Al Aziz",
            roles=("educator", "approver"),
            school="Pine Valley Elementary",
            school_source_id="s2",
            position="leader",
            source_id="a1",
        ),
        PersonRow(
            row=4,
            email="ida@pv.test",
            full_name="Ida Ives",
            roles=("educator",),
            school="Pine Valley Elementary",
            school_source_id="s2",
            position="para",
            grade_bands=("k_5",),
            source_id="x1",
        ),
        PersonRow(
            row=5,
            email="dee@pv.test",
            full_name="Dee Dale",
            roles=("educator",),
            position="teacher",
            source_id="d1u",
        ),
    ]
    assert parsed.schools == [
        SchoolRow(name="Pine Valley High", source_id="s1"),
        SchoolRow(name="Pine Valley Elementary", source_id="s2"),
    ]
    assert parsed.skipped == {
        "disabled": 1,
        "guardian": 1,
        "parent": 1,
        "student": 1,
        "to be deleted": 1,
    }
    assert parsed.errors == [
        RowError(
            11,
            "email",
            "An e-mail address is required. Trellis needs an e-mail address to sign people in.",
        ),
        RowError(12, "role", "Unknown OneRoster role “janitor”."),
    ]
    assert parsed.total_rows == 11
    assert parsed.notices == []


def test_a_set_of_files_is_bundled_into_one_zip_that_reads_back_the_same():
    files = {"manifest.csv": MANIFEST, "orgs.csv": ORGS, "users.csv": users()}

    assert oneroster.read_zip(oneroster.bundle(files)) == files


def test_files_inside_one_folder_of_the_zip_are_found():
    data = zipped({"export/users.csv": users("t1,,,true,,teacher,,,Tia,Tran,,,t@pv.test,,,,,")})

    parsed = parsing.parse_file("oneroster", data)

    assert [p.email for p in parsed.people] == ["t@pv.test"]
    assert parsed.notices == [
        "No manifest.csv: the files were read as OneRoster 1.1.",
        "No orgs.csv: people were imported without a school.",
    ]


@pytest.mark.parametrize(
    ("files", "code", "message"),
    [
        (
            {"orgs.csv": ORGS},
            "missing_users_file",
            "The zip has no users.csv. A OneRoster 1.1 CSV export holds manifest.csv, orgs.csv "
            "and users.csv at its top level.",
        ),
        (
            {"../users.csv": users(), "/etc/users.csv": users(), "a/b/users.csv": users()},
            "missing_users_file",
            "The zip has no users.csv. A OneRoster 1.1 CSV export holds manifest.csv, orgs.csv "
            "and users.csv at its top level. Entries with unsafe names were ignored: "
            "../users.csv, /etc/users.csv, a/b/users.csv.",
        ),
        (
            {"users.csv": users(), "copy/users.csv": users()},
            "zip_ambiguous",
            "The zip holds more than one users.csv; keep one export per zip.",
        ),
        (
            {
                "manifest.csv": b"propertyName,value\noneroster.version,1.2\n",
                "users.csv": users(),
            },
            "unsupported_version",
            "This is a OneRoster 1.2 export; Trellis reads OneRoster 1.1 CSV. Ask your SIS for a "
            "OneRoster 1.1 CSV export.",
        ),
        (
            {"manifest.csv": b"propertyName,value\nfile.users,absent\n", "users.csv": users()},
            "missing_users_file",
            "manifest.csv says users.csv is absent.",
        ),
        (
            {"users.csv": b"sourcedId,role,email\nu1,teacher,u@pv.test\n"},
            "missing_columns",
            "users.csv is missing column(s): givenName, familyName, orgSourcedIds. Found: "
            "sourcedid, role, email.",
        ),
        (
            {"users.csv": "sourcedId,role\n".encode("utf-16")},
            "bad_encoding",
            "users.csv is saved as UTF-16 (“Unicode text”). Save it as “CSV UTF-8” and retry.",
        ),
    ],
)
def test_bad_zips_are_refused_with_a_clear_message(files, code, message):
    error = refused(zipped(files))

    assert (error.code, error.message) == (code, message)


def test_a_file_that_is_no_zip_is_refused():
    error = refused(b"email,full_name\nx@example.org,X\n")

    assert error.code == "not_zip"
    assert error.message == (
        "The file is not a valid zip archive. Upload the OneRoster export as a .zip, or its "
        "manifest.csv, orgs.csv and users.csv files."
    )


def test_a_zip_bomb_is_stopped_at_the_decompressed_cap(monkeypatch):
    monkeypatch.setattr(oneroster, "MAX_DECOMPRESSED_BYTES", 1024 * 1024)
    bomb = zipped({"users.csv": users() + b" " * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000  # a few kilobytes expand to megabytes

    error = refused(bomb)

    assert (error.code, error.message) == (
        "zip_too_large",
        "The zip expands to more than 1 MB; it was not read.",
    )


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(oneroster, "MAX_ZIP_ENTRIES", 3)

    error = refused(zipped({f"f{i}.txt": b"" for i in range(4)} | {"users.csv": users()}))

    assert error.message == "The zip holds more than 3 files."


def test_unexpected_files_in_a_zip_are_never_read():
    files = oneroster.read_zip(
        zipped({"users.csv": users(), "classes.csv": b"x", "../../evil.sh": b"rm -rf /"})
    )

    assert list(files) == ["users.csv"]


def test_a_delta_export_is_flagged():
    parsed = oneroster.parse_oneroster(
        {"manifest.csv": b"propertyName,value\nfile.users,delta\n", "users.csv": users()}
    )

    assert parsed.is_delta is True


def test_schools_without_a_name_or_with_a_duplicate_name_are_row_errors():
    parsed = oneroster.parse_oneroster(
        {
            "orgs.csv": b"sourcedId,name,type\ns1,Twin,school\ns2,twin,school\ns3,,school\n",
            "users.csv": users(),
        }
    )

    assert parsed.schools == [SchoolRow(name="Twin", source_id="s1")]
    assert parsed.errors == [
        RowError(3, "orgs.csv name", "Another school on row 2 has the name twin."),
        RowError(4, "orgs.csv name", "A school needs a sourcedId and a name of 1–150 characters."),
    ]
