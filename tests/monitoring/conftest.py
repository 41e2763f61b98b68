import datetime
import zoneinfo

import pytest
from django.contrib.auth import get_user_model

from obligations.models import (
    IndicatorTarget,
    IndicatorValue,
    Membership,
    Milestone,
    Obligation,
    Period,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
    Unit,
)

D = datetime.date
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def report_on(task, day, review="submitted", milestone=None, at_time=datetime.time(10)):
    """A report on `task` submitted on `day` at `at_time` Beijing time (10:00 unless told)."""
    report = ProgressReport.objects.create(task=task, status="in_progress", percent=50,
                                           narrative="进展", review=review, milestone=milestone)
    at = datetime.datetime.combine(day, at_time, tzinfo=BEIJING)
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=at)
    return report


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
        # The test province recorded its own 过渡期 from 2021 with no end yet (a province may
        # record its own dates, obligations.models.Period): the world's tasks stay live on
        # whatever day the tests run, and its years run from 2021 to this year.
        Period.objects.create(name="测试省过渡期", short_name="过渡期", kind="transition",
                              start=D(2021, 1, 1), end=None, region=self.province)
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

    def hand_computed_2023(self):
        """The assessment's worked example (values in test_aggregation_and_assessment).

        东县: two tasks in force in 2023, 4 milestones due; one task reported (on time for its
        first milestone, then approved and closed), the other never; one indicator target,
        attained. 西县: one task, both milestones reported on time, no target.
        """
        first = self.task(self.east_unit, D(2023, 3, 31), D(2023, 9, 30))
        self.task(self.east_unit, D(2023, 6, 30), D(2023, 12, 31))
        report_on(first, D(2023, 3, 15), review="approved")
        first.milestones.filter(due_on=D(2023, 3, 31)).update(status=Milestone.Status.CLOSED)
        target = IndicatorTarget.objects.create(obligation=first.obligation, name="卫生厕所普及率",
                                                comparator=">=", value=85, unit="%",
                                                due_year=2023, source_text="…")
        IndicatorValue.objects.create(target=target, region=self.east, year=2023, value=90)
        west = self.task(self.west_unit, D(2023, 6, 30), D(2023, 12, 31))
        report_on(west, D(2023, 6, 1))
        report_on(west, D(2023, 12, 1))

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
