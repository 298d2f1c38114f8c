"""Who may do what in the wiki: one step table, enforced by the services and asked by the pages.

- ``edit`` (a page: write a new revision directly, versioned and attributed): staff who work with the knowledge
  (dispatcher, officer, squad leader, legal reviewer, leader, supervisor, administrator), where their jurisdiction holds
  the page's ``region_code`` (the city's pages: city staff; a district's pages: that district's staff).
- ``moderate`` (a proposal: accept, accept with changes, refuse): the legal reviewer (法制审核, who already answers for
  legal texts) and the administrator, of the page's jurisdiction, while the proposal awaits moderation. No new role and
  no group: the two existing roles are the moderators (docs/WIKI.md).

Proposing is not in the table: any signed-in person who can read the page may propose (citizens and merchants above
all); ``proposal_submit`` checks it, as credit's objection does. Reading is the selectors' business (public pages for
everyone, staff-only pages for staff).
"""
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role
from apps.workflow.policy import JURISDICTION, Policy, Step

EDITOR_ROLES = (Role.DISPATCHER, Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.LEADER, Role.SUPERVISOR,
                Role.ADMINISTRATOR)
MODERATOR_ROLES = (Role.LEGAL_REVIEWER, Role.ADMINISTRATOR)

SUBJECT_LABEL = gettext_lazy("wiki page")  # the policy translates its subject_label at run time

WIKI = Policy(
    name="wiki",
    subject_label="wiki page",
    steps=(
        Step("edit", roles=EDITOR_ROLES, where=JURISDICTION, label=gettext_lazy("Edit")),  # the page
        Step("moderate", roles=MODERATOR_ROLES, where=JURISDICTION, statuses=("submitted",), label=gettext_lazy("Moderate"),
             status_message=gettext_lazy("This proposal has already been decided.")),  # the proposal
    ),
    organization_id=lambda subject: None,
    owner_id=lambda subject: None,
    status=lambda subject: getattr(subject, "status", ""),
    status_label=lambda subject: subject.get_status_display() if hasattr(subject, "get_status_display") else "",
)


def may_moderate_somewhere(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.is_superuser or user.has_role(*MODERATOR_ROLES)))
