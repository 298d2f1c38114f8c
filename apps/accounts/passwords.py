"""Password rules beyond Django's validators: staff and administrators need a longer password (STAFF_PASSWORD_MIN_LENGTH)."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class StaffMinimumLengthValidator:
    """At least ``STAFF_PASSWORD_MIN_LENGTH`` characters for a user who serves as staff or is an administrator.

    Citizens and merchants keep the general minimum (MinimumLengthValidator). A user not yet saved (a sign-up)
    has no memberships and is not staff.
    """

    def _min_length(self):
        return settings.STAFF_PASSWORD_MIN_LENGTH

    def _applies(self, user) -> bool:
        if user is None or user.pk is None:
            return False
        return bool(user.is_superuser or user.is_staff or user.is_staff_member())

    def validate(self, password, user=None):
        if self._applies(user) and len(password) < self._min_length():
            raise ValidationError(
                ngettext(
                    "Staff passwords must contain at least %(min_length)d character.",
                    "Staff passwords must contain at least %(min_length)d characters.",
                    self._min_length(),
                ),
                code="password_too_short",
                params={"min_length": self._min_length()},
            )

    def get_help_text(self):
        return ngettext(
            "Staff passwords must contain at least %(min_length)d character.",
            "Staff passwords must contain at least %(min_length)d characters.",
            self._min_length(),
        ) % {"min_length": self._min_length()}
