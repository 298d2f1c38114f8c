"""Who may change a roster: the squad's leader (plan) and a dispatcher or leader of the district (adjust); everyone else
gets 403, for every step of the table and the five callers."""
import pytest

from apps.accounts.models import Role
from apps.duty import services
from apps.duty.models import Roster
from apps.duty.policy import DUTY
from apps.gbcp.errors import ApplicationError
from tests.duty.conftest import MONDAY
from tests.personas import five_callers

ROLES = {"plan": Role.SQUAD_LEADER, "adjust": Role.DISPATCHER}


@pytest.mark.django_db
@pytest.mark.parametrize("step", [step.name for step in DUTY])
def test_every_step_is_allowed_to_the_insider_and_refused_to_the_four_others(step, squad):
    organization = squad if step == "plan" else squad.parent or squad
    callers = five_callers(role=ROLES[step], organization=organization)
    assert DUTY.allows(callers.insider, step, Roster(squad=squad, week_start=MONDAY))
    roster = services.roster_ensure(user=callers.insider, squad=squad, week_start=MONDAY)
    assert roster.pk is not None
    for name, user in callers.others():
        assert not DUTY.allows(user, step, roster), name
        with pytest.raises(ApplicationError) as err:
            services.roster_ensure(user=user, squad=squad, week_start=MONDAY)
        assert err.value.status_code == 403, name


@pytest.mark.django_db
def test_an_officer_of_the_squad_may_not_plan_its_roster(squad, officers):
    with pytest.raises(ApplicationError) as err:
        services.roster_ensure(user=officers[0], squad=squad, week_start=MONDAY)
    assert err.value.status_code == 403
