"""The joint operation step table, row by row, with the five callers; each planner step closed in every other status;
participants' steps only for the operation's people, while it is on and in its window."""
import datetime as dt

import pytest
from django.utils import timezone

from apps.coordination.models import JointOperation, OperationParticipant, OperationStatus
from apps.coordination.policy import OPERATIONS, operation_actions, participant_step_open
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

OPEN_IN = {"create": None, "report": (OperationStatus.UNDER_WAY,), "close": (OperationStatus.REPORTED,),
           "cancel": (OperationStatus.PLANNED, OperationStatus.UNDER_WAY)}
ROWS = [(step, role) for step in OPERATIONS for role in step.roles]


def _subject(bureau, status=None):
    operation = JointOperation(region_code=bureau.region.code, organization=bureau)
    if status is not None:
        operation.pk, operation.status = 1, status
    return operation


def test_every_step_of_the_table_is_tested():
    assert set(OPEN_IN) == {step.name for step in OPERATIONS}


@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_planners_of_the_jurisdiction_and_no_one_else(step, role, bureau):
    callers = five_callers(role=role, organization=bureau)
    subject = _subject(bureau, None if OPEN_IN[step.name] is None else OPEN_IN[step.name][0])
    assert OPERATIONS.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not OPERATIONS.may_act(user, step.name, subject), name


@pytest.mark.parametrize("step", [s for s in OPERATIONS if s.name != "create"], ids=lambda s: s.name)
def test_each_planner_step_is_closed_in_every_other_status(step, bureau):
    for status in OperationStatus.values:
        assert OPERATIONS.is_open(step.name, _subject(bureau, status)) == (status in OPEN_IN[step.name]), status


def test_participants_act_only_while_the_operation_is_on_and_in_its_window(bureau):
    callers = five_callers(role="officer", organization=bureau)
    now = timezone.now()
    operation = JointOperation.objects.create(title="t", purpose="p", organization=bureau, region=bureau.region, region_code=bureau.region.code,
                                              starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1))
    OperationParticipant.objects.create(operation=operation, user=callers.insider)
    assert operation_actions(callers.insider, operation) == {"report": False, "close": False, "cancel": False, "check_in": True, "finding": True}
    for name, user in callers.others():
        assert not any(operation_actions(user, operation).values()), name
    assert not participant_step_open("finding", operation, now + dt.timedelta(hours=2))
    for status in (OperationStatus.REPORTED, OperationStatus.CLOSED, OperationStatus.CANCELLED):
        operation.status = status
        assert not participant_step_open("check_in", operation, now), status
