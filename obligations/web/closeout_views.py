"""过渡期收尾: the supervisor's page of the ended period's tasks still to dispose, filtered by
document, part and unit, disposed one by one or in bulk after a confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.models import Disposition, Obligation, PolicyDocument, Task, Unit
from obligations.selectors import scope
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
            ids = list(tasks.values_list("pk", flat=True))
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
