"""Who may do what on a rectification (整改): one step table, enforced by services/rectifications.py, asked by the pages.

Staff steps are held by jurisdiction, as in patrol inspection. The business's own steps are ``where=OWNER``: the
"owner" of a rectification is the business (``entity``), so a merchant user acts when ``user.entity`` is that
business (``BusinessPolicy.may_act``); superusers keep their general right on every step.
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.inspection.models import Rectification
from apps.inspection.policy import INSPECTOR_ROLES
from apps.workflow.policy import JURISDICTION, OWNER, Policy, Step

Status = Rectification.Status
MERCHANTS = (Role.MERCHANT,)


class BusinessPolicy(Policy):
    """A policy whose OWNER steps belong to the subject's business: the merchant users tied to it act."""

    def may_act(self, user, name, subject) -> bool:
        step = self.step(name)
        if step.where == OWNER and user is not None and getattr(user, "is_authenticated", False) and not user.is_superuser:
            owner = self.owner_id(subject)
            return bool(getattr(user, "is_active", True) and owner is not None and owner == user.entity_id and user.has_role(*step.roles))
        return super().may_act(user, name, subject)


def _finding_unrectified(finding) -> bool:
    return not hasattr(finding, "rectification") or finding.rectification is None


RECTIFICATION = BusinessPolicy(
    name="rectification",
    subject_label="rectification",
    owner_id=lambda subject: subject.entity_id,
    organization_id=lambda subject: None,
    steps=(
        # The subject of "issue" is the finding (its region), once, and only at a place with an operator.
        Step("issue", roles=INSPECTOR_ROLES, where=JURISDICTION, statuses=(), label=_("Issue a rectification notice (整改通知)"),
             when=lambda finding: _finding_unrectified(finding) and finding.place.operator_id is not None),
        Step("answer", roles=MERCHANTS, where=OWNER, statuses=Rectification.OPEN_STATUSES, label=_("Answer with photos of the fix"),
             status_message=_("Only a rectification still to be fixed can be answered.")),
        Step("accept", roles=INSPECTOR_ROLES, where=JURISDICTION, statuses=(Status.ANSWERED,), label=_("Accept the fix (验收通过)"),
             status_message=_("Only an answered notice can be accepted.")),
        Step("return", roles=INSPECTOR_ROLES, where=JURISDICTION, statuses=(Status.ANSWERED,), label=_("Return with a reason (退回)"),
             status_message=_("Only an answered notice can be returned.")),
    ),
    status=lambda subject: getattr(subject, "status", None),
    status_label=lambda subject: subject.get_status_display() if hasattr(subject, "get_status_display") else "",
)

SUBJECT_LABEL = _("rectification")  # the policy translates its subject_label at run time
DECISION_STEPS = ("accept", "return")
