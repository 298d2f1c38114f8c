"""Who may do what in the ledger: one step table, enforced by the services and asked by the pages.

Reporting a correction is not in the table: anyone signed in may (staff on the records of their
jurisdiction, a merchant on its own business's), which is a matter of what they can see, not of a role.
Commands, the demo and the nightly comparison act as the system (``user=None``), which may do every step.
"""
from typing import NamedTuple

from django.utils.translation import gettext_lazy

from apps.accounts.jurisdiction import jurisdiction_prefixes
from apps.accounts.models import Role
from apps.gbcp.errors import NotFound
from apps.ledger.models import Correction
from apps.workflow.policy import JURISDICTION, Policy, Step

# Roles that import, compare, send back and review corrections within their jurisdiction.
LEDGER_MANAGER_ROLES = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SQUAD_LEADER)
# 门前三包 考核: the street's officers and squad leaders assess the zones of their jurisdiction each month.
FRONTAGE_ASSESSOR_ROLES = (Role.ADMINISTRATOR, Role.SQUAD_LEADER, Role.OFFICER)

SUBJECT_LABEL = gettext_lazy("ledger record")  # the policy translates its subject_label at run time


class Area(NamedTuple):
    """The subject of a step that reaches no single record (an import, a comparison): the region it covers."""

    region_code: str
    status: str = ""
    organization_id: int | None = None
    owner_id: int | None = None


def own_area(user, region_code=None) -> Area:
    """``region_code`` as a subject, or by default the caller's own jurisdiction (what an import or a
    comparison without a region reaches: rows outside it are refused or left out)."""
    if region_code:
        return Area(region_code)
    prefixes = jurisdiction_prefixes(user)
    return Area("" if prefixes is None else (prefixes[0] if prefixes else ""))


LEDGER = Policy(
    name="ledger",
    subject_label="ledger record",
    steps=(
        Step("import", roles=LEDGER_MANAGER_ROLES, where=JURISDICTION),
        Step("compare", roles=LEDGER_MANAGER_ROLES, where=JURISDICTION),
        Step("send_back", roles=LEDGER_MANAGER_ROLES, where=JURISDICTION),
        Step("assess_frontage", roles=FRONTAGE_ASSESSOR_ROLES, where=JURISDICTION),
        Step("review_correction", roles=LEDGER_MANAGER_ROLES, where=JURISDICTION, statuses=(Correction.Status.PENDING,)),
    ),
)


def require(*, user, step: str, subject) -> None:
    """The services' guard of a step: ``None`` is the system; a manager whose jurisdiction does not hold
    the subject is told it is not there (404), as for a record that does not exist; anyone else who may
    not act gets the policy's 403. The state of the subject is the service's to check (its own answer)."""
    if user is None:
        return
    if getattr(user, "is_authenticated", False) and user.has_role(*LEDGER.step(step).roles) and not LEDGER.may_act(user, step, subject):
        raise NotFound()
    LEDGER.require(user=user, step=step, subject=subject, check_state=False)
