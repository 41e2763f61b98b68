"""Which steps a region's procedure has (issue 16 item 3): the template decides, by region.

- 抚顺 (004 二(一)2) and 隆德 (003 附件1), and the default: 线索 → 入户核实 (村) → 部门信息比对
  (县) → 民主评议和公示 (村) → 乡镇审核 → 县级审定 (监测帮扶中) → 拟消除风险 → 已消除风险.
- 青海 (001 注① “2411”): 农户主动申请 → 乡村干部审核 → 行业部门信息比对 → 县级审定录入系统，并
  公示公告: 线索 → 入户核实 → 部门信息比对 → 县级审定 (监测帮扶中, the 公示 starts there) → ….

Each template is a table of moves and of who reviews which status (退回 and 不予纳入 are that
reviewer's), and names the step at which the 公示 starts. `template_for(region)`: the longest
region-code prefix that has one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from households.models import Case

S = Case.Status


@dataclass(frozen=True)
class Template:
    code: str
    name: object
    clause: str
    moves: dict
    review_of: dict  # status → the review step that follows it
    notice_at: str   # the step at which the 公示 starts


_TAIL = {
    S.MONITORING: (S.PROPOSED_ELIMINATION,),
    S.PROPOSED_ELIMINATION: (S.ELIMINATED, S.RETURNED),
    S.RETURNED: (S.VERIFIED,),
    S.ELIMINATED: (),
    S.REJECTED: (),
}
DEFAULT = Template(
    code="default", name=_("入户核实、部门比对、民主评议公示、乡镇审核、县级审定"),
    clause="003 附件1、004 二(一)2",
    moves={S.CLUE: (S.VERIFIED, S.REJECTED), S.VERIFIED: (S.COMPARED,),
           S.COMPARED: (S.PUBLICIZED,),
           S.PUBLICIZED: (S.TOWNSHIP_REVIEWED, S.RETURNED, S.REJECTED),
           S.TOWNSHIP_REVIEWED: (S.MONITORING, S.RETURNED, S.REJECTED), **_TAIL},
    review_of={S.PUBLICIZED: S.TOWNSHIP_REVIEWED, S.TOWNSHIP_REVIEWED: S.MONITORING,
               S.PROPOSED_ELIMINATION: S.ELIMINATED},
    notice_at=S.PUBLICIZED)
QINGHAI = Template(
    code="qinghai", name=_("“2411”：申请、审核、比对、审定并公示"), clause="001 注①",
    moves={S.CLUE: (S.VERIFIED, S.REJECTED), S.VERIFIED: (S.COMPARED, S.REJECTED),
           S.COMPARED: (S.MONITORING, S.RETURNED, S.REJECTED), **_TAIL},
    review_of={S.VERIFIED: S.COMPARED, S.COMPARED: S.MONITORING,
               S.PROPOSED_ELIMINATION: S.ELIMINATED},
    notice_at=S.MONITORING)
BY_REGION = [("63", QINGHAI), ("", DEFAULT)]  # region-code prefix → template


def template_for(region) -> Template:
    return next(t for prefix, t in BY_REGION if region.code.startswith(prefix))


def moves_for(case: Case) -> tuple[str, ...]:
    return template_for(case.household.region).moves.get(case.status, ())
