"""Serializers: shapes only. Every field carries a Chinese description for the OpenAPI schema
(taken from the model's verbose name when the field has no help text of its own)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from obligations import models
from obligations.models.schedule import LIGHTS


class DescribedSerializer(serializers.ModelSerializer):
    def build_field(self, field_name, info, model_class, nested_depth):
        field_class, kwargs = super().build_field(field_name, info, model_class, nested_depth)
        try:
            model_field = model_class._meta.get_field(field_name)
        except Exception:  # noqa: BLE001 - properties and reverse relations have no model field
            return field_class, kwargs
        if not kwargs.get("help_text") and getattr(model_field, "verbose_name", None):
            kwargs["help_text"] = str(model_field.verbose_name)
        return field_class, kwargs


class RegionSerializer(DescribedSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text=_("上级区划代码"))

    class Meta:
        model = models.Region
        fields = ["id", "code", "name", "level", "parent"]


class AliasSerializer(DescribedSerializer):
    class Meta:
        model = models.UnitAlias
        fields = ["name", "kind"]


class RenameSerializer(DescribedSerializer):
    class Meta:
        model = models.UnitRename
        fields = ["old_name", "new_name", "renamed_on"]


class UnitSerializer(DescribedSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                          help_text=_("所在区划代码"))
    aliases = AliasSerializer(many=True, read_only=True, help_text=_("简称、曾用名等别名"))
    renames = RenameSerializer(many=True, read_only=True, help_text=_("更名记录"))

    class Meta:
        model = models.Unit
        fields = ["id", "name", "region", "kind", "parent", "aliases", "renames"]


class DocumentSerializer(DescribedSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text=_("适用区划代码"))
    implements = serializers.SlugRelatedField(slug_field="doc_number", many=True, read_only=True,
                                              help_text=_("贯彻落实的文件文号"))

    period = serializers.CharField(source="period.short_name", read_only=True,
                                   help_text=_("所属时期（过渡期、常态化帮扶）"))
    period_id = serializers.IntegerField(read_only=True, help_text=_("所属时期编号"))

    class Meta:
        model = models.PolicyDocument
        fields = ["id", "doc_number", "title", "issuer", "level", "region", "issued_on",
                  "issued_year", "implements", "period", "period_id"]


class ObligationSerializer(serializers.Serializer):
    """One measure as the register export writes it (DESIGN.md §5)."""

    id = serializers.IntegerField(help_text=_("事项编号（系统内）"))
    document = serializers.DictField(help_text=_("所属文件：文号、标题、发文机关、印发日期"))
    code = serializers.CharField(help_text=_("序号路径，如 二.(三)"))
    parent_code = serializers.CharField(allow_null=True, help_text=_("上级标题的序号"))
    parent_title = serializers.CharField(allow_null=True, help_text=_("上级标题"))
    title = serializers.CharField(help_text=_("标题"))
    text = serializers.CharField(help_text=_("原文"))
    lead_units = serializers.ListField(child=serializers.CharField(), help_text=_("牵头（责任）单位，原文写法"))
    supporting_units = serializers.ListField(child=serializers.CharField(), help_text=_("配合单位，原文写法"))
    also_implemented_by = serializers.ListField(child=serializers.CharField(),
                                                help_text=_("按文件通用规定也须落实的单位"))
    clauses = serializers.ListField(child=serializers.DictField(), help_text=_("分项条款及各自的责任单位"))
    responsible_leaders = serializers.ListField(child=serializers.CharField(), help_text=_("责任领导"))
    responsible_persons = serializers.ListField(child=serializers.CharField(), help_text=_("责任人"))
    deadline_text = serializers.CharField(help_text=_("完成时限（原文）"))
    deadline = serializers.DictField(allow_null=True, help_text=_("完成时限（解析结构）"))
    targets = serializers.ListField(child=serializers.DictField(), help_text=_("指标目标"))
    flags = serializers.ListField(child=serializers.CharField(), help_text=_("数据问题"))
    dispositions = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("收尾处置（您范围内各单位的任务）：单位、处置方式、说明、新时期对应措施"))
    predecessors = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("本措施承接的上一时期措施（您范围内）：文号、编号、标题、单位、处置方式"))


class TaskSerializer(DescribedSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True, help_text=_("单位名称"))
    unit_id = serializers.IntegerField(read_only=True, help_text=_("单位编号"))
    obligation_code = serializers.CharField(source="obligation.code", read_only=True,
                                            help_text=_("事项序号路径"))
    obligation_title = serializers.CharField(source="obligation.title", read_only=True,
                                             help_text=_("事项标题"))
    document = serializers.CharField(source="obligation.document.doc_number", read_only=True,
                                     help_text=_("文件文号"))

    light = serializers.ChoiceField(source="current_light", choices=LIGHTS, read_only=True,
                                    help_text=_("亮灯（按截止日期和节点状态，当日计算）"))
    next_due = serializers.DateField(read_only=True, allow_null=True,
                                     help_text=_("下一个待报送节点的截止日期"))
    period = serializers.CharField(source="obligation.document.period.short_name", read_only=True,
                                   help_text=_("所属时期"))
    live = serializers.BooleanField(read_only=True, help_text=_("是否当期任务（所属时期未结束）"))
    disposition = serializers.ChoiceField(
        source="disposition.kind", read_only=True, allow_null=True, default=None,
        choices=models.Disposition.Kind.choices, help_text=_("收尾处置方式（所属时期结束后）"))
    successor = serializers.IntegerField(source="disposition.successor_id", read_only=True,
                                         allow_null=True, default=None,
                                         help_text=_("新时期对应措施（事项编号）"))

    class Meta:
        model = models.Task
        fields = ["id", "obligation", "obligation_code", "obligation_title", "document", "unit",
                  "unit_id", "role", "status", "light", "next_due", "version", "updated_at",
                  "period", "live", "disposition", "successor"]


class PeriodSerializer(DescribedSerializer):
    class Meta:
        model = models.Period
        fields = ["id", "name", "short_name", "kind", "start", "end", "region"]


class DispositionSerializer(DescribedSerializer):
    unit = serializers.CharField(source="task.unit.name", read_only=True, help_text=_("单位名称"))
    obligation = serializers.IntegerField(source="task.obligation_id", read_only=True,
                                          help_text=_("原事项编号"))

    class Meta:
        model = models.Disposition
        fields = ["id", "task", "obligation", "unit", "kind", "reason", "successor", "decided_at",
                  "corrections"]


class DispositionCreateSerializer(serializers.Serializer):
    tasks = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1,
                                  max_length=5000, help_text=_("要处置的任务编号"))
    kind = serializers.ChoiceField(choices=models.Disposition.Kind.choices,
                                   help_text=_("处置方式"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                   help_text=_("说明；退出须写明理由"))
    successor = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                         help_text=_("新时期对应措施的事项编号（延续、优化、调整）"))
    correction = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                       help_text=_("更正已处置的任务时填写原因"))


class MilestoneSerializer(DescribedSerializer):
    light = serializers.ChoiceField(source="current_light", choices=LIGHTS, read_only=True,
                                    help_text=_("亮灯（按截止日期和节点状态，当日计算）"))

    class Meta:
        model = models.Milestone
        fields = ["id", "task", "due_on", "kind", "status", "light"]


class EvidenceSerializer(DescribedSerializer):
    class Meta:
        model = models.Evidence
        fields = ["id", "original_name", "kind", "size", "uploaded_at"]


class ReportSerializer(DescribedSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=_("佐证材料"))
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True,
                                         allow_null=True, help_text=_("填报人用户名"))

    class Meta:
        model = models.ProgressReport
        fields = ["id", "task", "milestone", "status", "percent", "narrative", "evidence",
                  "submitted_by", "submitted_at", "review", "review_comment", "reviewed_at"]


class ReportCreateSerializer(serializers.Serializer):
    """Input of POST /reports/: the same rules as the browser form (reporting.report_progress)."""

    task = serializers.IntegerField(help_text=_("任务编号"))
    expected_version = serializers.IntegerField(
        min_value=0, help_text=_("提交时所依据的任务版本（任务的 version 字段）；已被他人更新则返回 409"))
    status = serializers.ChoiceField(choices=models.Task.Status.choices, help_text=_("进展状态"))
    percent = serializers.IntegerField(min_value=0, max_value=100, help_text=_("完成百分比（0–100）"))
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                      help_text=_("进展情况；报告“已完成”时必填"))
    milestone = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                         help_text=_("对应节点编号；不填表示整个任务"))
    reuse_evidence = serializers.ListField(child=serializers.IntegerField(min_value=1),
                                           required=False, help_text=_("引用本单位已上传材料的编号"))
    uploads = serializers.ListField(child=serializers.FileField(), required=False,
                                    help_text=_("佐证材料文件（pdf、jpg、png、docx、xlsx）"))
    indicator_values = serializers.DictField(child=serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0), required=False,
        help_text=_("指标报送值：{指标编号: 数值}"))
    indicator_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100,
                                              help_text=_("指标数据所属年度"))


class TargetValueSerializer(DescribedSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                          help_text=_("区划代码"))

    class Meta:
        model = models.IndicatorValue
        fields = ["region", "year", "value"]


class TargetSerializer(DescribedSerializer):
    values = serializers.SerializerMethodField(help_text=_("范围内各地区各年度报送值"))

    class Meta:
        model = models.IndicatorTarget
        fields = ["id", "obligation", "name", "comparator", "value", "unit", "due_year",
                  "per_year", "region_scope", "values"]

    def get_values(self, obj) -> list[dict]:
        return TargetValueSerializer(getattr(obj, "visible_values", []), many=True).data


class ResponsibilityRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("序号"))
    code = serializers.CharField(help_text=_("文件中的序号路径"))
    document = serializers.CharField(help_text=_("文件文号或标题"))
    matter = serializers.CharField(help_text=_("主要事项"))
    content = serializers.CharField(help_text=_("具体内容"))
    measures = serializers.CharField(help_text=_("主要措施"))
    leaders = serializers.CharField(help_text=_("责任领导"))
    lead_units = serializers.CharField(help_text=_("责任单位"))
    persons = serializers.CharField(help_text=_("责任人"))
    supporting_units = serializers.CharField(help_text=_("配合单位"))
    deadline = serializers.CharField(help_text=_("完成时限"))
    note = serializers.CharField(help_text=_("备注"))
