from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.demo import build_demo_history


class Command(BaseCommand):
    help = "本地演示：按今天的日期生成过渡期和当前时期的填报历史、过渡期收尾处置，运行逾期扫描和进度汇总，计算并发布已结束年度的考核（仅演示环境）"

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_ACCOUNTS", False):
            raise CommandError("只用于本地演示环境（DEMO_ACCOUNTS 开启时）")
        result = build_demo_history(today=timezone.localdate())
        if result is None:
            self.stdout.write("已有填报记录，未生成演示历史。")
        else:
            self.stdout.write(self.style.SUCCESS(
                f"演示历史：{result['milestones_reported']} 个节点有填报；"
                f"已发布考核年度：{'、'.join(map(str, result['assessments'])) or '无'}；"
                f"导入演示文件：{'、'.join(result['documents']) or '无'}；"
                f"过渡期收尾：{result['close_out']}"))
