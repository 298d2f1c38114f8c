"""Who may do what on a supervision item (督察督办): one step table, enforced by the services, shown by the pages and
the API (``actions``) and used by the flow as its permissions.

Supervisors and leaders act where their jurisdiction holds the item (create, sign, dispatch, close, archive); the
responsible unit handles it; a supervisor reviews the handling and may return it with a reason.
"""
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.supervision.models import Status
from apps.workflow.policy import JURISDICTION, ORGANIZATION, Policy, Step

SUPERVISORS = (Role.SUPERVISOR, Role.LEADER)
REVIEWERS = (Role.SUPERVISOR,)
HANDLERS = (Role.LEADER, Role.SQUAD_LEADER, Role.OFFICER, Role.DISPATCHER)  # whoever serves in the responsible unit

SUBJECT_LABEL = _("supervision item")  # the policy translates its subject_label at run time

SUPERVISION = Policy(
    name="supervision",
    subject_label="supervision item",
    owner_id=lambda item: None,
    steps=(
        # The subject of "create" is the item about to be made (not yet saved), in its region.
        Step("create", roles=SUPERVISORS, where=JURISDICTION, when=lambda item: item.pk is None, label=_("Create a supervision item"),
             status_message=_("The item exists already.")),
        Step("sign", roles=SUPERVISORS, where=JURISDICTION, statuses=(Status.RAISED,), label=_("Sign for it (签收)"),
             status_message=_("Only an item raised by a rule is signed for.")),
        Step("dispatch", roles=SUPERVISORS, where=JURISDICTION, statuses=(Status.SIGNED,), label=_("Dispatch to the unit (交办)"),
             status_message=_("Only a signed item can be dispatched.")),
        Step("handle", roles=HANDLERS, where=ORGANIZATION, statuses=(Status.DISPATCHED,), label=_("Report the handling (办理)"),
             status_message=_("Only an item being handled can be reported on."),
             denied_message=_("Only the responsible unit may report on this item.")),
        Step("approve", roles=REVIEWERS, where=JURISDICTION, statuses=(Status.HANDLED,), label=_("Pass the review (审核通过)"),
             status_message=_("Only a handled item can be reviewed.")),
        Step("return", roles=REVIEWERS, where=JURISDICTION, statuses=(Status.HANDLED,), label=_("Return for more work (退回)"),
             status_message=_("Only a handled item can be returned.")),
        Step("close", roles=SUPERVISORS, where=JURISDICTION, statuses=(Status.APPROVED,), label=_("Close with feedback (办结)"),
             status_message=_("Only a reviewed item can be closed.")),
        Step("archive", roles=SUPERVISORS, where=JURISDICTION, statuses=(Status.CLOSED,), label=_("Archive (归档)"),
             status_message=_("Only a closed item can be archived.")),
    ),
)

# The steps an item's page and the API offer (creating is offered by the queue).
ITEM_STEPS = tuple(step.name for step in SUPERVISION if step.name != "create")


def item_actions(user, item) -> dict:
    return {name: SUPERVISION.allows(user, name, item) for name in ITEM_STEPS}


def allowed_item_steps(user, item) -> list[str]:
    return [name for name, allowed in item_actions(user, item).items() if allowed]


# Names of the log's actions, for the history (never the raw codes).
ACTION_LABELS = {
    "create": _("created"), "raise": _("raised by a rule"), "sign": _("signed for"), "dispatch": _("dispatched"), "handle": _("handled"),
    "approve": _("review passed"), "return": _("returned"), "close": _("closed"), "archive": _("archived"),
    "alert_yellow": _("yellow warning"), "alert_red": _("red warning: overdue"),
}
