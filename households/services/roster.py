"""Importing a village roster (花名册) kept in Excel, the way villages hold their lists: one row
per person, grouped into households by 户编号. A preview first (masked), then — confirmed and
only if no row has a problem — everything in one transaction with one audit row.

Checked per row and column (obligations.importers.sheets): required fields, the 身份证号's
checksum and birth date, a person twice in the file, a person already registered in any
household or village (by the blind index, nothing decrypted), a village outside the user's
reach, values outside the lists (relation, health, work capacity, schooling, 是/否).

Speed: 身份证号 are indexed and encrypted once per row, existing people are looked up in
batches of indexes, rows are written with bulk_create.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from households import idcard, selectors
from households.models import Household, Member
from households.services.members import protect
from obligations.importers.sheets import Problem, norm_header, read_sheet
from obligations.services import audit

MAX_ROWS = 120_000
HEADERS = {  # field → header spellings (normalised); the first is the template's
    "code": ["户编号", "户号", "家庭编号"],
    "village": ["所在村", "村", "行政村", "村名"],
    "base_status": ["户类型", "户属性", "农户类型"],
    "name": ["姓名", "成员姓名"],
    "relation": ["与户主关系", "关系"],
    "id_number": ["身份证号", "证件号码", "身份证号码"],
    "phone": ["联系电话", "电话", "手机号"],
    "health": ["健康状况", "健康"],
    "disability_level": ["残疾等级"],
    "work_capacity": ["劳动能力", "劳动技能"],
    "schooling": ["在校情况", "在校生状况"],
    "employed": ["务工就业", "是否务工"],
    "in_dibao": ["纳入低保", "低保"],
    "in_tekun": ["纳入特困供养", "特困"],
}
HEADERS = {k: [norm_header(v) for v in vs] for k, vs in HEADERS.items()}
TEMPLATE = ["户编号", "所在村", "户类型", "姓名", "与户主关系", "身份证号", "联系电话", "健康状况",
            "残疾等级", "劳动能力", "在校情况", "务工就业", "纳入低保", "纳入特困供养"]
REQUIRED = ("code", "village", "name", "relation", "id_number")


def _choices(enum) -> dict[str, str]:
    return {str(label): value for value, label in enum.choices}


CHOICES = {
    "base_status": _choices(Household.BaseStatus),
    "relation": _choices(Member.Relation),
    "health": _choices(Member.Health),
    "work_capacity": _choices(Member.WorkCapacity),
    "schooling": {**_choices(Member.Schooling), "": ""},
}
YES = {"是": True, "有": True, "√": True, "否": False, "无": False, "": False}


@dataclass
class RosterPlan:
    file_name: str
    rows: int = 0
    households: list = field(default_factory=list)  # [(Household, [Member, …])]
    problems: list[Problem] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)  # the first rows, masked

    @property
    def members(self) -> int:
        return sum(len(m) for _h, m in self.households)

    def digest(self) -> str:
        key = "|".join(f"{h.code}:{len(m)}" for h, m in self.households)
        return hashlib.sha256(key.encode()).hexdigest()[:16]


def _text(value) -> str:
    from obligations.importers.excel import cell_text

    return cell_text(value).strip()


def plan_roster(data: bytes, *, file_name: str, user) -> RosterPlan:
    """Reads the roster and checks every row; writes nothing."""
    plan = RosterPlan(file_name=file_name)
    sheet, problems = read_sheet(data, file_name=file_name, headers=HEADERS,
                                 required=REQUIRED, max_rows=MAX_ROWS)
    plan.problems += problems
    if sheet is None:
        return plan
    col = sheet.columns
    villages = {}
    for region in selectors.registrable_villages(user):
        villages[region.code] = region
        villages.setdefault(region.name, region)
    seen_ids: dict[str, int] = {}
    grouped: dict[str, tuple[Household, list]] = {}
    indexes: dict[str, int] = {}
    for row_no, cells in sheet.rows:
        plan.rows += 1
        values = {k: _text(v) for k, v in cells.items()}
        bad = []
        for name in REQUIRED:
            if not values.get(name):
                bad.append((name, _("不能为空")))
        village = villages.get(values.get("village", ""))
        if values.get("village") and village is None:
            bad.append(("village", _("“%(v)s”不是您可以登记的村（填写村名或区划代码）")
                        % {"v": values["village"][:20]}))
        member = Member(name=values.get("name", "")[:40])
        for name in ("relation", "health", "work_capacity", "schooling"):
            raw = values.get(name, "")
            if name in ("health", "work_capacity") and not raw:
                continue
            if raw not in CHOICES[name]:
                bad.append((name, _("“%(v)s”不是可选的值（%(options)s）") % {
                    "v": raw[:20], "options": "、".join(k for k in CHOICES[name] if k)}))
            else:
                setattr(member, name, CHOICES[name][raw])
        for name in ("employed", "in_dibao", "in_tekun"):
            raw = values.get(name, "")
            if raw not in YES:
                bad.append((name, _("须填“是”或“否”")))
            else:
                setattr(member, name, YES[raw])
        member.disability_level = values.get("disability_level", "")[:10]
        number = idcard.normalize(values.get("id_number", ""))
        if number:
            try:
                protect(member, id_number=number, phone=values.get("phone", ""))
            except ValueError as exc:
                which = "phone" if "电话" in str(exc) else "id_number"
                bad.append((which, str(exc)))
            else:
                if number in seen_ids:
                    bad.append(("id_number", _("与第%(n)s行是同一人") % {"n": seen_ids[number]}))
                seen_ids[number] = row_no
                indexes[member.id_number_index] = row_no
        for name, message in bad:
            plan.problems.append(Problem(row_no, col.get(name, ""), message))
        if bad:
            continue
        code = values["code"][:40]
        if code not in grouped:
            household = Household(code=code, region=village, head_name="")
            status = values.get("base_status", "")
            if status and status not in CHOICES["base_status"]:
                plan.problems.append(Problem(row_no, col.get("base_status", ""),
                                             _("“%(v)s”不是可选的户类型") % {"v": status[:20]}))
                continue
            household.base_status = CHOICES["base_status"].get(status,
                                                               Household.BaseStatus.ORDINARY)
            grouped[code] = (household, [])
        household, members = grouped[code]
        if household.region_id != village.pk:
            plan.problems.append(Problem(row_no, col.get("village", ""),
                                         _("同一户编号 %(code)s 的成员不在同一个村") % {"code": code}))
            continue
        if member.relation == Member.Relation.HEAD:
            household.head_name = member.name
        members.append(member)
        if len(plan.preview) < 50:
            plan.preview.append({"row": row_no, "code": code, "village": village.name,
                                 "name": member.name, "relation": member.get_relation_display(),
                                 "id_number": member.id_number_masked})
    # people already registered anywhere, by index, in batches
    keys = list(indexes)
    for start in range(0, len(keys), 5000):
        for index, code, place in (Member.objects.filter(id_number_index__in=keys[start:start + 5000])
                                   .values_list("id_number_index", "household__code",
                                                "household__region__name")):
            plan.problems.append(Problem(indexes[index], col.get("id_number", ""),
                                         _("已登记在%(place)s的农户 %(code)s，同一人不能登记两次")
                                         % {"place": place, "code": code}))
    existing_codes = set()
    codes = list(grouped)
    for start in range(0, len(codes), 5000):
        existing_codes |= set(Household.objects.filter(code__in=codes[start:start + 5000])
                              .values_list("code", flat=True))
    for code in sorted(existing_codes):
        plan.problems.append(Problem(None, col.get("code", ""),
                                     _("户编号 %(code)s 已存在（本导入只登记新户）") % {"code": code}))
    for code, (household, _members) in grouped.items():
        if not household.head_name and code not in existing_codes:
            plan.problems.append(Problem(None, col.get("relation", ""),
                                         _("户编号 %(code)s 没有“户主”") % {"code": code}))
    plan.problems.sort(key=lambda p: (p.row or 0, p.column))
    plan.households = list(grouped.values())
    return plan


def apply_roster(plan: RosterPlan, *, actor) -> dict:
    """Writes a plan without problems: every household and member, one audit row."""
    if plan.problems:
        raise ValueError("a roster with problems is never written")
    with transaction.atomic():
        households = Household.objects.bulk_create([h for h, _m in plan.households],
                                                   batch_size=2000)
        members = []
        for household, rows in zip(households, (m for _h, m in plan.households), strict=True):
            for member in rows:
                member.household = household
                members.append(member)
        Member.objects.bulk_create(members, batch_size=2000)
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE, subject="households",
                     summary=_("导入花名册《%(file)s》：%(h)s 户、%(m)s 人") % {
                         "file": plan.file_name[:80], "h": len(households), "m": len(members)})
    return {"households": len(households), "members": len(members)}

