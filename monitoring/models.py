"""监测与考核: job runs, progress summaries and the annual assessment (DESIGN.md §3.5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a background job: when, how long, what changed (or why it was skipped)."""

    class Status(models.TextChoices):
        OK = "ok", _("完成")
        SKIPPED = "skipped", _("跳过（另一副本正在运行）")
        FAILED = "failed", _("失败")

    job = models.CharField(_("任务"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True)
    seconds = models.FloatField(_("用时（秒）"), default=0)
    status = models.CharField(_("结果"), max_length=10, choices=Status.choices)
    counts = models.JSONField(_("变更数量"), default=dict)
    message = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("后台任务运行记录")
        verbose_name_plural = _("后台任务运行记录")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"


class ProgressSummary(models.Model):
    """Counts for one scope (obligation, unit, region with its subtree, document) and year.

    year 0 is "all years". Task counts are the tasks' current state; milestone
    counts are those due in the year. Rebuilt by the aggregation (monitoring.aggregation):
    whole each night, one county's part after a change there. `place` rows count the units
    of one region only (not its subtree): the regions' rows are their sums.
    """

    class Scope(models.TextChoices):
        OBLIGATION = "obligation", _("事项")
        UNIT = "unit", _("单位")
        REGION = "region", _("区划")
        DOCUMENT = "document", _("文件")
        PLACE = "place", _("区划本级")

    scope = models.CharField(_("范围"), max_length=12, choices=Scope.choices)
    scope_id = models.BigIntegerField(_("对象编号"))
    year = models.PositiveSmallIntegerField(_("年度"))
    tasks = models.PositiveIntegerField(_("任务数"), default=0)
    red = models.PositiveIntegerField(_("红灯"), default=0)
    yellow = models.PositiveIntegerField(_("黄灯"), default=0)
    green = models.PositiveIntegerField(_("绿灯"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    status_counts = models.JSONField(_("各状态任务数"), default=dict)
    milestones_due = models.PositiveIntegerField(_("到期节点"), default=0)
    milestones_on_time = models.PositiveIntegerField(_("按时填报节点"), default=0)
    waiting_review = models.PositiveIntegerField(_("待审核报告"), default=0)
    targets = models.PositiveIntegerField(_("指标数"), default=0)
    targets_attained = models.PositiveIntegerField(_("达标指标数"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("进度汇总")
        verbose_name_plural = _("进度汇总")
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "year"], name="one_summary_row")
        ]

    def __str__(self):
        return f"{self.get_scope_display()} {self.scope_id} {self.year}"

    @property
    def on_time_rate(self) -> float | None:
        return self.milestones_on_time / self.milestones_due if self.milestones_due else None


class MonthlySummary(models.Model):
    """Milestones by month of their due date, for one unit or one region with its subtree:
    due, reported (or closed), and still open past their date on the day of the aggregation.
    The dashboards' trend reads these; rebuilt whole by each aggregation run."""

    scope = models.CharField(_("范围"), max_length=12, choices=[
        ("unit", _("单位")), ("region", _("区划"))])
    scope_id = models.BigIntegerField(_("对象编号"))
    month = models.DateField(_("月份"))
    due = models.PositiveIntegerField(_("到期节点"), default=0)
    reported = models.PositiveIntegerField(_("已报送节点"), default=0)
    overdue = models.PositiveIntegerField(_("逾期未报送节点"), default=0)

    class Meta:
        verbose_name = _("按月进度汇总")
        verbose_name_plural = _("按月进度汇总")
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "month"], name="one_month_row")
        ]

    def __str__(self):
        return f"{self.scope} {self.scope_id} {self.month:%Y-%m}"


class AssessmentWeight(models.Model):
    """The weight of one part of the score, editable by an administrator."""

    class Subject(models.TextChoices):
        COUNTY = "county", _("县（区）")
        CITY = "city", _("市（州）")
        UNIT = "unit", _("成员单位")

    subject = models.CharField(_("考核对象"), max_length=10, choices=Subject.choices)
    part = models.CharField(_("考核内容"), max_length=20)
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")
        ordering = ["subject", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "part"], name="one_weight_per_part"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="weight_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} {self.part} {self.weight}"


class AssessmentYear(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("计算中（未发布）")
        PUBLISHED = "published", _("已发布")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    computed_at = models.DateTimeField(_("计算时间"), null=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # The weights the results were computed with ({"county": {"责任落实": "1.00", …}, …}), kept
    # with the year: publishing seals them, and verifying recomputes with them, so next year's
    # weights never touch a published year (monitoring/seal.py).
    weights = models.JSONField(_("计算时使用的权重"), default=dict, blank=True)
    # HMAC-SM3 under the key "seal" over the year, its weights and its results (monitoring/seal.py).
    digest = models.CharField(_("封印（HMAC-SM3）"), max_length=64, blank=True)
    # The MACs of the weights and of each result, so a failed verification names what changed.
    seal_parts = models.JSONField(_("分项封印"), default=dict, blank=True)

    class Meta:
        verbose_name = _("考核年度")
        verbose_name_plural = _("考核年度")
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年（{self.get_status_display()}）"


class AssessmentEvent(models.Model):
    """Publishing and re-opening are recorded: results feed promotion decisions."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核操作记录")
        verbose_name_plural = _("考核操作记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.year.year} {self.action}"


class AssessmentResult(models.Model):
    """One subject's score for a year: parts, total, ranks, the 约谈 flag, and the inputs."""

    year = models.ForeignKey(AssessmentYear, on_delete=models.CASCADE, related_name="results")
    subject = models.CharField(_("考核对象类别"), max_length=10,
                               choices=AssessmentWeight.Subject.choices)
    region = models.ForeignKey("obligations.Region", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("obligations.Unit", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    parts = models.JSONField(_("分项得分"), default=dict)  # part → score (0–100) or null
    inputs = models.JSONField(_("计算依据"), default=dict)  # the counts each part came from
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    rank_in_province = models.PositiveIntegerField(_("全省排名"), null=True)
    rank_in_city = models.PositiveIntegerField(_("全市排名"), null=True, blank=True)
    interview = models.BooleanField(_("约谈"), default=False)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["year", "subject", "rank_in_province", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False) | models.Q(unit__isnull=False),
                name="result_has_subject",
            )
        ]

    def __str__(self):
        return f"{self.year.year} {self.region or self.unit} {self.total}"


class PeriodSummary(models.Model):
    """The five-year summary of a closed period (过渡期考核评估, DESIGN.md §3.8) for one
    province, city, county or unit: figures as plain JSON (monitoring/period_summary.py),
    computed once the period has ended and frozen: recomputed only on purpose, with a reason.

    Sealed like a published assessment year (monitoring/seal.py): `digest` is the HMAC-SM3 over
    the period and every row of the computation (the same on each row), `mac` this row's own,
    so a verification that fails names the row that was changed."""

    class Scope(models.TextChoices):
        REGION = "region", _("区划")
        UNIT = "unit", _("单位")

    period = models.ForeignKey("obligations.Period", verbose_name=_("时期"),
                               on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(_("范围"), max_length=8, choices=Scope.choices)
    scope_id = models.BigIntegerField(_("对象编号"))
    data = models.JSONField(_("汇总内容"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))
    digest = models.CharField(_("封印（HMAC-SM3）"), max_length=64)
    mac = models.CharField(_("分项封印"), max_length=64)

    class Meta:
        verbose_name = _("过渡期考核评估")
        verbose_name_plural = _("过渡期考核评估")
        ordering = ["period", "scope", "scope_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "scope", "scope_id"],
                                    name="one_period_summary_row"),
        ]

    def __str__(self):
        return f"{self.period_id} {self.get_scope_display()} {self.data.get('name', self.scope_id)}"
