"""The background task path and the `trellis import-roster` command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from trellis.accounts.models import User
from trellis.roster import services
from trellis.roster.models import RosterImport
from trellis.roster.tasks import run_roster_import
from trellis.roster.tests.conftest import roster_csv, table_counts
from trellis.roster.tests.test_oneroster import sample_files

pytestmark = pytest.mark.django_db

DATA = roster_csv(
    "new1@northfield.test,Nia New,educator,Northfield Middle,teacher,2,Mathematics,6-8,N-1",
    "new2@northfield.test,Noe New,coach,,,,,,",
)


def test_the_import_is_queued_after_commit_and_runs_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = services.start_import(
            access=cast.access(cast.dana),
            actor=cast.dana,
            uploads=[services.Upload("r.csv", DATA)],
            dry_run=False,
        )
    item.refresh_from_db()
    assert (item.status, len(callbacks)) == ("queued", 1)
    assert not User.objects.filter(email="new1@northfield.test").exists()

    callbacks[0]()
    item.refresh_from_db()
    assert (item.status, item.count("created")) == ("succeeded", 2)

    before = table_counts()
    run_roster_import.enqueue(import_id=item.pk)  # a duplicate delivery finds nothing to do
    item.refresh_from_db()
    assert (item.status, item.count("created")) == ("succeeded", 2)
    assert table_counts() == before


def write(tmp_path: Path, data: bytes, name: str = "roster.csv") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_with_a_progress_line(cast, tmp_path):
    out, err = command(write(tmp_path, DATA), "--district", "northfield")

    assert err == (
        "Checking rows\n\r  0 / 2 rows\r  2 / 2 rows\nWriting changes\n\r  0 / 2 rows\r  2 / 2 rows\n"
    )
    assert out.splitlines() == [
        "Applied.",
        "  created: 2",
        "  updated: 0",
        "  unchanged: 0",
        "  deactivated: 0",
        "  skipped: 0",
        "  invalid: 0",
        "  new accounts: 2",
        "  reactivated: 0",
        "  schools created: 0",
        "  schools updated: 0",
        "New people have no password yet: they choose one with “Forgot your password?” on the "
        "sign-in page.",
    ]
    item = RosterImport.objects.get()
    assert (item.source, item.created_by, item.applied_at is not None) == ("cli", None, True)
    assert (
        User.objects.filter(email__in=["new1@northfield.test", "new2@northfield.test"]).count() == 2
    )


def test_a_dry_run_from_the_command_line_writes_nothing(cast, tmp_path):
    before = table_counts()

    out, _err = command(write(tmp_path, DATA), "--district", "northfield", "--dry-run")

    assert out.splitlines()[:2] == ["Preview: nothing was written.", "  created: 2"]
    assert table_counts() == before


def test_rows_with_errors_stop_the_command_unless_told_to_skip_them(cast, tmp_path):
    path = write(tmp_path, roster_csv("ok@northfield.test,Ok,,,,,,,", "nope,No,,,,,,,"))

    with pytest.raises(CommandError) as caught:
        command(path, "--district", "northfield")
    assert str(caught.value) == (
        "Nothing was written: 1 row(s) need fixing. Apply the valid rows, or fix the file and "
        "import it again. Rerun with --skip-invalid-rows to apply the valid rows."
    )
    assert not User.objects.filter(email="ok@northfield.test").exists()

    out, _err = command(path, "--district", "northfield", "--skip-invalid-rows")
    assert out.splitlines()[0] == "Applied."
    assert "  row 3, email: “nope” is not a valid e-mail address." in out.splitlines()
    assert User.objects.filter(email="ok@northfield.test").exists()


def test_the_command_reads_a_folder_of_oneroster_files(cast, tmp_path):
    for name, content in sample_files().items():
        write(tmp_path, content, name)

    out, _err = command(str(tmp_path), "--district", "southport")

    lines = out.splitlines()
    assert lines[0] == "Applied."
    assert "  skipped: 20" in lines
    assert "  schools created: 1" in lines
    assert RosterImport.objects.get().format == "oneroster"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--district", "atlantis"],
            "No district with slug 'atlantis'. Known: northfield, southport.",
        ),
        (
            ["--format", "oneroster", "--district", "northfield"],
            "The file is not a valid zip archive.",
        ),
    ],
)
def test_the_command_explains_bad_input(cast, tmp_path, args, message):
    with pytest.raises(CommandError) as caught:
        command(write(tmp_path, DATA), *args)

    assert str(caught.value).startswith(message)
    assert RosterImport.objects.count() == 0


def test_the_console_script_accepts_the_hyphenated_name():
    repo = Path(__file__).resolve().parents[3]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}

    result = subprocess.run(
        [sys.executable, "-m", "config.cli", "import-roster", "--help"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert "usage: cli.py import_roster [-h] --district DISTRICT [--dry-run]" in result.stdout
