"""`trellis backup` and `trellis restore`: a round trip that compares every table and every
uploaded file, and refusals for a missing or wrong key, a damaged archive and a non-empty target.

Runs on whichever database the test run uses (SQLite by default, PostgreSQL when DATABASE_URL
points at one), so CI proves both."""

from __future__ import annotations

import base64
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from trellis.accounts.models import User
from trellis.catalog.tests.factories import EnrollmentFactory, OfferingFactory
from trellis.core import backup_crypto
from trellis.core.backup import backed_up_models, row_counts
from trellis.core.backup_crypto import ArchiveDamaged, BackupKeyError
from trellis.credentials.services.keys import active_key, ensure_issuer
from trellis.growth.tests.factories import GoalFactory

KEY = base64.urlsafe_b64encode(bytes(range(32))).decode()
OTHER_KEY = base64.urlsafe_b64encode(bytes(range(1, 33))).decode()
FILES = {
    "evidence/2026/lesson-plan.pdf": b"%PDF-1.7 a lesson plan\n" * 50,
    "evidence/2026/deep/folder/photo.png": bytes(range(256)) * 20,
    "offerings/cover.txt": "Ünïcode text — with accents".encode(),
}


@pytest.fixture
def backup_key(monkeypatch):
    monkeypatch.setenv("TRELLIS_BACKUP_KEY", KEY)
    return KEY


@pytest.fixture
def media(settings, tmp_path):
    # A media root of its own: other tests (in other workers) write evidence files meanwhile.
    default = {**settings.STORAGES["default"]}
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path / "media")}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    for name, body in FILES.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        assert default_storage.save(name, ContentFile(body)) == name
    yield FILES
    for name in FILES:
        if default_storage.exists(name):
            default_storage.delete(name)


@pytest.fixture
def dataset(cast, media):
    """The cast plus a little of everything: offerings, enrolments, a goal with competencies
    (an M2M), a signing key sealed under the KEK, and uploaded files."""
    offering = OfferingFactory(district=cast.district_a, title="Exit tickets that work")
    OfferingFactory(district=cast.district_b)
    EnrollmentFactory(offering=offering, educator=cast.alice)
    EnrollmentFactory(offering=offering, educator=cast.eve)
    GoalFactory(district=cast.district_a, educator=cast.alice)
    active_key(ensure_issuer(cast.district_a))
    return cast


def snapshot() -> dict[str, object]:
    """Every row of every table: values by pk; link tables (whose ids are not meaningful) as
    sorted tuples of their other columns."""
    tables: dict[str, object] = {}
    for model in backed_up_models():
        manager = model._base_manager
        if model._meta.auto_created:
            columns = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
            tables[model._meta.label_lower] = sorted(manager.values_list(*columns))
        else:
            tables[model._meta.label_lower] = {row["pk"]: row for row in _rows(manager)}
    return tables


def _rows(manager):
    columns = [f.attname for f in manager.model._meta.concrete_fields]
    for row in manager.order_by("pk").values(*columns):
        yield {"pk": row[manager.model._meta.pk.attname], **row}


def stored_files() -> dict[str, bytes]:
    found = {}
    for name in FILES:
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                found[name] = handle.read()
    return found


def run_backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    return out.getvalue()


def run_restore(path: Path, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("restore", input=str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for name in FILES:
        if default_storage.exists(name):
            default_storage.delete(name)


def decrypt(path: Path, key: str = KEY) -> bytes:
    plain = io.BytesIO()
    with path.open("rb") as source:
        backup_crypto.decrypt_stream(source, plain, backup_crypto.parse_key(key))
    return plain.getvalue()


def manifest_of(path: Path) -> dict:
    with tarfile.open(fileobj=io.BytesIO(decrypt(path)), mode="r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


# --- the round trip -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_restores_every_row_of_every_table_and_every_file(
    dataset, backup_key, tmp_path
):
    before, files_before = snapshot(), stored_files()
    archive = tmp_path / "trellis.backup"

    report = run_backup(archive)
    empty_the_database()
    assert User.objects.count() == 0
    assert stored_files() == {}
    out, err = run_restore(archive)

    assert report.startswith(f"Wrote {archive}: ")
    assert f"{len(FILES)} uploaded files" in report
    assert out.startswith(f"Restored {sum(row_counts().values())} rows and {len(FILES)} uploaded")
    assert err == ""  # the test KEK ("dev") that sealed the signing key is configured
    after = snapshot()
    assert sorted(after) == sorted(before)
    for table in before:
        assert after[table] == before[table], table
    assert stored_files() == files_before == FILES


@pytest.mark.django_db(transaction=True)
def test_after_a_restore_new_rows_get_fresh_ids(dataset, backup_key, tmp_path):
    """Sequences are reset (PostgreSQL), so the next insert does not collide with a restored id."""
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    highest = OfferingFactory._meta.model.objects.order_by("-pk").first().pk
    empty_the_database()
    run_restore(archive)

    offering = OfferingFactory(district=dataset.district_a)

    assert offering.pk > highest


@pytest.mark.django_db(transaction=True)
def test_restoring_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(
    dataset, backup_key, tmp_path
):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    OfferingFactory(district=dataset.district_a, title="Added after the backup")
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        run_restore(archive)

    assert str(refused.value) == (
        "The database is not empty. Restore into a new, empty database, or pass --force to "
        "delete everything in this one and replace it with the archive."
    )
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_force_replaces_a_database_that_is_not_empty(dataset, backup_key, tmp_path):
    archive = tmp_path / "trellis.backup"
    before = snapshot()
    run_backup(archive)
    OfferingFactory(district=dataset.district_a, title="Added after the backup")

    run_restore(archive, force=True)

    assert snapshot() == before


# --- the archive --------------------------------------------------------------------------------


def test_the_manifest_lists_counts_checksums_and_the_keks_the_signing_keys_need(
    dataset, backup_key, tmp_path
):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)

    manifest = manifest_of(archive)

    assert manifest["format"] == "trellis-backup"
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["row_counts"] == row_counts()
    assert manifest["row_counts"]["accounts.user"] == 8
    assert manifest["signing_keys_sealed_with"] == ["dev"]
    assert set(manifest["files"]) == {"database.jsonl", *(f"media/{n}" for n in FILES)}
    for name, body in FILES.items():
        import hashlib

        assert manifest["files"][f"media/{name}"] == {
            "sha256": hashlib.sha256(body).hexdigest(),
            "size": len(body),
        }


def test_the_archive_is_encrypted_and_readable_only_by_its_owner(dataset, backup_key, tmp_path):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    raw = archive.read_bytes()

    assert raw.startswith(b"TRELLIS-BACKUP\x00\x01")
    assert b"alice@northfield.test" not in raw
    assert b"lesson plan" not in raw
    assert archive.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "trellis.backup.partial").exists()


def test_datetimes_keep_their_microseconds(dataset, backup_key, tmp_path):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    with tarfile.open(fileobj=io.BytesIO(decrypt(archive)), mode="r:gz") as tar:
        lines = tar.extractfile("database.jsonl").read().decode().splitlines()

    alice = next(json.loads(line) for line in lines if "alice@northfield.test" in line)

    joined = User.objects.get(email="alice@northfield.test").date_joined
    assert alice["fields"]["date_joined"] == joined.isoformat().replace("+00:00", "Z")


# --- refusals -----------------------------------------------------------------------------------


def test_without_a_key_the_backup_is_refused_with_a_clear_message(db, monkeypatch, tmp_path):
    monkeypatch.delenv("TRELLIS_BACKUP_KEY", raising=False)

    with pytest.raises(CommandError) as refused:
        run_backup(tmp_path / "x.backup")

    assert str(refused.value) == (
        "No backup key: set TRELLIS_BACKUP_KEY or pass --key-file. Make one with "
        "`trellis backup --generate-key` and keep it apart from the backups."
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "bad", ["short", "not base64 at all!", base64.b64encode(b"x" * 31).decode()]
)
def test_a_malformed_key_is_refused(db, monkeypatch, tmp_path, bad):
    monkeypatch.setenv("TRELLIS_BACKUP_KEY", bad)

    with pytest.raises(CommandError) as refused:
        run_backup(tmp_path / "x.backup")

    assert str(refused.value) == "The backup key must be urlsafe base64 of 32 bytes."


def test_the_key_can_come_from_a_file(dataset, monkeypatch, tmp_path):
    monkeypatch.delenv("TRELLIS_BACKUP_KEY", raising=False)
    key_file = tmp_path / "backup.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    archive = tmp_path / "trellis.backup"

    call_command("backup", output=str(archive), key_file=str(key_file), stdout=io.StringIO())

    assert manifest_of(archive)["row_counts"]["accounts.user"] == 8


def test_a_generated_key_is_usable(capsys):
    call_command("backup", generate_key=True)
    key = capsys.readouterr().out.strip()

    assert len(backup_crypto.parse_key(key)) == 32


def test_the_wrong_key_is_refused_before_the_database_is_touched(
    dataset, backup_key, monkeypatch, tmp_path
):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    monkeypatch.setenv("TRELLIS_BACKUP_KEY", OTHER_KEY)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        run_restore(archive, force=True)

    assert str(refused.value) == "This archive was made with a different backup key."
    assert snapshot() == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda raw: raw[:200] + bytes([raw[200] ^ 1]) + raw[201:], "damaged or was altered"),
        (lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]), "damaged or was altered"),
        (lambda raw: raw[:-10], "cut short"),
        (lambda raw: raw + b"extra", "unexpected data after its last block"),
        (lambda raw: b"PK\x03\x04" + raw[4:], "not a Trellis backup archive"),
    ],
    ids=["flipped-bit", "flipped-tag", "truncated", "appended", "not-a-backup"],
)
def test_a_damaged_archive_is_refused_before_the_database_is_touched(
    dataset, backup_key, tmp_path, damage, message
):
    archive = tmp_path / "trellis.backup"
    run_backup(archive)
    archive.write_bytes(damage(archive.read_bytes()))
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        run_restore(archive, force=True)

    assert message in str(refused.value)
    assert snapshot() == before


def test_a_missing_archive_is_refused(db, backup_key, tmp_path):
    with pytest.raises(CommandError) as refused:
        run_restore(tmp_path / "nowhere.backup")

    assert str(refused.value) == f"There is no archive at {tmp_path / 'nowhere.backup'}."


def _sealed_tar(members: dict[str, bytes]) -> bytes:
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    sealed = io.BytesIO()
    plain.seek(0)
    backup_crypto.encrypt_stream(plain, sealed, backup_crypto.parse_key(KEY))
    return sealed.getvalue()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../../etc/evil": b"x"}, "unsafe file name: '../../etc/evil'"),
        ({"/etc/evil": b"x"}, "unsafe file name: '/etc/evil'"),
        ({"database.jsonl": b""}, "no readable manifest"),
        (
            {
                "manifest.json": json.dumps(
                    {
                        "format": "trellis-backup",
                        "format_version": 1,
                        "files": {"database.jsonl": {"sha256": "0" * 64}},
                    }
                ).encode(),
                "database.jsonl": b"[]",
            },
            "copy of database.jsonl does not match its checksum",
        ),
        (
            {
                "manifest.json": json.dumps(
                    {"format": "trellis-backup", "format_version": 1, "files": {}}
                ).encode(),
                "media/extra.txt": b"x",
            },
            "unexpected ['media/extra.txt']",
        ),
    ],
    ids=["traversal", "absolute", "no-manifest", "bad-checksum", "unlisted-file"],
)
def test_a_sealed_but_malformed_archive_is_refused(db, backup_key, tmp_path, members, message):
    archive = tmp_path / "crafted.backup"
    archive.write_bytes(_sealed_tar(members))
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        run_restore(archive, force=True)

    assert message in str(refused.value)
    assert row_counts() == before
    assert not (Path(default_storage.location).parent / "etc" / "evil").exists()


# --- the stream cipher --------------------------------------------------------------------------


def test_many_chunks_round_trip_and_cannot_be_reordered(monkeypatch):
    monkeypatch.setattr(backup_crypto, "CHUNK_SIZE", 64)
    key = backup_crypto.parse_key(KEY)
    body = bytes(range(256)) * 3
    sealed = io.BytesIO()
    backup_crypto.encrypt_stream(io.BytesIO(body), sealed, key)
    raw = sealed.getvalue()

    plain = io.BytesIO()
    backup_crypto.decrypt_stream(io.BytesIO(raw), plain, key)
    assert plain.getvalue() == body

    header, block = backup_crypto.HEADER_SIZE, 4 + 64 + 16
    first, second = raw[header : header + block], raw[header + block : header + 2 * block]
    swapped = raw[:header] + second + first + raw[header + 2 * block :]
    with pytest.raises(ArchiveDamaged, match="block 1"):
        backup_crypto.decrypt_stream(io.BytesIO(swapped), io.BytesIO(), key)
    dropped_last = raw[:-block]  # 768 bytes: twelve full chunks, the twelfth marked last
    with pytest.raises(ArchiveDamaged, match="last block is missing"):
        backup_crypto.decrypt_stream(io.BytesIO(dropped_last), io.BytesIO(), key)


def test_an_empty_stream_round_trips():
    key = backup_crypto.parse_key(KEY)
    sealed, plain = io.BytesIO(), io.BytesIO()
    backup_crypto.encrypt_stream(io.BytesIO(b""), sealed, key)
    backup_crypto.decrypt_stream(io.BytesIO(sealed.getvalue()), plain, key)

    assert plain.getvalue() == b""


def test_a_missing_key_names_both_ways_to_give_one():
    with pytest.raises(BackupKeyError, match="TRELLIS_BACKUP_KEY or pass --key-file"):
        backup_crypto.parse_key(None)


def test_a_database_with_unapplied_migrations_is_not_backed_up(
    db, backup_key, monkeypatch, tmp_path
):
    from django.db.migrations import Migration
    from django.db.migrations.executor import MigrationExecutor

    pending = Migration("0099_new_table", "catalog")
    monkeypatch.setattr(
        MigrationExecutor, "migration_plan", lambda self, targets: [(pending, False)]
    )

    with pytest.raises(CommandError) as refused:
        run_backup(tmp_path / "x.backup")

    assert str(refused.value) == (
        "The database lacks migrations this Trellis has (catalog.0099_new_table): run "
        "`trellis migrate` first, so the archive's schema is this version's."
    )
    assert list(tmp_path.iterdir()) == []
