import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.synthetic import generate


class Command(BaseCommand):
    help = "生成用于基准测试的合成省份数据（区划、单位、文件、任务、节点、按时和逾期的报告）"

    def add_arguments(self, parser):
        parser.add_argument("--cities", type=int, default=8)
        parser.add_argument("--counties-per-city", type=int, default=6)
        parser.add_argument("--obligations-per-county", type=int, default=500)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, cities, counties_per_city, obligations_per_county, years, seed, **options):
        for name, value, low, high in (("--cities", cities, 1, 99), ("--counties-per-city", counties_per_city, 1, 99),
                                       ("--obligations-per-county", obligations_per_county, 1, 100000),
                                       ("--years", years, 1, 5)):
            if not low <= value <= high:
                raise CommandError(f"{name} 须在 {low} 到 {high} 之间")
        started = time.monotonic()
        counts = generate(cities=cities, counties_per_city=counties_per_city,
                          obligations_per_county=obligations_per_county, years=years, seed=seed,
                          today=timezone.localdate())
        self.stdout.write(f"已生成：{counts}（用时 {time.monotonic() - started:.1f} 秒）")
