"""A small world for the funds tests: the catalog's regions and units, the demo accounts, a
village under 隆德县城关镇 and a few ready-made projects (no policy documents: fast)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from funds.models import PerformanceTarget, Project, ProjectFunding
from obligations.models import Region
from obligations.services.seed import create_demo_accounts, load_catalog


@pytest.fixture
def funds_world(db):
    load_catalog()
    create_demo_accounts()
    users = {u.username: u for u in get_user_model().objects.all()}
    longde = Region.objects.get(code="640423")
    chengguan = Region.objects.get(code="640423100")
    village = Region.objects.create(code="640423100201", name="北关村",
                                    level=Region.Level.VILLAGE, parent=chengguan)
    return SimpleNamespace(users=users, longde=longde, chengguan=chengguan, village=village,
                           xinbin=Region.objects.get(code="210422"))


def make_project(region, *, status=Project.Status.DECLARED, code="P-001", year=2022,
                 name="北关村蔬菜大棚项目", targets=1, funding=None):
    project = Project.objects.create(code=code, name=name, year=year, region=region,
                                     category=Project.Category.INDUSTRY, status=status,
                                     content="新建温室大棚20座", responsible_person="王建国",
                                     supervision_phone="0954-6011234", households=40,
                                     households_poverty_exit=12)
    for i in range(targets):
        PerformanceTarget.objects.create(project=project, kind="output",
                                         indicator=f"新建大棚数量{i}", target_value="20座")
    if funding:
        ProjectFunding.objects.create(project=project, source="central", amount=funding,
                                      allocated_on=datetime.date(2022, 3, 1))
    return project
