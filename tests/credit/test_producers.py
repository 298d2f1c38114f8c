"""Producers tell credit: an inspection's failed item, a merchant's self-check, a penalty decided on the spot."""
import pytest

from apps.accounts.models import User
from apps.credit.models import CreditRecord
from apps.inspection import services as inspection


@pytest.fixture
def officers(db):
    return User.objects.get(username="dhm_officer1"), User.objects.get(username="dhm_officer2")


def _answers(place, failed=()):
    items = list(inspection.checklist_for_kind(place.kind).items.filter(is_active=True).order_by("order", "id"))
    return [{"item": i.pk, "outcome": "failed" if n in failed else "passed", "note": "门前堆物" if n in failed else ""} for n, i in enumerate(items)]


@pytest.mark.django_db
def test_a_failed_item_of_an_inspection_becomes_a_finding_record_of_the_operator(officers, restaurant, business):
    record = inspection.inspection_record(user=officers[0], place=restaurant, co_officer=officers[1], answers=_answers(restaurant, failed=(0,)))
    finding = record.findings.get()
    credit = CreditRecord.objects.get(kind="inspection_finding", source_ref=f"inspection.Finding:{finding.pk}")
    assert (credit.entity_id, credit.place_id, credit.weight) == (business.pk, restaurant.pk, -3) and "门前堆物" in credit.reason
    clean = inspection.inspection_record(user=officers[0], place=restaurant, co_officer=officers[1], answers=_answers(restaurant))
    assert clean.passed and CreditRecord.objects.filter(entity=business).count() == 1


@pytest.mark.django_db
def test_a_self_check_is_recorded_for_the_business(restaurant, business, own_merchant):
    from apps.accounts import services as account_services
    from apps.accounts.models import Role

    if not own_merchant.has_role(Role.MERCHANT):
        account_services.user_ensure(user=None, username=own_merchant.username, entity=business)
    check = inspection.self_check_submit(user=own_merchant, place=restaurant, answers=_answers(restaurant))
    credit = CreditRecord.objects.get(kind="self_check", source_ref=f"inspection.SelfCheck:{check.pk}")
    assert (credit.entity_id, credit.weight, credit.rule) == (business.pk, 1, "self_check")


@pytest.mark.django_db
def test_a_penalty_decided_on_the_spot_against_a_business_is_recorded_once(officers, restaurant, business):
    from apps.cases import services as cases
    from apps.cases.models import CaseCause

    cases.catalogue_load(user=None, causes=[{
        "code": "ZZ-CR1", "name": "测试：店外经营", "area": "", "category_codes": [], "legal_basis": "测试", "penalty_basis": "测试",
        "simple_allowed": True, "serious_harm": False,
        "levels": [{"level": "slight", "conditions": "初次", "harm": "轻微", "fine_min": 0, "fine_max": 3000, "warning_allowed": True}]}])
    case = cases.case_onsite_decide(user=officers[0], co_officer=officers[1], party_kind="organisation", party_name=business.name,
                                    party_code=business.uscc, cause=CaseCause.objects.get(code="ZZ-CR1"), amount=500, facts="店外经营",
                                    place=restaurant)
    credit = CreditRecord.objects.get(kind="penalty_decision", source_ref=f"cases.Case:{case.pk}")
    assert (credit.entity_id, credit.weight, credit.place_id) == (business.pk, -10, restaurant.pk) and case.number in credit.reason
