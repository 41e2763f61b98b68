"""Loading the reviewed seed register from `fixtures/` (DESIGN.md §5: `load_seed`)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from obligations.importers.parsed import ParsedDocument
from obligations.models import (
    CollectiveUnit,
    Membership,
    PolicyDocument,
    Region,
    RegionCategory,
    Unit,
    UnitAlias,
)
from obligations.services.documents import save_parsed_document

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Local demo accounts (DESIGN.md users). Never created unless settings.DEMO_ACCOUNTS is on.
DEMO_PASSWORD = "demo-2021"
DEMO_ACCOUNTS = [
    # username, display name, region code, unit name, role, scope region code
    ("longde_fupin", "隆德县扶贫办填报人", "640423", "扶贫办", "official", None),
    ("longde_minzheng", "隆德县民政局填报人", "640423", "民政局", "official", None),
    ("xinbin", "新宾县填报人", "210422", "新宾满族自治县人民政府", "official", None),
    ("longde_nongban", "隆德县委农办审核人", "640423", "县委农办", "supervisor", "640423"),
    ("longde_leader", "隆德县领导", "640423", "隆德县人民政府", "leader", "640423"),
    # a township under Longde (a child unit of the county's tasks)
    ("longde_chengguan", "隆德县城关镇填报人", "640423100", "城关镇人民政府", "official", None),
    # Fushun: two counties of the same city and the city above them, so that every page can
    # be walked as a sibling (issue 14): 新宾 and 清原 carry the same measures of 004.
    ("xinbin_duban", "新宾县督查审核人", "210422", "新宾满族自治县人民政府", "supervisor", "210422"),
    ("qingyuan", "清原县填报人", "210423", "清原满族自治县人民政府", "official", None),
    ("qingyuan_duban", "清原县督查审核人", "210423", "清原满族自治县人民政府", "supervisor",
     "210423"),
    ("qingyuan_leader", "清原县领导", "210423", None, "leader", "210423"),
    ("fushun_leader", "抚顺市领导", "210400", None, "leader", "210400"),
]
ADMIN_ACCOUNT = ("admin", "系统管理员")


def load_catalog(path: Path = FIXTURES / "catalog.json") -> None:
    """Regions, county categories, units (aliases, groups) and collective units."""
    data = json.loads(path.read_text(encoding="utf-8"))
    regions: dict[str, Region] = {}
    for code, name, level, parent in data["regions"]:
        regions[code] = Region.objects.create(
            code=code, name=name, level=level, parent=regions.get(parent)
        )
    RegionCategory.objects.bulk_create(
        [
            RegionCategory(region=regions[code], year=year, category=category)
            for code, category, first, last in data["categories"]
            for year in range(first, last + 1)
        ]
    )
    units: dict[tuple[str, str], Unit] = {}
    for item in data["units"]:
        region = regions[item["region"]]
        parent = units.get((item["region"], item["parent"])) if item["parent"] else None
        units[(item["region"], item["name"])] = Unit.objects.create(
            name=item["name"], region=region, kind=item["kind"], parent=parent
        )
    UnitAlias.objects.bulk_create(
        [
            UnitAlias(
                unit=units[(item["region"], item["name"])],
                name=alias,
                kind=UnitAlias.Kind.ABBREVIATION
                if len(alias) < len(item["name"])
                else UnitAlias.Kind.VARIANT,
            )
            for item in data["units"]
            for alias in item["aliases"]
        ]
    )
    for item in data["units"]:
        for group in item["groups"]:
            units[(item["region"], group)].members.add(units[(item["region"], item["name"])])
    for item in data["collectives"]:
        region_code = item["region"]
        CollectiveUnit.objects.create(
            name=item["name"],
            region=regions[region_code],
            mode=item["mode"],
            levels=item.get("levels", []),
            unit_kind=item.get("unit_kind", ""),
            name_suffix=item.get("name_suffix", ""),
            group=units.get((region_code, item.get("group"))),
            parent_unit=units.get((region_code, item.get("parent_unit"))),
        )


def load_documents(directory: Path = FIXTURES / "documents") -> list[PolicyDocument]:
    documents = []
    for path in sorted(directory.glob("*.json")):
        parsed = ParsedDocument.from_dict(json.loads(path.read_text(encoding="utf-8")))
        source = FIXTURES / "sources" / parsed.source_name
        text = source.read_text(encoding="utf-8") if source.is_file() else ""
        documents.append(save_parsed_document(parsed=parsed, source_text=text, actor=None))
    return documents


def create_demo_accounts() -> list[tuple[str, str, str]]:
    """(username, password, description) of the local demo accounts; idempotent."""
    User = get_user_model()
    created = []
    for username, label, region_code, unit_name, role, scope in DEMO_ACCOUNTS:
        unit = Unit.objects.get(region__code=region_code, name=unit_name) if unit_name else None
        user, new = User.objects.get_or_create(username=username, defaults={"first_name": label})
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            unit=unit,
            role=role,
            defaults={"region": Region.objects.get(code=scope) if scope else None},
        )
        created.append((username, DEMO_PASSWORD, label))
    username, label = ADMIN_ACCOUNT
    if not User.objects.filter(username=username).exists():
        User.objects.create_superuser(
            username=username, password=DEMO_PASSWORD, email="", first_name=label
        )
    created.append((username, DEMO_PASSWORD, label))
    return created


@transaction.atomic
def load_seed() -> list[PolicyDocument] | None:
    """Builds the demo database; does nothing (returns None) when a register already exists."""
    if Region.objects.exists() or PolicyDocument.objects.exists():
        return None
    load_catalog()
    return load_documents()
