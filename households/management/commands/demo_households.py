"""`make run`: generated households for the demo villages (households.demo). Local demo only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from households.demo import ACCOUNTS, build_demo_households


class Command(BaseCommand):
    help = "本地演示：为演示村生成农户、家庭成员（生成的姓名和身份证号，非真实个人）和各环节的监测认定（仅演示环境）"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False):
            raise CommandError("只用于本地演示环境（DEMO_ACCOUNTS 开启时）")
        result = build_demo_households(today=timezone.localdate())
        for username, label, *_rest in ACCOUNTS:
            self.stdout.write(f"  演示账号 {username}（{label}），密码同其他演示账号")
        if result is None:
            self.stdout.write("已有演示农户数据，未重复生成。")
            return
        self.stdout.write(self.style.SUCCESS(
            f"演示农户：{result['households']} 户，家庭成员 {result['members']} 人，"
            f"监测认定 {result['cases']} 件，摸排和审核记录 {result['rounds']} 条"))
