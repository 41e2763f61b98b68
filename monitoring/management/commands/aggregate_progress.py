from django.core.management.base import BaseCommand

from monitoring.jobs import aggregate_progress


class Command(BaseCommand):
    help = "重算进度汇总（按事项、单位、区划、文件和年度）"

    def handle(self, *args, **options):
        run = aggregate_progress()
        self.stdout.write(f"{run.get_status_display()}：{run.counts}（用时 {run.seconds} 秒）")
