from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.assessment import publish_assessment
from monitoring.management.commands._year import check_year, year_argument


class Command(BaseCommand):
    help = "发布某年度考核：结果和计算时的权重冻结，并以 HMAC-SM3 封印（密钥在数据库之外）"

    def add_arguments(self, parser):
        year_argument(parser)

    def handle(self, *args, year, **options):
        try:
            record = publish_assessment(check_year(year), actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"{year}年考核已发布，封印 {record.digest}")
