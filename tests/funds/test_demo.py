"""`demo_funds`: the demo counties' funds history — every project state, every asset kind,
monthly spending, each funds rule tripped at least once; a second run writes nothing; refused
outside the demo."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from funds import rules
from funds.demo import TRIGGERS, build_demo_funds, generate_funds
from funds.models import Allocation, Asset, Project, ProjectFunding, Spending
from obligations.models import Region

TODAY = datetime.date(2025, 10, 15)


@pytest.fixture
def demo(seeded):
    return build_demo_funds(today=TODAY)


def test_every_state_every_kind_and_spending(demo):
    assert set(Project.objects.values_list("status", flat=True)) == set(Project.Status.values)
    assert set(Asset.objects.values_list("kind", flat=True)) == set(Asset.Kind.values)
    for code in ("640423", "210422", "210423"):
        county = Region.objects.get(code=code)
        years = set(Allocation.objects.filter(to_region=county).values_list("year", flat=True))
        assert years == {2021, 2022, 2023, 2024, 2025}
        assert Project.objects.filter(region__path__startswith=county.path).count() >= 40
        assert Spending.objects.filter(project__region__path__startswith=county.path).exists()
    months = Spending.objects.values_list("month", flat=True)
    assert len({m.month for m in months}) > 6 and max(months) <= TODAY
    # evaluated projects carry their 绩效评价 score and every 完成值
    evaluated = Project.objects.filter(status="evaluated")
    assert evaluated.exists() and not evaluated.filter(evaluation_score__isnull=True).exists()
    assert not evaluated.filter(targets__achieved_value="").exists()
    # funded projects have their 绩效目标 (000 六(三))
    assert not ProjectFunding.objects.filter(project__targets__isnull=True).exists()


def test_each_funds_rule_is_tripped(demo):
    found = {flag.rule for flag in rules.check_all()}
    assert set(TRIGGERS) == set(rules.RULES)
    assert found >= set(TRIGGERS), set(TRIGGERS) - found


def test_a_second_run_writes_nothing(demo):
    counts = (Project.objects.count(), Allocation.objects.count(), Spending.objects.count(),
              Asset.objects.count())
    assert demo["projects"] == counts[0]
    assert build_demo_funds(today=TODAY) is None
    call_command("demo_funds")
    assert counts == (Project.objects.count(), Allocation.objects.count(),
                      Spending.objects.count(), Asset.objects.count())


def test_refused_outside_the_demo(db, settings):
    settings.DEMO_ACCOUNTS = False
    with pytest.raises(CommandError):
        call_command("demo_funds")
    assert not Project.objects.exists()


def test_funds_at_scale_for_the_synthetic_counties(db):
    province = Region.objects.create(code="990100", name="合成省", level="province")
    county = Region.objects.create(code="99010001", name="合成县", level="county",
                                   parent=province)
    counts = generate_funds([county], years=[2022, 2023], per_year=50)
    assert counts["projects"] == Project.objects.count() == 100
    assert Spending.objects.count() == counts["spendings"] > 0
    assert len(set(Project.objects.values_list("status", flat=True))) == 10


def test_the_demo_library_and_ledger_round_trip_through_excel(demo):
    from django.contrib.auth import get_user_model

    from funds import exports
    from funds.services import imports

    admin = get_user_model().objects.get(username="admin")
    for code in ("640423", "210422"):
        county = Region.objects.get(code=code)
        projects = Project.objects.filter(region__path__startswith=county.path)
        plan = imports.plan_projects(exports.projects_xlsx(projects, county), file_name="x.xlsx",
                                     county=county, year=2025, user=admin)
        assert plan.problems == [] and not plan.has_changes, plan.problems[:3]
        assert plan.count("unchanged") == projects.count()
        assets = Asset.objects.filter(region__path__startswith=county.path)
        plan = imports.plan_assets(exports.assets_xlsx(assets, county), file_name="x.xlsx",
                                   county=county, user=admin)
        assert plan.problems == [] and not plan.has_changes, plan.problems[:3]
