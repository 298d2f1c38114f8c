"""Who may do what in emergency (应急调度): one place for the rules, read by services, selectors, views and API."""
from apps.accounts.jurisdiction import covers_code, staff_memberships
from apps.accounts.models import Role

EDITORS = {Role.LEADER, Role.ADMINISTRATOR}  # write pre-plans
ACTIVATORS = {Role.LEADER, Role.DISPATCHER}  # one key to activate, close incidents
READERS = {Role.LEADER, Role.ADMINISTRATOR, Role.DISPATCHER, Role.SQUAD_LEADER, Role.OFFICER, Role.SUPERVISOR}


def _holds(user, roles, code: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return any(code.startswith(m.organization.region.scope) for m in staff_memberships(user, roles))


def can_edit_plans(user, region) -> bool:
    return _holds(user, EDITORS, region.code)


def can_activate(user, region) -> bool:
    return _holds(user, ACTIVATORS, region.code)


def can_read(user, code: str) -> bool:
    return _holds(user, READERS, code) and covers_code(user, code)


def can_receive_alerts(user) -> bool:
    """Uploading a CAP warning by hand: a leader, administrator or dispatcher anywhere."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or bool(staff_memberships(user, EDITORS | ACTIVATORS))
