from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from monitoring.models import AssessmentResult, PeriodSummary, ProgressSummary
from obligations.api.serializers import DescribedSerializer


class SummarySerializer(DescribedSerializer):
    class Meta:
        model = ProgressSummary
        fields = ["scope", "scope_id", "year", "tasks", "red", "yellow", "green", "done",
                  "status_counts", "milestones_due", "milestones_on_time", "waiting_review",
                  "targets", "targets_attained", "computed_at"]


class AssessmentResultSerializer(DescribedSerializer):
    year = serializers.IntegerField(source="year.year", read_only=True, help_text=_("考核年度"))
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text=_("区划代码（县、市）"))

    class Meta:
        model = AssessmentResult
        fields = ["year", "subject", "region", "unit", "parts", "inputs", "total",
                  "rank_in_province", "rank_in_city", "interview"]


class PeriodSummarySerializer(DescribedSerializer):
    data = serializers.DictField(help_text=_("汇总内容：各年度考核得分与排名、完成率与按时报送率、"
                                             "任务处置情况、指标目标、衔接资金、防返贫监测"))

    class Meta:
        model = PeriodSummary
        fields = ["period", "scope", "scope_id", "data", "computed_at"]
