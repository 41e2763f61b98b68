"""The preview of an uploaded document before it is published (issue 13): every measure with
its units marked as the register knows them, its people, its deadline as written and as read,
its targets and its data problems. Read-only: nothing here creates a unit."""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass, field

from obligations.deadlines import describe_deadline, parse_deadline
from obligations.importers import ParsedDocument
from obligations.models import CollectiveUnit, DocumentUpload, Period, Region
from obligations.periods import schedule_period
from obligations.selectors.units import UnitLookup, infer_region
from obligations.targets import parse_targets

KNOWN, COLLECTIVE, NEW = "known", "collective", "new"


@dataclass
class PreviewUnit:
    name: str
    role: str  # lead | support
    status: str  # known | collective | new
    from_rule: bool = False
    suggestions: list[str] = field(default_factory=list)  # close known units, for a new name


@dataclass
class PreviewMeasure:
    index: int  # position in the parsed document's nodes (what a correction addresses)
    code: str
    title: str
    text: str
    units: list[PreviewUnit]
    leaders: list[str]
    persons: list[str]
    deadline_text: str
    deadline: str
    targets: list[dict]
    flags: list[str]

    @property
    def lead(self) -> list[PreviewUnit]:
        return [u for u in self.units if u.role == "lead"]

    @property
    def support(self) -> list[PreviewUnit]:
        return [u for u in self.units if u.role == "support"]


@dataclass
class Preview:
    document: ParsedDocument
    region: Region | None
    measures: list[PreviewMeasure]
    flags: list[str]
    counts: dict = field(default_factory=dict)
    period: Period | None = None  # the chosen one, or read from the date and wording
    period_chosen: bool = False

    @property
    def issued_on(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.document.issued_on) \
            if self.document.issued_on else None


def close_units(name: str, names: list[str], region: Region | None, limit: int = 3) -> list[str]:
    """Known units whose names are close to a name the register does not know, to pick from
    in a correction: "县农业局" suggests 测试县农业农村局. (An abbreviation far from the full
    name, 人社局 for 人力资源和社会保障局, needs an alias in the unit register instead.)"""
    prefix = region.name if region else ""
    short = {n.removeprefix(prefix): n for n in names}
    wanted = name.lstrip("省市县区州")
    found = difflib.get_close_matches(wanted, list(short), n=limit, cutoff=0.5)
    return [short[n] for n in found]


def preview_of(upload: DocumentUpload) -> Preview | None:
    """The parsed document of a parsed (or published) upload, as the preview page shows it."""
    if not upload.parsed:
        return None
    parsed = ParsedDocument.from_dict(upload.parsed)
    region = upload.region
    if region is None and parsed.region_code:
        region = Region.objects.filter(code=parsed.region_code).first()
    if region is None:
        region = infer_region(parsed)
    lookup = UnitLookup(region=region)
    names = sorted({unit.name for unit in lookup.units.values()})
    chosen = upload.parsed.get("period_id")
    belongs = (Period.objects.filter(pk=chosen).first() if chosen else None) or Period.for_issue(
        issued_on=parsed.issued_on and datetime.date.fromisoformat(parsed.issued_on),
        issued_year=parsed.issued_year, title=parsed.title, region=region)
    period = schedule_period(belongs)
    measures = []
    for index, node in enumerate(parsed.nodes):
        if node.kind != "measure":
            continue
        units = []
        for ref in node.units:
            found = lookup.find(ref.name)
            status = (NEW if found is None
                      else COLLECTIVE if isinstance(found, CollectiveUnit) else KNOWN)
            units.append(PreviewUnit(ref.name, ref.role, status, ref.from_rule,
                                     close_units(ref.name, names, region) if found is None
                                     else []))
        spec = parse_deadline(node.deadline_text, period=period) if node.deadline_text else \
            parse_deadline(node.text, period=period, from_text=True)
        measures.append(PreviewMeasure(
            index=index, code=node.code, title=node.title, text=node.text, units=units,
            leaders=node.leaders, persons=node.persons, deadline_text=node.deadline_text,
            deadline=describe_deadline(spec), targets=parse_targets(node.text),
            flags=[f.message for f in node.flags]))
    counts = {
        "measures": len(measures),
        "no_lead": sum(1 for m in measures if not m.lead),
        "new_units": len({u.name for m in measures for u in m.units if u.status == NEW}),
        "flags": len(parsed.flags) + sum(len(m.flags) for m in measures),
    }
    return Preview(document=parsed, region=region, measures=measures,
                   flags=[f.message for f in parsed.flags], counts=counts, period=belongs,
                   period_chosen=bool(chosen))
