"""Backup and restore of a whole installation: the database and the attachments, in one tar archive.

The archive holds `manifest.json` (what it is, when, from which database engine, the migrations applied, the
rows of every table and the SHA-256 of every member), the database (`database.sqlite3`, taken through SQLite's
online backup API, a consistent copy while the site runs; or `database.pgdump`, PostgreSQL's own `pg_dump`
custom format, one consistent snapshot) and `media/`, the attachments stored locally. The database is copied
first, then the files: an attachment is written before the row that names it, so every row finds its file.

Attachments in an S3-compatible bucket are not copied (the manifest says so): the bucket's own versioning or
replication keeps them. See docs/deploy.md "Backup and restore".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "halfbuilt-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
CHUNK = 1 << 20


class BackupError(Exception):
    """What is wrong with an archive, in Chinese; nothing was changed."""


class UsageError(BackupError):
    """What is wrong with the request (a path, the database engine) rather than with an archive."""


@dataclass(frozen=True)
class Summary:
    engine: str
    tables: int
    rows: int
    files: int
    created_at: str


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise UsageError(_("不支持的数据库类型：{vendor}").format(vendor=vendor))
    return vendor


def media_is_local() -> bool:
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    return backend.endswith("FileSystemStorage")


def table_counts() -> dict[str, int]:
    """Rows of every table of the configured database, for the check after a restore."""
    with connection.cursor() as cursor:
        names = sorted(n for n in connection.introspection.table_names(cursor) if not n.startswith("sqlite_"))
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    """Rows of every table of an SQLite file (the copy just taken: its own counts, whatever the site wrote since)."""
    copy = sqlite3.connect(path)
    try:
        names = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: copy.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        copy.close()


def applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (no password on a command line)."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(_("找不到 {tool}：请安装 PostgreSQL 客户端工具（postgresql-client）").format(
            tool=command[0])) from None
    if done.returncode != 0:
        raise BackupError(_("{tool} 失败：{error}").format(tool=command[0], error=done.stderr.strip()[-500:]))


def _dump_database(kind: str, target: Path) -> dict[str, int]:
    """Copy the database to `target`; the rows of each table in that copy."""
    if kind == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # the online backup API: a consistent copy
        finally:
            destination.close()
        return _sqlite_counts(target)
    # One snapshot for the counts and the dump: pg_dump joins this transaction's exported snapshot.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={target}"])
    return counts


def backup(path: Path) -> Summary:
    """Write the archive to `path` (a new file; its folder must exist)."""
    path = Path(path)
    if path.exists():
        raise UsageError(_("{path} 已存在：备份不覆盖已有文件").format(path=path))
    if not path.parent.is_dir():
        raise UsageError(_("目录 {folder} 不存在").format(folder=path.parent))
    kind = engine()
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        database = Path(work) / DATABASE_MEMBER[kind]
        counts = _dump_database(kind, database)
        members = {DATABASE_MEMBER[kind]: database}
        media_root = Path(settings.MEDIA_ROOT)
        if media_is_local() and media_root.is_dir():
            for file in sorted(p for p in media_root.rglob("*") if p.is_file()):
                members[f"{MEDIA}/{file.relative_to(media_root).as_posix()}"] = file
        manifest = {
            "format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(), "engine": kind,
            "migrations": applied_migrations(), "counts": counts,
            "media": "local" if media_is_local() else "not included (object storage)",
            "files": {name: _sha256(file) for name, file in members.items()},
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            for name, file in members.items():
                archive.add(file, arcname=name, recursive=False)
            manifest_file = Path(work) / MANIFEST
            manifest_file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            archive.add(manifest_file, arcname=MANIFEST)
        partial.rename(path)  # a crash never leaves a file that looks like a whole backup
    return _summary(manifest)


def _summary(manifest: dict) -> Summary:
    media = [name for name in manifest["files"] if name.startswith(f"{MEDIA}/")]
    return Summary(engine=manifest["engine"], tables=len(manifest["counts"]), rows=sum(manifest["counts"].values()),
                   files=len(media), created_at=manifest["created_at"])


def _open(path: Path) -> tarfile.TarFile:
    if not Path(path).is_file():
        raise UsageError(_("找不到备份文件 {path}").format(path=path))
    try:
        return tarfile.open(path, "r")
    except tarfile.TarError:
        raise BackupError(_("{path} 不是本系统的备份文件（无法读取归档）").format(path=path)) from None


def _extract(path: Path, work: Path) -> dict:
    """Unpack into `work` and check the manifest and every member's SHA-256; the manifest."""
    with _open(path) as archive:
        try:
            archive.extractall(work, filter="data")  # no absolute paths, no links out, no devices
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(_("备份文件已损坏：{error}").format(error=exc)) from None
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(_("备份文件缺少有效的 manifest.json")) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(_("不是本系统的备份文件，或版本不受支持"))
    unpacked = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()} - {MANIFEST}
    listed = set(manifest["files"])
    if unpacked != listed:
        extra, missing = sorted(unpacked - listed), sorted(listed - unpacked)
        raise BackupError(_("备份文件与清单不符：多出 {extra}，缺少 {missing}").format(
            extra=", ".join(extra[:5]) or "—", missing=", ".join(missing[:5]) or "—"))
    for name, digest in manifest["files"].items():
        if _sha256(work / name) != digest:
            raise BackupError(_("备份文件已损坏：{name} 的校验值不符").format(name=name))
    if manifest["engine"] == "sqlite":
        checked = sqlite3.connect(work / DATABASE_MEMBER["sqlite"])
        try:
            result = checked.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise BackupError(_("备份中的数据库无法读取：{error}").format(error=exc)) from None
        finally:
            checked.close()
        if result != "ok":
            raise BackupError(_("备份中的数据库未通过完整性检查：{result}").format(result=result))
    return manifest


def check(path: Path) -> Summary:
    """Verify an archive without restoring it: readable, complete, every checksum, the database readable."""
    with tempfile.TemporaryDirectory() as work:
        return _summary(_extract(Path(path), Path(work)))


def restore(path: Path) -> Summary:
    """Replace the configured database and the local attachments by the archive's, then check that every table
    holds the rows the manifest counted. Stop the site and the worker first."""
    kind = engine()
    with tempfile.TemporaryDirectory() as work_name:
        work = Path(work_name)
        manifest = _extract(Path(path), work)
        if manifest["engine"] != kind:
            raise UsageError(_("备份来自 {source} 数据库，当前配置的是 {target}：不能直接恢复").format(
                source=manifest["engine"], target=kind))
        database = work / DATABASE_MEMBER[kind]
        if kind == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connections.close_all()  # pg_restore drops the tables: nothing of ours may hold them
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                  f"--dbname={_pg_env()['PGDATABASE']}", str(database)])
        if media_is_local():
            _replace_media(work / MEDIA)
    counts = table_counts()
    differ = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if differ:
        raise BackupError(_("恢复后的行数与备份清单不符：{tables}").format(tables=", ".join(sorted(differ)[:5])))
    return _summary(manifest)


def _replace_media(restored: Path) -> None:
    """The attachments as they were: the current folder is kept beside it (media.before-restore-…), not deleted."""
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and any(media_root.iterdir()):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        media_root.rename(media_root.with_name(f"{media_root.name}.before-restore-{stamp}"))
    elif media_root.exists():
        media_root.rmdir()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    if restored.is_dir():
        shutil.move(str(restored), str(media_root))
    else:
        media_root.mkdir()
