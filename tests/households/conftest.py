"""A small world for the households tests: the catalog, the demo accounts, the households
demo's places and accounts (a village official of 北关村, a reviewer of 城关镇), a line."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from households.demo import ensure_places_and_accounts
from households.models import Household, MonitoringLine
from households.services import members
from obligations.models import Region
from obligations.services.seed import create_demo_accounts, load_catalog


@pytest.fixture
def hh_world(db):
    load_catalog()
    create_demo_accounts()
    places = ensure_places_and_accounts()
    users = {u.username: u for u in get_user_model().objects.all()}
    MonitoringLine.objects.create(region=Region.objects.get(code="640423"), base_year=2021,
                                  base_amount=Decimal(6000), yearly_rise=Decimal("0.05"),
                                  document="隆德县实施意见", clause="附件1")
    return SimpleNamespace(users=users, village=places["640423100201"],
                           other_village=places["640423100202"],
                           xinbin_village=places["210422100201"], today=datetime.date(2024, 6, 1))


def id_number(serial: int = 1, born=datetime.date(1980, 1, 1), region="640423") -> str:
    from households.idcard import make

    return make(region, born, serial)


def make_household(village, actor, *, code="HH-001", id_number=None, name="马建国", **member):
    id_number = id_number or globals()["id_number"](1)
    household = Household.objects.create(code=code, region=village, head_name=name)
    members.add_member(household=household, actor=actor, data={
        "name": name, "relation": "head", "id_number": id_number,
        "phone": "13912345678", "bank": "6228480012345678901", **member})
    return household
