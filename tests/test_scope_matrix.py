"""The scope matrix (issue 14): every page, action, export and API endpoint × every persona.

The URL list is read from the URL configuration: a URL without an entry in MATRIX fails
`test_every_url_is_in_the_matrix`. Each entry says how to reach the URL for the objects of the
world below and who may open it; every response of every persona is then searched for the
texts that persona must never see (other units' report text, evidence file names, review
comments and unit names of a sibling county), and the allowed personas must find what the
page is about. Writes are tried by every persona that may not make them, and must change
nothing.

The world, on the seed: two counties of the same city (新宾 and 清原, both carrying 抚顺
004's 二.(一).1) with the city above them, and in 隆德 a department (扶贫办, leading 二.(二)),
another department of the same county (民政局), a township under it that supports the same
measure (城关镇), the county's supervisor and leader. Tokens: one per county and one for the
city.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from obligations.models import (
    DocumentUpload,
    Evidence,
    ListImport,
    Obligation,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
    Unit,
)
from obligations.selectors.exports import responsibility_rows, to_xlsx
from obligations.selectors.intake import preview_of
from obligations.services.api_clients import create_api_client
from obligations.services.intake import parse_upload, upload_document
from obligations.services.reporting import report_progress, return_report

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# What only some may read. Each text is unique to one unit's work.
XINBIN_TEXT = "新宾专有进展文字甲"
XINBIN_FILE = "新宾专有佐证.pdf"
XINBIN_COMMENT = "新宾专有退回意见"
XINBIN_UNIT = "新宾满族自治县人民政府"
QINGYUAN_TEXT = "清原专有进展文字丙"
QINGYUAN_UNIT = "清原满族自治县人民政府"
FUPIN_TEXT = "隆德扶贫办专有文字乙"
FUPIN_FILE = "扶贫办专有佐证.pdf"
LONGDE_PROJECT = "城关镇专有衔接项目"
XINBIN_PROJECT = "新宾专有衔接项目"
XINBIN_ASSET = "新宾专有项目资产"
XINBIN_ALLOCATION = "新宾专有资金下达文号"
BEIGUAN_HEAD = "北关村专有户主"
HONGYA_HEAD = "红崖村专有户主"
XINBIN_HEAD = "新宾专有户主"

UPLOAD_TEXT = """隆德县巩固拓展脱贫攻坚成果重点任务分工方案
一、兜底保障
（一）完善低保制度。及时将符合条件的人员纳入低保。（牵头单位：县民政局；配合单位：县财政局；完成时限：2022年12月31日）
（二）稳定就业帮扶。开发公益性岗位。（牵头单位：县人社局；完成时限：长期坚持）
"""
TOKENS = {"token_xinbin": "210422", "token_qingyuan": "210423", "token_fushun": "210400"}
PERSONAS = ["anonymous", "xinbin", "xinbin_duban", "qingyuan", "qingyuan_duban",
            "qingyuan_leader", "fushun_leader", "longde_fupin", "longde_minzheng",
            "longde_chengguan", "longde_nongban", "longde_leader", "admin",
            # households (issue 16): a village's official
            "longde_beiguan", *TOKENS]

SEES_XINBIN = {"xinbin", "xinbin_duban", "fushun_leader", "admin", "token_xinbin",
               "token_fushun"}
SEES_QINGYUAN = {"qingyuan", "qingyuan_duban", "qingyuan_leader", "fushun_leader", "admin",
                 "token_qingyuan", "token_fushun"}
SEES_FUPIN = {"longde_fupin", "longde_nongban", "longde_leader", "admin"}
SECRETS = {
    XINBIN_TEXT: SEES_XINBIN, XINBIN_FILE: SEES_XINBIN, XINBIN_COMMENT: SEES_XINBIN,
    XINBIN_UNIT: SEES_XINBIN,
    QINGYUAN_TEXT: SEES_QINGYUAN, QINGYUAN_UNIT: SEES_QINGYUAN,
    FUPIN_TEXT: SEES_FUPIN, FUPIN_FILE: SEES_FUPIN,
    # funds (issue 15): a project is seen by the people of its place and above
    LONGDE_PROJECT: SEES_FUPIN | {"longde_minzheng", "longde_chengguan"},
    XINBIN_PROJECT: SEES_XINBIN, XINBIN_ASSET: SEES_XINBIN, XINBIN_ALLOCATION: SEES_XINBIN,
    # households (issue 16): the village, its township, the county; never a sibling's
    BEIGUAN_HEAD: {"longde_beiguan", "longde_chengguan",
                   "longde_fupin", "longde_minzheng", "longde_nongban", "admin"},
    HONGYA_HEAD: {"longde_chengguan", "longde_fupin",
                  "longde_minzheng", "longde_nongban", "admin"},
    XINBIN_HEAD: {"xinbin", "xinbin_duban", "admin"},
}
USERS = set(PERSONAS) - {"anonymous", *TOKENS}
ADMIN_ONLY = {"admin"}
DASHBOARDS_XINBIN = {"xinbin_duban", "fushun_leader", "admin"}
DASHBOARDS = {"xinbin_duban", "qingyuan_duban", "qingyuan_leader", "fushun_leader",
              "longde_nongban", "longde_leader", "admin"}
REVIEWS_XINBIN = {"xinbin_duban", "admin"}
API_ALL = USERS | set(TOKENS)


@dataclass
class World:
    xinbin_task: Task
    qingyuan_task: Task
    fupin_task: Task
    xinbin_report: ProgressReport
    fupin_report: ProgressReport
    xinbin_evidence: Evidence
    xinbin_unit: Unit
    fushun_doc: PolicyDocument
    upload: DocumentUpload
    measure_index: int
    list_import: ListImport
    year: int
    longde_project: object = None
    xinbin_project: object = None
    xinbin_asset: object = None
    xinbin_allocation: object = None
    beiguan_household: object = None
    beiguan_case: object = None
    beiguan_measure: object = None
    beiguan_duty: object = None


def _funds_objects() -> dict:
    """A 隆德 project declared in 城关镇 (waiting for the township's review) and a 新宾 project
    handed over, funded, with its asset (issue 15)."""
    import datetime

    from funds.models import Allocation, Asset, PerformanceTarget, Project, ProjectFunding

    def project(code, name, region, status):
        made = Project.objects.create(code=code, name=name, year=2022, status=status,
                                      region=Region.objects.get(code=region), category="industry")
        PerformanceTarget.objects.create(project=made, kind="output", indicator="大棚",
                                         target_value="10座")
        return made

    longde = project("M-LD-1", LONGDE_PROJECT, "640423100", "declared")
    xinbin = project("M-XB-1", XINBIN_PROJECT, "210422", "handed_over")
    ProjectFunding.objects.create(project=xinbin, source="central", amount=100000,
                                  allocated_on=datetime.date(2022, 3, 1))
    asset = Asset.objects.create(project=xinbin, code="M-XB-1-ZC01", name=XINBIN_ASSET,
                                 kind="operating", region=xinbin.region, value=50000,
                                 owner="新宾某村集体经济组织")
    allocation = Allocation.objects.create(year=2022, source="central", amount=500000,
                                           to_region=xinbin.region,
                                           from_region=Region.objects.get(code="210400"),
                                           doc_number=XINBIN_ALLOCATION)
    return {"longde_project": longde, "xinbin_project": xinbin, "xinbin_asset": asset,
            "xinbin_allocation": allocation}


def _household_objects(users) -> dict:
    """A household in 北关村 (城关镇, 隆德) with an open case, one in 红崖村 (same township) and
    one in 新宾's 赫图阿拉村 (issue 16)."""
    import datetime

    from households.demo import ensure_places_and_accounts
    from households.idcard import make
    from households.models import Household
    from households.services.cases import open_case
    from households.services.members import add_member

    places = ensure_places_and_accounts()
    made = {}
    for n, (village, code, head) in enumerate([("640423100201", "M-HH-BG", BEIGUAN_HEAD),
                                               ("640423100202", "M-HH-HY", HONGYA_HEAD),
                                               ("210422100201", "M-HH-XB", XINBIN_HEAD)]):
        household = Household.objects.create(code=code, region=places[village], head_name=head)
        add_member(household=household, actor=get_user_model().objects.get(username="admin"),
                   data={"name": head, "relation": "head",
                         "id_number": make(village[:6], datetime.date(1970, 1, 1), n + 1)})
        made[code] = household
    case = open_case(household=made["M-HH-BG"], actor=get_user_model().objects.get(
        username="admin"), channel="visit", category="edge", risk="illness")
    from households.models import Measure

    measure = Measure.objects.create(case=case, kind="medical", description="资助参保",
                                     starts_on=datetime.date(2024, 3, 1))
    from households.models import ScreeningDuty

    duty = ScreeningDuty.objects.create(region=Region.objects.get(code="640423"),
                                        kind="village_monthly", clause="004 二(一)2",
                                        starts_on=datetime.date(2024, 1, 1))
    return {"beiguan_household": made["M-HH-BG"], "beiguan_case": case,
            "beiguan_measure": measure, "beiguan_duty": duty}


def _report(task, user, text, file_name=None):
    uploads = [SimpleUploadedFile(file_name, PDF, "application/pdf")] if file_name else []
    return report_progress(task=task, by=user, expected_version=task.version,
                           status="in_progress", percent=30, narrative=text, uploads=uploads)


@pytest.fixture
def world(seeded):
    from monitoring.aggregation import rebuild_summaries
    from monitoring.assessment import compute_assessment, publish_assessment

    users = {u.username: u for u in get_user_model().objects.all()}
    xinbin_task = Task.objects.get(obligation__document__doc_number="抚委农领发〔2021〕3号",
                                   obligation__code="二.(一).1", unit__name=XINBIN_UNIT)
    qingyuan_task = Task.objects.get(obligation=xinbin_task.obligation, unit__name=QINGYUAN_UNIT)
    fupin_task = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                                  obligation__code="二.(二)", unit__name="扶贫办")
    assert Task.objects.filter(obligation=fupin_task.obligation,
                               unit__name="城关镇人民政府").exists()
    xinbin_report = _report(xinbin_task, users["xinbin"], XINBIN_TEXT, XINBIN_FILE)
    return_report(report=xinbin_report, by=users["xinbin_duban"], comment=XINBIN_COMMENT)
    xinbin_task.refresh_from_db()
    xinbin_report = _report(xinbin_task, users["xinbin"], XINBIN_TEXT + "（续）")
    _report(qingyuan_task, users["qingyuan"], QINGYUAN_TEXT)
    fupin_report = _report(fupin_task, users["longde_fupin"], FUPIN_TEXT, FUPIN_FILE)
    rebuild_summaries(today=timezone.localdate())
    upload = upload_document(
        upload_file=SimpleUploadedFile("分工方案.txt", UPLOAD_TEXT.encode()),
        region=Region.objects.get(code="640423"), actor=users["admin"])
    upload = parse_upload(upload_id=upload.pk)
    compute_assessment(2021, actor=None)
    publish_assessment(2021, actor=None)
    measures = Obligation.objects.filter(kind="measure", document=fupin_task.obligation.document)
    list_import = ListImport.objects.create(uploaded_by=users["admin"], file_name="清单.xlsx",
                                            data=to_xlsx(responsibility_rows(measures)),
                                            document=fupin_task.obligation.document)
    return World(
        xinbin_task=xinbin_task, qingyuan_task=qingyuan_task, fupin_task=fupin_task,
        xinbin_report=xinbin_report, fupin_report=fupin_report,
        xinbin_evidence=Evidence.objects.get(original_name=XINBIN_FILE),
        xinbin_unit=xinbin_task.unit, fushun_doc=xinbin_task.obligation.document,
        upload=upload, measure_index=preview_of(upload).measures[0].index,
        list_import=list_import, year=2021, **_funds_objects(), **_household_objects(users),
    )


@dataclass
class Probe:
    """One request to a URL: `path(world)`; `allowed`: who gets it (others are refused);
    `shows`: a text the allowed must find (a function of the world), if any."""

    path: object
    allowed: set
    method: str = "get"
    data: object = None
    shows: object = None


def _transition() -> int:
    from obligations.periods import transition

    return transition().pk


SUPERVISORS = {"xinbin_duban", "qingyuan_duban", "longde_nongban", "admin"}


def _api(name):
    return lambda w: f"/api/v1/{name}/"


SEES_BEIGUAN = {"longde_beiguan", "longde_chengguan", "longde_fupin",
                "longde_minzheng", "longde_nongban", "admin"}
HOUSEHOLD_WORKERS = {"xinbin", "xinbin_duban", "qingyuan", "qingyuan_duban", "longde_fupin",
                     "longde_minzheng", "longde_chengguan", "longde_nongban", "admin",
                     "longde_beiguan"}
HOUSEHOLD_REGISTRARS = HOUSEHOLD_WORKERS - {"qingyuan", "qingyuan_duban"}  # no village there
FUNDS_LONGDE = {"longde_fupin", "longde_minzheng", "longde_chengguan", "longde_nongban",
                "longde_leader", "admin"}
FUNDS_XINBIN = {"xinbin", "xinbin_duban", "fushun_leader", "admin"}
FUNDS_DECLARERS = {"xinbin", "qingyuan", "longde_fupin", "longde_minzheng", "longde_chengguan",
                   "longde_beiguan", "admin"}
FUNDS_IMPORTERS = {"xinbin", "xinbin_duban", "qingyuan", "qingyuan_duban", "longde_fupin",
                   "longde_minzheng", "longde_nongban", "admin"}


def _funds_upload() -> str:
    """A 隆德县 project library the admin uploaded, waiting in the cache (funds.web.imports)."""
    import secrets

    from django.core.cache import cache

    from funds.exports import projects_xlsx
    from funds.models import Project

    token = secrets.token_urlsafe(16)
    cache.set(f"funds-import:{token}", {
        "user": get_user_model().objects.get(username="admin").pk, "kind": "projects",
        "county": "640423", "year": 2022, "file_name": "项目库.xlsx",
        "data": projects_xlsx(Project.objects.none())}, 600)
    return token


def _roster_upload() -> str:
    """A roster the admin uploaded, waiting (encrypted) in the cache (households.web)."""
    import secrets

    from django.core.cache import cache

    from households import crypto
    from households.services.roster import TEMPLATE

    token = secrets.token_urlsafe(16)
    book_bytes = _xlsx_of([TEMPLATE])
    cache.set(f"households-roster:{token}", {
        "user": get_user_model().objects.get(username="admin").pk, "file_name": "花名册.xlsx",
        "data": crypto.encrypt_bytes(book_bytes, "roster")}, 600)
    return token


def _xlsx_of(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MATRIX: dict[str, list[Probe]] = {
    "login": [Probe(lambda w: "/login/", set(PERSONAS))],
    "logout": [Probe(lambda w: "/logout/", set(), method="post")],
    "obligations:home": [Probe(lambda w: "/", USERS)],
    # Each user's own account (accounts/): nothing of anyone else's on these pages.
    "accounts:security": [Probe(lambda w: "/account/", USERS)],
    "accounts:password_change": [Probe(lambda w: "/account/password/", USERS)],
    "accounts:mfa_verify": [Probe(lambda w: "/account/mfa/", USERS)],
    "accounts:mfa_setup": [Probe(lambda w: "/account/mfa/setup/", USERS)],
    "accounts:mfa_recovery": [Probe(lambda w: "/account/mfa/recovery/", USERS, method="post",
                                    data=lambda w: {})],
    "obligations:tasks": [
        Probe(lambda w: "/tasks/", USERS),
        Probe(lambda w: f"/tasks/?document={w.fushun_doc.pk}&per_page=200", USERS),
        Probe(lambda w: f"/tasks/?q={w.xinbin_task.obligation.code}", USERS),
    ],
    "obligations:task": [
        Probe(lambda w: f"/tasks/{w.xinbin_task.pk}/", SEES_XINBIN - set(TOKENS),
              shows=lambda w: XINBIN_TEXT),
        Probe(lambda w: f"/tasks/{w.fupin_task.pk}/", SEES_FUPIN, shows=lambda w: FUPIN_TEXT),
    ],
    "obligations:report": [
        Probe(lambda w: f"/tasks/{w.xinbin_task.pk}/report/", {"xinbin"}),
        Probe(lambda w: f"/tasks/{w.xinbin_task.pk}/report/", {"xinbin"}, method="post",
              data=lambda w: {"version": w.xinbin_task.version, "status": "in_progress",
                              "percent": "50", "narrative": "越权填报", "milestone": ""}),
    ],
    "obligations:review": [Probe(lambda w: "/review/", {"xinbin_duban", "qingyuan_duban",
                                                        "longde_nongban", "admin"})],
    "obligations:approve_selected": [
        Probe(lambda w: "/review/approve/", REVIEWS_XINBIN, method="post",
              data=lambda w: {"reports": [w.xinbin_report.pk]}),
    ],
    "obligations:approve": [
        Probe(lambda w: f"/reports/{w.xinbin_report.pk}/approve/", REVIEWS_XINBIN,
              method="post", data=lambda w: {}),
    ],
    "obligations:return": [
        Probe(lambda w: f"/reports/{w.xinbin_report.pk}/return/", REVIEWS_XINBIN,
              method="post", data=lambda w: {"comment": "越权退回"}),
    ],
    "obligations:notifications": [Probe(lambda w: "/notifications/", USERS)],
    # Close-out (issue 23): the supervisors of the places; a task of another county is refused
    # before anything of it is shown (the world's tasks are live: the service then refuses).
    "obligations:close_out": [
        Probe(lambda w: "/close-out/", SUPERVISORS),
        Probe(lambda w: "/close-out/", REVIEWS_XINBIN, method="post",
              data=lambda w: {"tasks": [w.xinbin_task.pk], "kind": "done", "confirmed": "1"}),
    ],
    "obligations:linkage_upload": [Probe(lambda w: "/close-out/linkage/", SUPERVISORS)],
    "obligations:linkage_preview": [Probe(lambda w: "/close-out/linkage/preview/", SUPERVISORS)],
    "obligations:evidence": [
        Probe(lambda w: f"/evidence/{w.xinbin_evidence.pk}/", SEES_XINBIN - set(TOKENS)),
    ],
    "obligations:document_uploads": [Probe(lambda w: "/register/documents/", ADMIN_ONLY)],
    "obligations:document_upload": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/", ADMIN_ONLY)],
    "obligations:document_upload_progress": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/progress/", ADMIN_ONLY)],
    "obligations:document_upload_correct": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/measures/{w.measure_index}/", ADMIN_ONLY)],
    "obligations:document_upload_split": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/measures/{w.measure_index}/split/",
              ADMIN_ONLY, method="post", data=lambda w: {"at": "及时", "new_code": "一.(一)2"})],
    "obligations:document_upload_merge": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/measures/{w.measure_index}/merge/",
              ADMIN_ONLY, method="post", data=lambda w: {})],
    "obligations:document_upload_period": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/period/", ADMIN_ONLY,
              method="post", data=lambda w: {"period": _transition()})],
    "obligations:document_upload_publish": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/publish/", ADMIN_ONLY,
              method="post", data=lambda w: {})],
    "obligations:document_upload_file": [
        Probe(lambda w: f"/register/documents/{w.upload.pk}/file/", ADMIN_ONLY)],
    "obligations:list_import": [Probe(lambda w: "/register/import/", ADMIN_ONLY)],
    "obligations:list_import_preview": [
        Probe(lambda w: f"/register/import/{w.list_import.pk}/", ADMIN_ONLY)],
    "obligations:list_import_confirm": [
        Probe(lambda w: f"/register/import/{w.list_import.pk}/confirm/", ADMIN_ONLY,
              method="post", data=lambda w: {})],
    "monitoring:overview": [Probe(lambda w: "/dashboard/", DASHBOARDS)],
    "monitoring:region": [
        Probe(lambda w: "/dashboard/region/210422/", DASHBOARDS_XINBIN,
              shows=lambda w: "新宾满族自治县"),
        Probe(lambda w: "/dashboard/region/210400/", {"fushun_leader", "admin"}),
    ],
    "monitoring:unit": [
        Probe(lambda w: f"/dashboard/unit/{w.xinbin_unit.pk}/", DASHBOARDS_XINBIN,
              shows=lambda w: XINBIN_UNIT)],
    "monitoring:documents": [Probe(lambda w: "/dashboard/documents/", DASHBOARDS)],
    "monitoring:document": [Probe(lambda w: f"/dashboard/documents/{w.fushun_doc.pk}/", {
        "xinbin_duban", "qingyuan_duban", "qingyuan_leader", "fushun_leader", "admin"})],
    "monitoring:assessment_latest": [Probe(lambda w: "/dashboard/assessment/", DASHBOARDS)],
    "monitoring:assessment": [Probe(lambda w: f"/dashboard/assessment/{w.year}/", DASHBOARDS)],
    "monitoring:assessment_print": [
        Probe(lambda w: f"/dashboard/assessment/{w.year}/print/", DASHBOARDS)],
    "monitoring:assessment_excel": [
        Probe(lambda w: f"/dashboard/assessment/{w.year}/excel/", DASHBOARDS)],
    # The five-year summary: in this world the seed's 过渡期 is still running (no end recorded,
    # tests/obligations/conftest.during_the_transition), so every persona is refused (404);
    # its scope by persona, siblings included, is tested in tests/monitoring/test_period_summary.py.
    "monitoring:period_summary_latest": [Probe(lambda w: "/dashboard/period/", set())],
    "monitoring:period_summary": [Probe(lambda w: f"/dashboard/period/{_transition()}/", set())],
    "monitoring:period_summary_region": [
        Probe(lambda w: f"/dashboard/period/{_transition()}/region/210422/", set())],
    "monitoring:period_summary_word": [
        Probe(lambda w: f"/dashboard/period/{_transition()}/region/210422/word/", set())],
    "monitoring:period_summary_excel": [
        Probe(lambda w: f"/dashboard/period/{_transition()}/region/210422/excel/", set())],
    "api:period-list": [Probe(_api("periods"), API_ALL)],
    "api:period-detail": [Probe(lambda w: f"/api/v1/periods/{_transition()}/", API_ALL)],
    "api:disposition-list": [
        Probe(_api("dispositions"), API_ALL),
        Probe(_api("dispositions"), REVIEWS_XINBIN, method="post",
              data=lambda w: {"tasks": [w.xinbin_task.pk], "kind": "done"})],
    "api:disposition-detail": [Probe(lambda w: "/api/v1/dispositions/0/", set())],
    "api:period-summary-list": [Probe(_api("period-summaries"), API_ALL)],
    "api:period-summary-detail": [Probe(lambda w: "/api/v1/period-summaries/0/", set())],
    "schema": [Probe(lambda w: "/api/schema/", API_ALL)],
    "api-docs": [Probe(lambda w: "/api/docs/", USERS)],
    "api:api-root": [Probe(lambda w: "/api/v1/", API_ALL)],
    "api:responsibility-list": [
        Probe(lambda w: "/api/v1/responsibility-list/", API_ALL),
        Probe(lambda w: "/api/v1/responsibility-list/?format=csv", API_ALL),
    ],
    "api:region-list": [Probe(_api("regions"), API_ALL)],
    "api:region-detail": [Probe(lambda w: f"/api/v1/regions/{w.xinbin_unit.region_id}/",
                                SEES_XINBIN, shows=lambda w: "新宾满族自治县")],
    "api:unit-list": [Probe(_api("units"), API_ALL)],
    "api:unit-detail": [Probe(lambda w: f"/api/v1/units/{w.xinbin_unit.pk}/", SEES_XINBIN,
                              shows=lambda w: XINBIN_UNIT)],
    "api:document-list": [Probe(_api("documents"), API_ALL)],
    "api:document-detail": [Probe(lambda w: f"/api/v1/documents/{w.fushun_doc.pk}/", {
        *SEES_XINBIN, *SEES_QINGYUAN})],
    "api:obligation-list": [Probe(_api("obligations"), API_ALL)],
    "api:obligation-detail": [
        Probe(lambda w: f"/api/v1/obligations/{w.xinbin_task.obligation_id}/",
              {*SEES_XINBIN, *SEES_QINGYUAN})],
    "api:task-list": [Probe(_api("tasks"), API_ALL),
                      Probe(lambda w: f"/api/v1/tasks/?obligation={w.xinbin_task.obligation_id}",
                            API_ALL)],
    "api:task-detail": [Probe(lambda w: f"/api/v1/tasks/{w.xinbin_task.pk}/", SEES_XINBIN,
                              shows=lambda w: XINBIN_UNIT)],
    "api:milestone-list": [Probe(_api("milestones"), API_ALL)],
    "api:milestone-detail": [Probe(lambda w: "/api/v1/milestones/0/", set())],
    "api:report-list": [Probe(_api("reports"), API_ALL)],
    "api:report-detail": [Probe(lambda w: f"/api/v1/reports/{w.xinbin_report.pk}/", SEES_XINBIN,
                                shows=lambda w: XINBIN_TEXT)],
    "api:target-list": [Probe(_api("targets"), API_ALL)],
    "api:target-detail": [Probe(lambda w: "/api/v1/targets/0/", set())],
    "api:document-upload-list": [Probe(_api("document-uploads"), ADMIN_ONLY)],
    "api:document-upload-detail": [
        Probe(lambda w: f"/api/v1/document-uploads/{w.upload.pk}/", ADMIN_ONLY)],
    "api:document-upload-publish": [
        Probe(lambda w: f"/api/v1/document-uploads/{w.upload.pk}/publish/", ADMIN_ONLY,
              method="post", data=lambda w: {})],
    "api:progress-list": [Probe(_api("progress"), API_ALL)],
    "api:progress-detail": [Probe(lambda w: "/api/v1/progress/0/", set())],
    "api:assessment-list": [Probe(_api("assessment-results"), API_ALL)],
    "api:assessment-detail": [Probe(lambda w: "/api/v1/assessment-results/0/", set())],
    # funds dashboards and rule flags (issue 15): dashboard personas over their own subtree;
    # a sibling county's supervisor or leader is refused; officials and tokens get no figures
    "funds:dashboard": [Probe(lambda w: "/funds/dashboard/", DASHBOARDS)],
    "funds:dashboard_region": [
        Probe(lambda w: "/funds/dashboard/210422/", DASHBOARDS_XINBIN,
              shows=lambda w: "新宾满族自治县"),
        Probe(lambda w: "/funds/dashboard/210400/", {"fushun_leader", "admin"}),
        Probe(lambda w: "/funds/dashboard/210422/?year=2023", DASHBOARDS_XINBIN)],
    "funds:flags": [Probe(lambda w: "/funds/flags/", DASHBOARDS),
                    Probe(lambda w: "/funds/flags/?region=210422", DASHBOARDS_XINBIN)],
    "api:funds-flag-list": [
        Probe(lambda w: "/api/v1/funds/flags/", API_ALL),
        Probe(lambda w: "/api/v1/funds/flags/?region=210422",
              DASHBOARDS_XINBIN | {"token_xinbin", "token_fushun"})],
    # a token reads as the leader of its region (obligations.services.api_clients)
    "api:funds-summary-list": [
        Probe(lambda w: "/api/v1/funds/summary/", DASHBOARDS | set(TOKENS)),
        Probe(lambda w: "/api/v1/funds/summary/?region=210422",
              DASHBOARDS_XINBIN | {"token_xinbin", "token_fushun"},
              shows=lambda w: "新宾满族自治县")],
    # funds project library, allocations and assets over the API (issue 15): as on the pages,
    # and a token as the leader of its region
    "api:funds-project-list": [
        Probe(_api("funds/projects"), API_ALL),
        Probe(lambda w: "/api/v1/funds/projects/?region=210422&status=handed_over", API_ALL)],
    "api:funds-project-detail": [
        Probe(lambda w: f"/api/v1/funds/projects/{w.xinbin_project.pk}/",
              FUNDS_XINBIN | {"token_xinbin", "token_fushun"}, shows=lambda w: XINBIN_PROJECT),
        Probe(lambda w: f"/api/v1/funds/projects/{w.longde_project.pk}/", FUNDS_LONGDE,
              shows=lambda w: LONGDE_PROJECT)],
    "api:funds-allocation-list": [Probe(_api("funds/allocations"), API_ALL)],
    "api:funds-allocation-detail": [
        Probe(lambda w: f"/api/v1/funds/allocations/{w.xinbin_allocation.pk}/",
              FUNDS_XINBIN | {"token_xinbin", "token_fushun"},
              shows=lambda w: XINBIN_ALLOCATION)],
    "api:funds-asset-list": [Probe(_api("funds/assets"), API_ALL)],
    "api:funds-asset-detail": [
        Probe(lambda w: f"/api/v1/funds/assets/{w.xinbin_asset.pk}/",
              FUNDS_XINBIN | {"token_xinbin", "token_fushun"}, shows=lambda w: XINBIN_ASSET)],
    # funds Excel (issue 15): import for one's county (admin, county officials and supervisors),
    # an upload only for the one who made it; exports of what the user's regions hold
    "funds:import": [Probe(lambda w: "/funds/import/", FUNDS_IMPORTERS)],
    "funds:import_preview": [Probe(lambda w: f"/funds/import/{_funds_upload()}/", ADMIN_ONLY)],
    "funds:import_confirm": [Probe(lambda w: f"/funds/import/{_funds_upload()}/confirm/",
                                   ADMIN_ONLY, method="post", data=lambda w: {"digest": ""})],
    "funds:export_projects": [Probe(lambda w: "/funds/export/projects.xlsx",
                                    USERS - {"longde_chengguan", "longde_beiguan"})],
    "funds:export_assets": [Probe(lambda w: "/funds/export/assets.xlsx",
                                  USERS - {"longde_chengguan", "longde_beiguan"})],
    "funds:export_allocations": [Probe(lambda w: "/funds/export/allocations.xlsx", USERS)],
    # funds project library and asset ledger (issue 15): the people of the project's place
    # and above; a sibling county gets 404; each step only by its role
    "funds:projects": [Probe(lambda w: "/funds/projects/", USERS),
                       Probe(lambda w: "/funds/projects/?q=M-&status=declared&sort=name", USERS)],
    "funds:project_declare": [Probe(lambda w: "/funds/projects/new/", FUNDS_DECLARERS)],
    "funds:project": [
        Probe(lambda w: f"/funds/projects/{w.longde_project.pk}/", FUNDS_LONGDE,
              shows=lambda w: LONGDE_PROJECT),
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/", FUNDS_XINBIN,
              shows=lambda w: XINBIN_PROJECT)],
    "funds:project_notice": [
        Probe(lambda w: f"/funds/projects/{w.longde_project.pk}/notice/", FUNDS_LONGDE,
              shows=lambda w: LONGDE_PROJECT),
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/notice/", FUNDS_XINBIN,
              shows=lambda w: XINBIN_PROJECT)],
    "funds:project_transition": [
        Probe(lambda w: f"/funds/projects/{w.longde_project.pk}/transition/",
              {"longde_chengguan", "admin"}, method="post",
              data=lambda w: {"to": "township_reviewed"})],
    "funds:project_funding": [
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/funding/",
              {"xinbin_duban", "admin"}, method="post",
              data=lambda w: {"source": "county", "amount": "10"})],
    "funds:project_spending": [
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/spending/",
              {"xinbin", "xinbin_duban", "admin"}, method="post",
              data=lambda w: {"source": "central", "month": "2022-06", "amount": "10"})],
    "funds:project_asset": [
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/assets/",
              {"xinbin_duban", "admin"}, method="post",
              data=lambda w: {"name": "越权登记", "kind": "public", "value": "1",
                              "owner": "某村集体经济组织"})],
    "funds:project_achieved": [
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/achieved/",
              {"xinbin", "xinbin_duban", "admin"}, method="post",
              data=lambda w: {f"achieved-{w.xinbin_project.targets.get().pk}": "越权完成值"})],
    "funds:project_evaluate": [
        Probe(lambda w: f"/funds/projects/{w.xinbin_project.pk}/evaluate/",
              {"xinbin_duban", "admin"}, method="post", data=lambda w: {"score": "99"})],
    # 结转: supervisors over what they supervise (and the admin); officials and leaders not
    "funds:rollover": [Probe(lambda w: "/funds/projects/rollover/?year=2022",
                             {"xinbin_duban", "qingyuan_duban", "longde_nongban", "admin"})],
    "funds:assets": [Probe(lambda w: "/funds/assets/", USERS)],
    # households (issue 16): officials and supervisors of the place and above; leaders read
    # dashboards only; the full value only for the county's supervisor (and the admin)
    "households:list": [Probe(lambda w: "/households/", HOUSEHOLD_WORKERS),
                        Probe(lambda w: "/households/?case_status=clue&q=M-HH",
                              HOUSEHOLD_WORKERS)],
    "households:new": [Probe(lambda w: "/households/new/", HOUSEHOLD_REGISTRARS)],
    "households:detail": [Probe(lambda w: f"/households/{w.beiguan_household.pk}/",
                                SEES_BEIGUAN, shows=lambda w: BEIGUAN_HEAD)],
    "households:reveal": [
        Probe(lambda w: f"/households/{w.beiguan_household.pk}/reveal/",
              {"longde_nongban", "admin"}, method="post",
              data=lambda w: {"member": w.beiguan_household.members.get().pk,
                              "field": "id_number", "reason": "核对身份信息"})],
    "households:member_new": [
        Probe(lambda w: f"/households/{w.beiguan_household.pk}/members/", SEES_BEIGUAN,
              method="post", data=lambda w: {"name": "越权成员", "relation": "child",
                                             "id_number": "640423201001010017"})],
    "households:case_new": [
        Probe(lambda w: f"/households/{w.beiguan_household.pk}/cases/", SEES_BEIGUAN,
              method="post", data=lambda w: {"channel": "visit", "category": "edge",
                                             "risk": "illness"})],
    "households:cases": [Probe(lambda w: "/households/cases/", HOUSEHOLD_WORKERS),
                         Probe(lambda w: "/households/cases/?mine=1", HOUSEHOLD_WORKERS)],
    "households:case": [Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/",
                              SEES_BEIGUAN, shows=lambda w: BEIGUAN_HEAD)],
    "households:case_step": [
        Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/step/",
              {"longde_beiguan", "longde_chengguan", "admin"}, method="post",
              data=lambda w: {"to": "verified"})],
    "households:measure_new": [
        Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/measures/", SEES_BEIGUAN,
              method="post", data=lambda w: {"kind": "medical", "description": "越权措施",
                                             "starts_on": "2024-03-01"})],
    "households:measure_status": [
        Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/measures/"
                        f"{w.beiguan_measure.pk}/", SEES_BEIGUAN, method="post",
              data=lambda w: {"status": "done"})],
    "households:income_new": [
        Probe(lambda w: f"/households/{w.beiguan_household.pk}/income/", SEES_BEIGUAN,
              method="post", data=lambda w: {"period_end": "2025-12", "net_income": "9000",
                                             "people": "2"})],
    "households:case_assurances": [
        Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/assurances/",
              {"longde_beiguan", "longde_chengguan", "longde_nongban", "admin"},
              method="post", data=lambda w: {"secured": "1"})],
    # the households API: as the pages, masked; tokens (other systems) and leaders refused
    "api:household-list": [Probe(_api("households"), HOUSEHOLD_WORKERS)],
    "api:household-detail": [Probe(lambda w: f"/api/v1/households/{w.beiguan_household.pk}/",
                                   SEES_BEIGUAN, shows=lambda w: BEIGUAN_HEAD)],
    "api:household-case-list": [Probe(_api("household-cases"), HOUSEHOLD_WORKERS)],
    "api:household-case-detail": [
        Probe(lambda w: f"/api/v1/household-cases/{w.beiguan_case.pk}/", SEES_BEIGUAN)],
    "households:rounds": [Probe(lambda w: "/households/rounds/", HOUSEHOLD_WORKERS),
                          Probe(lambda w: "/households/rounds/?red=1", HOUSEHOLD_WORKERS)],
    "households:round_record": [
        Probe(lambda w: "/households/rounds/record/", {"longde_beiguan", "longde_chengguan",
                                                       "admin"}, method="post",
              data=lambda w: {"duty": w.beiguan_duty.pk, "checked": "30",
                              "place": w.beiguan_household.region_id})],
    "households:dashboard": [Probe(lambda w: "/households/dashboard/", DASHBOARDS)],
    "households:dashboard_region": [
        Probe(lambda w: "/households/dashboard/640423/", {"longde_nongban", "longde_leader",
                                                          "admin"}),
        Probe(lambda w: "/households/dashboard/210422/", DASHBOARDS_XINBIN)],
    "households:roster_upload": [Probe(lambda w: "/households/import/", HOUSEHOLD_REGISTRARS)],
    "households:roster_preview": [Probe(lambda w: f"/households/import/{_roster_upload()}/",
                                        ADMIN_ONLY)],
    "households:roster_confirm": [
        Probe(lambda w: f"/households/import/{_roster_upload()}/confirm/", ADMIN_ONLY,
              method="post", data=lambda w: {"digest": ""})],
    "households:flags": [Probe(lambda w: "/households/flags/", HOUSEHOLD_WORKERS)],
    "households:case_notice": [Probe(lambda w: f"/households/cases/{w.beiguan_case.pk}/notice/",
                                     SEES_BEIGUAN, shows=lambda w: BEIGUAN_HEAD)],
    "funds:asset": [Probe(lambda w: f"/funds/assets/{w.xinbin_asset.pk}/", FUNDS_XINBIN,
                          shows=lambda w: XINBIN_ASSET)],
    "funds:asset_income": [
        Probe(lambda w: f"/funds/assets/{w.xinbin_asset.pk}/income/",
              {"xinbin", "xinbin_duban", "admin"}, method="post",
              data=lambda w: {"year": "2023", "use": "households", "amount": "5"})],
    "funds:asset_dispose": [
        Probe(lambda w: f"/funds/assets/{w.xinbin_asset.pk}/dispose/",
              {"xinbin_duban", "admin"}, method="post", data=lambda w: {"approval": "越权批复"})],
}
# Outside the matrix: Django's admin (its own permission system, checked in
# tests/test_admin_pages.py) and the favicon.
NOT_APP_URLS = {"admin"}


def _url_names(patterns=None, namespace=None):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in NOT_APP_URLS:
                continue
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_url_names())
    assert names - set(MATRIX) == set(), "URLs without a scope-matrix entry"
    assert set(MATRIX) - names == set(), "matrix entries for URLs that no longer exist"


def _funds_state() -> list:
    from funds.models import (
        Asset,
        AssetIncome,
        PerformanceTarget,
        Project,
        ProjectFunding,
        Spending,
    )

    return [list(Project.objects.order_by("pk").values_list("pk", "status", "version",
                                                            "evaluation_score", "year")),
            Project.objects.count(),
            list(PerformanceTarget.objects.order_by("pk").values_list("pk", "achieved_value")),
            list(ProjectFunding.objects.order_by("pk").values_list("pk", "amount")),
            list(Spending.objects.order_by("pk").values_list("pk", "amount")),
            list(Asset.objects.order_by("pk").values_list("pk", "status")),
            AssetIncome.objects.count()]


def _households_state() -> list:
    from households.models import (
        Case,
        Household,
        IncomeRecord,
        Measure,
        Member,
        ScreeningRound,
    )

    return [list(Household.objects.order_by("pk").values_list("pk", "code")),
            list(Member.objects.order_by("pk").values_list("pk", "id_number_index")),
            list(Case.objects.order_by("pk").values_list("pk", "status", "version")),
            list(Measure.objects.order_by("pk").values_list("pk", "status")),
            list(IncomeRecord.objects.order_by("pk").values_list("pk", "net_income")),
            list(Case.objects.order_by("pk").values_list("pk", "two_assurances_secured")),
            ScreeningRound.objects.count()]


def _state() -> str:
    """A fingerprint of everything a write could change."""
    rows = [
        list(ProgressReport.objects.order_by("pk").values_list("pk", "status", "review")),
        list(Task.objects.order_by("pk").values_list("pk", "status", "version")),
        PolicyDocument.objects.count(), Obligation.objects.count(),
        list(DocumentUpload.objects.order_by("pk").values_list("pk", "status")),
        list(ListImport.objects.order_by("pk").values_list("pk", "applied_at")),
        *_funds_state(), *_households_state(),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _client(client, persona):
    if persona in TOKENS:
        region = Region.objects.get(code=TOKENS[persona])
        api, key = create_api_client(name=persona, region=region, can_write=True,
                                     units=Unit.objects.filter(region=region), actor=None)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    elif persona != "anonymous":
        client.force_login(get_user_model().objects.get(username=persona))
    return client


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content = response.content
    if content[:2] == b"PK":  # an .xlsx: its shared strings are what a reader sees
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                           if n.endswith(".xml"))
    return content.decode("utf-8", "replace")


REFUSED = {302, 401, 403, 404, 405}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_sees_only_its_own_scope_on_every_url(client, world, persona):
    client = _client(client, persona)
    forbidden = [text for text, who in SECRETS.items() if persona not in who]
    problems = []
    for name, probes in MATRIX.items():
        if name == "logout":
            continue
        for probe in probes:
            path = probe.path(world)
            before = _state() if probe.method == "post" else None
            data = probe.data(world) if callable(probe.data) else probe.data
            response = getattr(client, probe.method)(path, data or {})
            body = _body(response)
            where = f"{name} {probe.method.upper()} {path}"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            leaked = [text for text in forbidden if text in body]
            if leaked:
                problems.append(f"{where}: shows {leaked}")
            if persona in probe.allowed:
                if response.status_code in REFUSED - {302} or (
                        response.status_code == 302 and "/login/" in response.get("Location", "")):
                    problems.append(f"{where}: refused ({response.status_code})")
                elif probe.shows and probe.shows(world) not in body:
                    problems.append(f"{where}: does not show {probe.shows(world)!r}")
            else:
                if response.status_code not in REFUSED:
                    problems.append(f"{where}: answered {response.status_code}, not refused")
                if before is not None and _state() != before:
                    problems.append(f"{where}: a refused write changed data")
    assert problems == [], "\n".join(problems)


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_a_bulk_approval_with_one_report_out_of_scope_changes_nothing(client, world):
    qingyuan_report = ProgressReport.objects.get(task=world.qingyuan_task)
    before = _state()
    response = _login(client, "xinbin_duban").post(
        "/review/approve/", {"reports": [world.xinbin_report.pk, qingyuan_report.pk]},
        follow=True)
    assert "未做任何修改" in response.content.decode()
    assert _state() == before
    client.post("/review/approve/", {"reports": [world.xinbin_report.pk]})
    world.xinbin_report.refresh_from_db()
    assert world.xinbin_report.review == ProgressReport.Review.APPROVED


def test_a_sibling_countys_supervisor_cannot_review(client, world):
    for path, data in ((f"/reports/{world.xinbin_report.pk}/approve/", {}),
                       (f"/reports/{world.xinbin_report.pk}/return/", {"comment": "越权"})):
        response = _login(client, "qingyuan_duban").post(path, data)
        assert response.status_code == 404
    world.xinbin_report.refresh_from_db()
    assert world.xinbin_report.review == ProgressReport.Review.SUBMITTED


def test_a_supervisor_cannot_approve_their_own_report(client, world):
    from obligations.models import Membership

    supervisor = get_user_model().objects.get(username="xinbin_duban")
    Membership.objects.create(user=supervisor, unit=world.xinbin_unit, role="official")
    world.xinbin_task.refresh_from_db()
    own = _report(world.xinbin_task, supervisor, "审核人自己填的报告")
    client = _login(client, "xinbin_duban")
    assert client.post(f"/reports/{own.pk}/approve/").status_code == 404
    queue = client.get("/review/").content.decode()
    assert "审核人自己填的报告" not in queue and XINBIN_TEXT in queue
    own.refresh_from_db()
    assert own.review == ProgressReport.Review.SUBMITTED


def test_the_task_page_shows_only_the_peers_of_the_own_county(client, world):
    page = _login(client, "qingyuan").get(f"/tasks/{world.qingyuan_task.pk}/").content.decode()
    assert QINGYUAN_TEXT in page and XINBIN_UNIT not in page
    # The lead of a Longde measure sees its township supporter and that it has not reported.
    page = _login(client, "longde_fupin").get(f"/tasks/{world.fupin_task.pk}/").content.decode()
    assert "城关镇人民政府" in page


@pytest.mark.parametrize(("persona", "region"), [
    ("qingyuan_leader", "210423"), ("xinbin_duban", "210422"), ("fushun_leader", "210400")])
def test_progress_api_gives_only_the_figures_of_the_users_subtree(client, world, persona, region):
    from monitoring.models import ProgressSummary

    root = Region.objects.get(code=region)
    rows = _login(client, persona).get("/api/v1/progress/?page_size=1000").json()["results"]
    assert rows
    region_ids = {r["scope_id"] for r in rows if r["scope"] == "region"}
    assert region_ids and set(Region.objects.filter(pk__in=region_ids).values_list(
        "path", flat=True)) <= set(Region.objects.filter(path__startswith=root.path)
                                   .values_list("path", flat=True))
    unit_ids = {r["scope_id"] for r in rows if r["scope"] == "unit"}
    assert not Unit.objects.filter(pk__in=unit_ids).exclude(region__path__startswith=root.path)
    document_ids = {r["scope_id"] for r in rows if r["scope"] == "document"}
    assert not PolicyDocument.objects.filter(pk__in=document_ids).exclude(
        region__path__startswith=root.path)
    # what the database holds for the parent region is there, and not given
    assert ProgressSummary.objects.filter(scope="region", scope_id=root.parent_id).exists()
    assert root.parent_id not in region_ids


def test_officials_get_no_region_wide_figures_over_the_api(client, world):
    response = _login(client, "xinbin").get("/api/v1/progress/")
    assert response.status_code == 200 and response.json()["results"] == []
