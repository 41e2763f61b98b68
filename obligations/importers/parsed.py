"""What the importer reads out of a document, before anything touches the database.

These plain dataclasses are also the format of the reviewed seed register in
`fixtures/documents/*.json`: the importer's output, corrected by a person.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Flag:
    kind: str  # one of DataFlag.Kind
    message: str


@dataclass
class UnitRef:
    name: str  # as a reader of the document writes it
    role: str  # "lead" | "support"
    wording: str = ""  # 共同牵头 / 牵头 / 负责 / 分别负责 / 参与 …
    clause: int | None = None
    from_rule: bool = False


@dataclass
class Node:
    """One numbered element: a heading with children (group) or a measure."""

    code: str
    number: str  # the marker as written: "（三）", "5.", "第一节"
    title: str
    text: str = ""
    kind: str = "measure"  # "group" | "measure"
    parent_code: str | None = None
    units: list[UnitRef] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    deadline_text: str = ""
    clauses: list[dict] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def lead_units(self) -> list[str]:
        return [u.name for u in self.units if u.role == "lead" and not u.from_rule]

    @property
    def supporting_units(self) -> list[str]:
        return [u.name for u in self.units if u.role == "support" and not u.from_rule]


@dataclass
class ParsedDocument:
    title: str
    doc_number: str = ""
    issuer: str = ""
    level: str = "unknown"  # central | province | city | county | department | unknown
    issued_on: str | None = None  # ISO date
    issued_year: int | None = None
    implements: list[str] = field(default_factory=list)  # 文号 of the documents it implements
    attachments: list[str] = field(default_factory=list)  # 附件 titles, as listed
    region_code: str | None = None
    source_name: str = ""
    nodes: list[Node] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def measures(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "measure"]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ParsedDocument:
        data = dict(data)
        data.pop("period_id", None)  # the period chosen in the preview (services.intake)
        nodes = []
        for raw in data.pop("nodes", []):
            raw = dict(raw)
            raw["units"] = [UnitRef(**u) for u in raw.get("units", [])]
            raw["flags"] = [Flag(**f) for f in raw.get("flags", [])]
            nodes.append(Node(**raw))
        flags = [Flag(**f) for f in data.pop("flags", [])]
        return cls(nodes=nodes, flags=flags, **data)
