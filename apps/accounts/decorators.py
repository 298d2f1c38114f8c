"""Guards of staff pages: signed in, and serving as staff (a role in an organisation, or superuser)."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def is_staff_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_superuser or user.is_staff_member()))


def staff_required(view):
    """Anonymous callers go to the login page; citizens and merchants get 403 (their pages are the portal's)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
