"""The supervision step table, row by row, with the five callers; and the services refusing as the table says."""
import pytest
from django.contrib.auth.models import AnonymousUser

from apps.gbcp.errors import ApplicationError
from apps.supervision import services
from apps.supervision.models import Status, SupervisionItem
from apps.supervision.policy import SUPERVISION
from apps.workflow.policy import ORGANIZATION
from tests.personas import five_callers

pytestmark = pytest.mark.django_db

# The status in which each step is open (create: the item not yet made).
OPEN_IN = {"create": None, "sign": Status.RAISED, "dispatch": Status.SIGNED, "handle": Status.DISPATCHED, "approve": Status.HANDLED,
           "return": Status.HANDLED, "close": Status.APPROVED, "archive": Status.CLOSED}
ROWS = [(step, role) for step in SUPERVISION for role in step.roles]


def _subject(step, squad):
    item = SupervisionItem(region_code=squad.region.code, organization=squad)
    if OPEN_IN[step.name] is not None:
        item.pk, item.status = 1, OPEN_IN[step.name]
    return item


def test_every_step_of_the_table_is_tested():
    assert set(OPEN_IN) == {step.name for step in SUPERVISION}


@pytest.mark.parametrize("step,role", ROWS, ids=[f"{step.name}-{role}" for step, role in ROWS])
def test_each_step_is_for_its_roles_where_they_serve_and_no_one_else(step, role, squad, bureau):
    callers = five_callers(role=role, organization=squad if step.where == ORGANIZATION else bureau)
    subject = _subject(step, squad)
    assert SUPERVISION.allows(callers.insider, step.name, subject)
    for name, user in callers.others():
        assert not SUPERVISION.may_act(user, step.name, subject), name


@pytest.mark.parametrize("step", list(SUPERVISION), ids=lambda s: s.name)
def test_each_step_is_closed_in_every_other_status(step, squad):
    for status in Status.values:
        item = SupervisionItem(pk=1, region_code=squad.region.code, organization=squad, status=status)
        assert SUPERVISION.is_open(step.name, item) == (status == OPEN_IN[step.name]), status


def test_the_services_refuse_the_four_others_with_403(supervisor, squad, bureau):
    callers = five_callers(role="supervisor", organization=bureau)
    for name, user in [*callers.others()[:3], ("anonymous", AnonymousUser())]:
        with pytest.raises(ApplicationError) as refused:
            services.item_create(user=user, title="越权督办", organization=squad)
        assert (refused.value.status_code, refused.value.code) == (403, "forbidden"), name
    item = services.item_create(user=callers.insider, title="本区督办", organization=squad)
    for name, user in [*callers.others()[:3], ("anonymous", AnonymousUser())]:
        with pytest.raises(ApplicationError) as refused:
            services.item_dispatch(user=user, item=item)
        assert refused.value.status_code == 403, name
    services.item_dispatch(user=callers.insider, item=item)
    unit = five_callers(role="officer", organization=squad)
    for name, user in [*unit.others()[:3], ("anonymous", AnonymousUser())]:
        with pytest.raises(ApplicationError) as refused:
            services.item_handle(user=user, item=item, result="已办")
        assert refused.value.status_code == 403, name
    assert services.item_handle(user=unit.insider, item=item, result="已办").status == Status.HANDLED
