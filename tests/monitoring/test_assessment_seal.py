"""The seal of a published assessment year (issue 14 item 8): HMAC-SM3 under the key "seal",
over the year, the weights it was computed with and its results."""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from monitoring.assessment import (
    PARTS,
    compute_assessment,
    publish_assessment,
    verify_assessment,
)
from monitoring.models import AssessmentEvent, AssessmentResult, AssessmentWeight, AssessmentYear
from obligations.models import Membership

D = datetime.date


@pytest.fixture
def published(world):
    """2023 computed and published with equal weights: 东县 50.00, 西县 66.67."""
    world.hand_computed_2023()
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    return world


def test_the_seal_survives_a_change_of_weights(published, capsys):
    assert verify_assessment(2023) == []
    # Next year's weights: 工作落实 no longer counts for counties.
    AssessmentWeight.objects.filter(subject="county", part="工作落实").update(weight=0)
    AssessmentWeight.objects.filter(subject="county", part="责任落实").update(weight=Decimal("2.5"))
    assert verify_assessment(2023) == []
    call_command("verify_assessment", "2023")
    assert "核验一致" in capsys.readouterr().out
    record = AssessmentYear.objects.get(year=2023)
    assert record.weights["county"]["工作落实"] == "1.00"  # the weights it was published with
    assert AssessmentResult.objects.get(year=record, region=published.west).total == Decimal("66.67")
    # A year computed now uses (and keeps) the new weights.
    compute_assessment(2024)
    assert AssessmentYear.objects.get(year=2024).weights["county"] == {
        "责任落实": "2.50", "政策落实": "1.00", "工作落实": "0.00", "巩固成效": "1.00",
        "资金支出进度": "0.00", "按期摸排审核": "0.00"}


def test_an_edited_result_fails_verification_naming_the_subject(published):
    AssessmentResult.objects.filter(region=published.west).update(total=Decimal("99.00"))
    problems = verify_assessment(2023)
    assert "西县：保存的结果与封印不符：结果在发布后被改动过。" in problems
    assert not any(p.startswith("东县") for p in problems)
    with pytest.raises(CommandError, match="不一致"):
        call_command("verify_assessment", "2023")


def test_an_edited_rank_or_flag_fails_verification_too(published):
    AssessmentResult.objects.filter(region=published.east).update(interview=False, rank_in_city=1)
    assert "东县：保存的结果与封印不符：结果在发布后被改动过。" in verify_assessment(2023)


def test_edited_stored_weights_fail_verification(published):
    record = AssessmentYear.objects.get(year=2023)
    record.weights["county"]["工作落实"] = "0.00"
    record.save(update_fields=["weights"])
    problems = verify_assessment(2023)
    assert "保存的考核权重与封印不符：权重在发布后被改动过。" in problems
    # Recomputed with the edited weights, 西县's published total no longer comes out.
    assert "西县：发布时总分 66.67，按当前数据重新计算为 100.00。" in problems


def test_a_deleted_result_fails_verification(published):
    AssessmentResult.objects.filter(region=published.east).delete()
    assert "东县：发布时有该考核对象的结果，现已被删除。" in verify_assessment(2023)


def _sha256(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":"), default=str).encode()).hexdigest()


def test_a_seal_recomputed_without_the_key_does_not_verify(published):
    """Someone with database access edits a result and writes a fresh SHA-256 of the same
    content as the seal and as every part: without the key, nothing verifies."""
    from monitoring.assessment import _stored_results
    from monitoring.seal import row_key

    AssessmentResult.objects.filter(region=published.west).update(total=Decimal("99.00"))
    record = AssessmentYear.objects.get(year=2023)
    rows = _stored_results(record)
    record.digest = _sha256({"year": 2023, "weights": record.weights,
                             "results": sorted(rows, key=row_key)})
    record.seal_parts = {"weights": _sha256({"year": 2023, "weights": record.weights}),
                         "results": {row_key(r): _sha256({"year": 2023, "result": r})
                                     for r in rows}}
    record.save(update_fields=["digest", "seal_parts"])
    problems = verify_assessment(2023)
    assert "保存的考核权重与封印不符：权重在发布后被改动过。" in problems
    assert "西县：保存的结果与封印不符：结果在发布后被改动过。" in problems
    assert "东县：保存的结果与封印不符：结果在发布后被改动过。" in problems


def test_a_forged_overall_seal_alone_does_not_verify(published):
    AssessmentYear.objects.filter(year=2023).update(digest=hashlib.sha256(b"2023").hexdigest())
    assert verify_assessment(2023) == [
        "封印与保存的权重和结果不符：封印不是用本系统的密钥生成的，或在发布后被改动过。"]


def test_the_print_page_shows_the_seal(published, client):
    leader = get_user_model().objects.create_user("city_leader")
    Membership.objects.create(user=leader, region=published.city, role="leader")
    client.force_login(leader)
    response = client.get(reverse("monitoring:assessment_print", args=[2023]))
    assert response.status_code == 200
    page = response.content.decode()
    seal = AssessmentYear.objects.get(year=2023).digest
    assert "封印（HMAC-SM3）" in page and seal[:16] in page and "SHA-256" not in page
    assert client.get(reverse("monitoring:assessment", args=[2023])).status_code == 200


def _publish_under_0004(world, *, change_weights_after=False):
    """2023 published as 0004's code did (SHA-256 over the live weights), then 0005 applied."""
    executor = MigrationExecutor(connection)
    before = [("monitoring", "0004_summary_place_scope")]
    # The weights as 0002 leaves them, whatever earlier transactional tests' flushes and
    # serialized rollbacks left in the table: the test starts from a known state.
    AssessmentWeight.objects.all().delete()
    AssessmentWeight.objects.bulk_create(
        AssessmentWeight(subject=subject, part=part, weight=Decimal("1.00"))
        for subject, parts in PARTS.items() for part in parts)
    world.hand_computed_2023()
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    from monitoring.assessment import _stored_results

    rows = _stored_results(AssessmentYear.objects.get(year=2023))
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        weights = {f"{w.subject}.{w.part}": str(w.weight)
                   for w in old.get_model("monitoring", "AssessmentWeight").objects.all()}
        old.get_model("monitoring", "AssessmentYear").objects.filter(year=2023).update(
            digest=hashlib.sha256(json.dumps(
                {"year": 2023, "weights": weights, "results": rows},
                sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest())
        if change_weights_after:
            old.get_model("monitoring", "AssessmentWeight").objects.filter(
                subject="county", part="工作落实").update(weight=0)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([("monitoring", "0005_assessment_weights_and_seal")])
    return AssessmentYear.objects.get(year=2023)


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_todays_weights_and_reseals_published_years(world):
    record = _publish_under_0004(world)
    assert Decimal(record.weights["county"]["政策落实"]) == 1
    event = AssessmentEvent.objects.get(year=record, action="reseal")
    assert "旧摘要与保存的结果和当前权重一致" in event.note
    assert verify_assessment(2023) == []
    AssessmentWeight.objects.filter(subject="county", part="工作落实").update(weight=0)
    assert verify_assessment(2023) == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_says_when_the_old_digest_no_longer_matched(world):
    """Weights changed after publishing under 0004 (the bug): the re-seal records today's
    weights, says the old digest did not match, and verification shows the totals differ."""
    record = _publish_under_0004(world, change_weights_after=True)
    assert "旧摘要与保存的结果和当前权重不符" in AssessmentEvent.objects.get(
        year=record, action="reseal").note
    assert "西县：发布时总分 66.67，按当前数据重新计算为 100.00。" in verify_assessment(2023)
