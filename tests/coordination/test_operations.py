"""Joint operations (联合执法) through their services: planned with departments and the duties they bring, people
checking in once in the window, findings becoming a task for the department that brought the category or a case of
ours, a report with the counts, then closed; and bad input that changes nothing."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.coordination import services
from apps.coordination.models import JointOperation, OperationFinding, OperationStatus
from apps.dispatch.models import Task
from apps.gbcp import services as gbcp_services
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Category, Organization, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def duties(db):
    """Two leaf categories: one the market regulator brings, one no participant brings."""
    leaves = list(Category.objects.filter(is_active=True).exclude(deadline_unit="").order_by("code")[:2])
    return leaves[0], leaves[1]


@pytest.fixture
def market_with_duties(market, duties):
    return gbcp_services.organization_upsert(user=None, name=market.name, kind=market.kind, level=market.level, region=market.region,
                                             duties=[duties[0]])


@pytest.fixture
def officer(db):
    return User.objects.get(username="dhm_officer1")


@pytest.fixture
def operation(squad_leader, squad, market_with_duties, duties, liaison, officer):
    now = timezone.now()
    return services.operation_create(
        user=squad_leader, organization=squad, title="东华门大街联合整治", purpose="整治无证经营和占道经营", region=squad.region,
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=3), departments=[(market_with_duties, [duties[0]])],
        participants=[squad_leader, officer, liaison])


def test_an_operation_goes_from_plan_to_report_to_close_with_its_counts(operation, squad_leader, officer, liaison, market, duties, dhm_point):
    assert operation.status == OperationStatus.PLANNED and operation.departments.count() == 1 and operation.attendance.count() == 3
    services.operation_check_in(user=officer, operation=operation, point=dhm_point)
    operation.refresh_from_db()
    assert operation.status == OperationStatus.UNDER_WAY
    with pytest.raises(ApplicationError) as twice:
        services.operation_check_in(user=officer, operation=operation)
    assert twice.value.status_code == 409
    services.operation_check_in(user=liaison, operation=operation)
    task_finding = services.operation_finding_record(user=liaison, operation=operation, outcome="task", description="无证经营熟食摊点",
                                                     category=duties[0], point=dhm_point)
    assert task_finding.department == market and task_finding.task is not None
    assert Task.objects.get(pk=task_finding.task_id).external_ref == f"joint-operation-finding-{task_finding.pk}"
    case_finding = services.operation_finding_record(user=officer, operation=operation, outcome="case", description="占道经营，拒不改正",
                                                     point=dhm_point)
    assert Case.objects.get(pk=case_finding.case_id).source_ref == f"joint-operation-{operation.pk}"
    services.operation_report(user=squad_leader, operation=operation, text="共检查商户12家")
    operation.refresh_from_db()
    counts = operation.report_counts
    assert (counts["participants"], counts["checked_in"], counts["findings"], counts["tasks"], counts["cases"]) == (3, 2, 2, 1, 1)
    assert {e["department"] for e in counts["by_department"]} == {market.name, case_finding.department.name}
    services.operation_close(user=squad_leader, operation=operation)
    operation.refresh_from_db()
    assert operation.status == OperationStatus.CLOSED
    assert [log.action for log in operation.logs.order_by("at", "id")] == [
        "create", "start", "check_in", "check_in", "finding_task", "finding_case", "report", "close"]
    assert operation.history.first().history_user == squad_leader


def test_a_category_no_participant_brings_is_refused_and_changes_nothing(operation, liaison, duties):
    with pytest.raises(ApplicationError) as refused:
        services.operation_finding_record(user=liaison, operation=operation, outcome="task", description="其他问题", category=duties[1])
    assert refused.value.code == "category_not_brought" and refused.value.status_code == 400
    assert OperationFinding.objects.count() == 0 and not Task.objects.filter(external_ref__startswith="joint-operation").exists()


def test_a_department_member_cannot_open_a_case_the_cases_rules_decide(operation, liaison):
    with pytest.raises(ApplicationError) as refused:
        services.operation_finding_record(user=liaison, operation=operation, outcome="case", description="占道")
    assert refused.value.status_code == 403 and OperationFinding.objects.count() == 0


def test_check_in_and_findings_only_in_the_window_and_only_for_participants(operation, officer, dispatcher):
    later = operation.ends_at + dt.timedelta(minutes=1)
    with pytest.raises(ApplicationError) as late:
        services.operation_check_in(user=officer, operation=operation, now=later)
    assert late.value.status_code == 409
    with pytest.raises(ApplicationError) as stranger:
        services.operation_check_in(user=dispatcher, operation=operation)
    assert stranger.value.status_code == 403


def test_bad_plans_are_refused_and_change_nothing(squad_leader, squad, market_with_duties, duties, officer, bureau):
    now, before = timezone.now(), JointOperation.objects.count()
    base = dict(user=squad_leader, organization=squad, title="整治", purpose="整治", region=squad.region, starts_at=now,
                ends_at=now + dt.timedelta(hours=2), departments=[(market_with_duties, [duties[0]])], participants=[officer])
    bad = [dict(ends_at=now - dt.timedelta(hours=1)), dict(departments=[(market_with_duties, [duties[1]])]),
           dict(departments=[(bureau, [duties[0]])]), dict(departments=[]), dict(participants=[]), dict(title=" "),
           dict(region=Region.objects.get(code="110108")), dict(organization=bureau)]
    for change in bad:
        with pytest.raises(ApplicationError) as refused:
            services.operation_create(**{**base, **change})
        assert refused.value.status_code in (400, 403), change
    assert JointOperation.objects.count() == before


def test_planners_cancel_with_a_reason_participants_cannot(operation, officer, squad_leader):
    with pytest.raises(ApplicationError):
        services.operation_cancel(user=officer, operation=operation, reason="下雨")
    with pytest.raises(ApplicationError):
        services.operation_cancel(user=squad_leader, operation=operation, reason=" ")
    services.operation_cancel(user=squad_leader, operation=operation, reason="暴雨预警")
    operation.refresh_from_db()
    assert operation.status == OperationStatus.CANCELLED
    assert Organization.objects.filter(pk=operation.organization_id).exists()
