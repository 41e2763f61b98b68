"""Importing a 责任清单 kept in Excel: a preview first, then (confirmed) the changes.

`plan_import` reads the workbook against the register and writes nothing: for every row
it says whether the row creates a measure, changes one (field by field, before → after)
or leaves it as it is, which unit names the register does not know yet, how the
deadline will be read, and every problem by sheet, row and column. `apply_import`
writes a plan in one transaction, and only a plan without blocking problems.

A row is matched to a measure of the target document by its 备注 (the export writes the
measure's code there), else by its 具体内容 (the title). Both sides go through the same
reading (the export's rows, split as the importer splits), so a list exported and
imported back changes nothing. A column the sheet does not have is left as it is.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obligations.deadlines import describe_deadline, parse_deadline
from obligations.importers.excel import Problem, Sheet, read_workbook
from obligations.importers.units import split_names, split_people
from obligations.models import (
    CollectiveUnit,
    DataFlag,
    ListImport,
    Obligation,
    ObligationPerson,
    ObligationUnit,
    PolicyDocument,
    Region,
    Task,
    Unit,
)
from obligations.periods import current_span
from obligations.selectors.exports import _sheet_title, responsibility_rows
from obligations.selectors.units import UnitLookup
from obligations.services import audit
from obligations.services.changes import register_changed_on_commit
from obligations.services.documents import _person, expand_tasks
from obligations.services.resolution import UnitResolver
from obligations.services.schedule import derive_schedule, generate_milestones

# field → (label, how a cell becomes a comparable value)
FIELDS = {
    "matter": (gettext_lazy("主要事项"), str),
    "content": (gettext_lazy("具体内容"), str),
    "measures": (gettext_lazy("主要措施"), str),
    "leaders": (gettext_lazy("责任领导"), split_people),
    "lead": (gettext_lazy("责任单位"), split_names),
    "persons": (gettext_lazy("责任人"), split_people),
    "support": (gettext_lazy("配合单位"), lambda v: split_names(v, dedupe=False)),
    "deadline": (gettext_lazy("完成时限"), str),
}
# the export's row keys for the same fields
EXPORT_KEYS = {"matter": "matter", "content": "content", "measures": "measures",
               "leaders": "leaders", "lead": "lead_units", "persons": "persons",
               "support": "supporting_units", "deadline": "deadline"}
NO_LEAD = "未明确责任单位"


@dataclass
class Change:
    field: str
    label: str
    before: str
    after: str


@dataclass
class PlannedRow:
    sheet: str
    row: int
    action: str  # create | change | unchanged
    title: str
    code: str = ""
    obligation_id: int | None = None
    values: dict = field(default_factory=dict)  # field → comparable value, given columns only
    changes: list[Change] = field(default_factory=list)
    new_units: list[str] = field(default_factory=list)
    deadline_reading: str = ""

    @property
    def action_label(self) -> str:
        return {"create": _("新增"), "change": _("修改"), "unchanged": _("不变")}[self.action]


@dataclass
class SheetPlan:
    sheet: str
    document: PolicyDocument | None
    rows: list[PlannedRow] = field(default_factory=list)


@dataclass
class ImportPlan:
    sheets: list[SheetPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_document: dict | None = None  # title, doc_number, region

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def valid(self) -> bool:
        return not self.blocking and any(s.rows for s in self.sheets)

    @property
    def rows(self) -> list[PlannedRow]:
        return [row for sheet in self.sheets for row in sheet.rows]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new_units(self) -> list[str]:
        return sorted({name for row in self.rows for name in row.new_units})

    @property
    def has_changes(self) -> bool:
        return any(row.action != "unchanged" for row in self.rows)

    def summary(self) -> dict:
        return {"create": self.count("create"), "change": self.count("change"),
                "unchanged": self.count("unchanged"), "new_units": self.new_units,
                "problems": len(self.blocking)}

    def digest(self) -> str:
        """What the plan would write; a confirmation is refused when this has moved."""
        content = [
            (row.sheet, row.row, row.action, row.obligation_id,
             [(c.field, c.after) for c in row.changes], row.new_units)
            for row in self.rows
        ]
        content.append([(p.sheet, p.row, p.message) for p in self.problems])
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _display(value) -> str:
    return "、".join(value) if isinstance(value, list) else value


def _targets(sheets: list[Sheet], *, documents, document, new_document, problems):
    """(sheet, document or None for the new document) for each sheet with a header."""
    readable = [s for s in sheets if s.columns]
    for sheet in sheets:
        if not sheet.columns:
            # A sheet without a 责任清单 header (notes, a cover) is skipped when another has one.
            for problem in sheet.problems:
                problem.blocking = not readable
            problems.extend(sheet.problems)
    if not readable:
        return []
    if document is not None or new_document is not None:
        for extra in readable[1:]:
            problems.append(Problem(extra.name, None, "", _(
                "已指定一个目标文件，工作簿中只能有一个责任清单工作表；请删除或分开导入此表")))
        return [(readable[0], document)]
    by_title = {}
    candidates = list(documents)
    # The export names a sheet by 文号, else by title: those names first, then the titles.
    for candidate in candidates:
        by_title.setdefault(_sheet_title(candidate.doc_number or candidate.title, set()), candidate)
    for candidate in candidates:
        by_title.setdefault(_sheet_title(candidate.title, set()), candidate)
    pairs = []
    for sheet in readable:
        found = by_title.get(sheet.name)
        if found is None:
            problems.append(Problem(sheet.name, None, "", _(
                "找不到与工作表名对应的文件（导出的清单以文号命名工作表）；请在上方选择目标文件，"
                "或填写新文件的标题")))
        pairs.append((sheet, found))
    return pairs


def plan_import(data: bytes, *, file_name: str, documents, document: PolicyDocument | None = None,
                new_document: dict | None = None) -> ImportPlan:
    """Reads the workbook against the register. Writes nothing.

    `documents` is what the user may import into (their scope); `document` the one they
    chose, or `new_document` ({title, doc_number, region}) for a list that is its own document.
    """
    plan = ImportPlan(new_document=new_document)
    sheets = read_workbook(data, source_name=file_name)
    period = current_span()
    for sheet, target in _targets(sheets, documents=documents, document=document,
                                  new_document=new_document, problems=plan.problems):
        plan.problems.extend(sheet.problems)
        if target is None and new_document is None:
            continue
        region = target.region if target else new_document["region"]
        if region is None:
            plan.problems.append(Problem(sheet.name, None, "", _(
                "文件“%(doc)s”未关联行政区划，无法确定单位；请管理员先在后台指定")
                % {"doc": target}))
            continue
        plan.sheets.append(_plan_sheet(sheet, target, region, period, plan.problems))
    return plan


def _plan_sheet(sheet: Sheet, document, region, period, problems) -> SheetPlan:
    sheet_plan = SheetPlan(sheet.name, document)
    existing: dict[str, dict] = {}
    by_title: dict[str, list[dict]] = {}
    reported: set[tuple[int, str]] = set()
    obligations = {}
    if document is not None:
        measures = document.obligations.filter(kind=Obligation.Kind.MEASURE)
        for row in responsibility_rows(measures):
            if row["lead_units"] == NO_LEAD:
                row["lead_units"] = ""
            existing[row["code"]] = row
            by_title.setdefault(row["content"], []).append(row)
        obligations = {o.code: o for o in measures.only("id", "code", "deadline_text", "deadline")}
        reported = set(
            Task.objects.filter(obligation__document=document, reports__isnull=False)
            .values_list("obligation_id", "source__written_name")
        )
    resolver = _Lookup(document, region)
    claimed: dict[str, int] = {}
    for table_row in sheet.rows:
        cells = table_row.cells
        given = {f: FIELDS[f][1](cells[f]) for f in FIELDS if f in cells}
        if "content" in given and not given["content"]:
            given["content"] = cells.get("matter", "")  # a row that is its 主要事项 alone
        # Without a 具体内容 column the title stays as it is; a new measure takes the start
        # of its 主要措施 (or its 主要事项) as its title.
        title = given.get("content") or cells.get("matter") or cells.get("measures", "")[:60]
        note = cells.get("note", "")
        current = existing.get(note) if note else None
        if current is None and len(by_title.get(title, [])) == 1:
            current = by_title[title][0]
        planned = PlannedRow(sheet.name, table_row.line_no, "create", title,
                             values={**given, "number": table_row.number})
        if current is not None:
            code = current["code"]
            if code in claimed:
                problems.append(Problem(sheet.name, table_row.line_no, "", _(
                    "与第%(row)s行对应同一事项（%(code)s），同一事项只能有一行")
                    % {"row": claimed[code], "code": code}))
                continue
            claimed[code] = table_row.line_no
            obligation = obligations[code]
            planned.code, planned.obligation_id = code, obligation.id
            for name, value in given.items():
                before = FIELDS[name][1](current[EXPORT_KEYS[name]])
                if value != before:
                    planned.changes.append(
                        Change(name, str(FIELDS[name][0]), _display(before), _display(value)))
            planned.action = "change" if planned.changes else "unchanged"
            _check_removed_units(planned, given, current, reported, sheet, problems)
        units = given.get("lead", []) + given.get("support", [])
        changed_fields = {c.field for c in planned.changes}
        if planned.action == "create" or changed_fields & {"lead", "support"}:
            planned.new_units = [n for n in dict.fromkeys(units) if not resolver.known(n)]
        if "deadline" in given:
            spec = parse_deadline(given["deadline"], period=period)
            planned.deadline_reading = describe_deadline(spec)
            if spec["kind"] == "unparsed" and (
                    planned.action == "create" or "deadline" in changed_fields):
                problems.append(Problem(sheet.name, table_row.line_no, sheet.columns["deadline"], _(
                    "完成时限“%(words)s”无法识别；可写如“2021年6月30日前”“2021年底”“每年12月上旬”"
                    "“每季度”“长期坚持”") % {"words": given["deadline"]}))
        sheet_plan.rows.append(planned)
    return sheet_plan


def _check_removed_units(planned, given, current, reported, sheet, problems):
    for name, key in (("lead", "lead_units"), ("support", "supporting_units")):
        if name not in given:
            continue
        removed = set(FIELDS[name][1](current[key])) - set(given[name])
        for unit_name in sorted(removed):
            if (planned.obligation_id, unit_name) in reported:
                problems.append(Problem(sheet.name, planned.row, sheet.columns[name], _(
                    "“%(unit)s”在本事项上已有进展报告，不能通过导入移除；请先在系统中处理其任务")
                    % {"unit": unit_name}))


class _Lookup(UnitLookup):
    """The resolver's lookups (obligations.selectors.units), without creating anything."""

    def __init__(self, document, region):
        super().__init__(region=document.region if document else region)

    def known(self, name: str) -> bool:
        return self.find(name) is not None


@transaction.atomic
def apply_import(plan: ImportPlan, *, actor, file_name: str,
                 upload: ListImport | None = None) -> dict:
    """Writes a valid plan: documents, measures, units, people; then tasks and milestones.

    One audit row for the whole import (every sheet's counts in it), naming the upload, or
    the first document when a command imports a file that was never uploaded."""
    if not plan.valid:
        raise ValidationError(_("清单中有问题，未导入任何内容；请修改后重新上传。"))
    result = {"create": 0, "change": 0, "unchanged": plan.count("unchanged"), "documents": []}
    sheets = []
    for sheet in plan.sheets:
        document = sheet.document
        if document is None:
            document = _create_document(plan.new_document, file_name)
        written = _apply_sheet(document, sheet.rows)
        result["create"] += written["create"]
        result["change"] += written["change"]
        result["documents"].append(document.pk)
        sheets.append({"sheet": sheet.sheet, "document": document.pk, **written})
    audit.record(
        actor=actor, action=audit.Action.LIST_IMPORT,
        subject=audit.subject("list_import", upload.pk) if upload
        else audit.subject("document", result["documents"][0]),
        summary=_("导入责任清单“%(file)s”：新增 %(create)s 项，修改 %(change)s 项")
        % {"file": file_name, **result},
        after={"file": file_name, "sheets": sheets})
    register_changed_on_commit()  # the list's document may span many regions: all
    return result


def plan_upload(upload: ListImport, *, documents) -> ImportPlan:
    """The plan of an uploaded workbook against the register as it is now (preview, confirm)."""
    return plan_import(
        bytes(upload.data), file_name=upload.file_name, documents=documents,
        document=upload.document,
        new_document={"title": upload.new_title, "doc_number": upload.new_doc_number,
                      "region": upload.new_region} if upload.new_title else None)


@dataclass(frozen=True)
class Confirmation:
    """What confirming an upload did, said for the person who confirmed it. `level` is the
    name of a django.contrib.messages level; `result` is set only when something was written."""

    level: str
    message: str
    result: dict | None = None


@transaction.atomic
def confirm_list_import(*, upload: ListImport, actor, documents) -> Confirmation:
    """Writes an upload's previewed plan, once, and only the plan that was previewed.

    The upload row stays locked until the transaction ends, so two confirmations of one
    upload write it once. When the register moved since the preview, the new plan becomes
    the preview (its digest saved) and nothing else is written. A plan with problems is
    refused with a ValidationError and leaves the upload as it was. `documents` is the
    actor's scope of documents (as for the preview).
    """
    upload = ListImport.objects.select_for_update(of=("self",)).select_related(
        "document", "new_region").get(pk=upload.pk)
    if upload.applied_at:
        return Confirmation("info", _("这份清单已于%(at)s导入，未重复写入。") % {
            "at": timezone.localtime(upload.applied_at).strftime("%Y年%-m月%-d日 %H:%M")})
    plan = plan_upload(upload, documents=documents)
    if plan.digest() != upload.plan_digest:
        upload.plan_digest, upload.summary = plan.digest(), plan.summary()
        upload.save(update_fields=["plan_digest", "summary"])
        return Confirmation("warning", _(
            "预览之后系统中的数据有了变化，下面是新的预览；请核对后再确认。"))
    if not plan.has_changes:
        return Confirmation("info", _("清单与系统中的数据一致，没有需要写入的内容。"))
    result = apply_import(plan, actor=actor, file_name=upload.file_name, upload=upload)
    upload.applied_at, upload.result = timezone.now(), result
    upload.save(update_fields=["applied_at", "result"])
    return Confirmation("success", _("已导入：新增 %(create)s 项，修改 %(change)s 项。") % result,
                        result=result)


def _create_document(new_document: dict, file_name: str) -> PolicyDocument:
    region: Region = new_document["region"]
    number = new_document.get("doc_number", "")
    if number and PolicyDocument.objects.filter(doc_number=number).exists():
        raise ValidationError(_("文号为 %(no)s 的文件已经存在，请选择它作为目标文件。") % {"no": number})
    return PolicyDocument.objects.create(
        title=new_document["title"], doc_number=number, region=region, level=region.level,
        issuer=new_document.get("issuer", ""), source_name=file_name)


def _apply_sheet(document: PolicyDocument, rows: list[PlannedRow]) -> dict:
    todo = [row for row in rows if row.action != "unchanged"]
    if not todo:
        return {"create": 0, "change": 0}
    obligations = {o.id: o for o in document.obligations.filter(
        pk__in=[r.obligation_id for r in todo if r.obligation_id])}
    groups = {o.title: o for o in document.obligations.filter(kind=Obligation.Kind.GROUP)}
    codes = set(document.obligations.values_list("code", flat=True))
    position = max(document.obligations.values_list("position", flat=True), default=-1) + 1
    resolver = UnitResolver(document=document)
    touched: list[tuple[PlannedRow, Obligation]] = []
    for row in todo:
        values = row.values
        if row.action == "create":
            code = _free_code(row, codes)
            obligation = Obligation.objects.create(
                document=document, kind=Obligation.Kind.MEASURE, code=code, position=position,
                title=row.title[:300], text=values.get("measures", ""),
                deadline_text=values.get("deadline", "")[:200])
            position += 1
        else:
            obligation = obligations[row.obligation_id]
            for change in row.changes:
                column = {"content": "title", "measures": "text", "deadline": "deadline_text"}
                if change.field in column:
                    setattr(obligation, column[change.field], values[change.field])
            obligation.save(update_fields=["title", "text", "deadline_text"])
        if values.get("matter") and (row.action == "create" or _changed(row, "matter")):
            group = groups.get(values["matter"])
            if group is None:
                group = groups[values["matter"]] = Obligation.objects.create(
                    document=document, kind=Obligation.Kind.GROUP, position=position,
                    code=_unique(f"事项{len(groups) + 1}", codes), title=values["matter"][:300])
                position += 1
            obligation.parent = group
            obligation.save(update_fields=["parent"])
        touched.append((row, obligation))
        if row.action == "create" or _changed(row, "lead", "support"):
            _replace_units(obligation, values, resolver, created=row.action == "create")
        if row.action == "create" or _changed(row, "leaders", "persons"):
            _replace_people(obligation, values, document.region)
    _refresh_flags(document, touched, resolver)
    expand_tasks(document=document)
    DataFlag.objects.filter(document=document, kind=DataFlag.Kind.DEADLINE).delete()
    derive_schedule(document=document)
    generate_milestones(obligations=[o.pk for _, o in touched])
    return {"create": sum(r.action == "create" for r in todo),
            "change": sum(r.action == "change" for r in todo)}


def _changed(row: PlannedRow, *fields: str) -> bool:
    return any(c.field in fields for c in row.changes)


def _unique(code: str, codes: set) -> str:
    candidate, n = code, 2
    while candidate in codes:
        candidate, n = f"{code}-{n}", n + 1
    codes.add(candidate)
    return candidate


def _free_code(row: PlannedRow, codes: set) -> str:
    number = row.values.get("number")
    return _unique(str(number) if number else f"行{row.row}", codes)


def _replace_units(obligation: Obligation, values: dict, resolver, *, created: bool) -> None:
    """Keeps the refs (and the tasks) of units still named; removes the others'."""
    wanted = [(name, "lead") for name in values.get("lead", [])]
    wanted += [(name, "support") for name in values.get("support", [])]
    if not created:
        old = list(obligation.unit_refs.filter(from_rule=False))
        if "lead" not in values:
            wanted = [(r.written_name, r.role) for r in old if r.role == "lead"] + wanted
        if "support" not in values:
            wanted += [(r.written_name, r.role) for r in old if r.role == "support"]
        keep = {(r.written_name, r.role): r for r in old}
        gone = [r for key, r in keep.items() if key not in wanted]
        Task.objects.filter(source__in=gone).delete()  # no reports: checked in the plan
        ObligationUnit.objects.filter(pk__in=[r.pk for r in gone]).delete()
    else:
        keep = {}
    refs, kept = [], []
    for position, (name, role) in enumerate(wanted):
        ref = keep.get((name, role))
        if ref is not None:
            ref.position = position
            kept.append(ref)
            continue
        target = resolver.resolve(name)
        refs.append(ObligationUnit(
            obligation=obligation, role=role, written_name=name, position=position,
            unit=target if isinstance(target, Unit) else None,
            collective=target if isinstance(target, CollectiveUnit) else None))
    ObligationUnit.objects.bulk_update(kept, ["position"])
    ObligationUnit.objects.bulk_create(refs)


def _replace_people(obligation: Obligation, values: dict, region) -> None:
    lead_ref = obligation.unit_refs.filter(role="lead", unit__isnull=False).first()
    refs = []
    for role, key in (("leader", "leaders"), ("person", "persons")):
        if key not in values:
            continue
        obligation.person_refs.filter(role=role).delete()
        for position, name in enumerate(values[key]):
            person = _person(name, region, lead_ref.unit if lead_ref and role == "person" else None)
            refs.append(ObligationPerson(obligation=obligation, role=role, written_name=name,
                                         position=position, person=person))
    ObligationPerson.objects.bulk_create(refs)


def _refresh_flags(document, touched, resolver) -> None:
    ids = [o.pk for _, o in touched]
    with_lead = set(ObligationUnit.objects.filter(
        obligation__in=ids, role="lead", from_rule=False).values_list("obligation_id", flat=True))
    DataFlag.objects.filter(obligation__in=with_lead, kind=DataFlag.Kind.NO_LEAD_UNIT).delete()
    flagged = set(DataFlag.objects.filter(obligation__in=ids, kind=DataFlag.Kind.NO_LEAD_UNIT)
                  .values_list("obligation_id", flat=True))
    flags = [DataFlag(document=document, obligation=o, kind=DataFlag.Kind.NO_LEAD_UNIT,
                      message=_("未明确责任单位"))
             for _, o in touched if o.pk not in with_lead and o.pk not in flagged]
    reported = set()
    for row, obligation in touched:
        for name in row.new_units:
            if name in resolver.created and name not in reported:
                reported.add(name)
                flags.append(DataFlag(document=document, obligation=obligation,
                                      kind=DataFlag.Kind.UNKNOWN_UNIT,
                                      message=resolver.created[name]))
    DataFlag.objects.bulk_create(flags)
