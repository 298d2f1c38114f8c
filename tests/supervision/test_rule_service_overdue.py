"""The case rule on the service limit: a decision not served within 7 working days (art. 61, art. 85) raises one
supervision item; a decision still inside its working days raises none."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.cases.models import CaseCause
from apps.supervision import services
from apps.supervision.models import SupervisionItem
from apps.supervision.rulekinds import RuleKind

pytestmark = pytest.mark.django_db


def _decided(officer, squad_leader, place, *, decided_at):
    legal, leader = User.objects.get(username="dc_legal"), User.objects.get(username="dc_leader")
    officer2 = User.objects.get(username="dhm_officer2")
    cause = CaseCause.objects.filter(active=True, levels__level="ordinary", levels__fine_max__gt=0).order_by("code").first()
    case = case_services.case_open(user=officer, source="patrol", cause=cause, place=place, facts="占道经营，经劝阻未改正。",
                                   discretion_facts={"harm": "ordinary", "violation_date": timezone.localdate().isoformat()})
    case = case_services.case_update(user=officer, case=case, party_kind="citizen", party_name="张三", party_code="11010519491231002X")
    case = case_services.case_file_approve(user=squad_leader, case=case, at=decided_at - dt.timedelta(days=40))
    case_services.case_assign_officers(user=officer, case=case, officers=[officer2])
    case_services.case_record_add(user=officer, case=case, kind="inquiry", content="问：是否在此经营？答：是。", interviewee="张三")
    case_services.case_set_penalty(user=officer, case=case, level="ordinary", fine=case.proposal["amount"])
    case_services.case_submit_review(user=officer, case=case)
    case_services.case_legal_review(user=legal, case=case, passed=True)
    case_services.case_leader_approve(user=leader, case=case)
    case_services.case_notify(user=officer, case=case, at=decided_at - dt.timedelta(days=30))  # the hearing window has passed
    return case_services.case_decide(user=leader, case=case, at=decided_at)


def test_a_decision_unserved_past_seven_working_days_raises_one_item_and_one_in_time_none(make_rule, places, officer, squad_leader, squad):
    rule = make_rule(RuleKind.CASE_OVERDUE, deadlines=["service"], hours=0)
    late = _decided(officer, squad_leader, places[0], decided_at=timezone.now() - dt.timedelta(days=30))  # well past 7 working days
    in_time = _decided(officer, squad_leader, places[1], decided_at=timezone.now() - dt.timedelta(hours=1))
    assert late.service_due < timezone.now() < in_time.service_due
    services.rule_scan(rule=rule)
    assert not SupervisionItem.objects.filter(rule=rule, case=in_time).exists()
    [item] = SupervisionItem.objects.filter(rule=rule, case=late)
    assert item.organization == squad and item.measured["values"]["case"] == late.number
    services.rule_scan(rule=rule)
    assert SupervisionItem.objects.filter(rule=rule, case=late).count() == 1
