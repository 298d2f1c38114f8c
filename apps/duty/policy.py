"""Who may do what with duty rosters and posts (勤务): one step table, enforced by the services, read by the pages and
the API (``actions``).

A squad leader plans his own squad's roster and posts (``plan``, where he serves); dispatchers and leaders whose
jurisdiction holds the squad's region adjust them (``adjust``). Officers see their own shifts only (selectors).
The subject is a roster, a shift or a post: each knows its squad (``organization_id``) and region (``region_code``).
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.workflow.policy import JURISDICTION, ORGANIZATION, Policy, Step

PLANNERS = (Role.SQUAD_LEADER,)
ADJUSTERS = (Role.DISPATCHER, Role.LEADER)
# Who reads rosters, coverage and peak suggestions of the squads in their jurisdiction. Not analysts: the rosters name
# officers, and an analyst's clearance is public (analytics reads duty's figures through the selectors instead).
READERS = (Role.SQUAD_LEADER, Role.DISPATCHER, Role.LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR)

SUBJECT_LABEL = _("duty roster")

DUTY = Policy(
    name="duty",
    subject_label="duty roster",
    region_code=lambda subject: subject.squad.region.code,
    organization_id=lambda subject: subject.squad_id,
    owner_id=lambda subject: None,
    status=lambda subject: "",
    status_label=lambda subject: "",
    steps=(
        Step("plan", roles=PLANNERS, where=ORGANIZATION, label=_("Plan the squad's roster"),
             denied_message=_("Only the squad's leader plans its roster.")),
        Step("adjust", roles=ADJUSTERS, where=JURISDICTION, label=_("Adjust the roster"),
             denied_message=_("Only the squad's leader, or a dispatcher or leader of its district, may change its roster.")),
    ),
)


def may_edit(user, subject) -> bool:
    """Whether the user may change the squad's roster and posts (plan or adjust)."""
    return DUTY.allows(user, "plan", subject) or DUTY.allows(user, "adjust", subject)


def require_edit(*, user, subject) -> None:
    """403 unless the user plans or adjusts the squad's roster."""
    if not DUTY.allows(user, "plan", subject):
        DUTY.require(user=user, step="adjust", subject=subject)
