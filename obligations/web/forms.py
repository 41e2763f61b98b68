"""Forms of the browser pages: they parse and show errors; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from obligations.models import (
    Disposition,
    Evidence,
    Milestone,
    Obligation,
    PolicyDocument,
    Region,
    Task,
)

LIGHTS = [("", _("全部")), ("red", _("红灯（逾期）")), ("yellow", _("黄灯（即将到期）")),
          ("green", _("绿灯（正常）")), ("done", _("已完成")), ("ended", _("期满（已结束时期）"))]
SORTS = [
    ("next_due", _("按下一节点日期")),
    ("-next_due", _("按下一节点日期（倒序）")),
    ("code", _("按文件和编号")),
    ("unit", _("按单位")),
    ("-updated", _("按最近更新")),
]
SORT_FIELDS = {
    "next_due": ["next_due", "id"],
    "-next_due": ["-next_due", "id"],
    "code": ["obligation__document_id", "obligation__position", "id"],
    "unit": ["unit__name", "obligation__position", "id"],
    "-updated": ["-updated_at", "id"],
}


class StyledForm(forms.Form):
    """Gives each widget its Bootstrap class, so templates can render fields plainly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class TaskFilterForm(StyledForm):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("标题、内容、单位或编号")}))
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + list(Task.Status.choices))
    light = forms.ChoiceField(label=_("亮灯"), required=False, choices=LIGHTS)
    role = forms.ChoiceField(label=_("角色"), required=False,
                             choices=[("", _("全部")), ("lead", _("牵头")), ("support", _("配合"))])
    document = forms.ModelChoiceField(label=_("文件"), required=False,
                                      queryset=PolicyDocument.objects.none(),
                                      empty_label=_("全部文件"))
    due_before = forms.DateField(label=_("节点早于"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    # The dashboards link each figure to this list (monitoring/templates): a region with its
    # subtree, a unit, the tasks waiting for review.
    region = forms.RegexField(label=_("区划代码（含下级）"), required=False, regex=r"^\d{2,20}$",
                              error_messages={"invalid": _("区划代码应为数字，如 640423。")})
    unit = forms.IntegerField(label=_("单位编号"), required=False, min_value=1,
                              error_messages={"invalid": _("单位编号应为正整数。"),
                                              "min_value": _("单位编号应为正整数。")})
    waiting = forms.ChoiceField(label=_("审核"), required=False,
                                choices=[("", _("全部")), ("1", _("有待审核的报告"))])
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORTS)
    # Today's work by default; tasks of a period that has ended stay readable in its archive.
    period = forms.ChoiceField(label=_("时期"), required=False,
                               choices=[("", _("当前时期")), ("archive", _("已结束时期（存档）"))])

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if documents is not None:
            self.fields["document"].queryset = documents


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class MilestoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.due_on.year}年{obj.due_on.month}月{obj.due_on.day}日 {obj.get_kind_display()}（{obj.get_status_display()}）"


class ReportForm(StyledForm):
    """Shapes the input; report_progress checks the rules (and the API uses it too)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    milestone = MilestoneChoiceField(label=_("对应节点"), required=False,
                                       queryset=Milestone.objects.none(),
                                       empty_label=_("整个任务"))
    status = forms.ChoiceField(label=_("进展状态"), choices=Task.Status.choices)
    percent = forms.IntegerField(label=_("完成百分比"), min_value=0, max_value=100,
                                 error_messages={"invalid": _("完成百分比须为 0 到 100 之间的整数。"),
                                                 "min_value": _("完成百分比不能小于 0。"),
                                                 "max_value": _("完成百分比不能大于 100。")})
    narrative = forms.CharField(label=_("进展情况"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 5}))
    uploads = MultipleFileField(label=_("上传佐证材料"), required=False,
                                help_text=_("PDF、JPG、PNG、Word（docx）、Excel（xlsx），每个不超过 %(mb)s MB"))
    reuse_evidence = forms.ModelMultipleChoiceField(
        label=_("引用本单位已上传的材料"), required=False, queryset=Evidence.objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, task, targets=(), max_mb=20, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = task.milestones.exclude(
            status=Milestone.Status.CLOSED).order_by("due_on")
        self.fields["reuse_evidence"].queryset = Evidence.objects.filter(unit=task.unit)
        self.fields["uploads"].help_text = self.fields["uploads"].help_text % {"mb": max_mb}
        self.targets = list(targets)
        if self.targets and years:
            self.fields["indicator_year"] = forms.TypedChoiceField(
                label=_("指标数据所属年度"), coerce=int, choices=[(y, f"{y}年") for y in years],
                initial=years[-1])
        for target in self.targets:
            self.fields[f"indicator_{target.pk}"] = forms.DecimalField(
                label=f"{target.name}（{target.unit}）", required=False, min_value=0,
                max_digits=14, decimal_places=2,
                help_text=_("目标：%(cmp)s %(value)s%(unit)s") % {
                    "cmp": target.get_comparator_display(), "value": target.value,
                    "unit": target.unit},
                error_messages={"invalid": _("请填写数字。")})
        self.style()

    def indicator_values(self) -> dict:
        return {t.pk: self.cleaned_data.get(f"indicator_{t.pk}") for t in self.targets}


class ReturnForm(StyledForm):
    comment = forms.CharField(label=_("退回意见"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("退回须填写退回意见。")})


class ListImportForm(StyledForm):
    """An Excel 责任清单 and where it goes: an existing document, or a new one."""

    MAX_BYTES = 10 * 1024 * 1024

    file = forms.FileField(label=_("责任清单 Excel 文件（.xlsx）"))
    document = forms.ModelChoiceField(
        label=_("导入到文件"), queryset=PolicyDocument.objects.none(), required=False,
        empty_label=_("按工作表名匹配文件（系统导出的清单）"),
        help_text=_("县里自己的清单若不属于系统中已有的文件，请留空并在下面填写新文件的标题。"))
    new_title = forms.CharField(label=_("新文件标题"), max_length=300, required=False)
    new_doc_number = forms.CharField(label=_("新文件文号"), max_length=60, required=False)
    new_region = forms.ModelChoiceField(label=_("新文件适用区划"), queryset=Region.objects.none(),
                                        required=False)

    def __init__(self, *args, documents, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents.order_by("issued_year", "id")
        self.fields["new_region"].queryset = regions.order_by("path")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）。"))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB。"))
        return upload

    def clean(self):
        data = super().clean()
        title = data.get("new_title", "").strip()
        if data.get("document") and title:
            self.add_error("new_title", _("已选择目标文件时不能再填写新文件；两者选其一。"))
        if title and not data.get("new_region"):
            self.add_error("new_region", _("请选择新文件适用的区划。"))
        number = data.get("new_doc_number", "").strip()
        if title and number and PolicyDocument.objects.filter(doc_number=number).exists():
            self.add_error("new_doc_number", _("该文号的文件已在系统中，请在上面选择它。"))
        return data

    def new_document(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("new_title", "").strip():
            return None
        return {"title": data["new_title"].strip(), "doc_number": data["new_doc_number"].strip(),
                "region": data["new_region"]}


class DispositionForm(StyledForm):
    """过渡期收尾: what became of the selected tasks (obligations.services.periods)."""

    kind = forms.ChoiceField(label=_("处置方式"), choices=[("", _("请选择"))]
                             + list(Disposition.Kind.choices))
    successor = forms.ModelChoiceField(label=_("新时期对应措施"), required=False,
                                       queryset=Obligation.objects.none(),
                                       empty_label=_("（暂不关联）"))
    reason = forms.CharField(label=_("说明"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("退出须写明理由")}))
    correction = forms.CharField(label=_("更正原因"), required=False, max_length=200,
                                 help_text=_("更改已处置的任务时填写"))

    def __init__(self, *args, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if successors is not None:
            self.fields["successor"].queryset = successors
            self.fields["successor"].label_from_instance = (
                lambda o: f"{o.document.doc_number or o.document.title[:20]} {o.code} {o.title[:40]}")
