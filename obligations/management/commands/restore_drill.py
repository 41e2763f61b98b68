"""Restores a backup into a scratch database and checks it: python manage.py restore_drill DIR"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obligations.services import backup


class Command(BaseCommand):
    help = "恢复演练：把备份恢复到临时数据库，核对各表行数、操作记录校验链和上传文件，然后删除临时库。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="backup 命令写出的目录")
        parser.add_argument("--keep", action="store_true", help="保留临时数据库以便查看")

    def handle(self, *args, path: str, keep: bool, **options):
        try:
            report = backup.restore_drill(Path(path), keep=keep)
        except (backup.BackupError, OSError, KeyError, ValueError) as error:
            raise CommandError(f"无法演练：{error}") from error
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            raise CommandError(f"恢复演练未通过：{len(report.problems)} 处不符。")
        kept = f"（临时库 {report.scratch} 已保留）" if keep else ""
        self.stdout.write(
            f"恢复演练通过：{report.tables} 张表 {report.rows} 行与备份一致，操作记录 "
            f"{report.audit_rows} 条校验相符，文件 {report.files} 个一致；用时 "
            f"{report.seconds:.1f} 秒{kept}。")
