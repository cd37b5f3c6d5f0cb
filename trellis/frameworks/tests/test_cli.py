"""`trellis import-case FILE --district SLUG [--dry-run]`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from trellis.audit.models import AuditEvent
from trellis.frameworks.models import Framework
from trellis.frameworks.tests.helpers import (
    CASE_DIR,
    CCSS_SAMPLE,
    SMARTLEVEL,
    framework_snapshot,
    real_case_file,
)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_case", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_preview_and_writes_nothing(cast):
    real_case_file(CCSS_SAMPLE)
    before = framework_snapshot()

    output = _run(str(CASE_DIR / CCSS_SAMPLE), "--district", "northfield", "--dry-run")

    assert framework_snapshot() == before
    assert output.splitlines() == [
        "What Standards Could Be (CASE 1.0, 20c5134f-423d-4097-a971-3dd5152bf507)",
        "Dry run: would create a framework in Northfield.",
        "Items: 16 in the file; 16 new, 0 updated, 0 removed.",
        "Kinds: Indicator 8, Standard 8.",
        "Associations kept: 39 (exactMatchOf 16, exemplar 2, isChildOf 16, isRelatedTo 2, "
        "precedes 3).",
        "Associations skipped: 0.",
        "Note: Not imported: CFDefinitions (definitions and rubrics are not kept).",
        "Note: Item fields not kept: CFItemAssociationURI (16 items).",
        "Note: “educationalLevel” (a pre-1.0 spelling) was read as educationLevel.",
        "Note: CFPackageURI is a plain string (a pre-1.0 shape); read tolerantly.",
        "Nothing was written.",
    ]


def test_an_import_writes_the_framework_then_a_second_run_updates_it(cast):
    path = str(CASE_DIR / SMARTLEVEL)
    real_case_file(SMARTLEVEL)

    first = _run(path, "--district", "southport", "--actor", "bea@southport.test")
    second = _run(path, "--district", "southport", "--purpose", "student_standards")

    framework = Framework.objects.get()
    assert framework.district == cast.district_b
    assert framework.purpose == "educator_practice"  # a re-import keeps the first choice
    assert framework.items.count() == 14
    assert "did create a framework in Southport." in first
    assert "Items: 14 in the file; 0 new, 14 updated, 0 removed." in second
    events = AuditEvent.objects.filter(action="frameworks.case_imported").order_by("pk")
    assert [e.actor for e in events] == [cast.bea, None]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "nowhere"], "No district with the slug “nowhere”."),
        (
            ["--district", "northfield", "--actor", "ghost@x.test"],
            "No user with the e-mail ghost@x.test.",
        ),
    ],
)
def test_wrong_arguments_are_explained(cast, args, message):
    with pytest.raises(CommandError) as raised:
        _run(str(CASE_DIR / SMARTLEVEL), *args)
    assert str(raised.value) == message


def test_a_bad_file_is_refused_and_nothing_is_written(cast, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {"title": "no id"}}')
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (10 * 1024 * 1024 + 1))
    before = framework_snapshot()

    messages = []
    for path in (bad, big, tmp_path / "missing.json"):
        with pytest.raises(CommandError) as raised:
            _run(str(path), "--district", "northfield")
        messages.append(str(raised.value))

    assert messages == [
        "bad.json: The CFDocument has no identifier. (code missing_identifier); nothing was imported.",
        "big.json is larger than 10 MB; CASE packages of that size cannot be imported.",
        f"No such file: {tmp_path / 'missing.json'}",
    ]
    assert framework_snapshot() == before


def test_ensure_library_command_reports_the_library(db):
    out = io.StringIO()
    call_command("ensure_library", stdout=out)
    call_command("ensure_library", stdout=out)

    assert (
        out.getvalue().splitlines()
        == [
            "Trellis Teaching Competencies: 107 items",
            "Learning Forward Standards for Professional Learning (2022): 14 items",
        ]
        * 2
    )
    assert Framework.objects.count() == 2
