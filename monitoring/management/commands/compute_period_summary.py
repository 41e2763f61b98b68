from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.period_summary import compute_period_summary, verify_period_summary
from obligations import periods


class Command(BaseCommand):
    help = "计算已结束时期（默认2021—2025年过渡期）的考核评估并封存；--verify 核验封印"

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, help="时期编号（默认过渡期）")
        parser.add_argument("--recompute", action="store_true", help="重新计算已封存的考核评估")
        parser.add_argument("--reason", default="", help="重新计算的理由（--recompute 时必填）")
        parser.add_argument("--verify", action="store_true", help="只核验已封存的考核评估")

    def handle(self, *args, period=None, recompute=False, reason="", verify=False, **options):
        period_id = period or periods.transition().pk
        if verify:
            problems = verify_period_summary(period_id)
            if problems:
                raise CommandError("考核评估与封印不一致：\n" + "\n".join(problems))
            self.stdout.write("考核评估核验一致。")
            return
        try:
            rows, changed = compute_period_summary(period_id=period_id, recompute=recompute,
                                                   reason=reason)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if changed:
            self.stdout.write(f"考核评估已计算并封存：{rows} 个地区和单位。")
        else:
            self.stdout.write(f"考核评估已封存（{rows} 个地区和单位），未重新计算；"
                              "如需重算请加 --recompute --reason。")
