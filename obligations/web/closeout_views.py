"""过渡期收尾: the supervisor's page of the ended period's tasks still to dispose, filtered by
document, part and unit, disposed one by one or in bulk after a confirmation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.importers.errors import DocumentError
from obligations.importers.formats import read_document
from obligations.importers.linkage import LinkageRow, read_linkage_list
from obligations.models import Disposition, Obligation, PolicyDocument, Task, Unit
from obligations.selectors import scope
from obligations.services import linkage
from obligations.services import periods as period_services
from obligations.web.forms import DispositionForm

STATES = [("open", "待处置"), ("disposed", "已处置"), ("", "全部")]


def _successors(user):
    """Measures of documents of a period that has not ended, that the user may see."""
    today = timezone.localdate()
    return (scope.obligations_visible_to(user)
            .filter(kind=Obligation.Kind.MEASURE)
            .filter(Q(document__period__end__isnull=True) | Q(document__period__end__gte=today))
            .select_related("document").order_by("document_id", "position"))


def _filtered(request, tasks):
    state = request.GET.get("state", "open")
    if state == "open":
        tasks = tasks.filter(disposition__isnull=True).exclude(status=Task.Status.DONE)
    elif state == "disposed":
        tasks = tasks.filter(disposition__isnull=False)
    document = request.GET.get("document", "")
    if document.isdigit():
        tasks = tasks.filter(obligation__document_id=document)
    part = request.GET.get("part", "").strip()[:40]
    if part:
        tasks = tasks.filter(Q(obligation__code=part) | Q(obligation__code__startswith=f"{part}."))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        tasks = tasks.filter(unit_id=unit)
    words = request.GET.get("q", "").strip()[:100]
    if words:
        tasks = tasks.filter(Q(obligation__title__icontains=words) | Q(unit__name__icontains=words))
    return tasks, {"state": state, "document": document, "part": part, "unit": unit, "q": words}


@login_required
def close_out(request):
    if not scope.can_dispose(request.user):
        raise PermissionDenied(_("只有审核人（县委农办、农业农村局等牵头部门）可以做过渡期收尾处置。"))
    base = scope.tasks_disposable_by(request.user)
    tasks, chosen = _filtered(request, base)
    tasks = (tasks.select_related("obligation__document__period", "unit",
                                  "disposition__successor__document")
             .order_by("obligation__document_id", "obligation__position", "unit__name"))
    form = DispositionForm(successors=_successors(request.user))
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("tasks") if i.isdigit()]
        if request.POST.get("all_matching") == "1":
            ids = [str(pk) for pk in tasks.values_list("pk", flat=True)]
        # Only tasks of the places the user supervises, before anything of them is shown.
        if scope.tasks_supervised_by(request.user).filter(pk__in=ids).count() != len(set(ids)):
            raise PermissionDenied(_("无权处置所选任务。"))
        form = DispositionForm(request.POST, successors=_successors(request.user))
        if not ids:
            messages.error(request, _("请先勾选要处置的任务。"))
        elif form.is_valid() and request.POST.get("confirmed") != "1":
            # The confirmation: what will be written, before anything is.
            return render(request, "obligations/close_out_confirm.html", {
                "form": form, "ids": ids, "count": len(ids), "query": request.GET.urlencode(),
                "sample": Task.objects.filter(pk__in=ids[:20]).select_related(
                    "obligation", "unit")})
        elif form.is_valid():
            data = form.cleaned_data
            try:
                count = period_services.dispose_tasks(
                    actor=request.user, tasks=Task.objects.filter(pk__in=ids), kind=data["kind"],
                    reason=data["reason"], successor=data["successor"],
                    correction=data["correction"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        if field in form.fields:
                            form.add_error(field, error)
                        else:
                            messages.error(request, error)
            else:
                messages.success(request, _("已处置 %(n)s 个任务：%(kind)s。") % {
                    "n": count, "kind": dict(Disposition.Kind.choices)[data["kind"]]})
                return redirect(f"{request.path}?{request.GET.urlencode()}")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    counts = {
        "open": base.filter(disposition__isnull=True).exclude(status=Task.Status.DONE).count(),
        "disposed": base.filter(disposition__isnull=False).count(),
        "done": base.filter(disposition__isnull=True, status=Task.Status.DONE).count(),
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "obligations/close_out.html", {
        "page": page, "form": form, "chosen": chosen, "states": STATES, "counts": counts,
        "documents": PolicyDocument.objects.filter(
            pk__in=base.values("obligation__document")).order_by("issued_on", "id"),
        "units": Unit.objects.filter(pk__in=base.values("unit")).order_by("name"),
        "query": query.urlencode(),
    })


LINKAGE_SESSION = "linkage_list"


@login_required
def linkage_upload(request):
    """Step 1: a 衔接清单 file (.docx, text .pdf or .txt) read into rows, kept in the session."""
    if not scope.can_dispose(request.user):
        raise PermissionDenied(_("只有审核人（县委农办、农业农村局等牵头部门）可以导入衔接清单。"))
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择衔接清单文件。"))
        elif upload.size > settings.DOCUMENT_MAX_BYTES:
            messages.error(request, _("文件超过 %(mb)s MB。") % {
                "mb": settings.DOCUMENT_MAX_BYTES // 1024 // 1024})
        else:
            try:
                text = read_document(upload.read(), source_name=upload.name,
                                     max_bytes=settings.DOCUMENT_MAX_BYTES)
                rows = read_linkage_list(text, source_name=upload.name)
            except DocumentError as exc:
                messages.error(request, str(exc))
            else:
                if not rows:
                    messages.error(request, _("衔接清单表格中没有数据行。"))
                else:
                    request.session[LINKAGE_SESSION] = {
                        "file": upload.name[:200], "rows": [r.as_dict() for r in rows[:2000]]}
                    return redirect("obligations:linkage_preview")
    return render(request, "obligations/linkage_upload.html", {})


def _corrections(data) -> dict:
    corrections = {}
    for key, value in data.items():
        kind, _sep, line = key.partition("_")
        if kind in ("old", "successor") and line.isdigit() and value.isdigit():
            corrections.setdefault(line, {})[kind] = int(value)
    return corrections


@login_required
def linkage_preview(request):
    """Step 2: every row found or not, the tasks each would dispose; choose where the words did
    not find the measure; apply (nothing is written while a row is unresolved)."""
    if not scope.can_dispose(request.user):
        raise PermissionDenied(_("只有审核人可以导入衔接清单。"))
    stored = request.session.get(LINKAGE_SESSION)
    if not stored:
        messages.info(request, _("请先上传衔接清单。"))
        return redirect("obligations:linkage_upload")
    rows = [LinkageRow(**r) for r in stored["rows"]]
    corrections = _corrections(request.POST if request.method == "POST" else {})
    planned = linkage.plan_rows(rows, user=request.user, corrections=corrections)
    if request.method == "POST" and request.POST.get("apply") == "1":
        try:
            count = linkage.apply_rows(planned, user=request.user)
        except ValidationError as exc:
            for message in exc.messages[:20]:
                messages.error(request, message)
        else:
            request.session.pop(LINKAGE_SESSION, None)
            messages.success(request, _("已按衔接清单处置 %(n)s 个任务。") % {"n": count})
            return redirect(f"{reverse('obligations:close_out')}?state=disposed")
    unresolved = sum(1 for p in planned if p.problems)
    return render(request, "obligations/linkage_preview.html", {
        "file": stored["file"], "planned": planned, "unresolved": unresolved,
        "tasks": sum(len(p.tasks) for p in planned),
        "old_choices": linkage.ended_measures(request.user).order_by("document_id", "position"),
        "new_choices": linkage.current_measures(request.user).order_by("document_id", "position"),
        "corrections": corrections,
    })
