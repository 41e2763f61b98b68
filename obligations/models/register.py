"""The obligation register: regions, units, documents, obligations and tasks.

The vocabulary follows DESIGN.md §2. Names of units are kept exactly as the
documents write them (ObligationUnit.written_name) beside the concrete unit or
collective unit they resolve to, so that the register can always be read back
in the words of the document.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A node of the administrative tree: province → city → county → township → village."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市（州）级")
        COUNTY = "county", _("县（区）级")
        TOWNSHIP = "township", _("乡（镇）级")
        VILLAGE = "village", _("村级")

    code = models.CharField(_("区划代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of codes ("630000/632200/632221/"): a subtree is one
    # indexed prefix match, which every scope query joins on.
    path = models.CharField(_("路径"), max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
        super().save(*args, **kwargs)


class RegionCategory(models.Model):
    """A county category in a given year (脱贫县, 重点帮扶县); it decides which rules apply."""

    class Category(models.TextChoices):
        POVERTY_EXIT = "poverty_exit", _("脱贫县")
        NATIONAL_KEY = "national_key", _("国家乡村振兴重点帮扶县")
        PROVINCIAL_KEY = "provincial_key", _("省级乡村振兴重点帮扶县")

    region = models.ForeignKey(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="categories"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)

    class Meta:
        verbose_name = _("县域类别")
        verbose_name_plural = _("县域类别")
        ordering = ["region__path", "year", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "category"], name="unique_region_category_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="region_category_year_sane"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.year} {self.get_category_display()}"


class Unit(models.Model):
    """A concrete unit that can hold a task: a department, a division, a company, a group."""

    class Kind(models.TextChoices):
        PARTY = "party", _("党委及其部门")
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        DIVISION = "division", _("内设处室")
        STATE_COMPANY = "state_company", _("国有企业")
        FINANCIAL = "financial", _("金融机构")
        GROUP = "group", _("领导小组或协作组")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="units"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("成员单位"),
        symmetrical=False,
        blank=True,
        related_name="groups",
        help_text=_("仅对领导小组等“组”类单位有意义"),
    )
    needs_review = models.BooleanField(
        _("待核实"), default=False, help_text=_("导入文件时自动新建的单位，需管理员核实")
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_unit_name_in_region")
        ]

    def __str__(self):
        return f"{self.name}（{self.region}）"


class UnitAlias(models.Model):
    """Another name of a unit: an abbreviation (社保处) or a former name kept after a rename."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("简称")
        FORMER_NAME = "former_name", _("曾用名")
        VARIANT = "variant", _("其他写法")

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("别名"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_alias_per_unit")
        ]

    def __str__(self):
        return f"{self.name} → {self.unit.name}"


class UnitRename(models.Model):
    """The record of a rename (扶贫办 → 乡村振兴局): the unit, its tasks and history stay."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="renames"
    )
    old_name = models.CharField(_("原名称"), max_length=100)
    new_name = models.CharField(_("新名称"), max_length=100)
    renamed_on = models.DateField(_("更名日期"))
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("单位更名记录")
        verbose_name_plural = _("单位更名记录")
        ordering = ["unit", "renamed_on"]

    def __str__(self):
        return f"{self.old_name} → {self.new_name}（{self.renamed_on}）"


class CollectiveUnit(models.Model):
    """A reference to a set of units as written ("各乡（镇）", "县扶贫开发领导小组成员单位").

    It expands into concrete units by one of three rules: the units at given
    region levels under `region` (optionally of one kind, or whose name ends with
    a suffix, e.g. "各市（州）、县财政局"); the members of a group unit; or the
    child units of a parent unit ("厅各相关处室").
    """

    class Mode(models.TextChoices):
        REGION = "region", _("按区划层级展开")
        GROUP = "group", _("按领导小组成员展开")
        CHILDREN = "children", _("按下属单位展开")
        UNDEFINED = "undefined", _("尚未配置")

    name = models.CharField(_("名称（原文写法）"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("适用区划"), on_delete=models.PROTECT, related_name="collectives"
    )
    mode = models.CharField(_("展开方式"), max_length=10, choices=Mode.choices)
    levels = models.JSONField(_("区划层级"), default=list, blank=True)
    unit_kind = models.CharField(
        _("单位类型"), max_length=20, choices=Unit.Kind.choices, blank=True
    )
    name_suffix = models.CharField(_("单位名称后缀"), max_length=20, blank=True)
    group = models.ForeignKey(
        Unit,
        verbose_name=_("领导小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent_unit = models.ForeignKey(
        Unit,
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("集合单位")
        verbose_name_plural = _("集合单位")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="unique_collective_name_in_region"
            ),
            models.CheckConstraint(
                condition=~Q(mode="group") | Q(group__isnull=False),
                name="collective_group_mode_has_group",
            ),
            models.CheckConstraint(
                condition=~Q(mode="children") | Q(parent_unit__isnull=False),
                name="collective_children_mode_has_parent",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.region}）"


class Person(models.Model):
    """A named person: a 责任领导 or 责任人."""

    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_person_in_region")
        ]

    def __str__(self):
        return self.name


class PolicyDocument(models.Model):
    class Level(models.TextChoices):
        CENTRAL = "central", _("中央")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        DEPARTMENT = "department", _("部门")
        # The issuer was not recognised: a real value, never "" (the API schema names it).
        UNKNOWN = "unknown", _("未识别")

    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    level = models.CharField(
        _("层级"), max_length=12, choices=Level.choices, default=Level.UNKNOWN
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("适用区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    issued_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    # The period the document was issued for (过渡期, 常态化帮扶…): its deadlines, check-ins
    # and in-force rules run to that period's end. Set on save when not given.
    period = models.ForeignKey(
        "obligations.Period", verbose_name=_("所属时期"), on_delete=models.PROTECT,
        related_name="documents",
    )
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("贯彻落实的文件"),
        symmetrical=False,
        blank=True,
        related_name="implemented_by",
    )
    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        QUARTERLY = "quarterly", _("每季度")
        SEMIANNUAL = "semiannual", _("每半年")
        ANNUAL = "annual", _("每年")

    # How often a 长期坚持 obligation is checked on (DESIGN.md §3.2: quarterly by default).
    checkin_frequency = models.CharField(
        _("长期坚持事项的调度频次"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    attachments = models.JSONField(_("附件"), default=list, blank=True,
                                   help_text=_("文件所附的附件标题，如“附件1：监测对象认定标准”"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["issued_year", "issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~Q(doc_number=""),
                name="unique_doc_number_when_given",
            ),
            # Issue 13 item 8: never "" (an unrecognised issuer is "unknown").
            models.CheckConstraint(
                condition=Q(level__in=["central", "province", "city", "county", "department", "unknown"]),
                name="document_level_is_a_choice",
            ),
        ]

    def __str__(self):
        return f"{self.doc_number} {self.title}".strip()

    def save(self, *args, **kwargs):
        if self.period_id is None:
            from .periods import Period

            self.period = Period.for_document(self)
        super().save(*args, **kwargs)


class Obligation(models.Model):
    """One numbered element of a document: a heading (group) or a measure."""

    class Kind(models.TextChoices):
        GROUP = "group", _("章节标题")
        MEASURE = "measure", _("措施")

    document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("文件"),
        on_delete=models.CASCADE,
        related_name="obligations",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("编号"), max_length=60, help_text=_("序号路径，如 二.(三)、第三章第一节")
    )
    position = models.PositiveIntegerField(_("顺序"))
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("全文"), blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=200, blank=True)
    # The deadline words turned into a structure (obligations.deadlines.DeadlineSpec).
    deadline = models.JSONField(_("完成时限（解析）"), default=dict, blank=True)
    # Fushun 二.(三).5: several clauses of one measure, each with its own units.
    clauses = models.JSONField(_("分项条款"), default=list, blank=True)
    # A revised document that no longer has the measure: kept with its tasks and history.
    withdrawn_on = models.DateField(_("停止执行日期"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("停止执行原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("责任事项")
        verbose_name_plural = _("责任事项")
        ordering = ["document", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "code"], name="unique_code_in_document")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ObligationUnit(models.Model):
    """A unit named by an obligation, as written, and what it resolves to."""

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头")
        SUPPORT = "support", _("配合")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="unit_refs"
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    written_name = models.CharField(_("原文写法"), max_length=100)
    wording = models.CharField(
        _("原文措辞"),
        max_length=20,
        blank=True,
        help_text=_("共同牵头、牵头、负责、分别负责、参与…"),
    )
    position = models.PositiveSmallIntegerField(_("顺序"))
    clause = models.PositiveSmallIntegerField(_("条款序号"), null=True, blank=True)
    # True when the unit comes from a document-wide rule (004: 各县区落实), not the measure's clause.
    from_rule = models.BooleanField(_("来自通用规定"), default=False)
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    collective = models.ForeignKey(
        CollectiveUnit,
        verbose_name=_("集合单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )

    class Meta:
        verbose_name = _("事项单位")
        verbose_name_plural = _("事项单位")
        ordering = ["obligation", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(collective__isnull=True),
                name="obligation_unit_one_target",
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}：{self.written_name}"


class ObligationPerson(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("责任领导")
        PERSON = "person", _("责任人")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="person_refs"
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    written_name = models.CharField(_("原文写法"), max_length=50)
    position = models.PositiveSmallIntegerField(_("顺序"))
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("责任人员")
        verbose_name_plural = _("责任人员")
        ordering = ["obligation", "role", "position"]

    def __str__(self):
        return f"{self.get_role_display()}：{self.written_name}"


class DataFlag(models.Model):
    """A data problem found in a document: kept and shown, never silently merged or dropped."""

    class Kind(models.TextChoices):
        OCR = "ocr", _("OCR识别问题")
        NUMBERING = "numbering", _("序号问题")
        TABLE_MISMATCH = "table_mismatch", _("清单与正文不一致")
        TABLE_MISSING = "table_missing", _("清单缺行")
        NO_LEAD_UNIT = "no_lead_unit", _("未明确责任单位")
        UNKNOWN_UNIT = "unknown_unit", _("单位待核实")
        AMBIGUOUS_UNITS = "ambiguous_units", _("责任单位不明确")
        DEADLINE = "deadline", _("完成时限问题")
        HEADING = "heading", _("标题与正文粘连")
        METADATA = "metadata", _("文件信息缺失")
        RULE_CONFLICT = "rule_conflict", _("规则冲突")

    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("文件"), on_delete=models.CASCADE, related_name="flags"
    )
    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("说明"))
    resolved = models.BooleanField(_("已处理"), default=False)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据问题")
        verbose_name_plural = _("数据问题")
        ordering = ["document", "obligation__position", "id"]

    def __str__(self):
        return self.message


class Task(models.Model):
    """One concrete unit's duty on one obligation: the thing whose status is reported."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        ONGOING = "ongoing", _("长期坚持")
        LAGGING = "lagging", _("滞后")

    obligation = models.ForeignKey(
        Obligation, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="tasks"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="tasks"
    )
    role = models.CharField(_("角色"), max_length=10, choices=ObligationUnit.Role.choices)
    source = models.ForeignKey(
        ObligationUnit,
        verbose_name=_("来源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    light = models.CharField(
        _("亮灯"),
        max_length=6,
        choices=[("red", _("红灯")), ("yellow", _("黄灯")), ("green", _("绿灯")), ("done", _("已完成")),
                 ("ended", _("期满"))],
        default="green",
        db_default="green",
    )
    # False once its document's period has ended (obligations.periods defines it; the sweep
    # stores it): the task leaves the live lists, lights, dashboards and review queue.
    live = models.BooleanField(_("当期任务"), default=True, db_default=True)
    # Bumped by every change: a form saved against an older version is refused (no lost updates).
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["obligation", "role", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "unit"], name="one_task_per_unit")
        ]

    def __str__(self):
        return f"{self.unit.name}：{self.obligation}"


class Membership(models.Model):
    """A user's place: a unit and a role. Scope (issue 5) is derived from it in one place."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("填报人")
        SUPERVISOR = "supervisor", _("审核人")
        LEADER = "leader", _("领导")
        ADMIN = "admin", _("管理员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
        help_text=_("填报人、审核人所在单位；只读的领导或接口客户端可不填"),
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("审核人、领导所管的区划（含下级）；填报人可不填"),
    )

    class Meta:
        verbose_name = _("用户岗位")
        verbose_name_plural = _("用户岗位")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")
        ]

    def __str__(self):
        where = self.unit.name if self.unit_id else (self.region.name if self.region_id else "")
        return f"{self.user} · {where} · {self.get_role_display()}"
