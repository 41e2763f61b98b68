"""The 责任清单 Excel import: upload, preview, confirm (administrators only).

The upload is kept as a ListImport; the preview and the confirmation both re-read it
against the register as it is at that moment (obligations.services.list_import).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obligations.importers.errors import DocumentError
from obligations.models import ListImport
from obligations.selectors import scope
from obligations.services.list_import import confirm_list_import, plan_import, plan_upload
from obligations.web.forms import ListImportForm


def _require_importer(request):
    if not scope.can_import_lists(request.user):
        raise PermissionDenied(_("只有管理员可以导入责任清单。"))


def _get_upload(request, pk) -> ListImport:
    try:
        return scope.list_imports_visible_to(request.user).select_related(
            "document", "new_region", "uploaded_by").get(pk=pk)
    except ListImport.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def upload(request):
    _require_importer(request)
    form = ListImportForm(
        request.POST or None, request.FILES or None,
        documents=scope.documents_visible_to(request.user),
        regions=scope.regions_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        new_document = form.new_document()
        try:
            plan = plan_import(content, file_name=data["file"].name,
                               documents=scope.documents_visible_to(request.user),
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
    recent = scope.list_imports_visible_to(request.user).select_related(
        "document", "uploaded_by").defer("data")[:20]
    return render(request, "obligations/list_import.html", {"form": form, "recent": recent})


@login_required
def preview(request, pk):
    _require_importer(request)
    upload = _get_upload(request, pk)
    plan = plan_upload(upload, documents=scope.documents_visible_to(request.user))
    return render(request, "obligations/list_import_preview.html",
                  {"upload": upload, "plan": plan, "summary": plan.summary()})


@login_required
@require_POST
def confirm(request, pk):
    _require_importer(request)
    upload = _get_upload(request, pk)  # 404 unless visible
    try:
        outcome = confirm_list_import(upload=upload, actor=request.user,
                                      documents=scope.documents_visible_to(request.user))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        getattr(messages, outcome.level)(request, outcome.message)
    return redirect("obligations:list_import_preview", upload.pk)
