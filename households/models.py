"""防止返贫动态监测 (issue 16): households, their members, the monitoring lines, the cases
that take a household from 线索 to 已消除风险, and the 一户一策 measures.

Personal data: a member's 身份证号, phone and bank account are stored only as SM4-GCM
ciphertext (households/crypto.py) with an HMAC-SM3 blind index for the 身份证号 and a masked
copy for display (households/masking.py); the plaintext is never in a column. Names are
stored as typed (a notice carries them) and masked where a page does not need them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from obligations.models import Obligation, Region, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}


class Household(models.Model):
    class BaseStatus(models.TextChoices):
        POVERTY_EXIT = "poverty_exit", _("脱贫户")
        ORDINARY = "ordinary", _("一般农户")
        EXIT_NO_POLICY = "exit_no_policy", _("脱贫不享受政策户")

    code = models.CharField(_("户编号"), max_length=40, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("所在村"), on_delete=models.PROTECT,
                               related_name="households")
    head_name = models.CharField(_("户主姓名"), max_length=40)
    base_status = models.CharField(_("户类型"), max_length=20, choices=BaseStatus.choices,
                                   default=BaseStatus.ORDINARY)
    relocated = models.BooleanField(_("易地扶贫搬迁户"), default=False)
    group = models.CharField(_("村民小组"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["region__path", "code"]

    def __str__(self):
        return self.code


class Member(models.Model):
    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙辈")
        OTHER = "other", _("其他")

    class Health(models.TextChoices):
        HEALTHY = "healthy", _("健康")
        CHRONIC = "chronic", _("长期慢性病")
        SERIOUS = "serious", _("大病")
        DISABLED = "disabled", _("残疾")

    class WorkCapacity(models.TextChoices):
        FULL = "full", _("普通劳动力")
        WEAK = "weak", _("弱劳动力或半劳动力")
        NONE = "none", _("无劳动力")
        NOT_WORKING_AGE = "not_working_age", _("非劳动年龄")

    class Schooling(models.TextChoices):
        NONE = "", _("不在学")
        PRESCHOOL = "preschool", _("学前教育")
        COMPULSORY = "compulsory", _("义务教育在校")
        HIGH_SCHOOL = "high_school", _("高中或中职在校")
        COLLEGE = "college", _("全日制大学在校")
        OUT_OF_SCHOOL = "out_of_school", _("义务教育阶段失学辍学")

    household = models.ForeignKey(Household, verbose_name=_("农户"), on_delete=models.CASCADE,
                                  related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    relation = models.CharField(_("与户主关系"), max_length=20, choices=Relation.choices)
    sex = models.CharField(_("性别"), max_length=2, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    # 身份证号: ciphertext, blind index, masked copy. The index is unique: one person is in one
    # household (a second registration anywhere is refused, found without decrypting).
    id_number_cipher = models.TextField(_("身份证号（密文）"), editable=False)
    id_number_index = models.CharField(_("身份证号索引（HMAC-SM3）"), max_length=64, unique=True,
                                       editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=20, editable=False)
    phone_cipher = models.TextField(_("电话（密文）"), blank=True, editable=False)
    phone_masked = models.CharField(_("电话"), max_length=20, blank=True, editable=False)
    bank_cipher = models.TextField(_("银行账号（密文）"), blank=True, editable=False)
    bank_masked = models.CharField(_("银行账号"), max_length=30, blank=True, editable=False)
    health = models.CharField(_("健康状况"), max_length=20, choices=Health.choices,
                              default=Health.HEALTHY)
    disability_level = models.CharField(_("残疾等级"), max_length=10, blank=True)
    work_capacity = models.CharField(_("劳动能力"), max_length=20, choices=WorkCapacity.choices,
                                     default=WorkCapacity.FULL)
    schooling = models.CharField(_("在校情况"), max_length=20, choices=Schooling.choices,
                                 blank=True)
    out_of_school_for_health = models.BooleanField(_("因身体原因不能上学"), default=False)
    employed = models.BooleanField(_("务工就业"), default=False)
    medical_insured = models.BooleanField(_("参加基本医疗保险"), default=True)
    insurance_paid_by_government = models.BooleanField(_("政府代缴（资助参保）"), default=False)
    in_dibao = models.BooleanField(_("纳入低保"), default=False)
    in_tekun = models.BooleanField(_("纳入特困供养"), default=False)
    stable_income = models.BooleanField(_("有稳定收入"), default=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household", "id"]

    def __str__(self):
        return f"{self.household_id} {self.id_number_masked}"


class IncomeRecord(models.Model):
    """A household's income and rigid spending over 12 months ending in `period_end` (003
    附件1: the income window), with the people it is divided by."""

    household = models.ForeignKey(Household, verbose_name=_("农户"), on_delete=models.CASCADE,
                                  related_name="incomes")
    period_end = models.DateField(_("统计截止月"))
    net_income = models.DecimalField(_("家庭纯收入（元）"), **MONEY)
    rigid_spending = models.DecimalField(_("刚性支出（元）"), default=0,
                                         validators=[MinValueValidator(0)], **MONEY)
    people = models.PositiveSmallIntegerField(_("家庭人口"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("家庭收支")
        verbose_name_plural = _("家庭收支")
        ordering = ["household", "-period_end"]
        constraints = [models.UniqueConstraint(fields=["household", "period_end"],
                                               name="one_income_per_period")]

    def __str__(self):
        return f"{self.household_id} {self.period_end:%Y-%m}"

    @property
    def per_capita(self):
        return (self.net_income - self.rigid_spending) / self.people


class MonitoringLine(models.Model):
    """The monitoring line of a region from a year on, as a document defines it: a base amount
    and a yearly rise (compounding or not — an administrator's reading, shown with the
    clause). 004 二(一)2: 6,600 元 rising 10 % a year; 003 附件1: about 1.5× the national line
    (5,000 元 as the 2019–2020 reference); 002 (五): the local 低保 standard."""

    region = models.ForeignKey(Region, verbose_name=_("适用区划"), on_delete=models.PROTECT,
                               related_name="+")
    base_year = models.PositiveSmallIntegerField(_("基准年度"))
    base_amount = models.DecimalField(_("基准线（元/人·年）"), **MONEY)
    yearly_rise = models.DecimalField(_("每年提高比例"), max_digits=5, decimal_places=4,
                                      default=0, help_text=_("如 0.10 表示每年提高10%"))
    compound = models.BooleanField(_("按复利逐年提高"), default=True)
    document = models.CharField(_("依据文件"), max_length=200)
    clause = models.CharField(_("条款"), max_length=60)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True,
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测标准")
        verbose_name_plural = _("监测标准")
        ordering = ["region__path", "-base_year"]

    def __str__(self):
        return f"{self.region} {self.base_year} {self.base_amount}"


class Case(models.Model):
    """One household's way through the procedure (001 第三章第一节, 003 附件1, 004 二(一)2)."""

    class Status(models.TextChoices):
        CLUE = "clue", _("线索")
        VERIFIED = "verified", _("入户核实")
        COMPARED = "compared", _("部门信息比对")
        PUBLICIZED = "publicized", _("民主评议和公示")
        TOWNSHIP_REVIEWED = "township_reviewed", _("乡镇审核")
        MONITORING = "monitoring", _("监测帮扶中")
        PROPOSED_ELIMINATION = "proposed_elimination", _("拟消除风险")
        ELIMINATED = "eliminated", _("已消除风险")
        RETURNED = "returned", _("退回")
        REJECTED = "rejected", _("不予纳入")

    class Channel(models.TextChoices):
        APPLICATION = "application", _("农户自主申报")
        DATA_MATCH = "data_match", _("部门筛查预警")
        VISIT = "visit", _("基层干部排查")

    class Category(models.TextChoices):
        UNSTABLE = "unstable", _("脱贫不稳定户")
        EDGE = "edge", _("边缘易致贫户")
        SUDDEN = "sudden", _("突发严重困难户")

    class Risk(models.TextChoices):
        ILLNESS = "illness", _("因病")
        DISABILITY = "disability", _("因残")
        SCHOOLING = "schooling", _("因学")
        DISASTER = "disaster", _("因灾")
        ACCIDENT = "accident", _("因意外事故")
        UNEMPLOYMENT = "unemployment", _("因失业或务工就业不稳")
        INDUSTRY = "industry", _("因产业项目失败")
        HOUSING = "housing", _("住房出现安全问题")
        WATER = "water", _("饮水安全问题")
        OTHER = "other", _("其他")

    household = models.ForeignKey(Household, verbose_name=_("农户"), on_delete=models.PROTECT,
                                  related_name="cases")
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices,
                              default=Status.CLUE)
    channel = models.CharField(_("线索来源"), max_length=20, choices=Channel.choices)
    category = models.CharField(_("监测对象类别"), max_length=20, choices=Category.choices)
    risk = models.CharField(_("主要风险"), max_length=20, choices=Risk.choices)
    opened_on = models.DateField(_("发现日期"))
    comparison = models.JSONField(_("部门比对结果"), default=dict, blank=True,
                                  help_text=_("{部门: 结果}"))
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示天数"), default=5)
    confirmed_on = models.DateField(_("纳入监测日期"), null=True, blank=True)
    eliminated_on = models.DateField(_("消除风险日期"), null=True, blank=True)
    returned_from = models.CharField(_("退回前状态"), max_length=30, choices=Status.choices,
                                     blank=True)
    two_assurances_secured = models.BooleanField(_("两不愁三保障及饮水安全有保障"),
                                                 default=False)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测对象认定")
        verbose_name_plural = _("监测对象认定")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"], name="case_status_age")]

    def __str__(self):
        return f"{self.household_id} {self.get_status_display()}"


class CaseStep(models.Model):
    """One step of a case, with who took it, when and why (退回、不予纳入 need a reason)."""

    case = models.ForeignKey(Case, verbose_name=_("认定"), on_delete=models.CASCADE,
                             related_name="steps")
    from_status = models.CharField(_("原状态"), max_length=30, choices=Case.Status.choices,
                                   blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, choices=Case.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                              on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认定流转记录")
        verbose_name_plural = _("认定流转记录")
        ordering = ["case", "at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.from_status}→{self.to_status}"


class Measure(models.Model):
    """一户一策: one assistance measure for a monitored household."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("产业帮扶")
        EMPLOYMENT = "employment", _("就业帮扶")
        PUBLIC_JOB = "public_job", _("公益性岗位")
        EDUCATION = "education", _("教育帮扶（控辍保学）")
        MEDICAL = "medical", _("医疗保障（分类资助参保）")
        HOUSING = "housing", _("住房安全保障")
        WATER = "water", _("饮水安全保障")
        DIBAO = "dibao", _("兜底保障（低保）")
        TEKUN = "tekun", _("兜底保障（特困供养）")
        MICROCREDIT = "microcredit", _("小额信贷")
        INSURANCE = "insurance", _("防贫保险")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        ONGOING = "ongoing", _("实施中")
        DONE = "done", _("已落实")

    case = models.ForeignKey(Case, verbose_name=_("认定"), on_delete=models.CASCADE,
                             related_name="measures")
    kind = models.CharField(_("帮扶类型"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("帮扶内容"), max_length=300)
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    class Subsidy(models.TextChoices):
        NONE = "", _("—")
        FULL = "full", _("全额资助参保")
        FIXED = "fixed", _("定额资助参保")

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    subsidy = models.CharField(_("医疗保险参保资助"), max_length=10, choices=Subsidy.choices,
                               blank=True, help_text=_("医疗保障措施：全额或定额资助参保"))
    obligation = models.ForeignKey(Obligation, verbose_name=_("依据的责任事项"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    funds_project = models.ForeignKey("funds.Project", verbose_name=_("资金项目"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["case", "starts_on", "id"]

    def __str__(self):
        return f"{self.case_id} {self.get_kind_display()}"


class ScreeningDuty(models.Model):
    """A round the documents ask for in a county: 004 二(一)2 "村每月摸排、乡镇每季度审核"; 002 (六)
    the sector departments' monthly 筛查 and quarterly 研判. Configured per county (an
    administrator's reading of its document), linked to the obligation that demands it."""

    class Kind(models.TextChoices):
        VILLAGE_MONTHLY = "village_monthly", _("村每月摸排")
        TOWNSHIP_QUARTERLY = "township_quarterly", _("乡镇每季度审核")
        SECTOR_MONTHLY = "sector_monthly", _("行业部门每月筛查")
        SECTOR_QUARTERLY = "sector_quarterly", _("行业部门每季度研判")

    region = models.ForeignKey(Region, verbose_name=_("县"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("工作"), max_length=30, choices=Kind.choices)
    starts_on = models.DateField(_("起始月"))
    obligation = models.ForeignKey(Obligation, verbose_name=_("依据的责任事项"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    clause = models.CharField(_("依据条款"), max_length=100)

    class Meta:
        verbose_name = _("排查工作要求")
        verbose_name_plural = _("排查工作要求")
        constraints = [models.UniqueConstraint(fields=["region", "kind"],
                                               name="one_duty_per_kind")]

    def __str__(self):
        return f"{self.region} {self.get_kind_display()}"

    @property
    def months(self) -> int:
        return 3 if self.kind.endswith("quarterly") else 1


class ScreeningRound(models.Model):
    """One round done: a village's 摸排 of a month, a township's 审核 of a quarter (`period` is
    the first day of the month or quarter), with what it found."""

    duty = models.ForeignKey(ScreeningDuty, verbose_name=_("工作要求"), on_delete=models.PROTECT,
                             related_name="rounds")
    region = models.ForeignKey(Region, verbose_name=_("村或乡镇"), on_delete=models.PROTECT,
                               related_name="+")
    period = models.DateField(_("月份或季度"))
    done_on = models.DateField(_("完成日期"))
    households_checked = models.PositiveIntegerField(_("排查户数"), default=0)
    clues = models.PositiveIntegerField(_("发现线索"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True,
                           on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("排查记录")
        verbose_name_plural = _("排查记录")
        ordering = ["-period", "region__path"]
        constraints = [models.UniqueConstraint(fields=["duty", "region", "period"],
                                               name="one_round_per_period")]

    def __str__(self):
        return f"{self.region} {self.period:%Y-%m}"


class EliminationRule(models.Model):
    """The conditions of 风险消除 for a region and what lies under it, an administrator's
    reading of the documents (the nearest region's rule applies; settings
    HOUSEHOLD_ELIMINATION where none is set)."""

    region = models.OneToOneField(Region, verbose_name=_("适用区划"), on_delete=models.PROTECT,
                                  related_name="+")
    months_stable = models.PositiveSmallIntegerField(_("收入稳定超过监测标准的月数"), default=6)
    needs_assurances = models.BooleanField(_("须两不愁三保障及饮水安全有保障"), default=True)
    min_measures_done = models.PositiveSmallIntegerField(_("至少已落实的帮扶措施数"), default=1)
    clause = models.CharField(_("依据"), max_length=200, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True,
                               on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("风险消除条件")
        verbose_name_plural = _("风险消除条件")

    def __str__(self):
        return f"{self.region}"
