"""衔接资金 (issue 15): allocations, the project library, spending, and the assets projects
build — the figures the documents' funds rules are checked against (funds/rules.py).

Amounts are in 元 (Decimal, two places). Regions and units are the register's
(obligations.models); a project serves obligations of the register.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obligations.models import Obligation, Region, Unit

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def format_money(value) -> str:
    """An amount in 元 as pages, notices, flags and messages show it: 1,234,567.89."""
    from decimal import Decimal

    return f"{Decimal(value or 0):,.2f}"


class FundSource(models.TextChoices):
    """Where money comes from. 财政专项扶贫资金 is the old name of the 衔接资金 (000 二(二)):
    `SOURCE_ALIASES` maps it (and other spellings met in county sheets) to these values."""

    CENTRAL = "central", _("中央财政衔接推进乡村振兴补助资金")
    PROVINCIAL = "provincial", _("省级财政衔接推进乡村振兴补助资金")
    CITY = "city", _("市级财政衔接推进乡村振兴补助资金")
    COUNTY = "county", _("县级财政衔接推进乡村振兴补助资金")
    INTEGRATED = "integrated", _("统筹整合涉农资金")
    PAIRING = "pairing", _("对口帮扶资金")
    FUJIAN_PERMILLE = "fujian_permille", _("省级按上年地方一般公共预算收入2‰安排的资金")
    WORK_RELIEF = "work_relief", _("以工代赈资金")
    OTHER = "other", _("其他资金")


SOURCE_ALIASES = {
    "财政专项扶贫资金": FundSource.CENTRAL,
    "中央财政专项扶贫资金": FundSource.CENTRAL,
    "中央衔接资金": FundSource.CENTRAL,
    "省级衔接资金": FundSource.PROVINCIAL,
    "省衔接资金": FundSource.PROVINCIAL,
    "市级衔接资金": FundSource.CITY,
    "县级衔接资金": FundSource.COUNTY,
    "整合资金": FundSource.INTEGRATED,
    "涉农整合资金": FundSource.INTEGRATED,
    "东西部协作资金": FundSource.PAIRING,
    "对口帮扶资金": FundSource.PAIRING,
    "以工代赈": FundSource.WORK_RELIEF,
}


class Allocation(models.Model):
    """Money given by one region to another for a year (province → city → county)."""

    class Method(models.TextChoices):
        FACTOR = "factor", _("因素法")
        PROJECT = "project", _("项目法")

    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("资金来源"), max_length=20, choices=FundSource.choices)
    from_region = models.ForeignKey(Region, verbose_name=_("下达单位所在区划"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, verbose_name=_("接收区划"), on_delete=models.PROTECT,
                                  related_name="fund_allocations")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    method = models.CharField(_("分配方法"), max_length=10, choices=Method.choices,
                              default=Method.FACTOR)
    factors = models.JSONField(_("分配因素"), default=dict, blank=True,
                               help_text=_("因素法的因素及权重，如 {\"脱贫人口\": 0.4}"))
    doc_number = models.CharField(_("下达文号"), max_length=60, blank=True)
    allocated_on = models.DateField(_("下达日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("资金分配")
        verbose_name_plural = _("资金分配")
        ordering = ["-year", "to_region__path", "source"]
        indexes = [models.Index(fields=["to_region", "year"], name="allocation_region_year")]

    def __str__(self):
        return f"{self.year} {self.to_region} {self.get_source_display()} {self.amount}"


class RevenueBase(models.Model):
    """A region's 地方一般公共预算收入 of a year, entered by an administrator: the base of
    Fujian's 2‰ rule (002 (二十三))."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    general_budget_revenue = models.DecimalField(_("地方一般公共预算收入（元）"), **MONEY)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一般公共预算收入")
        verbose_name_plural = _("一般公共预算收入")
        constraints = [models.UniqueConstraint(fields=["region", "year"],
                                               name="unique_revenue_base")]

    def __str__(self):
        return f"{self.region} {self.year}"


class RuleThreshold(models.Model):
    """A number an administrator adds where a document gives only a direction (the industry
    share "逐步提高"), recorded with who set it and why."""

    rule = models.CharField(_("规则"), max_length=40)
    region = models.ForeignKey(Region, verbose_name=_("适用区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    value = models.DecimalField(_("门槛值"), max_digits=16, decimal_places=4)
    note = models.CharField(_("依据或说明"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"),
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规则门槛")
        verbose_name_plural = _("规则门槛")
        ordering = ["rule", "-set_at"]

    def __str__(self):
        return f"{self.rule} {self.value}"


class Project(models.Model):
    """A project of the county's library (项目库): declared by a village, reviewed up to the
    county, funded only from the library and only with its 绩效目标 (000 六(三))."""

    class Category(models.TextChoices):
        INDUSTRY = "industry", _("产业发展")
        INDUSTRY_INFRA = "industry_infra", _("产业配套基础设施")
        EMPLOYMENT = "employment", _("就业")
        RELOCATION = "relocation", _("易地搬迁后续扶持")
        INFRASTRUCTURE = "infrastructure", _("乡村基础设施")
        PUBLIC_SERVICE = "public_service", _("公共服务")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        DECLARED = "declared", _("申报")
        TOWNSHIP_REVIEWED = "township_reviewed", _("乡镇审核")
        COUNTY_APPROVED = "county_approved", _("县级论证审定")
        IN_LIBRARY = "in_library", _("入库")
        PLANNED = "planned", _("纳入年度计划")
        IMPLEMENTING = "implementing", _("实施")
        ACCEPTED = "accepted", _("验收")
        HANDED_OVER = "handed_over", _("资产移交")
        EVALUATED = "evaluated", _("绩效评价")
        RETURNED = "returned", _("退回")

    code = models.CharField(_("项目编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("入库年度"))
    region = models.ForeignKey(Region, verbose_name=_("实施地点"), on_delete=models.PROTECT,
                               related_name="fund_projects",
                               help_text=_("村、乡镇或县"))
    category = models.CharField(_("项目类别"), max_length=20, choices=Category.choices)
    counts_as_industry = models.BooleanField(_("计入产业发展"), default=False)
    content = models.TextField(_("建设内容"), blank=True)
    implementing_unit = models.ForeignKey(Unit, verbose_name=_("实施单位"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    responsible_person = models.CharField(_("责任人"), max_length=60, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    households = models.PositiveIntegerField(_("受益户数"), default=0)
    households_poverty_exit = models.PositiveIntegerField(_("其中脱贫户"), default=0)
    households_monitored = models.PositiveIntegerField(_("其中监测户"), default=0)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.DECLARED)
    returned_from = models.CharField(_("退回前状态"), max_length=20, choices=Status.choices,
                                     blank=True)
    obligations = models.ManyToManyField(Obligation, verbose_name=_("落实的责任事项"),
                                         blank=True, related_name="fund_projects")
    rolled_over_from = models.ForeignKey("self", verbose_name=_("上年结转自"), null=True,
                                         blank=True, on_delete=models.PROTECT,
                                         related_name="rolled_over_to")
    # 以工代赈: wages due to local workers and paid (004 二(四)3 asks for full payment)
    labour_wages_due = models.DecimalField(_("应发劳务报酬（元）"), default=0, **MONEY)
    labour_wages_paid = models.DecimalField(_("已发劳务报酬（元）"), default=0, **MONEY)
    # 绩效评价 (the last step): a score out of 100 and the reviewer's opinion
    evaluation_score = models.DecimalField(_("绩效评价得分"), max_digits=5, decimal_places=2,
                                           null=True, blank=True,
                                           validators=[MinValueValidator(0),
                                                       MaxValueValidator(100)])
    evaluation_note = models.CharField(_("绩效评价意见"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目库")
        ordering = ["-year", "region__path", "code"]
        constraints = [models.UniqueConstraint(fields=["year", "code"],
                                               name="unique_project_code_year")]
        indexes = [models.Index(fields=["region", "year", "status"], name="project_place")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def evaluation_grade(self) -> str:
        """优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 below (the usual 绩效评价 grades); '' before evaluation."""
        if self.evaluation_score is None:
            return ""
        for floor, grade in EVALUATION_GRADES:
            if self.evaluation_score >= floor:
                return str(grade)
        return ""


EVALUATION_GRADES = [(90, _("优")), (80, _("良")), (60, _("中")), (0, _("差"))]


class PerformanceTarget(models.Model):
    """A project's 绩效目标: output, effect or satisfaction indicators with target values."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("产出指标")
        EFFECT = "effect", _("效益指标")
        SATISFACTION = "satisfaction", _("满意度指标")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="targets")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    indicator = models.CharField(_("指标"), max_length=200)
    target_value = models.CharField(_("目标值"), max_length=100)
    achieved_value = models.CharField(_("完成值"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        ordering = ["project", "kind", "id"]

    def __str__(self):
        return f"{self.indicator} {self.target_value}"


class ProjectFunding(models.Model):
    """The amount a project gets from one source (a project is funded only from the library)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="fundings")
    source = models.CharField(_("资金来源"), max_length=20, choices=FundSource.choices)
    amount = models.DecimalField(_("安排金额（元）"), **MONEY)
    allocated_on = models.DateField(_("安排日期"))

    class Meta:
        verbose_name = _("项目资金安排")
        verbose_name_plural = _("项目资金安排")
        constraints = [models.UniqueConstraint(fields=["project", "source"],
                                               name="unique_project_source")]

    def __str__(self):
        return f"{self.project} {self.get_source_display()} {self.amount}"


class ProjectTransition(models.Model):
    """One step of a project's workflow, with who took it and why (退回 needs a reason)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=20, choices=Project.Status.choices,
                                   blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Project.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目流转记录")
        verbose_name_plural = _("项目流转记录")
        ordering = ["project", "at", "id"]

    def __str__(self):
        return f"{self.project} {self.from_status}→{self.to_status}"


class Spending(models.Model):
    """Money spent on a project in a month from one source (支出)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="spendings")
    source = models.CharField(_("资金来源"), max_length=20, choices=FundSource.choices)
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    amount = models.DecimalField(_("支出金额（元）"), **MONEY)

    class Meta:
        verbose_name = _("资金支出")
        verbose_name_plural = _("资金支出")
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "month"],
                                    name="unique_spending_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="spending_month_first_day"),
        ]

    def __str__(self):
        return f"{self.project} {self.month:%Y-%m} {self.amount}"


class Asset(models.Model):
    """An asset a project built (资产台账): 经营性 / 公益性 / 到户类 (001 第三章第六节)."""

    class Kind(models.TextChoices):
        OPERATING = "operating", _("经营性资产")
        PUBLIC = "public", _("公益性资产")
        HOUSEHOLD = "household", _("到户类资产")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("在用")
        DISPOSED = "disposed", _("已处置")

    project = models.ForeignKey(Project, verbose_name=_("来源项目"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="assets")
    code = models.CharField(_("资产编号"), max_length=40, unique=True)
    name = models.CharField(_("资产名称"), max_length=200)
    kind = models.CharField(_("资产类别"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在地"), on_delete=models.PROTECT,
                               related_name="fund_assets")
    value = models.DecimalField(_("资产价值（元）"), **MONEY)
    owner = models.CharField(_("所有权人"), max_length=100, blank=True,
                             help_text=_("非到户类资产默认归村集体（004 二(一)4）"))
    operator = models.CharField(_("经营主体"), max_length=100, blank=True)
    caretaker = models.CharField(_("管护主体"), max_length=100, blank=True)
    caretaker_person = models.CharField(_("管护责任人"), max_length=60, blank=True)
    caretaking_mode = models.CharField(_("管护方式"), max_length=100, blank=True)
    performance_target = models.CharField(_("绩效目标"), max_length=300, blank=True)
    exit_terms = models.CharField(_("退出条款"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.IN_USE)
    disposed_on = models.DateField(_("处置日期"), null=True, blank=True)
    disposal_approval = models.CharField(_("处置审批文件"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资产")
        verbose_name_plural = _("资产台账")
        ordering = ["region__path", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class AssetIncome(models.Model):
    """A year's income from an asset and one use it was put to (收益分配)."""

    class Use(models.TextChoices):
        POVERTY_HOUSEHOLDS = "households", _("帮扶脱贫户、监测户")
        PUBLIC_JOBS = "public_jobs", _("设置公益岗位")
        VILLAGE_PUBLIC = "village_public", _("村级公益事业")
        MAINTENANCE = "maintenance", _("资产管护")
        COLLECTIVE = "collective", _("壮大村集体经济")
        OTHER = "other", _("其他用途")

    asset = models.ForeignKey(Asset, verbose_name=_("资产"), on_delete=models.CASCADE,
                              related_name="incomes")
    year = models.PositiveSmallIntegerField(_("年度"))
    use = models.CharField(_("用途"), max_length=20, choices=Use.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)

    class Meta:
        verbose_name = _("资产收益")
        verbose_name_plural = _("资产收益")
        ordering = ["asset", "year", "use"]

    def __str__(self):
        return f"{self.asset} {self.year} {self.get_use_display()} {self.amount}"


class LandQuotaProceeds(models.Model):
    """城乡建设用地增减挂钩节余指标 proceeds of a county in a year, and how much went back to
    rural revitalisation (004 二(四)3: fully returned)."""

    region = models.ForeignKey(Region, verbose_name=_("县"), on_delete=models.PROTECT,
                               related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    proceeds = models.DecimalField(_("节余指标交易收益（元）"), **MONEY)
    returned = models.DecimalField(_("已用于巩固衔接（元）"), **MONEY)

    class Meta:
        verbose_name = _("增减挂钩收益")
        verbose_name_plural = _("增减挂钩收益")
        constraints = [models.UniqueConstraint(fields=["region", "year"],
                                               name="unique_land_quota_year")]

    def __str__(self):
        return f"{self.region} {self.year}"
