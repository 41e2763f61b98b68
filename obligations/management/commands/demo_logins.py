from django.conf import settings
from django.core.management.base import BaseCommand

from obligations.services.seed import create_demo_accounts


class Command(BaseCommand):
    help = "显示本地演示账号（仅在开发环境可用）"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False):
            self.stdout.write("当前环境未启用演示账号。")
            return
        self.stdout.write("演示账号（仅限本地使用）：")
        for username, password, label in create_demo_accounts():
            self.stdout.write(f"  {username:<18} 密码 {password:<12} {label}")
