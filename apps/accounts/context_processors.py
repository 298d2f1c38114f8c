"""Template context for staff pages: the user's roles."""


def staff_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_roles": sorted(user.roles()), "user_clearance": int(user.clearance())}
