"""One traffic light (obligations.lights): the task list and its filter, the task page, the
API and its filter, the nightly sweep and the dashboards' summaries agree, task by task, on
a world with milestones in every state."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.models import ProgressSummary
from obligations.models import Milestone, Task
from obligations.services.reporting import approve_report, return_report
from tests.monitoring.conftest import report_on

LIGHT_LABELS = {"red": "红灯·逾期", "yellow": "黄灯·将到期", "green": "绿灯·正常", "done": "已完成"}


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


class States:
    """东县 tasks, one per milestone state, with the light the rule gives each (by hand)."""

    def __init__(self, world):
        w = self.world = world
        unit = w.east_unit
        self.expected: dict[int, str] = {}

        def task(light, *due, title):
            made = w.task(unit, *due, title=title)
            self.expected[made.pk] = light
            return made

        task("green", days(30), title="远期未到")
        task("yellow", days(3), title="三天后到期")
        task("yellow", days(0), title="今天到期")
        task("red", days(-1), title="昨天到期未报")
        early = task("green", days(-10), title="提前报送待审核")
        report_on(early, days(-12), milestone=early.milestones.get())
        late = task("green", days(-10), title="逾期后报送待审核")
        report_on(late, days(-2), milestone=late.milestones.get())
        for made in (early, late):
            made.milestones.update(status=Milestone.Status.REPORTED)
        approved = task("done", days(-20), title="审核通过办结")
        approve_report(report=report_on(approved, days(-21), milestone=approved.milestones.get()),
                       by=w.supervisor)
        returned = task("red", days(-5), title="被退回")
        report = report_on(returned, days(-6), milestone=returned.milestones.get())
        returned.milestones.update(status=Milestone.Status.REPORTED)
        return_report(report=report, by=w.supervisor, comment="佐证不足")
        done = task("done", days(-3), title="已完成但有未报节点")
        Task.objects.filter(pk=done.pk).update(status=Task.Status.DONE)
        mixed = task("yellow", days(-30), days(5), title="前一节点待审核后一节点将到期")
        report_on(mixed, days(-31), milestone=mixed.milestones.get(due_on=days(-30)))
        mixed.milestones.filter(due_on=days(-30)).update(status=Milestone.Status.REPORTED)
        closed_then_far = task("green", days(-40), days(90), title="已办结一个节点")
        closed_then_far.milestones.filter(due_on=days(-40)).update(
            status=Milestone.Status.CLOSED)
        task("green", title="没有节点")
        # The state the rule is about, not left to chance: the returned milestone is open again.
        assert returned.milestones.get().status == Milestone.Status.OPEN


@pytest.fixture
def states(world):
    return States(world)


def listed_ids(html):
    return {int(pk) for pk in re.findall(r'href="/tasks/(\d+)/"', html)}


def test_every_reader_lights_each_task_the_same(client, states):
    w, expected = states.world, states.expected
    today = timezone.localdate()
    client.force_login(w.supervisor)
    for light in LIGHT_LABELS:
        wanted = {pk for pk, value in expected.items() if value == light}
        assert wanted, light  # the world holds every light
        page = client.get(reverse("obligations:tasks"), {"light": light}).content.decode()
        assert listed_ids(page) == wanted, light
        api = client.get("/api/v1/tasks/", {"light": light, "page_size": 100}).json()
        assert {row["id"] for row in api["results"]} == wanted, light
    rows = client.get("/api/v1/tasks/", {"page_size": 100}).json()["results"]
    assert {row["id"]: row["light"] for row in rows} == expected

    for pk, light in expected.items():  # the task page says the same
        html = client.get(reverse("obligations:task", args=[pk])).content.decode()
        assert LIGHT_LABELS[light] in html, (pk, light)

    sweep_overdue(today=today)
    stored = dict(Task.objects.filter(pk__in=expected).values_list("id", "light"))
    assert stored == expected

    aggregate_progress(today=today)
    summary = ProgressSummary.objects.get(scope="unit", scope_id=w.east_unit.pk, year=0)
    for light in LIGHT_LABELS:
        assert getattr(summary, light) == sum(1 for v in expected.values() if v == light), light


def test_dashboards_agree_before_any_sweep(client, states):
    """The summaries light tasks from dates too: no stored light is needed."""
    w, expected = states.world, states.expected
    aggregate_progress(today=timezone.localdate())
    summary = ProgressSummary.objects.get(scope="region", scope_id=w.province.pk, year=0)
    assert summary.red == sum(1 for v in expected.values() if v == "red") == 2
    assert summary.yellow == 3 and summary.done == 2


def test_milestone_lights_on_the_task_page_and_api(client, states):
    w = states.world
    client.force_login(w.supervisor)
    mixed = Task.objects.get(obligation__title="前一节点待审核后一节点将到期")
    rows = client.get("/api/v1/milestones/", {"page_size": 100}).json()["results"]
    lights = {row["due_on"]: row["light"] for row in rows if row["task"] == mixed.pk}
    assert lights == {days(-30).isoformat(): "green", days(5).isoformat(): "yellow"}
    overdue = Task.objects.get(obligation__title="昨天到期未报")
    html = client.get(reverse("obligations:task", args=[overdue.pk])).content.decode()
    assert "已逾期 1 天" in html


def test_the_plain_red_condition_is_the_lights_red(states):
    """lights.red_milestones (what the dashboards' longest-overdue list filters on, for the
    planner) picks exactly the milestones the light's CASE calls red, in every state here."""
    from obligations import lights

    today = timezone.localdate()
    milestones = Milestone.objects.filter(task__in=states.expected)
    by_case = set(lights.with_milestone_lights(milestones, today=today)
                  .filter(current_light=lights.RED).values_list("pk", flat=True))
    by_condition = set(milestones.filter(lights.red_milestones(today))
                       .values_list("pk", flat=True))
    assert by_case == by_condition and len(by_case) >= 2
    assert set(Milestone.objects.values_list("status", flat=True)) >= {"open", "reported",
                                                                       "closed"}
