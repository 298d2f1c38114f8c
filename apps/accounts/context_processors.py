"""Template context for every page: the user's roles, clearance and whether the staff menu applies."""
from apps.accounts.decorators import is_staff_user


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_roles": sorted(user.roles()), "user_clearance": int(user.clearance()), "is_staff_user": is_staff_user(user)}
