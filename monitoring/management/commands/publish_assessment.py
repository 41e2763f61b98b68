from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.assessment import publish_assessment
from monitoring.management.commands._year import check_year, year_argument


class Command(BaseCommand):
    help = "发布某年度考核：结果冻结，并保存 SHA-256 摘要"

    def add_arguments(self, parser):
        year_argument(parser)

    def handle(self, *args, year, **options):
        try:
            record = publish_assessment(check_year(year), actor=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"{year}年考核已发布，摘要 {record.digest}")
