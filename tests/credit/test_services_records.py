"""Records told once, grades recomputed after commit with their contributions, expiry and repair by rule."""
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from apps.credit import services
from apps.credit.models import CreditRecord, EntityGrade
from apps.gbcp.errors import ApplicationError, NotFound

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_a_producer_telling_twice_records_once(business):
    first = services.record_inspection_finding(entity=business, source_ref="test.Finding:9001", reason="占道经营")
    again = services.record_inspection_finding(entity=business, source_ref="test.Finding:9001", reason="changed")
    assert again.pk == first.pk and again.reason == "占道经营"
    assert CreditRecord.objects.filter(entity=business).count() == 1
    # The same reference from another kind of source is another record.
    services.record_complaint_upheld(entity=business, source_ref="test.Finding:9001")
    assert CreditRecord.objects.filter(entity=business).count() == 2


@pytest.mark.django_db
def test_weights_and_validity_come_from_the_rule_set(business):
    penalty = services.record_penalty_decision(entity=business, source_ref="test.Case:1", fine=500, decided_on=TODAY)
    warning = services.record_penalty_decision(entity=business, source_ref="test.Case:2", fine=0, warning=True, decided_on=TODAY)
    passed = services.record_self_check(entity=business, source_ref="test.SelfCheck:1", passed=True)
    failed = services.record_self_check(entity=business, source_ref="test.SelfCheck:2", passed=False)
    assert [(r.weight, r.rule) for r in (penalty, warning, passed, failed)] == [
        (-10, "penalty_decision"), (-4, "penalty_decision_warning"), (1, "self_check"), (0, "self_check_failed")]
    assert penalty.expires_on == TODAY + dt.timedelta(days=1095) and penalty.region_code == "110101001"


@pytest.mark.django_db
def test_the_grade_is_recomputed_after_commit_and_lists_what_made_it(business, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.record_penalty_decision(entity=business, source_ref="test.Case:10", fine=500)  # -10
        services.record_inspection_finding(entity=business, source_ref="test.Finding:10")  # -3
        services.record_commendation(entity=business, source_ref="award:1")  # +5
    grade = EntityGrade.objects.get(entity=business)
    assert (grade.score, grade.grade) == (72, "C")  # 80 - 10 - 3 + 5
    assert [(c["kind"], c["weight"]) for c in grade.contributions] == [("penalty_decision", -10), ("commendation", 5), ("inspection_finding", -3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.record_penalty_decision(entity=business, source_ref="test.Case:11", fine=20000)  # -20
    grade.refresh_from_db()
    assert (grade.score, grade.grade) == (52, "D")
    assert [h.grade for h in EntityGrade.history.filter(entity_id=business.pk).order_by("history_date")] == ["C", "D"]


@pytest.mark.django_db
def test_nothing_is_recorded_when_the_producer_rolls_back(business):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.record_inspection_finding(entity=business, source_ref="test.Finding:77")
        raise RuntimeError
    assert not CreditRecord.objects.filter(source_ref="test.Finding:77").exists()


@pytest.mark.django_db
def test_records_expire_on_their_day_and_stop_counting(business):
    old = services.record_inspection_finding(entity=business, source_ref="test.Finding:20", found_on=TODAY - dt.timedelta(days=364))
    services.recompute_grade(entity=business)
    assert EntityGrade.objects.get(entity=business).score == 77
    assert services.expire_records(today=TODAY) == 0
    assert services.expire_records(today=TODAY + dt.timedelta(days=1)) == 1
    old.refresh_from_db()
    assert old.status == CreditRecord.Status.EXPIRED
    assert services.recompute_grade(entity=business).score == 80
    # A record told after its expiry is recorded as expired and never counts.
    late = services.record_imported(entity=business, source_ref="ext:1", department="市场监督管理局", weight=-5,
                                    occurred_on=TODAY - dt.timedelta(days=800), expires_on=TODAY - dt.timedelta(days=1))
    assert late.status == CreditRecord.Status.EXPIRED


@pytest.mark.django_db
def test_a_record_is_repaired_by_rule_after_its_waiting_time(business, reviewer, outside_reviewer, own_merchant):
    finding = services.record_inspection_finding(entity=business, source_ref="test.Finding:30", found_on=TODAY - dt.timedelta(days=30))
    with pytest.raises(ApplicationError) as early:
        services.repair_record(user=reviewer, record=finding, reason="已整改")
    assert (early.value.status_code, early.value.code) == (409, "too_early_to_repair")
    with pytest.raises(NotFound):
        services.repair_record(user=outside_reviewer, record=finding, reason="已整改", today=TODAY + dt.timedelta(days=60))
    for user in (own_merchant, AnonymousUser()):
        with pytest.raises(ApplicationError) as refused:
            services.repair_record(user=user, record=finding, reason="已整改", today=TODAY + dt.timedelta(days=60))
        assert refused.value.status_code == 403
    with pytest.raises(ApplicationError) as no_reason:
        services.repair_record(user=reviewer, record=finding, reason=" ", today=TODAY + dt.timedelta(days=60))
    assert no_reason.value.code == "reason_required"
    repaired = services.repair_record(user=reviewer, record=finding, reason="已整改并复查合格", today=TODAY + dt.timedelta(days=60))
    assert repaired.status == CreditRecord.Status.REPAIRED and repaired.history.first().history_user == reviewer
    with pytest.raises(ApplicationError) as twice:
        services.repair_record(user=reviewer, record=repaired, reason="再次", today=TODAY + dt.timedelta(days=60))
    assert twice.value.status_code == 409
    commendation = services.record_commendation(entity=business, source_ref="award:2", commended_on=TODAY - dt.timedelta(days=400))
    with pytest.raises(ApplicationError) as positive:
        services.repair_record(user=reviewer, record=commendation, reason="x")
    assert positive.value.code == "not_repairable"


@pytest.mark.django_db
def test_a_new_rule_set_version_is_activated_and_regrades(business, django_capture_on_commit_callbacks):
    services.record_inspection_finding(entity=business, source_ref="test.Finding:40")
    services.recompute_grade(entity=business)
    first = services.ruleset_current()
    new = services.ruleset_new_version(source=first, base_score=70, name="stricter")
    assert not new.is_active and new.version == first.version + 1 and new.weights == first.weights
    with django_capture_on_commit_callbacks(execute=True):
        services.ruleset_activate(ruleset=new)
    first.refresh_from_db()
    grade = EntityGrade.objects.get(entity=business)
    assert not first.is_active and services.ruleset_current() == new
    assert (grade.score, grade.grade, grade.ruleset_id) == (67, "C", new.pk)
    with pytest.raises(ApplicationError):
        services.ruleset_activate(ruleset=services.ruleset_new_version(a_min=50, b_min=70))
