"""The credit step table, row by row, with the five callers."""
import pytest

from apps.credit.models import CreditRecord, EntityGrade, Objection
from apps.credit.policy import CREDIT
from tests.personas import five_callers


def _subject(step, region_code):
    if step.name == "decide_objection":
        return Objection(region_code=region_code, status=Objection.Status.SUBMITTED)
    if step.name == "repair_record":
        return CreditRecord(region_code=region_code, status=CreditRecord.Status.ACTIVE)
    return EntityGrade(region_code=region_code)


ROWS = [(step, role) for step in CREDIT for role in step.roles]


@pytest.mark.django_db
@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_its_roles_in_their_jurisdiction_and_no_one_else(step, role, dongcheng):
    callers = five_callers(role=role, organization=dongcheng)
    subject = _subject(step, "110101001")
    assert CREDIT.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not CREDIT.may_act(user, step.name, subject), name


@pytest.mark.django_db
def test_a_decided_objection_and_a_repaired_record_are_closed(dongcheng):
    insider = five_callers(role="legal_reviewer", organization=dongcheng).insider
    assert not CREDIT.is_open("decide_objection", Objection(region_code="110101", status=Objection.Status.UPHELD))
    assert not CREDIT.is_open("repair_record", CreditRecord(region_code="110101", status=CreditRecord.Status.REPAIRED))
    assert CREDIT.may_act(insider, "repair_record", CreditRecord(region_code="110101", status=CreditRecord.Status.REPAIRED))
