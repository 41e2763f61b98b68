from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from obligations.models import Obligation, Task
from obligations.services.changes import register_changed
from obligations.services.seed import create_demo_accounts, load_seed


class Command(BaseCommand):
    help = "把审核过的种子责任清单（fixtures/）载入空数据库，并创建本地演示账号"

    def handle(self, *args, **options):
        documents = load_seed()
        if documents is None:
            self.stdout.write("数据库中已有责任清单，未重复载入。")
        else:
            measures = Obligation.objects.filter(kind="measure").count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已载入 {len(documents)} 份文件、{measures} 项措施、{Task.objects.count()} 个任务。"
                )
            )
        if documents is not None:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics for the planner after a bulk load
            # The dashboards' figures, built now (not by tomorrow's job): monitoring listens.
            register_changed.send(sender="obligations", regions=[], sync=True)
        if getattr(settings, "DEMO_ACCOUNTS", False):
            create_demo_accounts()
        else:
            self.stdout.write(_("未创建演示账号：DEMO_ACCOUNTS 未开启（生产配置从不创建；本地配置连接 "
                                "DATABASE_URL 指定的数据库时，须另设 DEMO_ACCOUNTS=1）。"))
