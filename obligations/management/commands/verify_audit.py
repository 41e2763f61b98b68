"""Checks the audit chain (等保 8.1.4.3): python manage.py verify_audit"""

from django.core.management.base import BaseCommand, CommandError

from obligations.services import audit


class Command(BaseCommand):
    help = "校验操作记录的 HMAC-SM3 链：报告第一条不相符的记录。"

    def handle(self, *args, **options):
        checked, broken, why = audit.verify()
        if broken is not None:
            raise CommandError(
                f"第 {checked + 1} 条（编号 {broken.pk}，{broken.at:%Y-%m-%d %H:%M:%S}，"
                f"{broken.get_action_display()} {broken.subject}）不相符：{why}。")
        self.stdout.write(f"操作记录 {checked} 条，校验全部相符。")
