"""Who may do what in patrol inspection: one step table, enforced by the services and asked by the pages.

The subject of a step that makes something (a plan, a draw, an inspection record) is that thing before it
is saved, ``PatrolPlan(region_code=...)``: the table only reads where it will lie.

A merchant's self-check is not in the table: who may submit it is the business operating the place
(``user.entity``), a tie the table's roles and places cannot say; ``self_check_submit`` checks it.
"""
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.gbcp.errors import NotFound
from apps.workflow.policy import JURISDICTION, Policy, Step

PLANNER_ROLES = (Role.DISPATCHER, Role.LEADER, Role.SQUAD_LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)
INSPECTOR_ROLES = (Role.OFFICER, Role.SQUAD_LEADER)
INSPECTION_STAFF_ROLES = tuple(dict.fromkeys(INSPECTOR_ROLES + PLANNER_ROLES))  # either, each role once

SUBJECT_LABEL = gettext_lazy("patrol area")  # the policy translates its subject_label at run time


def _unhandled(finding) -> bool:
    return not finding.handled


INSPECTION = Policy(
    name="inspection",
    subject_label="patrol area",
    steps=(
        Step("plan", roles=PLANNER_ROLES, where=JURISDICTION),  # the new plan
        Step("start_patrol", roles=INSPECTOR_ROLES, where=JURISDICTION),  # the new plan (of the grid or the squad's street)
        Step("generate_assignments", roles=INSPECTION_STAFF_ROLES, where=JURISDICTION),  # the plan
        Step("draw", roles=PLANNER_ROLES, where=JURISDICTION),  # the new draw
        Step("publish_draw", roles=PLANNER_ROLES, where=JURISDICTION, when=lambda draw: not draw.is_published),  # the draw
        Step("record", roles=INSPECTOR_ROLES, where=JURISDICTION),  # the new record (of the place)
        Step("finding_to_task", roles=INSPECTION_STAFF_ROLES, where=JURISDICTION, when=_unhandled),  # the finding
        Step("finding_to_case", roles=INSPECTION_STAFF_ROLES, where=JURISDICTION, when=_unhandled),  # the finding
    ),
)


def require(*, user, step: str, subject) -> None:
    """The services' guard of a step. A holder of the step's role whose jurisdiction does not hold the
    subject is told it is not there (404), as for a place or region that does not exist; anyone else who
    may not act gets the policy's 403. The subject's state is the service's to check (its own answer)."""
    if user is not None and user.is_authenticated and user.has_role(*INSPECTION.step(step).roles) and not INSPECTION.may_act(user, step, subject):
        raise NotFound()
    INSPECTION.require(user=user, step=step, subject=subject, check_state=False)
