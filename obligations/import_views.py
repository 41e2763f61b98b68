"""The 责任清单 Excel import: upload, preview, confirm (administrators only).

The upload is kept as a ListImport; the preview and the confirmation both re-read it
against the register as it is at that moment (obligations.list_import).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions
from .forms import ListImportForm
from .importers.errors import DocumentError
from .list_import import apply_import, plan_import
from .models import ListImport


def _require_importer(request):
    if not permissions.can_import_lists(request.user):
        raise PermissionDenied(_("只有管理员可以导入责任清单。"))


def _plan(request, upload: ListImport):
    return plan_import(
        bytes(upload.data), file_name=upload.file_name,
        documents=permissions.documents_visible_to(request.user),
        document=upload.document,
        new_document={"title": upload.new_title, "doc_number": upload.new_doc_number,
                      "region": upload.new_region} if upload.new_title else None)


def _get_upload(request, pk) -> ListImport:
    try:
        return permissions.list_imports_visible_to(request.user).select_related(
            "document", "new_region", "uploaded_by").get(pk=pk)
    except ListImport.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def upload(request):
    _require_importer(request)
    form = ListImportForm(
        request.POST or None, request.FILES or None,
        documents=permissions.documents_visible_to(request.user),
        regions=permissions.regions_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        new_document = form.new_document()
        try:
            plan = plan_import(content, file_name=data["file"].name,
                               documents=permissions.documents_visible_to(request.user),
                               document=data["document"], new_document=new_document)
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            upload = ListImport.objects.create(
                uploaded_by=request.user, file_name=data["file"].name[:200], data=content,
                document=data["document"], new_title=(new_document or {}).get("title", ""),
                new_doc_number=(new_document or {}).get("doc_number", ""),
                new_region=(new_document or {}).get("region"),
                plan_digest=plan.digest(), summary=plan.summary())
            return redirect("obligations:list_import_preview", upload.pk)
    recent = permissions.list_imports_visible_to(request.user).select_related(
        "document", "uploaded_by").defer("data")[:20]
    return render(request, "obligations/list_import.html", {"form": form, "recent": recent})


@login_required
def preview(request, pk):
    _require_importer(request)
    upload = _get_upload(request, pk)
    plan = _plan(request, upload)
    return render(request, "obligations/list_import_preview.html",
                  {"upload": upload, "plan": plan, "summary": plan.summary()})


@login_required
@require_POST
@transaction.atomic
def confirm(request, pk):
    _require_importer(request)
    _get_upload(request, pk)  # 404 unless visible
    # Locked until this request ends: two confirmations of one upload write it once.
    upload = ListImport.objects.select_for_update(of=("self",)).select_related(
        "document", "new_region").get(pk=pk)
    if upload.applied_at:
        messages.info(request, _("这份清单已于%(at)s导入，未重复写入。") % {
            "at": timezone.localtime(upload.applied_at).strftime("%Y年%-m月%-d日 %H:%M")})
        return redirect("obligations:list_import_preview", upload.pk)
    plan = _plan(request, upload)
    if plan.digest() != upload.plan_digest:
        upload.plan_digest, upload.summary = plan.digest(), plan.summary()
        upload.save(update_fields=["plan_digest", "summary"])
        messages.warning(request, _("预览之后系统中的数据有了变化，下面是新的预览；请核对后再确认。"))
        return redirect("obligations:list_import_preview", upload.pk)
    if not plan.has_changes:
        messages.info(request, _("清单与系统中的数据一致，没有需要写入的内容。"))
        return redirect("obligations:list_import_preview", upload.pk)
    try:
        with transaction.atomic():  # a failed import leaves the upload as it was
            result = apply_import(plan, actor=request.user, file_name=upload.file_name)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("obligations:list_import_preview", upload.pk)
    upload.applied_at, upload.result = timezone.now(), result
    upload.save(update_fields=["applied_at", "result"])
    messages.success(request, _("已导入：新增 %(create)s 项，修改 %(change)s 项。") % result)
    return redirect("obligations:list_import_preview", upload.pk)
