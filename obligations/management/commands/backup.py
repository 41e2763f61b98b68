"""A consistent copy of the database and the uploaded files: python manage.py backup [--dir D]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from obligations.services import backup


class Command(BaseCommand):
    help = "写出一份一致的备份：数据库（pg_dump 自定义格式，同一快照下的各表行数）和上传文件。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(getattr(settings, "BACKUP_DIR", "")),
                            help="备份写到这个目录下（默认 BACKUP_DIR）")

    def handle(self, *args, dir, **options):
        if not dir:
            raise CommandError("请用 --dir 指定备份目录，或设置 BACKUP_DIR。")
        try:
            target = backup.write_backup(Path(dir))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"备份已写入 {target}")
