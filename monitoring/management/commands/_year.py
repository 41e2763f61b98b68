from django.core.management.base import CommandError


def year_argument(parser):
    parser.add_argument("year", type=int, help="考核年度，如 2023")


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise CommandError(f"年度“{year}”不合理")
    return year
