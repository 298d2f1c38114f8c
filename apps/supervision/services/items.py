"""The steps of a supervision item: create (a person) or raise (a rule), sign, dispatch, handle, review, close, archive;
and the warning sweep. Each step asks the policy (403 for the wrong person, 409 for the wrong moment), changes the item,
logs it and completes the open Viewflow step under its lock."""
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.supervision import events
from apps.supervision.flows import SupervisionFlow
from apps.supervision.models import Alert, Source, Status, SupervisionItem, SupervisionLog
from apps.supervision.policy import SUPERVISION
from apps.supervision.selectors import items_to_warn
from apps.supervision.services._common import complete_step, deadline_and_warning, locked, next_number, required_text

MAX_DEADLINE_DAYS = 60


def _check_days(days) -> int:
    if not isinstance(days, int) or not 1 <= days <= MAX_DEADLINE_DAYS:
        raise ApplicationError(_("The deadline must be 1 to %(max)d working days.") % {"max": MAX_DEADLINE_DAYS}, code="invalid_deadline",
                               details={"deadline_days": [_("1 to %(max)d.") % {"max": MAX_DEADLINE_DAYS}]})
    return days


def _new_item(*, user, now, days, **fields) -> SupervisionItem:
    deadline, warn_at = deadline_and_warning(now, days)
    item = SupervisionItem(number=next_number(now), created_at=now, deadline_days=days, deadline=deadline, warn_at=warn_at,
                           created_by=user if getattr(user, "pk", None) else None, **fields)
    item.save()
    return item


@transaction.atomic
def item_create(*, user, title: str, body: str = "", organization, deadline_days: int = 5, task=None, case=None, place=None) -> SupervisionItem:
    """A leader or supervisor raises an item by hand; it goes straight to dispatch (no signing). The item lies in the
    region of the linked task, case or place, else in the responsible unit's."""
    title = required_text(title, "title", _("An item needs a title."))
    region_code = next((s.region_code for s in (task, case) if s is not None and s.region_code), "") or (
        place.region.code if place is not None else organization.region.code)
    SUPERVISION.require(user=user, step="create", subject=SupervisionItem(region_code=region_code, organization=organization))
    now = timezone.now()
    with acting_as(user):
        item = _new_item(user=user, now=now, days=_check_days(deadline_days), title=title, body=(body or "").strip(), source=Source.MANUAL,
                         organization=organization, region_code=region_code, status=Status.SIGNED, task=task, case=case, place=place,
                         related_task_ids=[task.pk] if task is not None else [])
        SupervisionLog.record(item, "create", user, organization=organization.name, deadline=item.deadline.isoformat())
        item.process = SupervisionFlow.start.run(item=item)
    events.item_new(item)
    return item


def item_raise(*, rule, title: str, body: str, cause_key: str, measured: dict, organization, region_code: str, now=None,
               related_task_ids=(), **links) -> SupervisionItem | None:
    """A rule raises an item (awaiting signature); ``None`` when its cause has raised one already, now or before."""
    now = now or timezone.now()
    try:
        with transaction.atomic(), acting_as(None):
            item = _new_item(user=None, now=now, days=rule.deadline_days, title=title[:200], body=body, source=Source.RULE, rule=rule,
                             cause_key=cause_key, measured=measured, organization=organization, region_code=region_code,
                             status=Status.RAISED, related_task_ids=sorted(set(related_task_ids)), **links)
            SupervisionLog.record(item, "raise", None, reason=body, rule=rule.name, cause=cause_key)
            item.process = SupervisionFlow.start.run(item=item)
            events.item_new(item)
    except IntegrityError:  # another scan raised the same cause at the same moment: the unique key keeps one
        return None
    return item


@transaction.atomic
def item_sign(*, user, item: SupervisionItem) -> SupervisionItem:
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="sign", subject=item)
    with acting_as(user):
        def mutate():
            item.status, item.signed_at = Status.SIGNED, timezone.now()
            item.save()
            SupervisionLog.record(item, "sign", user)

        complete_step(item, SupervisionFlow.sign, user, mutate)
    return item


@transaction.atomic
def item_dispatch(*, user, item: SupervisionItem, organization=None, note: str = "") -> SupervisionItem:
    """Send the item to its responsible unit, or to another unit of the dispatcher's jurisdiction (resolved by the caller)."""
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="dispatch", subject=item)
    with acting_as(user):
        def mutate():
            if organization is not None and organization.pk != item.organization_id:
                item.organization = organization
            item.status, item.dispatched_at = Status.DISPATCHED, timezone.now()
            item.save()
            SupervisionLog.record(item, "dispatch", user, reason=(note or "").strip(), organization=item.organization.name)

        complete_step(item, SupervisionFlow.dispatch, user, mutate)
    events.item_dispatched(item)
    return item


@transaction.atomic
def item_handle(*, user, item: SupervisionItem, result: str) -> SupervisionItem:
    """The responsible unit reports what it did."""
    result = required_text(result, "result", _("Say what was done."))
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="handle", subject=item)
    with acting_as(user):
        def mutate():
            item.status, item.handled_at, item.result = Status.HANDLED, timezone.now(), result
            item.save()
            SupervisionLog.record(item, "handle", user, reason=result)

        complete_step(item, SupervisionFlow.handle, user, mutate)
    return item


@transaction.atomic
def item_review(*, user, item: SupervisionItem, approved: bool, reason: str = "") -> SupervisionItem:
    """The supervisor passes the handling, or returns it to the unit with a reason."""
    if not approved:
        reason = required_text(reason, "reason", _("A return needs a reason."))
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="approve" if approved else "return", subject=item)
    with acting_as(user):
        def mutate():
            item.reviewed_at = timezone.now()
            if approved:
                item.status = Status.APPROVED
            else:
                item.status, item.returns = Status.DISPATCHED, item.returns + 1
            item.save()
            SupervisionLog.record(item, "approve" if approved else "return", user, reason=(reason or "").strip())

        complete_step(item, SupervisionFlow.review, user, mutate)
    if not approved:
        events.item_returned(item, reason)
    return item


@transaction.atomic
def item_close(*, user, item: SupervisionItem, feedback: str) -> SupervisionItem:
    """Close with the feedback (办结反馈) said to whoever raised it."""
    feedback = required_text(feedback, "feedback", _("Closing needs the feedback."))
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="close", subject=item)
    with acting_as(user):
        def mutate():
            item.status, item.closed_at, item.feedback = Status.CLOSED, timezone.now(), feedback
            item.save()
            SupervisionLog.record(item, "close", user, reason=feedback)

        complete_step(item, SupervisionFlow.close, user, mutate)
    return item


@transaction.atomic
def item_archive(*, user, item: SupervisionItem) -> SupervisionItem:
    item = locked(item.pk)
    SUPERVISION.require(user=user, step="archive", subject=item)
    with acting_as(user):
        def mutate():
            item.status, item.archived_at = Status.ARCHIVED, timezone.now()
            item.save()
            SupervisionLog.record(item, "archive", user)

        complete_step(item, SupervisionFlow.archive, user, mutate)
    return item


def items_warn(*, now=None) -> dict:
    """Tell the unit and the supervisors once when an item turns yellow and once when it turns red."""
    now = now or timezone.now()
    counts = {Alert.YELLOW.value: 0, Alert.RED.value: 0}
    for item in items_to_warn(now=now):
        level = item.alert_at(now)
        if not level or level in (item.alerts_sent or []):
            continue
        with transaction.atomic():
            fresh = locked(item.pk)
            if level in (fresh.alerts_sent or []):
                continue
            # The warnings sent are bookkeeping (excluded from history); the update keeps them off the item's record.
            SupervisionItem.objects.filter(pk=fresh.pk).update(alerts_sent=[*(fresh.alerts_sent or []), level])
            SupervisionLog.record(fresh, f"alert_{level}", None)
            events.item_alert(fresh, level)
            counts[level] += 1
    return counts
