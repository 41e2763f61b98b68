"""Looking up the unit a document means by a name, read-only: exact names, aliases,
abbreviations (县扶贫办 → 扶贫办), collective units, in the document's region and the
regions above it, nearest first. obligations.services.resolution adds creating what a new
document names for the first time."""

from __future__ import annotations

import re

from obligations.importers.parsed import ParsedDocument
from obligations.models import CollectiveUnit, Region, Unit, UnitAlias


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


def name_variants(name: str) -> list[str]:
    """县扶贫办 → 扶贫办; 社会保障处 stays; full-width parens everywhere."""
    variants = [name]
    stripped = re.sub(r"^(省|市|州|县|区)(?!委|直|政府)", "", name)
    if stripped != name:
        variants.append(stripped)
    return variants



_ADMIN_SUFFIXES = set("省市县区州旗盟镇乡")


class UnitLookup:
    """Units and collective units by name within `region` and its ancestors (one query each)."""

    def __init__(self, *, region: Region | None):
        self.region = region
        self.regions: list[Region] = []
        self.units: dict[tuple[int, str], Unit] = {}
        self.collectives: dict[tuple[int, str], CollectiveUnit] = {}
        if region is None:
            return
        ancestors = [p for p in region.path.split("/") if p]
        scope = list(Region.objects.filter(code__in=ancestors))
        depth = {r.id: r.path.count("/") for r in scope}
        self.regions = sorted(scope, key=lambda r: -depth[r.id])  # nearest region first
        for unit in Unit.objects.filter(region__in=scope):
            self.units[(unit.region_id, unit.name)] = unit
        for alias in UnitAlias.objects.filter(unit__region__in=scope).select_related("unit"):
            self.units.setdefault((alias.unit.region_id, alias.name), alias.unit)
        self.collectives = {
            (c.region_id, c.name): c for c in CollectiveUnit.objects.filter(region__in=scope)
        }

    def _variants_in(self, name: str, region: Region) -> list[str]:
        """As a reader of the region's own document reads it: in a 隆德县 document
        "县民政局" is 隆德县民政局, in a 抚顺市 one "市农业农村局" is 抚顺市农业农村局."""
        variants = name_variants(name)
        suffix = region.name[-1:] if region.name else ""
        if suffix in _ADMIN_SUFFIXES and name.startswith(suffix) and len(name) > 1:
            variants.append(region.name + name[1:])
        return variants

    def find_unit(self, name: str) -> Unit | None:
        for region in self.regions:
            for variant in self._variants_in(name, region):
                if (region.id, variant) in self.units:
                    return self.units[(region.id, variant)]
        return None

    def find(self, name: str) -> Unit | CollectiveUnit | None:
        """The unit or collective unit the name means, or None when the register has none."""
        for region in self.regions:
            if (region.id, name) in self.collectives:
                return self.collectives[(region.id, name)]
            for variant in self._variants_in(name, region):
                if (region.id, variant) in self.units:
                    return self.units[(region.id, variant)]
        return None
