"""The reporter's evaluation of a closed task (综合评价) and the redo (重办) a dissatisfied one starts.

Four channels, one service (``rate_task``): the tracking page (PORTAL), the link sent by SMS on close (SMS),
the 12345 call-back (HOTLINE) and a dispatcher recording the reporter's answer (STAFF, on the verify step).
One rating per task. ``Task.satisfied`` follows the rating (satisfied or basically satisfied → True,
dissatisfied → False) and stays None while nobody rated: an unrated task is never counted as satisfied.
"""
import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import users_covering
from apps.accounts.models import Role
from apps.dispatch import events
from apps.dispatch.flows import TaskFlow
from apps.dispatch.models import Status, Task, TaskLog, TaskRating
from apps.dispatch.services._common import deadline_for, from_hotline_partner, locked
from apps.dispatch.services.intake import _next_number, _tracking_code
from apps.gbcp import aftercommit, publicurl
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.realtime import sms
from apps.realtime.events import publish

RATING_LINK_SALT = "apps.dispatch.rating-link"
SMS_TEMPLATE = "rate_task"


def reopen_within() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "DISPATCH_REOPEN_WITHIN_DAYS", 7))


def rating_window() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "DISPATCH_RATING_WITHIN_DAYS", 30))


def rating_status(task: Task) -> str:
    """``rated``, ``awaiting`` (closed, may still be rated), ``unrated`` (the window passed, or merged) or ``not_closed``."""
    try:
        task.rating
    except TaskRating.DoesNotExist:
        pass
    else:
        return "rated"
    if task.status != Status.CLOSED:
        return "unrated" if task.status == Status.MERGED else "not_closed"
    if task.closed_at is not None and timezone.now() - task.closed_at > rating_window():
        return "unrated"
    return "awaiting"


def _check_rateable(task: Task, now) -> None:
    if task.master_id is not None:
        raise ApplicationError(_("This report was merged into another task; only that task is rated."), code="merged", status_code=409)
    if task.status != Status.CLOSED:
        raise ApplicationError(_("Only a closed task can be rated."), code="not_closed", status_code=409)
    if TaskRating.objects.filter(task_id=task.pk).exists():
        raise _already_rated()
    if task.closed_at is not None and now - task.closed_at > rating_window():
        raise ApplicationError(_("The time to rate this task has passed."), code="rating_closed", status_code=409)


def _already_rated():
    return ApplicationError(_("This task has already been rated; a rating cannot be changed."), code="already_rated", status_code=409)


@transaction.atomic
def rate_task(*, task: Task, level: str, comment: str = "", channel: str, user=None) -> TaskRating:
    """Record the reporter's rating of a closed task; a dissatisfied one within ``DISPATCH_REOPEN_WITHIN_DAYS``
    of closing reopens the work as a new task (``Task.reopened_from``). 409 for an open, merged or rated task."""
    if level not in TaskRating.Level.values:
        raise ApplicationError(_("Choose satisfied, basically satisfied or dissatisfied."), code="invalid_level",
                               details={"level": [_("Choose a valid option.")]})
    if channel not in TaskRating.Channel.values:
        raise ApplicationError(_("Unknown rating channel."), code="invalid_channel")
    comment = (comment or "").strip()[:2000]
    task = locked(task.pk)
    now = timezone.now()
    _check_rateable(task, now)
    actor = user if getattr(user, "pk", None) else None
    with acting_as(actor):
        try:
            with transaction.atomic():
                rating = TaskRating.objects.create(task=task, level=level, comment=comment, channel=channel, rated_by=actor, rated_at=now)
        except IntegrityError:  # the row lock makes this rare; the one-to-one is the last word
            raise _already_rated()
        task.satisfied = level != TaskRating.Level.DISSATISFIED
        task.save(update_fields=["satisfied", "updated_at"])
        TaskLog.record(task, "rate", actor, reason=comment, level=level, channel=channel)
        if level == TaskRating.Level.DISSATISFIED and task.closed_at is not None and now - task.closed_at <= reopen_within():
            _reopen(task=task, rating=rating, user=actor)
    return rating


def _reopen(*, task: Task, rating: TaskRating, user) -> Task:
    """重办: a new task at the same place, of the same category and organisation, through the normal workflow."""
    now = rating.rated_at
    intro = _("Redo of task %(number)s, rated dissatisfied by the reporter.") % {"number": task.number}
    parts = [intro]
    if rating.comment:
        parts.append(_("Reporter's comment: %(comment)s") % {"comment": rating.comment})
    parts.append(_("Original report: %(description)s") % {"description": task.description})
    redo = Task.objects.create(
        number=_next_number(now), tracking_code=_tracking_code(), source=task.source, partner=None, external_ref="",
        category=task.category, category_confidence=task.category_confidence, category_method=task.category_method,
        description="\n".join(parts), point=task.point, address=task.address, region=task.region, region_code=task.region_code,
        grid=task.grid, place=task.place, organization=task.organization,
        route_reason=_("Redo (重办) of %(number)s: same organisation") % {"number": task.number},
        reporter_name=task.reporter_name, reporter_phone=task.reporter_phone, reporter_user=task.reporter_user,
        priority=max(task.priority, Task.Priority.HIGH), received_at=now,
        deadline=deadline_for(task.category, now, None), reopened_from=task,
    )
    TaskLog.record(redo, "intake", user, source=redo.source, reopened_from=task.number, channel=rating.channel)
    TaskLog.record(task, "reopen", user, reason=rating.comment, reopened_as=redo.number, reopened_as_id=redo.pk)
    redo.process = TaskFlow.start.run(task=redo)
    events.task_new(redo)
    _announce_reopening(task, redo)
    return redo


def _announce_reopening(task: Task, redo: Task) -> None:
    """The dispatchers whose jurisdiction holds the place hear of the redo (after commit)."""
    code = redo.region_code or ""
    publish(event="task.reopened", payload={"id": redo.pk, "number": redo.number, "reopened_from": task.number, "status": redo.status},
            users=users_covering(code, roles=[Role.DISPATCHER]) if code else [], region_code=code or None,
            title=_("Task %(number)s reopened as %(redo)s (dissatisfied reporter)") % {"number": task.number, "redo": redo.number},
            body=redo.description[:80], level="warning", link=f"/dispatch/tasks/{redo.pk}/")


# --- the rating link sent by SMS ----------------------------------------------------------------

def rating_link_max_age() -> int:
    return int(dt.timedelta(days=getattr(settings, "DISPATCH_RATING_LINK_DAYS", 14)).total_seconds())


def rating_token(task: Task) -> str:
    """A signed token naming the task (and its tracking code, so a token never fits another row); expires."""
    return signing.dumps({"t": task.pk, "c": task.tracking_code}, salt=RATING_LINK_SALT, compress=True)


class RatingLinkError(ApplicationError):
    pass


def task_for_rating_token(token: str) -> Task:
    """The task a rating link names. ``RatingLinkError`` with code ``link_expired`` or ``link_invalid``."""
    try:
        data = signing.loads(token or "", salt=RATING_LINK_SALT, max_age=rating_link_max_age())
    except signing.SignatureExpired:
        raise RatingLinkError(_("This rating link has expired."), code="link_expired", status_code=410)
    except signing.BadSignature:
        raise RatingLinkError(_("This rating link is not valid."), code="link_invalid", status_code=404)
    task = Task.objects.select_related("category").filter(pk=data.get("t"), tracking_code=data.get("c")).first() if isinstance(data, dict) else None
    if task is None:
        raise RatingLinkError(_("This rating link is not valid."), code="link_invalid", status_code=404)
    return task


def rating_url(task: Task) -> str:
    return publicurl.absolute(reverse("portal-rate", kwargs={"token": rating_token(task)}), "PORTAL_PUBLIC_BASE_URL")


def wants_rating_link(task: Task) -> bool:
    """Who gets the SMS on close: the reporter of a closed, unrated task with a phone number.

    A 12345 ticket is left to its centre, which makes its own call-back (回访) and sends us the answer.
    """
    return (task.status == Status.CLOSED and task.master_id is None and bool(task.reporter_phone)
            and not from_hotline_partner(task) and not TaskRating.objects.filter(task_id=task.pk).exists())


def rating_link_enqueue(task: Task) -> None:
    """After commit, a Celery job sends the link (``apps.dispatch.tasks.send_rating_link``)."""
    if wants_rating_link(task):
        aftercommit.enqueue("apps.dispatch.tasks.send_rating_link", task.pk, event="dispatch:rating-link")


def rating_link_send(*, task_id) -> str:
    """Send the rating link to the reporter, once per task; ``sent`` or why not."""
    with transaction.atomic():
        task = Task.objects.select_for_update(of=("self",)).filter(pk=task_id).first()
        if task is None or not wants_rating_link(task):
            return "skipped"
        if TaskLog.objects.filter(task=task, action="rating_link").exists():
            return "already_sent"
        expires = timezone.localtime(timezone.now() + dt.timedelta(seconds=rating_link_max_age()))
        result = sms.send_sms(task.reporter_phone, sms.template_id(SMS_TEMPLATE),
                              {"number": task.number, "url": rating_url(task), "expires": f"{expires:%Y-%m-%d}"})
        # The log names the template and the provider, never the number or the token.
        TaskLog.record(task, "rating_link", None, template=SMS_TEMPLATE, provider=result.provider, message_id=result.message_id)
    return "sent"
