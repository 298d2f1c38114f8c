"""The steps of a task's workflow: category, dispatch, accept or return, arrive, feedback or refer, verify, escalate.

Each step asks the task policy (403 for the wrong person, 409 for the wrong moment), changes the task, logs it
and completes the open Viewflow step under its lock.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import selectors as case_selectors
from apps.cases import services as case_services
from apps.credit import services as credit
from apps.dispatch import events, routing, selectors
from apps.dispatch.flows import TaskFlow
from apps.dispatch.models import OutboxMessage, Status, Task, TaskLog, TaskPhoto, TaskRating
from apps.dispatch.policy import TASK_POLICY
from apps.dispatch.services._common import checked_photos, complete_step, deadline_for, from_hotline_partner, locked, store_photos
from apps.dispatch.services.partners import outbox_enqueue
from apps.dispatch.services.ratings import rate_task, rating_link_enqueue
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate
from apps.gbcp.models import Category, Organization


def _capture(captured_at=None, captured_point=None) -> dict:
    """What the phone recorded when the officer acted (the offline client sends it later): kept in the step's log
    beside the log's own time, which it never replaces; nothing when the phone sent nothing."""
    data = {}
    if captured_at is not None:
        data["captured_at"] = captured_at.isoformat()
    if captured_point is not None:
        data["captured_point"] = {"lat": round(captured_point.y, 7), "lon": round(captured_point.x, 7)}
    return data


def _reason_required(message):
    return ApplicationError(message, code="reason_required", details={"reason": [_("This field is required.")]})


@transaction.atomic
def task_set_category(*, user, task: Task, category: Category) -> Task:
    """A person chooses the category (below the confidence threshold); route and deadline follow."""
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="set_category", subject=task)
    if category.deadline_unit == "":
        raise ApplicationError(_("Choose a leaf category."), code="not_a_leaf")
    with acting_as(user):
        location = locate(task.point) if task.point is not None else None
        chosen = routing.route(location, category)
        task.category, task.category_method, task.category_confidence = category, "person", None
        task.organization, task.route_reason = chosen.organization, chosen.reason
        task.deadline = deadline_for(category, task.received_at, task.external_deadline)
        task.save()
        TaskLog.record(task, "categorised", user, category=category.code)
    return task


@transaction.atomic
def task_dispatch(*, user, task: Task, organization: Organization | None = None, note="", officer_id: int | None = None) -> Task:
    """Dispatcher sends the task to the routed organisation, or overrides the route, and may name the officer in
    charge (an officer or squad leader of that organisation; anyone else answers like an unknown person)."""
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="dispatch", subject=task, check_state=False)
    if task.category_id is None:
        raise ApplicationError(_("Choose a category before dispatching."), code="category_required")
    TASK_POLICY.require(user=user, step="dispatch", subject=task)
    with acting_as(user):
        def mutate():
            if organization is not None and organization.pk != task.organization_id:
                task.organization = organization
                task.route_reason = _("Route overridden by %(user)s: %(note)s") % {"user": user, "note": note}
            if task.organization_id is None:
                raise ApplicationError(_("No organisation to dispatch to."), code="no_route")
            officer = None
            if officer_id is not None:
                officer = selectors.officer_for_dispatch(task, task.organization, officer_id)
                if officer is None:
                    message = _("This officer does not serve in the organisation the task goes to.")
                    raise ApplicationError(message, code="invalid", details={"officer": [message]})
                task.owner = officer
            task.status = Status.DISPATCHED
            task.dispatched_at = timezone.now()
            task.save()
            TaskLog.record(task, "dispatch", user, reason=note, organization=task.organization.name,
                           officer=(officer.get_full_name() or officer.username) if officer else None)

        complete_step(task, TaskFlow.dispatch, user, mutate)
    events.task_dispatched(task)
    return task


@transaction.atomic
def task_accept(*, user, task: Task, captured_at=None, captured_point=None) -> Task:
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="accept", subject=task)
    with acting_as(user):
        def mutate():
            task.status = Status.ACCEPTED
            task.accepted_at = timezone.now()
            task.save()
            TaskLog.record(task, "accept", user, **_capture(captured_at, captured_point))

        complete_step(task, TaskFlow.accept, user, mutate)
    return task


@transaction.atomic
def task_return(*, user, task: Task, reason: str) -> Task:
    """The squad sends the task back to the dispatcher; a reason is required."""
    if not (reason or "").strip():
        raise _reason_required(_("A return needs a reason."))
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="return", subject=task)
    with acting_as(user):
        def mutate():
            task.status = Status.NEW
            task.dispatched_at = None
            task.save()
            TaskLog.record(task, "return", user, reason=reason.strip())

        complete_step(task, TaskFlow.accept, user, mutate)
    events.task_returned(task, reason)
    return task


@transaction.atomic
def task_arrive(*, user, task: Task, point=None) -> Task:
    """The officer is on site: the handling starts (does not finish the step)."""
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="arrive", subject=task)
    with acting_as(user):
        task.status = Status.IN_PROGRESS
        task.owner = user
        task.save()
        TaskLog.record(task, "arrive", user, point=[point.x, point.y] if point is not None else None)
    return task


def task_feedback(*, user, task: Task, result: str, solved: bool = True, photos=(), captured_at=None, captured_point=None) -> Task:
    """The officer reports the result with photos; the task goes to verification.

    ``captured_at``/``captured_point``: when and where the phone recorded it (kept in the step's log).

    Photos are checked first and stored last, and removed again if the change does not commit.
    """
    if not (result or "").strip():
        raise ApplicationError(_("Describe the result."), code="result_required", details={"result": [_("This field is required.")]})
    photos = checked_photos(photos)
    with transaction.atomic():
        task = locked(task.pk)
        TASK_POLICY.require(user=user, step="feedback", subject=task)
        with acting_as(user):
            def mutate():
                task.status = Status.FEEDBACK
                task.result, task.solved = result.strip(), solved
                task.handled_at = timezone.now()
                task.owner = task.owner or user
                task.save()
                TaskLog.record(task, "feedback", user, reason=result.strip(), solved=solved, photos=len(photos),
                               **_capture(captured_at, captured_point))

            complete_step(task, TaskFlow.handle, user, mutate)
            store_photos(user=user, task=task, photos=photos, stage=TaskPhoto.Stage.FEEDBACK)
            events.task_feedback(task)
        if from_hotline_partner(task):
            outbox_enqueue(task=task, kind=OutboxMessage.Kind.RESULT)
    return task


def _complaint_operator(task):
    """The business a substantiated complaint counts against: the operator of the task's place."""
    place = task.place
    if place is None or place.operator_id is None:
        message = _("No business is known to operate this task's place; the complaint cannot be recorded against one.")
        raise ApplicationError(message, code="no_operator", details={"complaint_upheld": [message]})
    return place.operator


@transaction.atomic
def task_verify(*, user, task: Task, approved: bool, reason: str = "", rating: str | None = None, rating_comment: str = "",
                complaint_upheld: bool = False) -> Task:
    """Dispatcher checks the result: close, or send back with a reason.

    ``complaint_upheld``: on close, the dispatcher confirms that the complaint against the business operating the
    task's place was substantiated (投诉属实); credit records it against that business, once per task.

    ``rating`` (a ``TaskRating.Level``) is the reporter's answer on the dispatcher's call-back, recorded on
    close as a STAFF-channel rating (``services.ratings.rate_task``); without it the task closes unrated and the
    reporter is sent the rating link.
    """
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="verify", subject=task, check_state=False)
    if rating and rating not in TaskRating.Level.values:
        raise ApplicationError(_("Choose satisfied, basically satisfied or dissatisfied."), code="invalid_level")
    if not approved and not (reason or "").strip():
        raise _reason_required(_("Sending a task back needs a reason."))
    TASK_POLICY.require(user=user, step="verify", subject=task)
    operator = _complaint_operator(task) if approved and complaint_upheld else None
    with acting_as(user):
        def mutate():
            if approved:
                task.status = Status.CLOSED
                task.closed_at = timezone.now()
                task.alert = Task.Alert.NONE
            else:
                task.status = Status.IN_PROGRESS
            task.save()
            extra = {"complaint_upheld": operator.name} if operator is not None else {}
            TaskLog.record(task, "close" if approved else "reject", user, reason=(reason or "").strip(), **extra)

        complete_step(task, TaskFlow.verify, user, mutate)
        if approved:
            # Reports merged into this task are closed with it.
            Task.objects.filter(master=task, status=Status.MERGED).update(closed_at=task.closed_at, result=task.result, solved=task.solved)
        if operator is not None:
            credit.record_complaint_upheld(user=user, entity=operator, source_ref=f"dispatch.Task:{task.pk}", upheld_on=task.closed_at,
                                           reason=f"{task.number} {task.description[:200]}", place=task.place)
    if approved and rating:
        rate_task(task=task, level=rating, comment=rating_comment, channel=TaskRating.Channel.STAFF, user=user)
        task.refresh_from_db(fields=["satisfied"])
    elif approved:
        rating_link_enqueue(task)
    if approved and from_hotline_partner(task):
        outbox_enqueue(task=task, kind=OutboxMessage.Kind.CALLBACK)
    if approved:
        events.task_closed(task)
    return task


@transaction.atomic
def task_refer(*, user, task: Task, organization: Organization, reason: str) -> Task:
    """Not ours: the squad refers the task to another department; it goes back to the dispatcher with that route."""
    if not (reason or "").strip():
        raise _reason_required(_("A referral needs a reason."))
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="refer", subject=task)
    if organization.pk == task.organization_id:
        raise ApplicationError(_("Refer to another organisation."), code="same_organization")
    with acting_as(user):
        def mutate():
            previous = task.organization.name if task.organization_id else ""
            task.status = Status.NEW
            task.organization = organization
            task.route_reason = _("Referred by %(org)s: %(reason)s") % {"org": previous, "reason": reason.strip()}
            task.dispatched_at = task.accepted_at = None
            task.owner = None
            task.save()
            TaskLog.record(task, "refer", user, reason=reason.strip(), organization=organization.name, previous=previous)

        complete_step(task, TaskFlow.handle, user, mutate)
    events.task_returned(task, reason)
    return task


@transaction.atomic
def task_escalate(*, user, task: Task, cause=None, facts: str = ""):
    """A violation found while handling the task becomes an enforcement case (general procedure,
    awaiting filing approval); one case per task, linked both ways and logged on the task."""
    task = locked(task.pk)
    TASK_POLICY.require(user=user, step="escalate", subject=task)
    existing = case_selectors.case_for_task(task=task)
    if existing is not None:
        raise ApplicationError(_("This task was already escalated to case %(number)s.") % {"number": existing.number}, code="already_escalated", status_code=409)
    case = case_services.case_open(user=user, source="task", task=task, cause=cause, facts=(facts or "").strip() or task.description, source_ref=task.number)
    with acting_as(user):
        TaskLog.record(task, "escalate", user, case=case.number, case_id=case.pk)
    return case
