"""The case rule on disclosure (art. 48): a decision unpublished past 7 working days raises one item, one still inside
them none; a corrected decision's publication not withdrawn within 3 working days raises one too."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.supervision import services
from apps.supervision.models import SupervisionItem
from apps.supervision.rulekinds import RuleKind

from .test_rule_service_overdue import _decided

pytestmark = pytest.mark.django_db


def test_a_decision_unpublished_past_seven_working_days_raises_one_item_and_one_in_time_none(make_rule, places, officer, squad_leader):
    rule = make_rule(RuleKind.CASE_OVERDUE, deadlines=["disclosure"], hours=0)
    late = _decided(officer, squad_leader, places[0], decided_at=timezone.now() - dt.timedelta(days=30))
    in_time = _decided(officer, squad_leader, places[1], decided_at=timezone.now() - dt.timedelta(hours=1))
    services.rule_scan(rule=rule)
    assert not SupervisionItem.objects.filter(rule=rule, case=in_time).exists()
    [item] = SupervisionItem.objects.filter(rule=rule, case=late)
    assert item.measured["values"]["case"] == late.number
    services.rule_scan(rule=rule)
    assert SupervisionItem.objects.filter(rule=rule, case=late).count() == 1


def test_a_publication_not_withdrawn_after_a_revoked_decision_raises_an_item(make_rule, places, officer, squad_leader):
    legal = User.objects.get(username="dc_legal")
    rule = make_rule(RuleKind.CASE_OVERDUE, deadlines=["withdrawal"], hours=0)
    case = _decided(officer, squad_leader, places[0], decided_at=timezone.now() - dt.timedelta(days=30))
    case_services.disclosure_publish(user=legal, case=case)
    challenge = case_services.challenge_file(user=legal, case=case, kind="review", applicant="张三", filed_on=timezone.localdate() - dt.timedelta(days=20))
    case_services.challenge_decide(user=legal, challenge=challenge, outcome="revoked", outcome_on=timezone.localdate() - dt.timedelta(days=10),
                                   outcome_reference="复决1号")
    services.rule_scan(rule=rule)
    assert SupervisionItem.objects.filter(rule=rule, case=case).count() == 1
