"""Personal data of the portal, declared for the retention job and the subject export (apps.gbcp.privacy)."""
from django.utils.translation import gettext_lazy as _

from apps.gbcp import privacy
from apps.gbcp.privacy import PersonalData, PersonalField, Retention


def register():
    privacy.register(PersonalData(
        # Only the code's HMAC is kept, but the row ties a phone number to a business and a time: nothing else in it.
        key="portal.phone_code", model="portal.PhoneCode", subject=_("the phone a sign-up code was sent to"),
        fields=(PersonalField("phone", "phone"),),
        retention=Retention(since="created_at", period="portal_phone_code", delete=True),
        match={"phone": "phone"}, reason=_("A code is useless after minutes; a month is kept to trace abuse of sign-up."),
    ))
