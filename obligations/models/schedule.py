"""When things are due and where they apply: milestones, transition
rules and indicator targets (DESIGN.md §3.2–3.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import attainment
from .register import Obligation, Region, RegionCategory, Task

LIGHTS = [("red", _("红灯")), ("yellow", _("黄灯")), ("green", _("绿灯")), ("done", _("已完成")),
          ("ended", _("期满"))]


class Milestone(models.Model):
    """A dated checkpoint of a task, generated from its obligation's deadline."""

    class Kind(models.TextChoices):
        COMPLETION = "completion", _("完成节点")
        CHECKIN = "checkin", _("定期调度")
        RECURRING = "recurring", _("定期报送")

    class Status(models.TextChoices):
        OPEN = "open", _("未报送")
        REPORTED = "reported", _("已报送")
        CLOSED = "closed", _("已办结")

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    due_on = models.DateField(_("截止日期"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Set by the nightly sweep (obligations.lights), from dates only.
    light = models.CharField(_("亮灯"), max_length=6, choices=LIGHTS, default="green",
                             db_default="green")
    red_since = models.DateField(_("逾期起始日"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["task", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "due_on", "kind"], name="unique_milestone_per_task_date"
            )
        ]
        indexes = [models.Index(fields=["due_on", "status"], name="milestone_due_status")]

    def __str__(self):
        return f"{self.task} · {self.due_on}"


class TransitionRule(models.Model):
    """Where and when an obligation (or one policy inside it) is in force.

    `phases` is a list of {"from", "until", "categories"}: within each window the
    policy applies to counties holding one of the categories that year (an empty
    list: to every region the document covers). `policy` names the policy, so
    that two documents ruling on the same one can be compared (DESIGN.md §3.3).
    """

    class Scope(models.TextChoices):
        OBLIGATION = "obligation", _("整项事项")
        CLAUSE = "clause", _("事项中的一项政策")

    class Kind(models.TextChoices):
        WINDOW = "window", _("适用期限")
        MINIMUM = "minimum", _("至少维持")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="rules"
    )
    policy = models.CharField(_("政策"), max_length=60, db_index=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WINDOW)
    scope = models.CharField(_("作用范围"), max_length=12, choices=Scope.choices)
    phases = models.JSONField(_("分阶段适用范围"), default=list)
    clause_text = models.TextField(_("原文"))

    class Meta:
        verbose_name = _("过渡期规则")
        verbose_name_plural = _("过渡期规则")
        ordering = ["policy", "obligation"]

    def __str__(self):
        return f"{self.policy}（{self.obligation.code}）"


class IndicatorTarget(models.Model):
    """A quantitative target read from an obligation's text (到2025年…达到85%以上)."""

    class Comparator(models.TextChoices):
        AT_LEAST = ">=", _("不低于")
        AT_MOST = "<=", _("不高于")
        EQUAL = "=", _("达到")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField(_("指标"), max_length=100)
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices)
    value = models.DecimalField(_("目标值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    due_year = models.PositiveSmallIntegerField(_("目标年度"), null=True, blank=True)
    per_year = models.BooleanField(_("每年考核"), default=False)
    region_scope = models.CharField(
        _("适用范围"), max_length=50, blank=True, help_text=_("如：全县、全市、每个脱贫县")
    )
    source_text = models.TextField(_("原文"))

    class Meta:
        verbose_name = _("指标目标")
        verbose_name_plural = _("指标目标")
        ordering = ["obligation", "id"]

    def __str__(self):
        return f"{self.name} {self.comparator} {self.value}{self.unit}"

    @property
    def value_text(self) -> str:
        """85.00 → "85", 78.50 → "78.5": as a person writes it."""
        return format(self.value.normalize(), "f")

    def attained_by(self, value) -> bool:
        """Whether `value` meets the target's level (obligations.attainment)."""
        return attainment.meets(comparator=self.comparator, target=self.value, value=value)


class IndicatorValue(models.Model):
    """A value reported for a target, for one region and one year."""

    target = models.ForeignKey(
        IndicatorTarget, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values"
    )
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.DecimalField(_("报送值"), max_digits=14, decimal_places=2)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    reported_at = models.DateTimeField(_("报送时间"), auto_now=True)

    class Meta:
        verbose_name = _("指标报送值")
        verbose_name_plural = _("指标报送值")
        ordering = ["target", "region", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "region", "year"], name="one_value_per_target_region_year"
            )
        ]

    def __str__(self):
        return f"{self.target.name} {self.region} {self.year}：{self.value_text}"

    @property
    def value_text(self) -> str:
        return format(self.value.normalize(), "f")

    @property
    def attained(self) -> bool | None:
        """Attained as obligations.attainment defines it; None when the target is not
        assessed in this value's year (a 2023 value of a target for 2025)."""
        target = self.target
        dated = target.per_year or target.due_year is not None
        if dated and not attainment.assessed_in(per_year=target.per_year,
                                                due_year=target.due_year, year=self.year):
            return None
        return target.attained_by(self.value)


class Reminder(models.Model):
    """One reminder per task, milestone and kind, ever: the sweep can run any number of times."""

    class Kind(models.TextChoices):
        YELLOW = "yellow", _("即将到期提醒")
        RED = "red", _("逾期提醒")
        ESCALATION = "escalation", _("逾期督办")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.milestone}"


__all__ = [
    "LIGHTS",
    "Reminder",
    "IndicatorTarget",
    "IndicatorValue",
    "Milestone",
    "RegionCategory",
    "TransitionRule",
]
