"""Who may do what in credit: one step table, enforced by the services and asked by the pages.

The subject of every step carries the region code of the business it concerns (a record, an objection).
Objecting to a record is not in the table: who may is the business the record is about (``user.entity``),
a tie the table's roles and places cannot say; ``objection_submit`` checks it, as inspection's self-check does.
Producers (cases, inspection) and commands record and recompute as the system (``user=None``).
"""
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.gbcp.errors import NotFound
from apps.workflow.policy import JURISDICTION, Policy, Step

# 法制审核 decides objections and repairs; the leader may too.
REVIEWER_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER)
# Staff who read credit pages of their jurisdiction (grades steer their inspections and cases).
READER_ROLES = (Role.DISPATCHER, Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.LEADER, Role.SUPERVISOR,
                Role.ANALYST, Role.ADMINISTRATOR)

# Who exports the joint-punishment list for the city credit platform (each export logged); the rows are their jurisdiction's.
EXPORT_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMINISTRATOR)
# Who imports other departments' records (staff page; the command runs as the system).
IMPORT_ROLES = (Role.LEGAL_REVIEWER, Role.LEADER, Role.ADMINISTRATOR)

SUBJECT_LABEL = gettext_lazy("credit record")  # the policy translates its subject_label at run time

CREDIT = Policy(
    name="credit",
    subject_label="credit record",
    steps=(
        Step("decide_objection", roles=REVIEWER_ROLES, where=JURISDICTION, statuses=("submitted",)),  # the objection
        Step("repair_record", roles=REVIEWER_ROLES, where=JURISDICTION, statuses=("active",)),  # the record
        Step("recompute", roles=REVIEWER_ROLES + (Role.ADMINISTRATOR,), where=JURISDICTION),  # the grade (or the record)
    ),
)


def require(*, user, step: str, subject) -> None:
    """The services' guard: ``None`` is the system; a holder of the role whose jurisdiction does not hold the
    subject is told it is not there (404); anyone else who may not act gets the policy's 403; a step closed by
    the subject's state gets 409."""
    if user is None:
        return
    if getattr(user, "is_authenticated", False) and user.has_role(*CREDIT.step(step).roles) and not CREDIT.may_act(user, step, subject):
        raise NotFound()
    CREDIT.require(user=user, step=step, subject=subject)


def may_export(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(*EXPORT_ROLES))


def may_import(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(*IMPORT_ROLES))
