from django.core.management.base import BaseCommand

from monitoring.assessment import compute_assessment
from monitoring.management.commands._year import check_year, year_argument


class Command(BaseCommand):
    help = "计算某年度考核（已发布的年度不会改动）"

    def add_arguments(self, parser):
        year_argument(parser)

    def handle(self, *args, year, **options):
        record, changed = compute_assessment(check_year(year))
        if changed:
            self.stdout.write(f"{year}年考核已计算：{record.results.count()} 个考核对象。")
        else:
            self.stdout.write(f"{year}年考核已发布，未重新计算，结果未改动。")
