"""The step policy: who may act (role and where) and when (status), as services, pages and flows ask it."""
from types import SimpleNamespace

import pytest

from apps.accounts.models import Role
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from apps.workflow.policy import JURISDICTION, ORGANIZATION, OWNER, Policy, Step
from tests.personas import five_callers, user_with

POLICY = Policy(
    name="sample",
    subject_label="task",
    steps=(
        Step("dispatch", roles=(Role.DISPATCHER,), where=JURISDICTION, statuses=("new",)),
        Step("accept", roles=(Role.OFFICER, Role.SQUAD_LEADER), where=ORGANIZATION, statuses=("dispatched",)),
        Step("extend", where=OWNER, when=lambda s: s.open),
    ),
)


@pytest.fixture
def squad(db):
    return Organization.objects.filter(region__code__startswith="110101", kind=Organization.Kind.ENFORCEMENT_TEAM).select_related("region").first()


def subject_of(squad, **kwargs):
    values = {"region_code": squad.region.code, "organization_id": squad.pk, "owner_id": None, "status": "new", "open": True}
    values.update(kwargs)
    return SimpleNamespace(**values, get_status_display=lambda: values["status"])


def test_only_a_dispatcher_whose_jurisdiction_holds_the_subject_may_dispatch(squad):
    callers = five_callers(role=Role.DISPATCHER, organization=squad)
    subject = subject_of(squad)
    assert POLICY.allows(callers.insider, "dispatch", subject)
    for name, user in callers.others():
        assert not POLICY.allows(user, "dispatch", subject), name
        with pytest.raises(ApplicationError) as refused:
            POLICY.require(user=user, step="dispatch", subject=subject)
        assert refused.value.status_code == 403, name


def test_only_the_handling_organisation_may_accept(squad):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    subject = subject_of(squad, status="dispatched")
    assert POLICY.allows(callers.insider, "accept", subject)
    assert [name for name, user in callers.others() if POLICY.allows(user, "accept", subject)] == []
    # A dispatcher of the same district holds the jurisdiction but does not serve in the squad.
    dispatcher = user_with(role=Role.DISPATCHER, organization=squad)
    assert not POLICY.allows(dispatcher, "accept", subject)


def test_the_right_person_at_the_wrong_moment_gets_a_409_not_a_403(squad):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    with pytest.raises(ApplicationError) as early:
        POLICY.require(user=callers.insider, step="accept", subject=subject_of(squad, status="new"))
    assert (early.value.status_code, early.value.code) == (409, "illegal_step")
    with pytest.raises(ApplicationError) as stranger:
        POLICY.require(user=callers.outsider, step="accept", subject=subject_of(squad, status="new"))
    assert stranger.value.status_code == 403


def test_an_owner_step_is_for_the_owner_only_and_its_condition_counts(squad):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    mine = subject_of(squad, owner_id=callers.insider.pk)
    assert POLICY.allows(callers.insider, "extend", mine)
    assert not POLICY.allows(callers.insider, "extend", subject_of(squad, owner_id=callers.insider.pk, open=False))
    assert not any(POLICY.allows(user, "extend", mine) for _, user in callers.others())


def test_a_superuser_may_act_but_not_out_of_turn(squad, admin_user):
    assert POLICY.allows(admin_user, "dispatch", subject_of(squad))
    assert not POLICY.allows(admin_user, "dispatch", subject_of(squad, status="closed"))


def test_a_deactivated_member_may_do_nothing(squad):
    callers = five_callers(role=Role.DISPATCHER, organization=squad)
    callers.insider.is_active = False
    assert not POLICY.allows(callers.insider, "dispatch", subject_of(squad))


def test_actions_answer_every_step_for_pages_and_the_api(squad):
    callers = five_callers(role=Role.DISPATCHER, organization=squad)
    assert POLICY.actions(callers.insider, subject_of(squad)) == {"dispatch": True, "accept": False, "extend": False}
    assert POLICY.allowed_steps(None, subject_of(squad)) == []


def test_a_table_refuses_a_step_declared_twice_or_without_anyone():
    with pytest.raises(ValueError):
        Policy(name="x", subject_label="task", steps=(Step("a", roles=(Role.LEADER,)), Step("a", roles=(Role.LEADER,))))
    with pytest.raises(ValueError):
        Step("nobody")
    with pytest.raises(ValueError):
        Step("nowhere", roles=(Role.LEADER,), where="anywhere")
