"""Finding the unit a document means by a name: exact names, aliases, abbreviations,
collective units; and creating (flagged) what a new document names for the first time."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from obligations.importers.parsed import ParsedDocument
from obligations.models import CollectiveUnit, PolicyDocument, Region, Unit, UnitAlias

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


def infer_region(parsed: ParsedDocument) -> Region | None:
    """The most specific region whose name the issuer (or else the title) contains."""
    for text in (parsed.issuer, parsed.title):
        matches = [
            r
            for r in Region.objects.only("id", "name", "level", "path", "code")
            if r.name and r.name in (text or "")
        ]
        if matches:
            return max(matches, key=lambda r: (r.path.count("/"), len(r.name)))
    return None


def _variants(name: str) -> list[str]:
    """县扶贫办 → 扶贫办; 社会保障处 stays; full-width parens everywhere."""
    variants = [name]
    stripped = re.sub(r"^(省|市|州|县|区)(?!委|直|政府)", "", name)
    if stripped != name:
        variants.append(stripped)
    return variants


class UnitResolver:
    """Resolves names for one document, within its region and the regions above it."""

    def __init__(self, *, document: PolicyDocument):
        self.document = document
        self.region = document.region
        self.created: dict[str, str] = {}  # name → problem message
        self.unresolved: set[str] = set()
        if self.region is None:
            return
        ancestors = [p for p in self.region.path.split("/") if p]
        scope = list(Region.objects.filter(code__in=ancestors))
        depth = {r.id: r.path.count("/") for r in scope}
        order = sorted(scope, key=lambda r: -depth[r.id])  # nearest region first
        self.regions = order
        self.units: dict[tuple[int, str], Unit] = {}
        for unit in Unit.objects.filter(region__in=scope):
            self.units[(unit.region_id, unit.name)] = unit
        for alias in UnitAlias.objects.filter(unit__region__in=scope).select_related("unit"):
            self.units.setdefault((alias.unit.region_id, alias.name), alias.unit)
        self.collectives = {
            (c.region_id, c.name): c for c in CollectiveUnit.objects.filter(region__in=scope)
        }

    def resolve(self, name: str):
        for region in self.regions:
            if (region.id, name) in self.collectives:
                return self.collectives[(region.id, name)]
            for variant in _variants(name):
                if (region.id, variant) in self.units:
                    return self.units[(region.id, variant)]
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
                found = self._find_unit(group.group("group"))
                if found is not None and found.kind == Unit.Kind.GROUP:
                    fields = {"mode": CollectiveUnit.Mode.GROUP, "group": found}
        collective = CollectiveUnit.objects.create(name=name, region=self.region, **fields)
        self.collectives[(self.region.id, name)] = collective
        if collective.mode == CollectiveUnit.Mode.UNDEFINED:
            self.created[name] = _("集合单位“%(name)s”尚未配置展开规则，暂不能生成任务") % {
                "name": name
            }
        return collective

    def _find_unit(self, name: str) -> Unit | None:
        for region in self.regions:
            for variant in _variants(name):
                if (region.id, variant) in self.units:
                    return self.units[(region.id, variant)]
        return None

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
