"""The simple procedure (简易程序, art. 51/52): limits and their edges, two officers, the party identified, filing."""
from decimal import Decimal

import pytest

from apps.cases import services
from apps.cases.models import CaseDocument, Status
from apps.gbcp.errors import ApplicationError

from .conftest import PERSON_ID, USCC


def _decide(officer1, officer2, cause, place, **kw):
    args = {"party_kind": "citizen", "party_name": "张三", "party_code": PERSON_ID, "amount": "50", "facts": "在人行道上摆摊经营", "place": place}
    args.update(kw)
    return services.case_onsite_decide(user=officer1, co_officer=officer2, cause=cause, **args)


@pytest.mark.django_db
@pytest.mark.parametrize("kind,code,amount,ok", [
    ("citizen", PERSON_ID, "200", True), ("citizen", PERSON_ID, "200.01", False),
    ("organisation", USCC, "3000", True), ("organisation", USCC, "3000.01", False),
])
def test_the_simple_procedure_limits_are_200_and_3000_yuan(officer1, officer2, vendor_cause, dhm_place, kind, code, amount, ok):
    name = "张三" if kind == "citizen" else "某某餐饮有限公司"
    if ok:
        case = _decide(officer1, officer2, vendor_cause, dhm_place, party_kind=kind, party_name=name, party_code=code, amount=amount)
        assert case.status == Status.ONSITE_DECIDED and case.fine == Decimal(amount)
        assert case.payment.amount_due == Decimal(amount)
    else:
        with pytest.raises(ApplicationError) as refused:
            _decide(officer1, officer2, vendor_cause, dhm_place, party_kind=kind, party_name=name, party_code=code, amount=amount)
        assert refused.value.code == "simple_limit_exceeded" and "general procedure" in refused.value.message


@pytest.mark.django_db
def test_a_warning_on_the_spot_is_allowed_and_needs_no_payment(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = _decide(officer1, officer2, vendor_cause, dhm_place, warning=True, amount="0")
    assert case.warning and case.fine == 0 and not hasattr(case, "payment") or case.fine == 0
    case = services.case_onsite_file(user=squad_leader, case=case)
    assert case.status == Status.EXECUTED
    assert services.case_close(user=squad_leader, case=case).status == Status.CLOSED


@pytest.mark.django_db
def test_the_simple_procedure_needs_two_officers_of_one_squad(officer1, zgc_officer, squad_leader, vendor_cause, dhm_place):
    with pytest.raises(ApplicationError) as alone:
        _decide(officer1, officer1, vendor_cause, dhm_place)
    assert alone.value.code == "co_officer_required"
    with pytest.raises(ApplicationError) as other_squad:
        _decide(officer1, zgc_officer, vendor_cause, dhm_place)
    assert other_squad.value.code == "co_officer_required"
    with pytest.raises(ApplicationError) as leader_not_officer:
        _decide(officer1, squad_leader, vendor_cause, dhm_place)
    assert leader_not_officer.value.code == "co_officer_required"


@pytest.mark.django_db
def test_the_party_must_be_identified_with_a_valid_number(officer1, officer2, vendor_cause, dhm_place):
    with pytest.raises(ApplicationError) as bad_id:
        _decide(officer1, officer2, vendor_cause, dhm_place, party_code="110105194912310021")
    assert bad_id.value.code == "invalid_resident_id"
    with pytest.raises(ApplicationError) as bad_uscc:
        _decide(officer1, officer2, vendor_cause, dhm_place, party_kind="organisation", party_code="91350100M000100Y44")
    assert bad_uscc.value.code == "invalid_uscc"


@pytest.mark.django_db
def test_a_cause_without_the_simple_procedure_is_refused(officer1, officer2, gas_cause, dhm_place):
    with pytest.raises(ApplicationError) as refused:
        _decide(officer1, officer2, gas_cause, dhm_place)
    assert refused.value.code == "simple_not_allowed"


@pytest.mark.django_db
def test_an_existing_entity_is_linked_by_its_credit_code(officer1, officer2, vendor_cause, dhm_place):
    from apps.gbcp.models import Entity

    entity = Entity.objects.order_by("id").first()
    case = _decide(officer1, officer2, vendor_cause, dhm_place, party_kind="organisation", party_name=entity.name, party_code=entity.uscc, amount="1000")
    assert case.party_entity == entity


@pytest.mark.django_db
def test_the_decision_is_printed_and_filed_by_the_squad_leader(officer1, officer2, squad_leader, vendor_cause, dhm_place):
    case = _decide(officer1, officer2, vendor_cause, dhm_place)
    document = CaseDocument.objects.get(case=case)
    assert document.kind == "onsite_decision" and document.number.startswith("京东城管当罚字")
    with pytest.raises(ApplicationError) as officer_files:
        services.case_onsite_file(user=officer1, case=case)
    assert officer_files.value.status_code == 403
    with pytest.raises(ApplicationError) as unfiled_close:
        services.case_close(user=squad_leader, case=case)
    assert unfiled_close.value.status_code == 409
    case = services.case_onsite_file(user=squad_leader, case=case)
    assert case.status == Status.EXECUTING and case.onsite_filed_at is not None
