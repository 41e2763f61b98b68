"""The REST API: scope per token, filters, the write path, exports, query counts."""

import csv
import io
import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from obligations.models import (
    IndicatorTarget,
    IndicatorValue,
    Milestone,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
)
from obligations.services.api_clients import revoke_api_client
from obligations.services.units import rename_unit


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def all_results(api, url, params=None):
    params = {**(params or {}), "page_size": 200}
    rows, page = [], 1
    while True:
        data = api.get(url, {**params, "page": page}).json()
        rows += data["results"]
        if not data["next"]:
            return rows
        page += 1


def test_no_token_no_data(seeded):
    assert APIClient().get("/api/v1/tasks/").status_code in (401, 403)
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert bad.get("/api/v1/tasks/").status_code == 401


def test_a_county_token_never_sees_another_countys_data(token_for):
    longde = token_for("640423")
    tasks = all_results(longde, "/api/v1/tasks/")
    assert tasks and {t["document"] for t in tasks} == {"隆党发〔2021〕2号"}
    xinbin = token_for("210422")
    xinbin_tasks = all_results(xinbin, "/api/v1/tasks/")
    assert {t["unit"] for t in xinbin_tasks} == {"新宾满族自治县人民政府"}
    longde_task = Task.objects.filter(unit__region__code="640423").first()
    assert xinbin.get(f"/api/v1/tasks/{longde_task.pk}/").status_code == 404
    documents = {d["doc_number"] for d in all_results(xinbin, "/api/v1/documents/")}
    assert documents == {"抚委农领发〔2021〕3号"}
    units = {u["name"] for u in all_results(xinbin, "/api/v1/units/")}
    assert "扶贫办" not in units and "新宾满族自治县人民政府" in units
    rows = xinbin.get("/api/v1/responsibility-list/").json()
    assert rows and all(r["document"] == "抚委农领发〔2021〕3号" for r in rows)


def test_revoked_token_is_refused(token_for):
    api = token_for("640423")
    assert api.get("/api/v1/tasks/").status_code == 200
    revoke_api_client(client=api.api_client, actor=None)
    assert api.get("/api/v1/tasks/").status_code == 401


# 青财农字〔2021〕818号: 社会保障处 (社保处 in 二.(八)) only takes part (参与) in 二.(一) and 二.(三),
# where 农业农村处 leads; it leads or 分别负责 in the eleven others that name it, and in 一.(一)
# and 一.(二) as one of 厅各相关处室.
SOCIAL_SECURITY_LEADS = {"一.(一)", "一.(二)", "二.(四)", "二.(八)", "三.(一)", "三.(二)", "三.(三)",
                         "三.(四)", "四.(二)", "四.(四)", "五.(一)", "五.(二)", "五.(三)"}
SOCIAL_SECURITY_SUPPORTS = {"二.(一)", "二.(三)"}


@pytest.mark.parametrize("unit", ["社会保障处", "社保处"])
def test_unit_and_role_filter_the_same_task(token_for, unit):
    """role=lead&unit=X: obligations X leads, not those where X supports and someone else leads."""
    province = token_for("630000")
    leads = all_results(province, "/api/v1/obligations/", {"unit": unit, "role": "lead"})
    assert {r["code"] for r in leads} == SOCIAL_SECURITY_LEADS, [r["code"] for r in leads]
    assert len({r["id"] for r in leads}) == len(leads)  # no obligation twice
    assert all({"社会保障处", "社保处", "厅各相关处室"} & set(r["lead_units"]) for r in leads)
    supports = all_results(province, "/api/v1/obligations/", {"unit": unit, "role": "support"})
    assert {r["code"] for r in supports} == SOCIAL_SECURITY_SUPPORTS
    assert all("社会保障处" in r["supporting_units"] for r in supports)
    either = all_results(province, "/api/v1/obligations/", {"unit": unit})
    assert sorted(r["code"] for r in either) == sorted(SOCIAL_SECURITY_LEADS | SOCIAL_SECURITY_SUPPORTS)
    listed = province.get("/api/v1/responsibility-list/", {"unit": unit, "role": "support"}).json()
    assert len(listed) == len(SOCIAL_SECURITY_SUPPORTS)


def test_obligation_filters(token_for):
    province = token_for("630000")
    searched = results(province.get("/api/v1/obligations/", {"q": "涉农资金统筹整合"}))
    assert {r["code"] for r in searched} >= {"二.(三)", "第十二章第二节"}
    in_force = results(province.get("/api/v1/obligations/",
                                    {"in_force_for": "630222", "on": "2024-06-01", "q": "涉农资金"}))
    assert "二.(三)" not in {r["code"] for r in in_force}  # the pilot ended for 民和县 in 2023
    assert "第十二章第二节" in {r["code"] for r in in_force}  # 001's integration article did not
    bad = province.get("/api/v1/obligations/", {"in_force_for": "630222"})
    assert bad.status_code == 400 and "on" in bad.json()
    bad = province.get("/api/v1/obligations/", {"document": "abc", "ordering": "nonsense"})
    assert bad.status_code == 400 and set(bad.json()) >= {"document", "ordering"}


def test_task_filters_including_former_names_and_region_subtree(token_for):
    api = token_for("640423")
    office = Task.objects.filter(unit__name="扶贫办").first().unit
    rename_unit(unit=office, new_name="乡村振兴局", renamed_on=__import__("datetime").date(2021, 9, 1),
                actor=None)
    by_old_name = all_results(api, "/api/v1/tasks/", {"unit": "扶贫办"})
    assert by_old_name and {t["unit"] for t in by_old_name} == {"乡村振兴局"}
    townships = all_results(api, "/api/v1/tasks/", {"region": "640423100"})
    assert {t["unit"] for t in townships} == {"城关镇人民政府"}
    support = all_results(api, "/api/v1/tasks/", {"role": "support", "unit": "民政局"})
    assert support and all((t["role"], t["unit"]) == ("support", "民政局") for t in support)
    due = all_results(api, "/api/v1/tasks/", {"due_before": "2021-07-01", "unit": "乡村振兴局"})
    assert {t["obligation_code"] for t in due} >= {"二.(五)", "二.(二)"}
    bad = api.get("/api/v1/tasks/", {"due_before": "明天", "light": "purple", "region": "999999"})
    assert bad.status_code == 400
    assert set(bad.json()) >= {"due_before", "light"}
    assert api.get("/api/v1/tasks/", {"region": "999999"}).status_code == 400


def test_page_size_is_capped(token_for):
    data = token_for("640423").get("/api/v1/tasks/", {"page_size": 10000}).json()
    assert len(data["results"]) == 200 and data["count"] > 200


def write_payload(task, **extra):
    return {"task": task.pk, "expected_version": task.version, "status": "in_progress",
            "percent": 30, "narrative": "接口填报", **extra}


def test_read_only_token_cannot_write(token_for):
    api = token_for("640423")
    task = Task.objects.filter(unit__region__code="640423").first()
    response = api.post("/api/v1/reports/", write_payload(task), format="json")
    assert response.status_code == 403 and not ProgressReport.objects.exists()


def test_writing_token_posts_a_report_through_the_same_rules(token_for):
    api = token_for("640423", can_write=True)
    task = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code="二.(五)", unit__name="扶贫办")
    bad = api.post("/api/v1/reports/", write_payload(task, status="done", narrative=""), format="json")
    assert bad.status_code == 400
    assert "narrative" in bad.json() and "uploads" in bad.json()
    bad = api.post("/api/v1/reports/", write_payload(task, percent=150), format="json")
    assert bad.status_code == 400 and "percent" in bad.json()
    assert not ProgressReport.objects.exists()
    ok = api.post("/api/v1/reports/", write_payload(task), format="json")
    assert ok.status_code == 201 and ok.json()["review"] == "submitted"
    stale = api.post("/api/v1/reports/", write_payload(task, narrative="旧版本"), format="json")
    assert stale.status_code == 409 and stale.json()["latest_report"]["narrative"] == "接口填报"
    assert ProgressReport.objects.count() == 1
    pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "台账.pdf"
    task.refresh_from_db()
    done = api.post("/api/v1/reports/", {**write_payload(task, status="done", percent=100),
                                         "uploads": [pdf]}, format="multipart")
    assert done.status_code == 201 and done.json()["evidence"][0]["kind"] == "pdf"


def test_writing_token_cannot_write_outside_its_region(token_for):
    api = token_for("210422", can_write=True)
    task = Task.objects.filter(unit__region__code="640423").first()
    assert api.post("/api/v1/reports/", write_payload(task), format="json").status_code == 404


def test_responsibility_list_as_csv_and_excel(token_for):
    api = token_for("640423")
    rows = api.get("/api/v1/responsibility-list/").json()
    first = rows[0]
    assert (first["number"], first["content"], first["leaders"], first["lead_units"], first["persons"],
            first["deadline"]) == (1, "保持主要帮扶政策总体稳定", "陈国栋", "扶贫办", "辛学发", "长期坚持")
    response = api.get("/api/v1/responsibility-list/", {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == ["文件", "序号", "主要事项", "具体内容", "主要措施", "责任领导", "责任单位",
                        "责任人", "配合单位", "完成时限", "备注"]
    assert len(table) == len(rows) + 1
    response = api.get("/api/v1/responsibility-list/", {"format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["序号", "主要事项", "具体内容", "主要措施", "责任领导",
                                           "责任单位", "责任人", "配合单位", "完成时限", "备注"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 60
    assert sheet["C2"].value == "保持主要帮扶政策总体稳定" and sheet["G2"].value == "辛学发"
    assert api.get("/api/v1/responsibility-list/", {"format": "pdf"}).status_code == 400


def test_excel_has_one_sheet_per_document(token_for):
    province = token_for("630000")
    workbook = load_workbook(io.BytesIO(
        province.get("/api/v1/responsibility-list/", {"format": "xlsx"}).content))
    assert len(workbook.worksheets) == 2  # 000 and 001


def test_assessment_results_only_published_for_non_admins(token_for):
    from monitoring.assessment import compute_assessment, publish_assessment

    compute_assessment(2022)
    api = token_for("640423")
    assert results(api.get("/api/v1/assessment-results/")) == []
    publish_assessment(2022, actor=None)
    rows = results(api.get("/api/v1/assessment-results/"))
    assert rows and {r["year"] for r in rows} == {2022}


@pytest.mark.parametrize("url", ["/api/v1/tasks/", "/api/v1/obligations/", "/api/v1/units/",
                                 "/api/v1/documents/", "/api/v1/milestones/", "/api/v1/reports/",
                                 "/api/v1/regions/", "/api/v1/targets/", "/api/v1/progress/",
                                 "/api/v1/assessment-results/"])
def test_list_query_counts_do_not_grow_with_rows(token_for, url):
    from monitoring.assessment import compute_assessment
    from monitoring.jobs import aggregate_progress
    from monitoring.models import AssessmentYear

    api = token_for("640423", can_write=True)
    tasks = list(Task.objects.filter(unit__region__code="640423")[:30])
    longde = Region.objects.get(code="640423")

    def add_rows(batch):  # each endpoint's rows; summaries after aggregation
        for task in batch:
            ProgressReport.objects.create(task=task, status="in_progress", percent=10)
            Milestone.objects.create(task=task, due_on="2030-01-01", kind="checkin")
            PolicyDocument.objects.create(title=f"文件{task.pk}", level="county", region=longde)
            target = IndicatorTarget.objects.create(
                obligation=task.obligation, name=f"指标{task.pk}", comparator=">=", value=80,
                unit="%", due_year=2025, source_text="≥80%")
            IndicatorValue.objects.create(target=target, region=longde, year=2024, value=85)
        if url == "/api/v1/assessment-results/":  # one result of 隆德县 per year
            for year in ([2021] if len(batch) == 2 else [2022, 2023, 2024, 2025]):
                compute_assessment(year)
            # Published directly: the publishing service is tested with the assessment.
            AssessmentYear.objects.update(status="published", published_at=timezone.now())
        aggregate_progress()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE obligations_task, obligations_milestone, obligations_unit, "
                           "obligations_region, obligations_membership, obligations_obligation")

    add_rows(tasks[:2])
    api.get(url, {"page_size": 5})
    with CaptureQueriesContext(connection) as few:
        few_rows = results(api.get(url, {"page_size": 5}))
    add_rows(tasks[2:])
    with CaptureQueriesContext(connection) as many:
        many_rows = results(api.get(url, {"page_size": 25}))
    # An N+1 shows only if the second page renders more rows than the first.
    assert 0 < len(few_rows) < len(many_rows), (len(few_rows), len(many_rows))
    assert len(many) == len(few), "\n".join(q["sql"][:150] for q in many.captured_queries)


def test_swagger_ui_and_schema_are_served_by_the_app(client, seeded):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="longde_leader"))
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "https://" not in page.replace("https://swagger.io", "")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    task_fields = schema["components"]["schemas"]["Task"]["properties"]
    assert all(field.get("description") for field in task_fields.values())


def test_excel_button_on_the_task_page_downloads_the_users_list(client, seeded):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="xinbin"))
    page = client.get("/tasks/").content.decode()
    assert "导出责任清单（Excel）" in page
    response = client.get("/api/v1/responsibility-list/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.title.startswith("抚委农领发")


@pytest.mark.parametrize("url", ["/api/v1/milestones/", "/api/v1/reports/", "/api/v1/targets/",
                                 "/api/v1/progress/", "/api/v1/regions/"])
def test_other_list_endpoints_stay_inside_the_tokens_region(token_for, url):
    from monitoring.jobs import aggregate_progress
    from obligations.models import Region, Unit

    longde_task = Task.objects.filter(unit__region__code="640423").first()
    ProgressReport.objects.create(task=longde_task, status="in_progress", percent=10)
    aggregate_progress()
    rows = all_results(token_for("210422"), url)
    longde = Region.objects.get(code="640423")
    longde_units = set(Unit.objects.filter(region__path__startswith=longde.path).values_list("pk", flat=True))
    longde_tasks = set(Task.objects.filter(unit_id__in=longde_units).values_list("pk", flat=True))
    for row in rows:
        assert row.get("task") not in longde_tasks
        assert row.get("code") not in {"640423", "640400", "640000"}
        if row.get("scope") == "unit":
            assert row["scope_id"] not in longde_units
        if row.get("scope") == "region":
            assert row["scope_id"] != longde.pk
        if "obligation" in row and "name" in row:  # targets: only of documents covering 新宾县
            from obligations.models import Obligation

            region = Obligation.objects.get(pk=row["obligation"]).document.region.code
            assert region in {"210000", "210400", "210422"}


@pytest.mark.parametrize("ordering", ["unit", "-unit", ","])
def test_task_pages_neither_overlap_nor_skip_whatever_the_ordering(token_for, ordering):
    """Many tasks share a unit name: without a tie-breaker, pages could repeat or lose rows."""
    api = token_for("640423")
    seen = []
    page = 1
    warnings.simplefilter("error", UnorderedObjectListWarning)  # pytest restores the filters
    while True:
        response = api.get("/api/v1/tasks/", {"ordering": ordering, "page_size": 50, "page": page})
        assert response.status_code == 200
        seen += [row["id"] for row in response.json()["results"]]
        if not response.json()["next"]:
            break
        page += 1
    longde = Task.objects.filter(unit__region__path__startswith="640000/640400/640423/")
    assert len(seen) == len(set(seen)) == longde.count()
    # ... and in the order asked for (the database's collation for the names), ties by id.
    asked = {"unit": ["unit__name", "id"], "-unit": ["-unit__name", "id"], ",": ["id"]}[ordering]
    assert seen == list(longde.order_by(*asked).values_list("id", flat=True))
    if ordering != ",":
        assert seen != list(longde.order_by("id").values_list("id", flat=True))


def test_schema_and_api_docs_answer_anonymous_users_with_401_and_a_login(client, seeded):
    response = client.get("/api/schema/")
    assert response.status_code == 401 and "paths" not in response.content.decode()
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/login/")


def test_responsibility_list_query_count_does_not_grow_with_measures(token_for):
    """A county's whole list in a fixed number of queries (issue 17: units and people are read
    as plain rows, not a prefetch per measure), each row's units and people in written order."""
    from obligations.models import Obligation, ObligationPerson, ObligationUnit, PolicyDocument

    api = token_for("640423")
    url = "/api/v1/responsibility-list/"
    api.get(url)
    with CaptureQueriesContext(connection) as few:
        before = api.get(url).json()
    document = PolicyDocument.objects.create(title="新增责任清单", level="county",
                                             region=Region.objects.get(code="640423"))
    measures = Obligation.objects.bulk_create([
        Obligation(document=document, kind="measure", code=str(i), position=i, title=f"新增措施{i}")
        for i in range(40)])
    ObligationUnit.objects.bulk_create(
        [ObligationUnit(obligation=m, role=role, written_name=f"{name}{m.position}", position=p)
         for m in measures
         for role, name, p in (("lead", "乙牵头", 2), ("lead", "甲牵头", 1), ("support", "配合", 1))])
    ObligationPerson.objects.bulk_create(
        [ObligationPerson(obligation=m, role="leader", written_name=f"领导{m.position}", position=1)
         for m in measures])
    with CaptureQueriesContext(connection) as many:
        after = api.get(url).json()
    assert len(after) == len(before) + 40
    row = next(r for r in after if r["content"] == "新增措施7")
    assert (row["lead_units"], row["supporting_units"], row["leaders"]) == (
        "甲牵头7、乙牵头7", "配合7", "领导7")
    assert len(many) == len(few)
