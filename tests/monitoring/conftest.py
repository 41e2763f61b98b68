import datetime

import pytest
from django.contrib.auth import get_user_model

from obligations.models import (
    Membership,
    Milestone,
    Obligation,
    PolicyDocument,
    Region,
    Task,
    Unit,
)

D = datetime.date


class World:
    """A province, a city with two counties, a unit in each, officials and supervisors."""

    def __init__(self):
        User = get_user_model()
        self.province = Region.objects.create(code="900000", name="测试省", level="province")
        self.city = Region.objects.create(code="900100", name="测试市", level="city",
                                          parent=self.province)
        self.east = Region.objects.create(code="900101", name="东县", level="county", parent=self.city)
        self.west = Region.objects.create(code="900102", name="西县", level="county", parent=self.city)
        self.east_unit = Unit.objects.create(name="东县农业农村局", region=self.east)
        self.west_unit = Unit.objects.create(name="西县农业农村局", region=self.west)
        self.city_unit = Unit.objects.create(name="市农业农村局", region=self.city)
        self.document = PolicyDocument.objects.create(title="测试文件", level="province",
                                                      region=self.province,
                                                      issued_on=D(2021, 1, 1))
        self.official = User.objects.create_user("east_official", email="east@example.cn")
        Membership.objects.create(user=self.official, unit=self.east_unit, role="official")
        self.supervisor = User.objects.create_user("east_supervisor")
        Membership.objects.create(user=self.supervisor, unit=self.east_unit, role="supervisor",
                                  region=self.east)
        self.far_supervisor = User.objects.create_user("west_supervisor")
        Membership.objects.create(user=self.far_supervisor, unit=self.west_unit,
                                  role="supervisor", region=self.west)
        self.positions = 0

    def task(self, unit, *due_dates, title="测试措施"):
        self.positions += 1
        obligation = Obligation.objects.create(document=self.document, kind="measure",
                                               code=str(self.positions), position=self.positions,
                                               title=title)
        task = Task.objects.create(obligation=obligation, unit=unit, role="lead")
        for due in due_dates:
            Milestone.objects.create(task=task, due_on=due, kind="checkin")
        return task


@pytest.fixture
def world(db):
    return World()
