"""`make run`: a funds history for the demo counties (funds.demo). Local demo only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from funds.demo import build_demo_funds


class Command(BaseCommand):
    help = "本地演示：为隆德县、新宾、清原生成2021–2025年衔接资金分配、项目库、支出、资产台账（仅演示环境）"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False):
            raise CommandError("只用于本地演示环境（DEMO_ACCOUNTS 开启时）")
        result = build_demo_funds(today=timezone.localdate())
        if result is None:
            self.stdout.write("已有演示资金数据，未重复生成。")
            return
        self.stdout.write(self.style.SUCCESS(
            f"演示资金数据：资金分配 {result['allocations']} 条，项目 {result['projects']} 个，"
            f"月度支出 {result['spendings']} 条，资产 {result['assets']} 项"))
