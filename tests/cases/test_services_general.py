"""The general procedure (一般程序) driven step by step through the services, and its refusals."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.cases import services
from apps.cases.models import CaseDocument, Status
from apps.gbcp.errors import ApplicationError


def _on(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _flow_tasks(case):
    from viewflow.workflow.models import Task as FlowTask

    return list(FlowTask.objects.filter(process_id=case.process_id).order_by("pk").values_list("flow_task", "status"))


def _to_notified(case, officer1, legal, leader, fine="20000"):
    services.case_set_penalty(user=officer1, case=case, level="serious", fine=fine, departure_reason="涉案面积大，按严重阶次")
    services.case_submit_review(user=officer1, case=case)
    services.case_legal_review(user=legal, case=case, passed=True)
    services.case_leader_approve(user=leader, case=case)
    return services.case_notify(user=officer1, case=case)


@pytest.mark.django_db
def test_a_case_runs_from_filing_to_archive_with_a_hearing_and_a_turned_back_review(investigating, officer1, officer2, squad_leader, legal, leader):
    case = investigating
    assert case.status == Status.INVESTIGATING and case.decision_due == case.filed_at + dt.timedelta(days=90)
    services.case_set_penalty(user=officer1, case=case, level="serious", fine="20000", departure_reason="经营面积大，影响通行")
    services.case_submit_review(user=officer1, case=case)
    with pytest.raises(ApplicationError) as no_reason:
        services.case_legal_review(user=legal, case=case, passed=False, reason="")
    assert no_reason.value.code == "reason_required"
    case = services.case_legal_review(user=legal, case=case, passed=False, reason="询问笔录缺少当事人签名")
    assert case.status == Status.INVESTIGATING
    services.case_record_add(user=officer2, case=case, kind="inspection", content="现场检查：占道约10平方米。", location="东华门大街")
    services.case_submit_review(user=officer1, case=case)
    case = services.case_legal_review(user=legal, case=case, passed=True)
    assert case.status == Status.LEADER_APPROVAL
    case = services.case_leader_approve(user=leader, case=case)
    case = services.case_notify(user=officer1, case=case)
    assert case.status == Status.NOTIFIED and case.hearing_eligible  # 20,000 yuan ≥ 10,000 for a citizen
    with pytest.raises(ApplicationError) as too_early:
        services.case_decide(user=leader, case=case)
    assert too_early.value.code == "illegal_step"
    services.case_hearing_request(user=officer1, case=case, at=_on(services.hearing_request_deadline(case), 17))  # the last working day
    with pytest.raises(ApplicationError) as unheard:
        services.case_decide(user=leader, case=case)
    assert "hearing" in unheard.value.message
    with pytest.raises(ApplicationError) as unscheduled:  # schedule → hold, in that order
        services.case_hearing_hold(user=officer1, case=case, record="听证会记录")
    assert unscheduled.value.code == "illegal_step" and "Schedule" in unscheduled.value.message
    day = services.earliest_hearing_day(timezone.now())
    services.case_hearing_schedule(user=officer1, case=case, scheduled_for=_on(day, 9), place="东城区城管执法局听证室", presiding=legal)
    services.case_hearing_hold(user=officer1, case=case, record="听证会记录：当事人对事实无异议。", held_at=_on(day, 10))
    case = services.case_decide(user=leader, case=case, at=_on(day, 15))
    assert case.status == Status.DECIDED and case.payment.amount_due == Decimal("20000.00")
    case = services.case_serve(user=officer1, case=case, method="post", proof={"tracking_number": "EMS1234567890CN"}, served_at=_on(day, 16))
    assert case.status == Status.EXECUTING
    assert case.payment_due == timezone.localtime(case.served_at).date() + dt.timedelta(days=15)
    case = services.case_enforcement_record(user=squad_leader, case=case, note="申请法院强制执行")
    case = services.case_close(user=squad_leader, case=case)
    case = services.case_archive(user=squad_leader, case=case)
    assert case.status == Status.ARCHIVED
    kinds = list(CaseDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["filing_approval", "proposed_penalty_notice", "hearing_notice", "hearing_record", "penalty_decision", "service_receipt", "closing_report"]
    actions = [log.action for log in case.logs.all()]
    for step in ("open", "file", "legal_return", "legal_pass", "leader_approve", "notify", "hearing_request", "hearing_schedule", "hearing_held", "decide", "serve", "enforced", "close", "archive"):
        assert step in actions
    assert case.logs.get(action="legal_return").reason == "询问笔录缺少当事人签名"
    from viewflow.workflow.status import PROCESS

    case.process.refresh_from_db()
    assert case.process.status == PROCESS.DONE


@pytest.mark.django_db
def test_a_hearing_requested_the_day_after_the_fifth_working_day_is_refused(investigating, officer1, legal, leader):
    case = _to_notified(investigating, officer1, legal, leader)
    with pytest.raises(ApplicationError) as late:
        services.case_hearing_request(user=officer1, case=case, at=_on(services.hearing_request_deadline(case) + dt.timedelta(days=1), 9))
    assert late.value.code == "hearing_request_late"
    # After the window the leader may decide without a hearing.
    case.notified_at -= dt.timedelta(days=30)
    case.save()
    assert services.case_decide(user=leader, case=case).status == Status.DECIDED


@pytest.mark.django_db
def test_the_leader_may_return_the_case_to_legal_review_with_a_reason(investigating, officer1, legal, leader):
    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine=investigating.proposal["amount"])
    services.case_submit_review(user=officer1, case=investigating)
    services.case_legal_review(user=legal, case=investigating, passed=True)
    case = services.case_leader_return(user=leader, case=investigating, reason="请核实处罚依据")
    assert case.status == Status.LEGAL_REVIEW
    assert services.case_legal_review(user=legal, case=case, passed=True).status == Status.LEADER_APPROVAL


@pytest.mark.django_db
def test_a_major_case_needs_its_collective_discussion_before_approval(investigating, officer1, legal, leader):
    services.case_update(user=officer1, case=investigating, major=True)
    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine=investigating.proposal["amount"])
    services.case_submit_review(user=officer1, case=investigating)
    services.case_legal_review(user=legal, case=investigating, passed=True)
    with pytest.raises(ApplicationError) as refused:
        services.case_leader_approve(user=leader, case=investigating)
    assert refused.value.code == "discussion_required"
    services.case_collective_discussion(user=leader, case=investigating, date=timezone.localdate(), attendees="局长、副局长、法制科长", conclusion="同意处罚")
    assert services.case_leader_approve(user=leader, case=investigating).status == Status.APPROVED


@pytest.mark.django_db
def test_filing_can_be_refused_with_a_reason(opened, squad_leader):
    with pytest.raises(ApplicationError):
        services.case_file_refuse(user=squad_leader, case=opened, reason=" ")
    case = services.case_file_refuse(user=squad_leader, case=opened, reason="不属于本机关管辖")
    assert case.status == Status.NOT_FILED and case.not_filed_reason == "不属于本机关管辖"
    with pytest.raises(ApplicationError) as again:
        services.case_file_approve(user=squad_leader, case=case)
    assert again.value.status_code == 409


@pytest.mark.django_db
def test_illegal_steps_and_wrong_roles_are_refused(opened, officer1, legal, leader, zgc_officer, squad_leader):
    with pytest.raises(ApplicationError) as officer_files:
        services.case_file_approve(user=officer1, case=opened)
    assert officer_files.value.status_code == 403
    with pytest.raises(ApplicationError) as early_review:
        services.case_legal_review(user=legal, case=opened, passed=True)
    assert early_review.value.status_code == 409
    with pytest.raises(ApplicationError) as early_decision:
        services.case_decide(user=leader, case=opened)
    assert early_decision.value.status_code == 409
    with pytest.raises(ApplicationError) as outsider:
        services.case_update(user=zgc_officer, case=opened, facts="x")
    assert outsider.value.status_code == 403
    case = services.case_file_approve(user=squad_leader, case=opened)
    with pytest.raises(ApplicationError) as one_officer:
        services.case_record_add(user=officer1, case=case, kind="inquiry", content="问答")
    assert one_officer.value.code == "two_officers_required"
    with pytest.raises(ApplicationError) as alone:
        services.case_submit_review(user=officer1, case=case)
    assert alone.value.code == "two_officers_required"


@pytest.mark.django_db
def test_departing_from_the_proposal_needs_a_written_reason(investigating, officer1):
    proposal = investigating.proposal
    same = services.case_set_penalty(user=officer1, case=investigating, level=proposal["level"], fine=proposal["amount"])
    assert same.departure_reason == ""
    with pytest.raises(ApplicationError) as refused:
        services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine="2999")
    assert refused.value.code == "departure_reason_required"
    case = services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine="2999", departure_reason="当事人拒不配合")
    assert case.departure_reason == "当事人拒不配合" and case.fine == Decimal("2999.00")
    with pytest.raises(ApplicationError) as out_of_range:
        services.case_set_penalty(user=officer1, case=investigating, level="serious", fine="300000", departure_reason="x")
    assert out_of_range.value.code == "fine_out_of_range"


@pytest.mark.django_db
def test_the_decision_after_ninety_days_is_refused_without_an_extension(investigating, officer1, legal, leader):
    case = _to_notified(investigating, officer1, legal, leader)
    case.notified_at -= dt.timedelta(days=30)  # past the 5 working days of the hearing window
    case.save()
    day_91 = case.filed_at + dt.timedelta(days=91)
    with pytest.raises(ApplicationError) as overdue:
        services.case_decide(user=leader, case=case, at=day_91)
    assert overdue.value.code == "decision_overdue"
    assert services.case_decide(user=leader, case=case, at=case.filed_at + dt.timedelta(days=89)).status == Status.DECIDED


@pytest.mark.django_db
def test_an_approved_extension_moves_the_decision_limit(investigating, officer1, officer2, legal, leader):
    with pytest.raises(ApplicationError):
        services.case_extension_request(user=officer1, case=investigating, days=30, reason="")
    with pytest.raises(ApplicationError) as not_owner:
        services.case_extension_request(user=officer2, case=investigating, days=30, reason="案情复杂")
    assert not_owner.value.status_code == 403
    extension = services.case_extension_request(user=officer1, case=investigating, days=30, reason="案情复杂，需鉴定")
    with pytest.raises(ApplicationError) as officer_approves:
        services.case_extension_approve(user=officer1, extension=extension)
    assert officer_approves.value.status_code == 403
    services.case_extension_approve(user=leader, extension=extension)
    case = _to_notified(investigating, officer1, legal, leader)
    assert case.decision_due == case.filed_at + dt.timedelta(days=120)
    case.notified_at -= dt.timedelta(days=30)  # past the 5 working days of the hearing window
    case.save()
    assert services.case_decide(user=leader, case=case, at=case.filed_at + dt.timedelta(days=100)).status == Status.DECIDED


@pytest.mark.django_db
def test_a_time_barred_violation_cannot_be_filed(officer1, squad_leader, vendor_cause, gas_cause, dhm_place):
    old = (timezone.localdate() - dt.timedelta(days=2 * 366)).isoformat()
    case = services.case_open(user=officer1, source="patrol", cause=vendor_cause, place=dhm_place, facts="两年前的占道",
                              discretion_facts={"harm": "ordinary", "violation_date": old})
    assert case.proposal["time_barred"] and "第三十六条" in case.findings[0]
    with pytest.raises(ApplicationError) as barred:
        services.case_file_approve(user=squad_leader, case=case)
    assert barred.value.code == "time_barred" and "2" in barred.value.message
    # Life and safety with consequences: five years, so the same date can still be filed.
    gas = services.case_open(user=officer1, source="patrol", cause=gas_cause, place=dhm_place, facts="燃气隐患",
                             discretion_facts={"harm": "serious", "violation_date": old, "consequences": True})
    assert services.case_file_approve(user=squad_leader, case=gas).status == Status.INVESTIGATING


@pytest.mark.django_db
def test_deadline_warnings_go_out_once_per_point(investigating, officer1, squad_leader):
    from apps.realtime.models import Notification

    now = investigating.filed_at + dt.timedelta(days=61)  # 29 days left: the 30-day point
    assert services.case_deadlines_sweep(now=now) >= 1
    assert services.case_deadlines_sweep(now=now) == 0
    later = investigating.filed_at + dt.timedelta(days=84)  # 6 days left: the 7-day point
    assert services.case_deadlines_sweep(now=later) >= 1
    notes = Notification.objects.filter(event="case.deadline", payload__number=investigating.number)
    assert {n.recipient_id for n in notes} >= {officer1.pk, squad_leader.pk}
    investigating.refresh_from_db()
    assert "decision:30" in investigating.alerts_sent and "decision:7" in investigating.alerts_sent


@pytest.mark.django_db
def test_an_officer_cannot_open_a_case_outside_the_squads_jurisdiction(officer1, vendor_cause):
    from apps.gbcp.models import Region

    haidian = Region.objects.get(code="110108").boundary.point_on_surface
    with pytest.raises(ApplicationError) as refused:
        services.case_open(user=officer1, source="patrol", cause=vendor_cause, point=haidian, facts="越界")
    assert refused.value.status_code == 403


@pytest.mark.django_db
def test_service_and_payment_warnings_follow_the_decision(investigating, officer1, legal, leader, squad_leader):
    from apps.cases.tasks import sweep_case_deadlines

    case = _to_notified(investigating, officer1, legal, leader, fine="3000")
    case = services.case_decide(user=leader, case=case)

    def warnings():
        return list(case.logs.filter(action="deadline_warning").values_list("data__point", flat=True))

    services.case_deadlines_sweep(now=case.service_due - dt.timedelta(days=3))  # 3 days left: not yet
    assert warnings() == []
    services.case_deadlines_sweep(now=case.service_due - dt.timedelta(days=2))  # 2 days left to serve
    services.case_deadlines_sweep(now=case.service_due - dt.timedelta(days=1))
    assert warnings() == ["service:2"]
    case = services.case_serve(user=officer1, case=case, method="post", proof={"tracking_number": "EMS1234567890CN"})
    sweep_case_deadlines.delay().get()  # nothing due today for this case
    assert warnings() == ["service:2"]
    services.case_deadlines_sweep(now=timezone.make_aware(dt.datetime.combine(case.payment_due, dt.time(9))))
    assert warnings() == ["service:2", "payment:0"]


@pytest.mark.django_db
def test_a_warning_or_no_punishment_needs_no_payment_and_goes_straight_to_close(investigating, officer1, legal, leader, squad_leader):
    from viewflow.workflow.status import PROCESS

    services.case_set_penalty(user=officer1, case=investigating, level="slight", fine="0", warning=True, departure_reason="初次违法，当场改正")
    services.case_submit_review(user=officer1, case=investigating)
    services.case_legal_review(user=legal, case=investigating, passed=True)
    services.case_leader_approve(user=leader, case=investigating)
    case = services.case_notify(user=officer1, case=investigating)
    assert not case.hearing_eligible
    case = services.case_decide(user=leader, case=case)
    assert not hasattr(case, "payment") or case.fine == 0
    case = services.case_serve(user=officer1, case=case, method="on_the_spot", proof={"recipient": "张三"})
    assert case.status == Status.EXECUTED
    case = services.case_close(user=squad_leader, case=case)
    case = services.case_archive(user=squad_leader, case=case)
    case.process.refresh_from_db()
    assert case.status == Status.ARCHIVED and case.process.status == PROCESS.DONE
