"""Backing up and restoring a whole Trellis installation: database rows and uploaded files.

An archive (see docs/backup.md) is a gzipped tar, encrypted by `backup_crypto`, holding
`database.jsonl` (every row of every model in Django's JSON Lines format, natural keys off, so
it loads into SQLite or PostgreSQL alike), `media/<name>` for each stored file, and
`manifest.json` (format version, creation time, applied migrations, row counts per table and the
sha256 of every other member). Everything streams through temporary files, so memory stays
bounded whatever the size of the district.

Signing keys travel inside the database, still sealed with the key-encryption key (KEK); the
manifest names the KEK ids they need, and restore warns when this installation lacks one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from trellis.core.backup_crypto import (
    ArchiveDamaged,
    BackupKeyError,
    decrypt_stream,
    encrypt_stream,
    parse_key,
)

FORMAT = "trellis-backup"
FORMAT_VERSION = 1
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
MEDIA_PREFIX = "media/"
READ_SIZE = 1024 * 1024
# Tables `migrate` itself fills; a database holding only these counts as empty.
FILLED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes and times to milliseconds; a backup keeps microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


@dataclass
class Summary:
    manifest: dict[str, Any]
    size: int = 0
    warnings: list[str] = field(default_factory=list)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table the project manages, M2M link tables included, in a fixed order."""
    return sorted(
        (
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        ),
        key=lambda m: m._meta.label_lower,
    )


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.using(using).count() for m in backed_up_models()}


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _stored_files(directory: str = "") -> Iterator[str]:
    """Every file name in the default storage, walking its folders."""
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for folder in sorted(folders):
        yield from _stored_files(f"{directory}/{folder}" if directory else folder)


def _kek_ids_in_use(using: str) -> list[str]:
    if not apps.is_installed("trellis.credentials"):
        return []
    signing_key = apps.get_model("credentials", "SigningKey")
    return sorted(set(signing_key._base_manager.using(using).values_list("kek_id", flat=True)))


def _dump_database(target: Path, using: str) -> None:
    # Serialised table by table, in pk order, row by row: memory stays flat.
    with target.open("w", encoding="utf-8") as stream:
        for model in backed_up_models():
            if model._meta.auto_created:
                continue  # link tables travel inside their owners' rows
            rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
            serializers.serialize("jsonl", rows, stream=stream, cls=PreciseJSONEncoder)


@contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """Read every table from one consistent snapshot without holding up the app's writes."""
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction (a caller's, or a test's)
        yield
    elif connection.vendor == "sqlite":
        # atomic() would BEGIN IMMEDIATE (settings) and hold the write lock for the whole dump;
        # a deferred read transaction in WAL mode is a snapshot that never blocks writers.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def _trellis_version() -> str:
    try:
        return metadata.version("trellis")
    except metadata.PackageNotFoundError:
        return "unknown"


def create_backup(output: Path, key: bytes, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write one encrypted archive to `output` (replaced atomically, readable by owner only)."""
    output = Path(output)
    if output.is_dir():
        raise BackupError(f"{output} is a folder; give a file name for the archive.")
    if not output.parent.is_dir():
        raise BackupError(f"The folder {output.parent} does not exist.")
    executor = MigrationExecutor(connections[using])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in pending[:5])
        raise BackupError(
            f"The database lacks migrations this Trellis has ({names}): run `trellis migrate` "
            "first, so the archive's schema is this version's."
        )
    with tempfile.TemporaryDirectory(prefix="trellis-backup-") as work:
        workdir = Path(work)
        database = workdir / DATABASE_MEMBER
        with _snapshot(using):
            _dump_database(database, using)
            counts = row_counts(using)
            migrations = applied_migrations(using)
            kek_ids = _kek_ids_in_use(using)
        files = {DATABASE_MEMBER: {"sha256": _sha256_of(database), "size": database.stat().st_size}}
        plain = workdir / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            tar.add(database, arcname=DATABASE_MEMBER)
            for name in _stored_files():
                files[MEDIA_PREFIX + name] = _add_stored_file(tar, name, workdir)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "trellis_version": _trellis_version(),
                "database_vendor": connections[using].vendor,
                "migrations": migrations,
                "row_counts": counts,
                "files": files,
                "signing_keys_sealed_with": kek_ids,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST_MEMBER)
            info.size, info.mtime, info.mode = len(body), int(timezone.now().timestamp()), 0o600
            tar.addfile(info, _BytesReader(body))
        partial = output.with_name(output.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with plain.open("rb") as source, os.fdopen(descriptor, "wb") as target:
            encrypt_stream(source, target, key)
        partial.replace(output)
    return Summary(manifest=manifest, size=output.stat().st_size)


class _BytesReader:
    def __init__(self, body: bytes) -> None:
        self.body, self.position = body, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.body) if size < 0 else self.position + size
        chunk, self.position = self.body[self.position : end], min(end, len(self.body))
        return chunk


def _add_stored_file(tar: tarfile.TarFile, name: str, workdir: Path) -> dict[str, Any]:
    # Copied to a local file first: the storage may be remote, and the hash must match the
    # bytes archived even if the file changes meanwhile.
    local = workdir / "copy"
    with default_storage.open(name, "rb") as source, local.open("wb") as target:
        shutil.copyfileobj(source, target, READ_SIZE)
    tar.add(local, arcname=MEDIA_PREFIX + name)
    entry = {"sha256": _sha256_of(local), "size": local.stat().st_size}
    local.unlink()
    return entry


# --- restore ----------------------------------------------------------------------------------


def _safe_member_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise ArchiveDamaged(f"The archive holds an unsafe file name: {name!r}.")
    return path


def _unpack(plain: Path, into: Path) -> None:
    with tarfile.open(plain, "r:gz") as tar:
        for member in tar:
            relative = _safe_member_name(member.name)
            if not member.isfile():
                raise ArchiveDamaged(
                    f"The archive holds something other than a file: {member.name!r}."
                )
            destination = into.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is None:
                raise ArchiveDamaged(f"The archive member {member.name!r} cannot be read.")
            with source, destination.open("wb") as target:
                shutil.copyfileobj(source, target, READ_SIZE)


def read_manifest(unpacked: Path) -> dict[str, Any]:
    """The manifest, after checking every listed file is there, unchanged, and nothing else is."""
    try:
        manifest = json.loads((unpacked / MANIFEST_MEMBER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ArchiveDamaged("The archive has no readable manifest.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveDamaged("The archive's manifest is not a Trellis backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This archive uses backup format {manifest.get('format_version')!r}; this Trellis "
            f"reads format {FORMAT_VERSION}. Restore it with the Trellis version that made it."
        )
    listed = manifest.get("files") or {}
    present = {p.relative_to(unpacked).as_posix() for p in unpacked.rglob("*") if p.is_file()} - {
        MANIFEST_MEMBER
    }
    if set(listed) != present:
        raise ArchiveDamaged(
            "The archive's files do not match its manifest: "
            f"missing {sorted(set(listed) - present)}, unexpected {sorted(present - set(listed))}."
        )
    for name, entry in listed.items():
        if _sha256_of(unpacked / name) != entry.get("sha256"):
            raise ArchiveDamaged(f"The archive's copy of {name} does not match its checksum.")
    return manifest


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    return not any(
        count for label, count in row_counts(using).items() if label not in FILLED_BY_MIGRATE
    )


def _check_migrations(manifest: dict[str, Any], using: str) -> None:
    ours = set(applied_migrations(using))
    theirs = set(manifest.get("migrations") or [])
    if ours != theirs:
        raise BackupError(
            "The archive was made with a different database schema than this Trellis has "
            f"(only in the archive: {sorted(theirs - ours)[:5]}; only here: "
            f"{sorted(ours - theirs)[:5]}). Restore with the Trellis version that made the "
            "archive, then upgrade."
        )


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _restore_files(unpacked: Path, manifest: dict[str, Any]) -> None:
    for name in sorted(manifest["files"]):
        if not name.startswith(MEDIA_PREFIX):
            continue
        stored = name.removeprefix(MEDIA_PREFIX)
        if default_storage.exists(stored):
            default_storage.delete(stored)
        with (unpacked / name).open("rb") as source:
            saved = default_storage.save(stored, File(source))
        if saved != stored:
            raise BackupError(f"The file {stored} was stored as {saved}; check the media folder.")


def restore_backup(
    archive: Path,
    key: bytes,
    *,
    force: bool = False,
    kek_ids: list[str] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> Summary:
    """Verify the archive completely, then load it into an empty (or, with force, wiped) database.

    `kek_ids` are the key-encryption keys this installation has; missing ones give a warning.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"There is no archive at {archive}.")
    with tempfile.TemporaryDirectory(prefix="trellis-restore-") as work:
        workdir = Path(work)
        plain, unpacked = workdir / "archive.tar.gz", workdir / "unpacked"
        with archive.open("rb") as source, plain.open("wb") as target:
            decrypt_stream(source, target, key)
        try:
            _unpack(plain, unpacked)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise ArchiveDamaged(f"The archive's contents cannot be unpacked: {exc}") from None
        plain.unlink()
        manifest = read_manifest(unpacked)
        call_command("migrate", interactive=False, verbosity=0, database=using)
        _check_migrations(manifest, using)
        if not force and not database_is_empty(using):
            raise BackupError(
                "The database is not empty. Restore into a new, empty database, or pass --force "
                "to delete everything in this one and replace it with the archive."
            )
        with transaction.atomic(using=using):
            call_command(
                "flush", interactive=False, inhibit_post_migrate=True, verbosity=0, database=using
            )
            call_command("loaddata", str(unpacked / DATABASE_MEMBER), verbosity=0, database=using)
            _reset_sequences(using)
            counts = row_counts(using)
            expected = manifest.get("row_counts") or {}
            if counts != expected:
                differences = {
                    label: (expected.get(label), counts.get(label))
                    for label in sorted(set(counts) | set(expected))
                    if counts.get(label) != expected.get(label)
                }
                raise BackupError(
                    f"The restored row counts differ from the archive's (archive, restored): "
                    f"{differences}. Nothing was restored."
                )
        _restore_files(unpacked, manifest)
    warnings = []
    missing = sorted(set(manifest.get("signing_keys_sealed_with") or []) - set(kek_ids or []))
    if missing:
        warnings.append(
            "Credential signing keys in this archive are sealed with key-encryption key(s) "
            f"{', '.join(missing)}, which this installation does not have: set "
            "TRELLIS_KEY_ENCRYPTION_KEY / TRELLIS_CREDENTIAL_KEKS before issuing credentials."
        )
    return Summary(manifest=manifest, size=archive.stat().st_size, warnings=warnings)


def key_from(key_file: str | None) -> bytes:
    """The backup key from --key-file, else from TRELLIS_BACKUP_KEY; BackupKeyError otherwise."""
    if key_file:
        try:
            text = Path(key_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise BackupKeyError(f"Cannot read the key file {key_file}: {exc.strerror}.") from None
        return parse_key(text)
    return parse_key(os.environ.get("TRELLIS_BACKUP_KEY"))


def configured_kek_ids(entries: list[str], *, development: bool) -> list[str]:
    """The ids of the configured key-encryption keys ("id:key" or bare "key" = "primary")."""
    ids = [entry.strip().rpartition(":")[0] or "primary" for entry in entries if entry.strip()]
    return ids or (["dev"] if development else [])
