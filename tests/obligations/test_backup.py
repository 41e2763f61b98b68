"""The backup and the restore drill (issue 14 item 10): a consistent dump and the uploaded
files, restored into a scratch database whose row counts, audit chain and files are checked."""

import json

import pgtrigger
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from obligations.models import AuditEntry, Evidence, Task
from obligations.services.reporting import report_progress
from tests.obligations.conftest import during_the_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def history(transactional_db, settings, tmp_path):
    """Committed data (pg_dump reads it from another session): the seed, one report with a
    file, its audit row."""
    from obligations.services.seed import create_demo_accounts, load_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    load_seed()
    during_the_transition()  # the seed's day (tests/obligations/conftest.py)
    create_demo_accounts()
    task = Task.objects.filter(unit__name="扶贫办").first()
    report_progress(task=task, by=get_user_model().objects.get(username="longde_fupin"),
                    expected_version=task.version, status="in_progress", percent=20,
                    narrative="备份演练", uploads=[SimpleUploadedFile("公示照片.pdf", PDF)])
    return tmp_path


def _backup(history, capsys):
    call_command("backup", "--dir", str(history / "backups"))
    out = capsys.readouterr().out
    return history / "backups" / out.strip().split("备份已写入 ")[1].split("/")[-1]


def test_the_drill_restores_the_backup_and_finds_everything(history, capsys):
    folder = _backup(history, capsys)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["public.obligations_task"] == Task.objects.count()
    assert len(manifest["files"]) == Evidence.objects.count() == 1
    call_command("restore_drill", str(folder))
    out = capsys.readouterr().out
    assert "恢复演练通过" in out
    assert f"操作记录 {AuditEntry.objects.count()} 条校验相符" in out and "文件 1 个一致" in out
    with connection.cursor() as cursor:  # the scratch database is gone again
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_drill_%%'")
        assert cursor.fetchone()[0] == 0


def test_the_drill_fails_on_a_missing_row(history, capsys):
    folder = _backup(history, capsys)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["tables"]["public.obligations_task"] += 1  # the dump lacks a row the list names
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="恢复演练未通过"):
        call_command("restore_drill", str(folder))
    assert "obligations_task" in capsys.readouterr().err


def test_the_drill_fails_when_the_audit_chain_was_broken_before_the_backup(history, capsys):
    entry = AuditEntry.objects.order_by("id").last()
    with pgtrigger.ignore("obligations.AuditEntry:audit_append_only"):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="事后改过")
    folder = _backup(history, capsys)
    with pytest.raises(CommandError):
        call_command("restore_drill", str(folder))
    assert f"编号 {entry.pk}" in capsys.readouterr().err


def test_the_drill_fails_on_a_changed_file(history, capsys):
    import tarfile

    folder = _backup(history, capsys)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    name = next(iter(manifest["files"]))
    manifest["files"][name] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("restore_drill", str(folder))
    assert "内容与备份时不同" in capsys.readouterr().err
    assert tarfile.is_tarfile(folder / "media.tar")
