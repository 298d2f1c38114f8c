"""The case policy tables, row by row: for every step of both procedures, the insider may and the outsider,
the citizen, the merchant and the anonymous caller may not; the services, the flow and the API agree with them."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.models import Role
from apps.cases import services
from apps.cases.flows import CaseFlow
from apps.cases.models import Case, CashCollection, Procedure, Status
from apps.cases.policy import GENERAL, SIMPLE, policy_for
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization, Region
from apps.workflow.policy import JURISDICTION, OWNER
from tests.personas import five_callers

from .conftest import PERSON_ID

NOW = timezone.now()
FILED = {"filed_at": NOW - dt.timedelta(days=3), "decision_due": NOW + dt.timedelta(days=87)}

# For every step of both tables: what makes it open on a freshly opened case (the state its row asks for).
OPEN_STATES = {
    "update": {"status": Status.PENDING_FILING},
    "file": {"status": Status.PENDING_FILING},
    "refuse": {"status": Status.PENDING_FILING},
    "officers": {"status": Status.INVESTIGATING, **FILED},
    "records": {"status": Status.INVESTIGATING, **FILED},
    "penalty": {"status": Status.INVESTIGATING, **FILED},
    "evidence": {"status": Status.INVESTIGATING, **FILED},
    "submit": {"status": Status.INVESTIGATING, **FILED},
    "review": {"status": Status.LEGAL_REVIEW, **FILED},
    "discussion": {"status": Status.LEADER_APPROVAL, "major": True, **FILED},
    "approve": {"status": Status.LEADER_APPROVAL, **FILED},
    "return": {"status": Status.LEADER_APPROVAL, **FILED},
    "notify": {"status": Status.APPROVED, **FILED},
    "statement": {"status": Status.NOTIFIED, "notified_at": NOW, **FILED},
    "hearing_request": {"status": Status.NOTIFIED, "notified_at": NOW, "hearing_eligible": True, **FILED},
    "hearing_schedule": {"status": Status.NOTIFIED, "notified_at": NOW, "hearing_eligible": True, "hearing_requested_at": NOW, **FILED},
    "hearing": {"status": Status.NOTIFIED, "notified_at": NOW, "hearing_eligible": True, "hearing_requested_at": NOW,
                "hearing_scheduled_for": NOW + dt.timedelta(days=10), **FILED},
    "hearing_withdraw": {"status": Status.NOTIFIED, "notified_at": NOW, "hearing_eligible": True, "hearing_requested_at": NOW, **FILED},
    "cash_collect": {"status": Status.DECIDED, "decided_at": NOW, "fine": Decimal("50"), **FILED},
    "cash_handin": {"status": Status.EXECUTED, "decided_at": NOW, "fine": Decimal("50"), "executed_at": NOW,
                    "cash_collection": CashCollection(receipt_number="T0001", amount=Decimal("50"), collected_at=NOW, handin_due=NOW), **FILED},
    "payment_terms": {"status": Status.EXECUTING, "decided_at": NOW, "served_at": NOW, "fine": Decimal("5000"), **FILED},
    "payment_terms_decide": {"status": Status.EXECUTING, "decided_at": NOW, "served_at": NOW, "fine": Decimal("5000"), "payment_terms": "pending", **FILED},
    "instalment_pay": {"status": Status.EXECUTING, "decided_at": NOW, "served_at": NOW, "fine": Decimal("5000"), "payment_terms": "instalments", **FILED},
    "decide": {"status": Status.NOTIFIED, "notified_at": NOW, **FILED},
    "serve": {"status": Status.DECIDED, "decided_at": NOW, **FILED},
    "enforce": {"status": Status.EXECUTING, "decided_at": NOW, "served_at": NOW, **FILED},
    "close": {"status": Status.EXECUTED, "decided_at": NOW, "executed_at": NOW, "onsite_filed_at": NOW, **FILED},
    "archive": {"status": Status.CLOSED, "decided_at": NOW, "closed_at": NOW, **FILED},
    "extension": {"status": Status.INVESTIGATING, **FILED},
    "extension_approve": {"status": Status.INVESTIGATING, **FILED},
    "onsite_decide": {"pk": None, "status": Status.ONSITE_DECIDED},  # the case about to be made
    "onsite_file": {"status": Status.ONSITE_DECIDED, "decided_at": NOW, **FILED},
}
ROWS = [(GENERAL, step) for step in GENERAL] + [(SIMPLE, step) for step in SIMPLE]


def _row_id(row):
    return f"{row[0].name.split('.')[1]}-{row[1].name}"


def in_state(case, policy, step):
    """The case as it stands when ``step`` of ``policy`` is open (in memory: the policy reads only the case)."""
    case.procedure = Procedure.SIMPLE if policy is SIMPLE else Procedure.GENERAL
    for field, value in OPEN_STATES[step.name].items():
        setattr(case, field, value)
    return case


def district_bureau(case) -> Organization:
    """An organisation of the case's district: where a legal reviewer or leader holding its jurisdiction serves."""
    return Organization.objects.select_related("region").get(level=Organization.Level.DISTRICT, kind=Organization.Kind.ENFORCEMENT_TEAM,
                                                             region__code=case.region_code[:6])


def callers_for(step, role, case):
    if step.where == JURISDICTION:
        return five_callers(role=role, organization=district_bureau(case))
    callers = five_callers(role=role, organization=case.organization)
    if step.where == OWNER:
        case.owner_id = callers.insider.pk
    return callers


def test_every_step_of_both_tables_has_a_state_in_which_it_is_open():
    assert {step.name for _, step in ROWS} == set(OPEN_STATES)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_only_the_insider_may_do_the_step(row, opened):
    policy, step = row
    case = in_state(opened, policy, step)
    for role in step.roles or (Role.OFFICER,):
        callers = callers_for(step, role, case)
        assert policy.is_open(step.name, case), step.name
        assert policy.allows(callers.insider, step.name, case), (step.name, role)
        refused = [name for name, user in callers.others() if policy.allows(user, step.name, case)]
        assert refused == [], (step.name, role)
        for name, user in callers.others():
            with pytest.raises(ApplicationError) as denied:
                policy.require(user=user, step=step.name, subject=case)
            assert (denied.value.status_code, denied.value.code) == (403, "forbidden"), (step.name, name)


@pytest.mark.django_db
@pytest.mark.parametrize("row", [row for row in ROWS if row[1].statuses], ids=_row_id)
def test_the_insider_at_the_wrong_moment_gets_a_409(row, opened):
    policy, step = row
    case = in_state(opened, policy, step)
    callers = callers_for(step, step.roles[0], case)
    case.status = next(status for status in Status.values if status not in step.statuses)
    with pytest.raises(ApplicationError) as early:
        policy.require(user=callers.insider, step=step.name, subject=case)
    assert (early.value.status_code, early.value.code) == (409, "illegal_step")


@pytest.mark.django_db
def test_a_case_of_each_procedure_is_judged_by_its_own_table(opened):
    assert policy_for(opened) is GENERAL
    assert policy_for(Case(procedure=Procedure.SIMPLE)) is SIMPLE


# --- the services enforce the table: one step of each kind of "where" ------------------------

@pytest.mark.django_db
def test_only_the_handling_squads_leader_files_a_case(opened):
    callers = five_callers(role=Role.SQUAD_LEADER, organization=opened.organization)
    for name, user in callers.others():
        with pytest.raises(ApplicationError) as denied:
            services.case_file_approve(user=user, case=opened)
        assert denied.value.status_code == 403, name
    assert services.case_file_approve(user=callers.insider, case=opened).status == Status.INVESTIGATING


@pytest.mark.django_db
def test_only_a_legal_reviewer_of_the_cases_district_reviews_it(investigating, officer1, legal):
    services.case_set_penalty(user=officer1, case=investigating, level="ordinary", fine=investigating.proposal["amount"])
    case = services.case_submit_review(user=officer1, case=investigating)
    callers = five_callers(role=Role.LEGAL_REVIEWER, organization=district_bureau(case))
    for name, user in callers.others():
        with pytest.raises(ApplicationError) as denied:
            services.case_legal_review(user=user, case=case, passed=True)
        assert denied.value.status_code == 403, name
    assert services.case_legal_review(user=callers.insider, case=case, passed=True).status == Status.LEADER_APPROVAL


@pytest.mark.django_db
def test_only_the_officer_in_charge_asks_for_an_extension(investigating, officer1):
    callers = five_callers(role=Role.OFFICER, organization=investigating.organization)
    for name, user in [*callers.others(), ("a fellow officer of the squad", callers.insider)]:
        with pytest.raises(ApplicationError) as denied:
            services.case_extension_request(user=user, case=investigating, days=30, reason="案情复杂")
        assert denied.value.status_code == 403, name
    assert services.case_extension_request(user=officer1, case=investigating, days=30, reason="案情复杂").days == 30


@pytest.mark.django_db
def test_only_an_officer_whose_jurisdiction_holds_the_place_decides_on_the_spot(officer1, officer2, vendor_cause):
    haidian = Region.objects.get(code="110108").boundary.point_on_surface
    with pytest.raises(ApplicationError) as outside:
        services.case_onsite_decide(user=officer1, co_officer=officer2, cause=vendor_cause, party_kind="citizen", party_name="张三",
                                    party_code=PERSON_ID, amount="50", facts="越界", point=haidian)
    assert outside.value.status_code == 403


# --- the flow and the API say the same ----------------------------------------------------

@pytest.mark.django_db
def test_the_flows_filing_node_lets_exactly_those_the_table_allows(opened):
    from viewflow.workflow.models import Task as FlowTask

    task = FlowTask.objects.get(process_id=opened.process_id, flow_task=CaseFlow.approve_filing)
    leaders = five_callers(role=Role.SQUAD_LEADER, organization=opened.organization)
    officers = five_callers(role=Role.OFFICER, organization=opened.organization)
    for name, user in [*leaders.items(), ("officer of the squad", officers.insider)]:
        allowed = GENERAL.allows(user, "file", opened) or GENERAL.allows(user, "refuse", opened)
        assert CaseFlow.approve_filing.can_execute(user, task) == allowed, name
        assert CaseFlow.approve_filing.can_assign(user, task) == allowed, name
    assert CaseFlow.approve_filing.can_execute(leaders.insider, task)
    assert not CaseFlow.approve_filing.can_execute(officers.insider, task)


@pytest.mark.django_db
def test_the_case_detail_lists_the_steps_the_caller_may_do(api_as, opened, officer1, squad_leader, legal):
    def actions(user):
        return api_as(user).get(f"/api/cases/{opened.pk}/").json()["actions"]

    assert actions(squad_leader) == GENERAL.allowed_steps(squad_leader, opened)
    assert {"file", "refuse", "update", "officers"} <= set(actions(squad_leader))
    assert "file" not in actions(officer1) and "update" in actions(officer1)
    assert actions(legal) == []


@pytest.mark.django_db
def test_deciding_on_the_spot_is_never_an_action_on_a_case_already_made(opened):
    callers = five_callers(role=Role.OFFICER, organization=opened.organization)
    opened.procedure = Procedure.SIMPLE
    assert SIMPLE.may_act(callers.insider, "onsite_decide", opened)
    assert "onsite_decide" not in SIMPLE.allowed_steps(callers.insider, opened)
