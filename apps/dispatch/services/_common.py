"""What the dispatch services modules share: the locked task, completing its open step, deadlines and photos."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.dispatch.models import Source, Task, TaskPhoto
from apps.gbcp.errors import ApplicationError
from apps.gbcp.files import save_field_file_atomic
from apps.gbcp.photos import check_photo
from apps.workflow.steps import step_complete

MAX_PHOTOS = 6
NO_PROCESS = gettext_lazy("This task has no workflow (it was merged or closed).")


def locked(task_id) -> Task:
    """The task, its row locked until the transaction ends (call inside ``transaction.atomic``)."""
    return Task.objects.select_for_update(of=("self",)).select_related("organization", "category").get(pk=task_id)


def complete_step(task: Task, node, user, mutate) -> None:
    """Complete the open Viewflow step ``node`` of the task's process as ``user``, running ``mutate()`` in between.

    Of two people acting at once exactly one wins; the other gets a clear 409 (``apps.workflow.steps``).
    """
    step_complete(subject=task, node=node, user=user, mutate=mutate, subject_label="task", no_process_message=NO_PROCESS)


def deadline_for(category, received_at, external_deadline):
    """The category's deadline from the time received, or the partner's when that is earlier."""
    own = category.deadline_from(received_at) if category is not None else None
    if own and external_deadline:
        return min(own, external_deadline)
    return own or external_deadline


def from_hotline_partner(task: Task) -> bool:
    """A 12345 ticket: its centre is told of acknowledgement, result and callback."""
    return bool(task.partner_id) and task.source == Source.HOTLINE


def checked_photos(photos):
    """The uploads checked as images (at most ``MAX_PHOTOS``) before anything is stored; a bad one is a 400."""
    photos = [p for p in (photos or ()) if p]
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many_photos")
    checked = []
    for i, upload in enumerate(photos):
        try:
            checked.append(check_photo(upload))
        except ValidationError as exc:
            raise ApplicationError(exc.messages[0], code=exc.code or "invalid_photo", details={"photos": {str(i): exc.messages}})
    return checked


def store_photos(*, user, task, photos, stage):
    for upload in photos:
        photo = TaskPhoto(task=task, stage=stage, uploaded_by=user if getattr(user, "pk", None) else None)
        # Deleted again if this transaction, or a caller's around it, rolls back (apps.gbcp.files).
        save_field_file_atomic(photo.image, upload.name, upload)
        photo.save()
