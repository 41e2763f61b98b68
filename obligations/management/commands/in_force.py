import datetime

from django.core.management.base import BaseCommand, CommandError

from obligations.models import Region
from obligations.selectors.in_force import obligations_in_force


class Command(BaseCommand):
    help = "列出某地区在某日有效的责任事项（含上级文件的事项与过渡期规则）"

    def add_arguments(self, parser):
        parser.add_argument("region_code", help="区划代码，如 210422")
        parser.add_argument("date", help="日期，如 2024-06-01")

    def handle(self, *args, region_code, date, **options):
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise CommandError(f"区划代码 {region_code} 不存在")
        try:
            on = datetime.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(f"日期“{date}”格式不对，应为 YYYY-MM-DD，如 2024-06-01") from exc
        rows = obligations_in_force(region=region, on=on)
        self.stdout.write(f"{region.name} {on.year}年{on.month}月{on.day}日有效的责任事项：{len(rows)} 项")
        for row in rows:
            o = row.obligation
            document = o.document.doc_number or o.document.title[:20]
            note = f"  〔{'；'.join(row.notes)}〕" if row.notes else ""
            self.stdout.write(f"  {document:<16} {o.code:<14} {o.title}{note}")
