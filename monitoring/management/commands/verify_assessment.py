from django.core.management.base import BaseCommand, CommandError

from monitoring.assessment import verify_assessment
from monitoring.management.commands._year import check_year, year_argument


class Command(BaseCommand):
    help = "核验已发布的考核：核对封印（HMAC-SM3），并与按发布时的权重和当前数据重新计算的结果比较"

    def add_arguments(self, parser):
        year_argument(parser)

    def handle(self, *args, year, **options):
        problems = verify_assessment(check_year(year))
        if problems:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(f"{year}年考核核验发现 {len(problems)} 处不一致。")
        self.stdout.write(f"{year}年考核核验一致。")
