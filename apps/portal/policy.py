"""Who may send targeted notices (精准推送) and read their receipts: one step table, enforced by notice_services.

The subject is the notice (before it is saved, for "send"): its ``region_code`` is the target area, so a district's
dispatcher, leader or legal reviewer sends to businesses of the district and no further. A business reads and
acknowledges the notices sent to it: that tie (``user.entity`` among the recipients) is the selectors' to check, as
patrol inspection does for self-checks; the table's roles and places cannot say it.
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.workflow.policy import JURISDICTION, Policy, Step

NOTICE_ROLES = (Role.DISPATCHER, Role.LEADER, Role.LEGAL_REVIEWER)

NOTICES = Policy(
    name="portal-notices",
    subject_label="targeted notice",
    owner_id=lambda notice: None,
    organization_id=lambda notice: None,
    status=lambda notice: None,
    status_label=lambda notice: "",
    steps=(
        Step("send", roles=NOTICE_ROLES, where=JURISDICTION, when=lambda notice: notice.pk is None, label=_("Send a targeted notice")),
        Step("receipts", roles=NOTICE_ROLES, where=JURISDICTION, label=_("See who read and acknowledged")),
    ),
)

SUBJECT_LABEL = _("targeted notice")  # the policy translates its subject_label at run time
