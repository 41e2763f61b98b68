import datetime

from django.core.management.base import BaseCommand, CommandError

from monitoring.jobs import email_reminders, sweep_overdue
from obligations.services.mail import DigestsNotSent


class Command(BaseCommand):
    help = "逾期扫描：更新节点和任务的红黄绿灯，生成到期提醒和逾期督办，并给有邮箱的人发汇总邮件（与每日定时任务相同）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（默认今天，北京时间），如 2024-06-01")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"日期“{date}”格式不对，应为 YYYY-MM-DD") from exc
        run = sweep_overdue(today=today)
        self.stdout.write(f"{run.get_status_display()}：{run.counts}（用时 {run.seconds} 秒）")
        try:
            mail = email_reminders()
        except DigestsNotSent as exc:  # the lights are done; the unsent digests stay unmarked
            raise CommandError(f"提醒邮件：{exc}（{exc.counts}）请检查邮件服务器设置（EMAIL_HOST 等）"
                               "后再次运行。") from exc
        self.stdout.write(f"提醒邮件：{mail.get_status_display()}：{mail.counts}")
