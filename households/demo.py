"""Demo households (issue 16): generated people only — names from a list, 身份证号 generated
with valid checksums (households.idcard.make) for the demo villages — and cases in every
state, so that `make run` shows every page filled. Also the places and the two demo
account the procedure adds: a village official (北关村); the township's reviews are taken by
the township's official (longde_chengguan, a demo account of the register)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from households import idcard
from households.models import (
    Case,
    CaseStep,
    Household,
    IncomeRecord,
    Measure,
    Member,
    MonitoringLine,
)
from households.services.members import protect
from obligations.models import Membership, Region, Unit

PLACES = [  # (code, name, level, parent code), created when missing (as funds.demo does)
    ("640423100201", "北关村", "village", "640423100"),
    ("640423100202", "红崖村", "village", "640423100"),
    ("210422100", "永陵镇", "township", "210422"),
    ("210422100201", "赫图阿拉村", "village", "210422100"),
]
ACCOUNTS = [  # username, display name, unit (region code, name), role, scope region code
    ("longde_beiguan", "隆德县城关镇北关村填报人", ("640423100201", "北关村村民委员会"),
     "official", None),
]
SURNAMES = "马王李张刘杨赵陈海苏"
GIVEN = ["建国", "秀兰", "志强", "文华", "玉梅", "永福", "小军", "海燕", "德明", "春花", "学文",
         "金花"]
DEMO_PREFIX = "DEMO-HH-"


def ensure_places_and_accounts() -> dict[str, Region]:
    """The demo villages and the village and township accounts (idempotent)."""
    found = {r.code: r for r in Region.objects.filter(
        code__in=[p[0] for p in PLACES] + [p[3] for p in PLACES])}
    for code, name, level, parent in PLACES:
        if code not in found and parent in found:
            found[code] = Region.objects.create(code=code, name=name, level=level,
                                                parent=found[parent])
    if not getattr(settings, "DEMO_ACCOUNTS", False):
        return found
    User = get_user_model()
    from obligations.services.seed import DEMO_PASSWORD

    for username, label, (unit_region, unit_name), role, scope in ACCOUNTS:
        if unit_region not in found:
            continue
        unit, _new = Unit.objects.get_or_create(
            region=found[unit_region], name=unit_name,
            defaults={"kind": Unit.Kind.OTHER if "村" in unit_name else Unit.Kind.GOVERNMENT})
        user, new = User.objects.get_or_create(username=username, defaults={"first_name": label})
        if new:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(user=user, unit=unit, role=role, defaults={
            "region": found.get(scope) if scope else None})
    return found


def _people(rng, village: Region, n: int, serial: list[int]):
    for _i in range(n):
        born = datetime.date(1950 + rng.randrange(60), rng.randrange(1, 13), rng.randrange(1, 28))
        serial[0] += 1
        yield (rng.choice(SURNAMES) + rng.choice(GIVEN),
               idcard.make(village.code[:6], born, serial[0]), born)


def build_demo_households(*, today: datetime.date) -> dict | None:
    """Households in the demo villages with cases in every state. None when there already."""
    if Household.objects.filter(code__startswith=DEMO_PREFIX).exists():
        return None
    places = ensure_places_and_accounts()
    villages = [places[c] for c in ("640423100201", "640423100202", "210422100201")
                if c in places]
    if not villages:
        return None
    rng = random.Random(16)
    admin = get_user_model().objects.filter(is_superuser=True).first()
    with transaction.atomic():
        for code, amount, rise, document, clause in (
                ("640423", 6000, "0", "隆德县实施意见（隆党发〔2021〕2号）",
                 "附件1（约为国家扶贫标准的1.5倍）"),
                ("210400", 6600, "0.10", "抚顺市实施方案（抚委农领发〔2021〕3号）", "二(一)2")):
            region = Region.objects.filter(code=code).first()
            if region and not MonitoringLine.objects.filter(region=region).exists():
                MonitoringLine.objects.create(region=region, base_year=2021,
                                              base_amount=Decimal(amount),
                                              yearly_rise=Decimal(rise), compound=True,
                                              document=document, clause=clause, set_by=admin)
        statuses = [s for s, _label in Case.Status.choices]
        serial = [0]
        households, members, incomes, cases = [], [], [], []
        for village in villages:
            for i in range(12):
                people = list(_people(rng, village, 2 + i % 4, serial))
                household = Household(code=f"{DEMO_PREFIX}{village.code}-{i + 1:03d}",
                                      region=village, head_name=people[0][0],
                                      base_status=[Household.BaseStatus.POVERTY_EXIT,
                                                   Household.BaseStatus.ORDINARY,
                                                   Household.BaseStatus.EXIT_NO_POLICY][i % 3],
                                      relocated=i % 5 == 0, group=f"{i % 3 + 1}组")
                households.append((household, people, i))
        Household.objects.bulk_create([h for h, _p, _i in households])
        for household, people, i in households:
            for j, (name, number, born) in enumerate(people):
                member = Member(household=household, name=name,
                                relation=Member.Relation.HEAD if j == 0 else
                                [Member.Relation.SPOUSE, Member.Relation.CHILD,
                                 Member.Relation.PARENT][j % 3],
                                health=[Member.Health.HEALTHY, Member.Health.CHRONIC,
                                        Member.Health.SERIOUS, Member.Health.DISABLED][(i + j) % 4],
                                work_capacity=Member.WorkCapacity.FULL if j < 2 else
                                Member.WorkCapacity.NOT_WORKING_AGE,
                                schooling=Member.Schooling.COMPULSORY if today.year - born.year
                                in range(6, 16) else "", employed=j == 0 and i % 2 == 0)
                protect(member, id_number=number,
                        phone=f"139{rng.randrange(10**7, 10**8)}" if j == 0 else "",
                        bank=f"62284800{rng.randrange(10**10, 10**11)}" if j == 0 else "")
                members.append(member)
            incomes.append(IncomeRecord(household=household, period_end=datetime.date(
                today.year, today.month, 1) - datetime.timedelta(days=1),
                # the 11th household of each village: under the line, no case (a proposal)
                net_income=Decimal(3500 if i == 10 else 4000 + i * 1800) * len(people),
                rigid_spending=Decimal(
                    3000 * (i % 3)), people=len(people)))
        Member.objects.bulk_create(members)
        IncomeRecord.objects.bulk_create(incomes)
        for household, _p, i in households:
            if i >= len(statuses):
                continue
            status = statuses[i]
            confirmed = today - datetime.timedelta(days=240) if status in (
                Case.Status.MONITORING, Case.Status.PROPOSED_ELIMINATION,
                Case.Status.ELIMINATED) else None
            cases.append(Case(
                household=household, status=status,
                channel=list(Case.Channel.values)[i % 3],
                category=list(Case.Category.values)[i % 3],
                risk=list(Case.Risk.values)[i % len(Case.Risk.values)],
                opened_on=today - datetime.timedelta(days=300 - i * 20),
                comparison={"民政局": "未享受低保", "人社局": "无务工记录"} if i >= 2 else {},
                notice_from=today - datetime.timedelta(days=30) if i >= 3 else None,
                confirmed_on=confirmed, two_assurances_secured=status in (
                    Case.Status.PROPOSED_ELIMINATION, Case.Status.ELIMINATED),
                eliminated_on=today - datetime.timedelta(days=10)
                if status == Case.Status.ELIMINATED else None,
                returned_from=Case.Status.PUBLICIZED if status == Case.Status.RETURNED else ""))
        Case.objects.bulk_create(cases)
        CaseStep.objects.bulk_create([CaseStep(case=c, to_status=c.status, actor=admin,
                                               comment="演示数据") for c in cases])
        measures = [Measure(case=c, kind=[Measure.Kind.PUBLIC_JOB, Measure.Kind.MEDICAL,
                                          Measure.Kind.INDUSTRY][c.pk % 3],
                            description=["安排村保洁公益性岗位", "落实大病医疗保险报销",
                                         "发放肉牛养殖补助"][c.pk % 3],
                            subsidy=("" if c.pk % 3 != 1 else
                                     Measure.Subsidy.FULL if c.pk % 2 else Measure.Subsidy.FIXED),
                            starts_on=c.confirmed_on, status=Measure.Status.DONE
                            if c.status != Case.Status.MONITORING else Measure.Status.ONGOING)
                    for c in cases if c.confirmed_on]
        Measure.objects.bulk_create(measures)
        rounds = _rounds(today)
    return {"households": len(households), "members": len(members), "cases": len(cases),
            "rounds": rounds}


def _rounds(today: datetime.date) -> int:
    """Duties for 隆德 and 新宾 from 2025 on, their rounds done except a few months (red)."""
    from households.models import ScreeningDuty, ScreeningRound
    from households.rounds import period_of

    made = []
    start = datetime.date(today.year - 1, 1, 1)
    for county_code, kinds in (("640423", ("village_monthly", "township_quarterly")),
                               ("210422", ("village_monthly",))):
        county = Region.objects.filter(code=county_code).first()
        if county is None:
            continue
        for kind in kinds:
            duty, _new = ScreeningDuty.objects.get_or_create(
                region=county, kind=kind,
                defaults={"starts_on": start, "clause": "004 二(一)2（村每月摸排、乡镇每季度审核）"})
            level = "village" if kind == "village_monthly" else "township"
            step = 3 if kind.endswith("quarterly") else 1
            for place in Region.objects.filter(path__startswith=county.path, level=level):
                period = period_of(kind, start)
                n = 0
                while period < period_of(kind, today):
                    n += 1
                    # 红崖村 and one township miss some periods
                    if not (place.code in ("640423100202", "640423101") and n % 5 == 0):
                        made.append(ScreeningRound(duty=duty, region=place, period=period,
                                                   done_on=period + datetime.timedelta(days=20),
                                                   households_checked=30 + n, clues=n % 3))
                    month = period.month - 1 + step
                    period = datetime.date(period.year + month // 12, month % 12 + 1, 1)
    ScreeningRound.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
