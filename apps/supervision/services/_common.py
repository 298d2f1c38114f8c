"""What the supervision services share: the locked item, completing its open step, numbers and deadlines."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.gbcp.errors import ApplicationError
from apps.gbcp.workcalendar import WORKING_DAYS, add_deadline
from apps.supervision.models import SupervisionItem, SupervisionSequence
from apps.workflow.sequences import next_value
from apps.workflow.steps import step_complete

NO_PROCESS = gettext_lazy("This supervision item has no workflow.")
YELLOW_FRACTION = 0.8  # as tasks: yellow once four fifths of the time are used


def locked(item_id) -> SupervisionItem:
    """The item, its row locked until the transaction ends (call inside ``transaction.atomic``)."""
    return SupervisionItem.objects.select_for_update(of=("self",)).select_related("organization").get(pk=item_id)


def complete_step(item, node, user, mutate) -> None:
    step_complete(subject=item, node=node, user=user, mutate=mutate, subject_label="supervision item", no_process_message=NO_PROCESS)


def next_number(now=None) -> str:
    """督办 numbers per year: ``DB2026-00001``."""
    year = timezone.localtime(now or timezone.now()).year
    return f"DB{year}-{next_value(SupervisionSequence, str(year)):05d}"


def deadline_and_warning(start, days: int):
    """The deadline ``days`` working days after ``start`` and the moment four fifths of that time are used."""
    deadline = add_deadline(start, days, WORKING_DAYS)
    return deadline, start + (deadline - start) * YELLOW_FRACTION


def required_text(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, code=f"{field}_required", details={field: [_("This field is required.")]})
    return text
