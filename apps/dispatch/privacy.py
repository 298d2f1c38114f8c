"""Personal data of the task centre, declared for the retention job and the subject export (apps.gbcp.privacy).

The task stays (numbers, place, category, times and results feed statistics and the 三率); what goes is who reported
it. A rating needs the last four digits of the reporter's phone only within DISPATCH_RATING_WITHIN_DAYS of closing,
long before the period ends."""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.dispatch.models import Status
from apps.gbcp import privacy
from apps.gbcp.privacy import MARKER, PersonalData, PersonalField, Retention

REPORTER = (PersonalField("reporter_name", "name", MARKER), PersonalField("reporter_phone", "phone"))
REASON = _("12345 call-backs, re-opening and rating, a year's evaluation, reconsideration and litigation windows.")


def register():
    privacy.register(
        PersonalData(
            key="dispatch.task_reporter", model="dispatch.Task", subject=_("the reporter of a task"), fields=REPORTER,
            retention=Retention(since="closed_at", period="task_reporter", where=Q(status=Status.CLOSED)),
            match={"phone": "reporter_phone"}, reason=REASON,
        ),
        PersonalData(
            # A report merged into another is done when its master is closed.
            key="dispatch.merged_task_reporter", model="dispatch.Task", subject=_("the reporter of a merged report"), fields=REPORTER,
            retention=Retention(since="master__closed_at", period="task_reporter", where=Q(status=Status.MERGED, master__status=Status.CLOSED)),
            reason=REASON,
        ),
        PersonalData(
            key="dispatch.open311_contact", model="dispatch.Open311Contact", subject=_("the user of an Open311 client"),
            fields=(PersonalField("email", "email"), PersonalField("first_name", "name", MARKER), PersonalField("last_name", "name"),
                    PersonalField("phone", "phone"), PersonalField("device_id", "opaque"), PersonalField("account_id", "opaque")),
            retention=Retention(since="task__closed_at", period="open311_contact", where=Q(task__status=Status.CLOSED)),
            match={"phone": "phone"}, reason=REASON,
        ),
    )
