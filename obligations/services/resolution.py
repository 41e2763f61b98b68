"""Finding the unit a document means by a name: exact names, aliases, abbreviations,
collective units; and creating (flagged) what a new document names for the first time."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from obligations.models import CollectiveUnit, PolicyDocument, Unit
from obligations.selectors.units import UnitLookup, infer_region  # noqa: F401 (re-exported)

# Names that stand for a set of units, and how they expand when a document
# uses one the register does not know yet (DESIGN.md §2 "collective unit").
_COLLECTIVE_RULES = [
    (
        re.compile(r"^各乡（?镇）?$|^各镇$|^各乡镇（镇）$"),
        {"levels": ["township"], "unit_kind": "government"},
    ),
    (
        re.compile(r"^各县（?[市、]*区）?$|^各县$|^各县市区$"),
        {"levels": ["county"], "unit_kind": "government"},
    ),
    (re.compile(r"^各市（?州）?$|^各市州$"), {"levels": ["city"], "unit_kind": "government"}),
    (
        re.compile(r"^各市（州）、县财政局$"),
        {"levels": ["city", "county"], "name_suffix": "财政局"},
    ),
    (re.compile(r"^各(有关)?金融(机构|单位)$|^各有关金融单位$"), {"unit_kind": "financial"}),
    (
        re.compile(r"^[市县]直(各)?(相关|有关)单位$"),
        {"unit_kind": "department", "same_level": True},
    ),
]
_GROUP_RE = re.compile(r"^(?P<group>.+?(领导小组|委员会|指挥部))(各)?成员单位$")
_COLLECTIVE_HINT_RE = re.compile(r"^各|成员单位$|相关单位$|有关单位$|帮扶单位$")


class UnitResolver(UnitLookup):
    """Resolves names for one document, within its region and the regions above it, and
    creates (flagged for review) the units and collective units it names for the first time."""

    def __init__(self, *, document: PolicyDocument):
        self.document = document
        self.created: dict[str, str] = {}  # name → problem message
        self.unresolved: set[str] = set()
        super().__init__(region=document.region)

    def resolve(self, name: str):
        found = self.find(name)
        if found is not None:
            return found
        if _COLLECTIVE_HINT_RE.search(name):
            return self._new_collective(name)
        return self._new_unit(name)

    def _new_collective(self, name: str) -> CollectiveUnit:
        fields = {"mode": CollectiveUnit.Mode.UNDEFINED}
        for pattern, rule in _COLLECTIVE_RULES:
            if pattern.match(name):
                rule = dict(rule)
                if rule.pop("same_level", False):
                    rule["levels"] = [self.region.level]
                fields = {"mode": CollectiveUnit.Mode.REGION, **rule}
                break
        else:
            group = _GROUP_RE.match(name)
            if group:
                found = self.find_unit(group.group("group"))
                if found is not None and found.kind == Unit.Kind.GROUP:
                    fields = {"mode": CollectiveUnit.Mode.GROUP, "group": found}
        collective = CollectiveUnit.objects.create(name=name, region=self.region, **fields)
        self.collectives[(self.region.id, name)] = collective
        if collective.mode == CollectiveUnit.Mode.UNDEFINED:
            self.created[name] = _("集合单位“%(name)s”尚未配置展开规则，暂不能生成任务") % {
                "name": name
            }
        return collective

    def _new_unit(self, name: str) -> Unit:
        unit = Unit.objects.create(
            name=name, region=self.region, kind=_guess_kind(name), needs_review=True
        )
        self.units[(self.region.id, name)] = unit
        self.created[name] = _("单位“%(name)s”不在单位库中，已新建，待管理员核实") % {"name": name}
        return unit

    def problems(self, pairs):
        """(obligation, message) for the first obligation naming each new or unknown unit."""
        reported = set()
        for node, obligation in pairs:
            for ref in node.units:
                if ref.name in self.created and ref.name not in reported:
                    reported.add(ref.name)
                    yield obligation, self.created[ref.name]


def _guess_kind(name: str) -> str:
    if re.search(r"(银行|支行|分局|信用社|农商行|保险|财险|金融)", name):
        return Unit.Kind.FINANCIAL
    if re.search(r"公司$", name):
        return Unit.Kind.STATE_COMPANY
    if re.search(r"处$|处室$", name):
        return Unit.Kind.DIVISION
    if re.search(r"(领导小组|指挥部)$", name):
        return Unit.Kind.GROUP
    if re.search(r"(委员会|党委|组织部|宣传部|统战部|政法委|纪委|农办|县委办)", name):
        return Unit.Kind.PARTY
    if re.search(r"人民政府$", name):
        return Unit.Kind.GOVERNMENT
    return Unit.Kind.DEPARTMENT
