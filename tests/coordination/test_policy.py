"""The case lead step table, row by row, with the five callers; and each step closed in every other state."""
import pytest

from apps.coordination.models import Direction, Lead, Status
from apps.coordination.policy import LEADS
from apps.workflow.policy import ORGANIZATION
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

OPEN_IN = {"create": None, "document": Status.DRAFT, "send": Status.DRAFT, "acknowledge": Status.SENT, "acknowledge_for": Status.SENT,
           "answer": Status.RECEIVED, "answer_for": Status.RECEIVED, "feedback": Status.ACCEPTED, "feedback_for": Status.ACCEPTED,
           "close": Status.RESULT, "accept_in": Status.REGISTERED, "refuse_in": Status.REGISTERED}
ROWS = [(step, role) for step in LEADS for role in step.roles]


def _subject(step, bureau, department):
    direction = Direction.IN if step.name.endswith("_in") else Direction.OUT
    lead = Lead(region_code=bureau.region.code, organization=bureau, department=department, direction=direction)
    if OPEN_IN[step.name] is not None:
        lead.pk, lead.status = 1, OPEN_IN[step.name]
    return lead


def test_every_step_of_the_table_is_tested():
    assert set(OPEN_IN) == {step.name for step in LEADS}


@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_its_roles_where_they_serve_and_no_one_else(step, role, bureau, market, haidian_market):
    callers = five_callers(role=role, organization=market if step.where == ORGANIZATION else bureau,
                           outside_organization=haidian_market if step.where == ORGANIZATION else None)
    subject = _subject(step, bureau, market)
    assert LEADS.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not LEADS.may_act(user, step.name, subject), name


@pytest.mark.parametrize("step", [s for s in LEADS if s.name != "create"], ids=lambda s: s.name)
def test_each_step_is_closed_in_every_other_status(step, bureau, market):
    direction = Direction.IN if step.name.endswith("_in") else Direction.OUT
    for status in Status.values:
        lead = Lead(pk=1, region_code=bureau.region.code, organization=bureau, department=market, status=status, direction=direction)
        expected = status == OPEN_IN[step.name] or (step.name == "close" and status == Status.REFUSED)
        assert LEADS.is_open(step.name, lead) == expected, status
