"""Document intake in the browser (administrators): upload → parse with progress → preview →
publish. Thin: the services in obligations.services.intake do the work."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from obligations import tasks
from obligations.models import DocumentUpload, Period, Region
from obligations.selectors import scope
from obligations.selectors.intake import preview_of
from obligations.services import intake, revision

WORKING = (DocumentUpload.Status.QUEUED, DocumentUpload.Status.PARSING)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("政策文件"), help_text=gettext_lazy(
        "支持 .docx、文字版 .pdf、.txt（UTF-8、GB18030 或带 BOM 的 UTF-16）"),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")})
    region = forms.ModelChoiceField(
        label=gettext_lazy("适用区划"), queryset=Region.objects.none(), required=False,
        empty_label=gettext_lazy("按文件内容识别"),
        help_text=gettext_lazy("文件中“县民政局”等简称按这个区划的单位库识别"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.order_by("path")


def _field_errors(error: ValidationError) -> dict:
    """A service's refusal as {field: messages}; one without fields under None."""
    return error.message_dict if hasattr(error, "error_dict") else {None: error.messages}


def _require_uploader(request):
    if not scope.can_upload_documents(request.user):
        raise PermissionDenied(_("只有管理员可以导入政策文件。"))


def _get(request, pk) -> DocumentUpload:
    try:
        return scope.document_uploads_visible_to(request.user).select_related(
            "region", "uploaded_by", "document").get(pk=pk)
    except DocumentUpload.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def upload(request):
    _require_uploader(request)
    form = DocumentUploadForm(request.POST or None, request.FILES or None,
                              regions=scope.regions_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            item = intake.upload_document(upload_file=form.cleaned_data["file"],
                                          region=form.cleaned_data["region"],
                                          actor=request.user)
        except ValidationError as error:
            for message in _field_errors(error).get("file", error.messages):
                form.add_error("file", message)
        else:
            transaction.on_commit(lambda: tasks.parse_upload.delay(item.pk))
            return redirect("obligations:document_upload", item.pk)
    recent = scope.document_uploads_visible_to(request.user).select_related(
        "uploaded_by", "document").defer("text", "parsed")[:20]
    return render(request, "obligations/document_upload.html", {"form": form, "recent": recent})


@login_required
def detail(request, pk):
    _require_uploader(request)
    item = _get(request, pk)
    revised, plan = revision.revision_of(item)
    return render(request, "obligations/document_upload_detail.html", {
        "upload": item, "working": item.status in WORKING, "preview": preview_of(item),
        "revised": revised, "plan": plan, "periods": Period.objects.order_by("start", "id")})


@login_required
@require_POST
def set_period(request, pk):
    """Corrects the period a document to publish belongs to."""
    _require_uploader(request)
    item = _get(request, pk)
    try:
        intake.set_upload_period(upload=item, period_id=request.POST.get("period", ""),
                                 actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已改正文件所属的时期。"))
    return redirect("obligations:document_upload", item.pk)


@login_required
def progress(request, pk):
    """The progress bar, polled by the page while the parse runs; reloads the page after."""
    _require_uploader(request)
    item = _get(request, pk)
    if item.status not in WORKING:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "obligations/_upload_progress.html", {"upload": item})


@login_required
@require_POST
def publish(request, pk):
    _require_uploader(request)
    item = _get(request, pk)
    try:
        document, revised = revision.publish(upload=item, actor=request.user,
                                             reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if revised is not None:
            messages.success(request, _(
                "已按修订版修改《%(title)s》：新增 %(create)s 项，修改 %(change)s 项，"
                "停止执行 %(removed)s 项；原有任务和填报记录保留。") % {
                "title": document.title, **revised})
        else:
            messages.success(request, _("已发布《%(title)s》：%(n)s 项措施，任务和节点已生成。") % {
                "title": document.title,
                "n": document.obligations.filter(kind="measure").count()})
    return redirect("obligations:document_upload", item.pk)


@login_required
def original(request, pk):
    _require_uploader(request)
    item = _get(request, pk)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file_name)


class MeasureCorrectionForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("序号"), max_length=40)
    lead_units = forms.CharField(label=gettext_lazy("牵头单位"), required=False, max_length=500,
                                 help_text=gettext_lazy("多个单位用“、”分隔，照文件写法"))
    supporting_units = forms.CharField(label=gettext_lazy("配合单位"), required=False,
                                       max_length=500)
    deadline_text = forms.CharField(label=gettext_lazy("完成时限"), required=False,
                                    max_length=200)


@login_required
def correct(request, pk, index, split_form=None):
    """Corrects one measure of a parsed upload before it is published."""
    _require_uploader(request)
    item = _get(request, pk)
    preview = preview_of(item)
    measure = next((m for m in preview.measures if m.index == index), None) if preview else None
    if measure is None or item.status != DocumentUpload.Status.PARSED:
        raise Http404
    initial = {"code": measure.code, "deadline_text": measure.deadline_text,
               "lead_units": "、".join(u.name for u in measure.lead if not u.from_rule),
               "supporting_units": "、".join(u.name for u in measure.support
                                            if not u.from_rule)}
    form = MeasureCorrectionForm(None if split_form else (request.POST or None),
                                 initial=initial)
    if request.method == "POST" and not split_form and form.is_valid():
        try:
            intake.correct_measure(upload=item, index=index, actor=request.user,
                                   **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in _field_errors(error).items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, _("已修改措施 %(code)s。") % {
                "code": form.cleaned_data["code"]})
            return redirect(f"{reverse('obligations:document_upload', args=[item.pk])}"
                            f"#m{index}")
    return render(request, "obligations/document_upload_measure.html",
                  {"upload": item, "measure": measure, "form": form,
                   "split_form": split_form or SplitForm()})


class SplitForm(forms.Form):
    at = forms.CharField(label=gettext_lazy("第二项从这句话开始"), max_length=200,
                         help_text=gettext_lazy("照原文抄写第二项开头的几个字"))
    new_code = forms.CharField(label=gettext_lazy("拆出的措施的序号"), max_length=40)


@login_required
@require_POST
def split(request, pk, index):
    """Splits one measure of a parsed upload in two (the parser joined two measures)."""
    _require_uploader(request)
    item = _get(request, pk)
    form = SplitForm(request.POST)
    if form.is_valid():
        try:
            intake.split_measure(upload=item, index=index, actor=request.user,
                                 **form.cleaned_data)
        except ValidationError as error:
            for field, messages_ in _field_errors(error).items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, _("已拆分，拆出措施 %(code)s，请核对两项的单位和时限。") % {
                "code": form.cleaned_data["new_code"]})
            return redirect(f"{reverse('obligations:document_upload', args=[item.pk])}"
                            f"#m{index}")
    return correct(request, pk, index, split_form=form)


@login_required
@require_POST
def merge(request, pk, index):
    """Merges one measure of a parsed upload with the next (the parser split one in two)."""
    _require_uploader(request)
    item = _get(request, pk)
    try:
        intake.merge_with_next(upload=item, index=index, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("obligations:document_upload_correct", args=[item.pk, index]))
    messages.success(request, _("已与下一项合并，请核对合并后的单位和时限。"))
    return redirect(f"{reverse('obligations:document_upload', args=[item.pk])}#m{index}")
