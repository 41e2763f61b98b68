"""The seeds' checks on the monitored households (issue 16 item 5), each with its clause, as
flags for the household page, the case page, the flags page and the dashboards. Set-based: one
query per check over the households given, whatever their number.

- every household under monitoring has at least one 帮扶措施 (001 第三章第一节, 003 二(二)
  "一户一策"; 004 二(一)2 "精准施策");
- a member without work capacity and without stable income is in 低保 or 特困供养
  (002 (十八), 004 二(二)7 "对无劳动能力…纳入兜底保障");
- a child of compulsory-school age out of school for a reason other than health is red
  (控辍保学: 001 第五章, 004 二(二)3);
- a 脱贫不享受政策户 gets no measures (its status says it no longer takes policy support);
- the 医疗保险参保资助 of a medical measure follows the region's rule (`medical_subsidy_rule`):
  000, 001 第三章第五节, 002 (十六), 003: 特困 全额, 低保 定额, 监测对象 定额 (for a time);
  004 二(二)4 (抚顺): 特困 and 低保 both 全额.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Case, Household, Measure, Member

MONITORED = [Case.Status.MONITORING, Case.Status.PROPOSED_ELIMINATION]


@dataclass(frozen=True)
class Check:
    code: str
    title: object  # a lazy translation
    clause: object


CHECKS = {c.code: c for c in [
    Check("no_measure", gettext_lazy("监测户没有帮扶措施"),
          gettext_lazy("001 第三章第一节、003 二(二)（一户一策）")),
    Check("no_safety_net", gettext_lazy("无劳动能力且无稳定收入的成员未纳入低保或特困供养"),
          gettext_lazy("002 (十八)、004 二(二)7")),
    Check("dropout", gettext_lazy("义务教育阶段失学辍学（非身体原因）"),
          gettext_lazy("001 第五章、004 二(二)3（控辍保学）")),
    Check("exit_no_policy_measure", gettext_lazy("脱贫不享受政策户安排了帮扶措施"),
          gettext_lazy("户类型")),
    Check("medical_subsidy", gettext_lazy("医疗保险参保资助类型与本地政策不符"),
          gettext_lazy("000、001 第三章第五节、002 (十六)、003；抚顺 004 二(二)4")),
]}

# (region code prefix → rule): which document decides the 参保资助 where; the longest prefix wins
_RULES = [
    ("2104", "004 二(二)4", {"tekun": Measure.Subsidy.FULL, "dibao": Measure.Subsidy.FULL,
                            "monitored": None}),
    ("", "000、001 第三章第五节、002 (十六)、003", {
        "tekun": Measure.Subsidy.FULL, "dibao": Measure.Subsidy.FIXED,
        "monitored": Measure.Subsidy.FIXED}),
]


def medical_subsidy_rule(region_code: str, *, tekun: bool, dibao: bool):
    """(the subsidy the household's medical measure should carry or None, the clause)."""
    for prefix, clause, rule in _RULES:
        if region_code.startswith(prefix):
            key = "tekun" if tekun else "dibao" if dibao else "monitored"
            return rule[key], clause
    return None, ""


@dataclass(frozen=True)
class Flag:
    check: str
    household_id: int
    household_code: str
    region_name: str
    message: str
    case_id: int | None = None

    @property
    def title(self) -> str:
        return CHECKS[self.check].title

    @property
    def clause(self) -> str:
        return CHECKS[self.check].clause


def flags_for(households) -> list[Flag]:
    """Every check over the `households` queryset (already scoped by the caller)."""
    flags: list[Flag] = []
    base = households.values("pk")
    measures = Measure.objects.filter(case=OuterRef("pk"))
    for case in (Case.objects.filter(household__in=base, status__in=MONITORED)
                 .filter(~Exists(measures))
                 .values("pk", "household_id", "household__code", "household__region__name")):
        flags.append(Flag("no_measure", case["household_id"], case["household__code"],
                          case["household__region__name"],
                          _("已纳入监测帮扶，尚未制定帮扶措施"), case_id=case["pk"]))
    for member in (Member.objects.filter(household__in=base,
                                         work_capacity=Member.WorkCapacity.NONE,
                                         stable_income=False, in_dibao=False, in_tekun=False)
                   .values("household_id", "household__code", "household__region__name",
                           "name")):
        flags.append(Flag("no_safety_net", member["household_id"], member["household__code"],
                          member["household__region__name"],
                          _("成员%(name)s某无劳动能力、无稳定收入，未纳入低保或特困供养")
                          % {"name": member["name"][:1]}))
    for member in (Member.objects.filter(household__in=base,
                                         schooling=Member.Schooling.OUT_OF_SCHOOL,
                                         out_of_school_for_health=False)
                   .values("household_id", "household__code", "household__region__name",
                           "name")):
        flags.append(Flag("dropout", member["household_id"], member["household__code"],
                          member["household__region__name"],
                          _("成员%(name)s某义务教育阶段失学辍学，须劝返复学") % {"name": member["name"][:1]}))
    for case in (Case.objects.filter(household__in=base,
                                     household__base_status=Household.BaseStatus.EXIT_NO_POLICY)
                 .filter(Exists(measures))
                 .values("pk", "household_id", "household__code", "household__region__name")):
        flags.append(Flag("exit_no_policy_measure", case["household_id"],
                          case["household__code"], case["household__region__name"],
                          _("脱贫不享受政策户安排了帮扶措施"), case_id=case["pk"]))
    tekun = Member.objects.filter(household=OuterRef("case__household"), in_tekun=True)
    dibao = Member.objects.filter(household=OuterRef("case__household"), in_dibao=True)
    labels = dict(Measure.Subsidy.choices)
    for measure in (Measure.objects.filter(case__household__in=base, kind=Measure.Kind.MEDICAL)
                    .exclude(subsidy="")
                    .annotate(tekun=Exists(tekun), dibao=Exists(dibao))
                    .values("subsidy", "tekun", "dibao", "case_id", "case__household_id",
                            "case__household__code", "case__household__region__name",
                            "case__household__region__code")):
        expected, clause = medical_subsidy_rule(measure["case__household__region__code"],
                                                tekun=measure["tekun"], dibao=measure["dibao"])
        if expected and measure["subsidy"] != expected:
            flags.append(Flag("medical_subsidy", measure["case__household_id"],
                              measure["case__household__code"],
                              measure["case__household__region__name"],
                              _("安排的是%(given)s，按%(clause)s应为%(expected)s") % {
                                  "given": labels[measure["subsidy"]], "clause": clause,
                                  "expected": labels[expected]}, case_id=measure["case_id"]))
    return sorted(flags, key=lambda f: (f.household_code, f.check))
