"""Who may act on a workflow's steps, declared once per workflow.

A ``Policy`` is a table of ``Step`` rows: the roles that may act, where they must serve (the
subject's jurisdiction, its handling organisation, or being its owner) and the states in which
the step is open. Services call ``policy.require``; pages and the API call ``policy.actions``
to show or hide a step; the Viewflow flows use ``PolicyView`` nodes that ask the same table; the
tests iterate the table with the five personas.

Two different answers, as before: the wrong person gets 403 ``forbidden``; the right person at
the wrong moment gets 409 ``illegal_step``.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.jurisdiction import covers_code, serves_in
from apps.accounts.models import Role
from apps.gbcp.errors import ApplicationError

JURISDICTION = "jurisdiction"  # a holder of the role whose jurisdiction holds the subject's region code
ORGANIZATION = "organization"  # a holder of the role serving in the subject's handling organisation
OWNER = "owner"  # the subject's owner (the officer in charge), whatever the role

WHERE = (JURISDICTION, ORGANIZATION, OWNER)


@dataclass(frozen=True)
class Step:
    """One row of a policy: who may do the step ``name`` and in which states of the subject."""

    name: str
    roles: tuple = ()
    where: str = JURISDICTION
    statuses: tuple = ()  # empty: any status
    when: Callable | None = None  # a further condition on the subject (``case.major``), part of "is it open"
    label: str = ""
    status_message: str = ""  # said with the 409 when the step is not open now (give it with gettext_lazy)
    denied_message: str = ""  # said with the 403 instead of the sentence built from roles and where

    def __post_init__(self):
        if self.where not in WHERE:
            raise ValueError(f"step {self.name}: where={self.where!r} is not one of {WHERE}")
        if self.where != OWNER and not self.roles:
            raise ValueError(f"step {self.name}: a step without roles must be where=OWNER")


@dataclass
class Policy:
    """The step table of one workflow, with how to read a subject's region, organisation, owner and status."""

    name: str
    subject_label: str
    steps: tuple
    region_code: Callable = lambda subject: subject.region_code or ""
    organization_id: Callable = lambda subject: subject.organization_id
    owner_id: Callable = lambda subject: subject.owner_id
    status: Callable = lambda subject: subject.status
    status_label: Callable = lambda subject: subject.get_status_display()
    by_name: dict = field(init=False, repr=False)

    def __post_init__(self):
        self.by_name = {}
        for step in self.steps:
            if step.name in self.by_name:
                raise ValueError(f"policy {self.name}: step {step.name} is declared twice")
            self.by_name[step.name] = step

    def __iter__(self):
        return iter(self.steps)

    def step(self, name: str) -> Step:
        try:
            return self.by_name[name]
        except KeyError:
            raise KeyError(f"policy {self.name} has no step {name!r}") from None

    # --- the two questions --------------------------------------------------------------

    def may_act(self, user, name: str, subject) -> bool:
        """Whether ``user`` is among those who may do the step on this subject (whatever its state)."""
        step = self.step(name)
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
            return False
        if user.is_superuser:
            return True
        if step.where == OWNER:
            owner = self.owner_id(subject)
            return owner is not None and owner == user.pk
        if step.where == ORGANIZATION:
            return serves_in(user, self.organization_id(subject), step.roles)
        return user.has_role(*step.roles) and covers_code(user, self.region_code(subject))

    def is_open(self, name: str, subject) -> bool:
        """Whether the subject's state lets the step be done now (whoever asks)."""
        step = self.step(name)
        if step.statuses and self.status(subject) not in step.statuses:
            return False
        return step.when is None or bool(step.when(subject))

    def allows(self, user, name: str, subject) -> bool:
        return self.may_act(user, name, subject) and self.is_open(name, subject)

    def actions(self, user, subject) -> dict:
        """``{step name: allowed}`` for every step: what pages and the API show."""
        return {step.name: self.allows(user, step.name, subject) for step in self.steps}

    def allowed_steps(self, user, subject) -> list[str]:
        return [name for name, allowed in self.actions(user, subject).items() if allowed]

    # --- the service guard --------------------------------------------------------------

    def require(self, *, user, step: str, subject, check_state: bool = True) -> None:
        """Raise 403 if ``user`` may not do the step on the subject, 409 if the subject's state does not allow it."""
        row = self.step(step)
        if not self.may_act(user, step, subject):
            raise ApplicationError(self.denied_message(row), code="forbidden", status_code=403)
        if check_state and not self.is_open(step, subject):
            message = str(row.status_message) if row.status_message else _(
                "This step is not allowed while the %(subject)s is %(status)s.") % {
                "subject": _(self.subject_label), "status": self.status_label(subject)}
            raise ApplicationError(message, code="illegal_step", status_code=409)

    def denied_message(self, step: Step) -> str:
        if step.denied_message:
            return str(step.denied_message)
        roles = "/".join(str(Role(r).label) for r in step.roles)
        if step.where == OWNER:
            return _("Only the officer in charge of this %(subject)s may do this.") % {"subject": _(self.subject_label)}
        if step.where == ORGANIZATION:
            return _("Only the handling organisation's %(roles)s may do this.") % {"roles": roles}
        return _("Only a %(roles)s whose jurisdiction holds this %(subject)s may do this.") % {
            "roles": roles, "subject": _(self.subject_label)}


# Marked for translation here so that ``subject_label`` values ("task", "case") can be given as plain strings.
SUBJECT_LABELS = (gettext_lazy("task"), gettext_lazy("case"), gettext_lazy("whistle"))
