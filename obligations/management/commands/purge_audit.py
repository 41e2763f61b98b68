"""Deletes audit rows past retention: python manage.py purge_audit --before 2025-01-01"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from obligations.services import audit


class Command(BaseCommand):
    help = "清理保留期（AUDIT_RETENTION_DAYS，至少 180 天）以前的操作记录，并记下本次清理。"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="清理此日期之前的记录，如 2025-01-01")

    def handle(self, *args, before, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError as error:
            raise CommandError("日期格式应为 2025-01-01。") from error
        try:
            count = audit.purge(older_than=day)
        except audit.RetentionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已清理 {count} 条操作记录。")
