"""Every write of the task centre: intake from every channel, dedup, routing, the workflow steps,
whistles, deferrals (挂账/销账), the deadline sweep and replies to partners."""
import datetime as dt
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import covers_code, serves_in, staff_organizations
from apps.accounts.models import Role
from apps.dispatch import dedup, events, outbox, routing
from apps.dispatch.models import (
    OPEN_STATUSES,
    Deferral,
    HotlineTicket,
    DuplicateCandidate,
    IntakeKey,
    NumberSequence,
    OutboxMessage,
    Partner,
    Source,
    Status,
    Task,
    TaskLog,
    TaskPhoto,
    Whistle,
    WhistleSummons,
)
from apps.gbcp import aftercommit, idempotency
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate
from apps.gbcp.models import Category, Organization

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class IntakeResult:
    """``task`` is the task that carries the problem: the new one, or the master it merged into."""

    task: Task
    report: Task
    merged: bool = False
    created: bool = True
    suggestions: list = field(default_factory=list)


# --- helpers --------------------------------------------------------------------------

def _next_number(now) -> str:
    """T + date + a per-day sequence, taken in one statement (UPDATE … RETURNING) under the row lock."""
    from django.db import connection

    key = f"T{timezone.localtime(now):%Y%m%d}"
    table = NumberSequence._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE key = %s RETURNING last", [key])
        row = cursor.fetchone()
        if row is None:
            NumberSequence.objects.get_or_create(key=key)
            cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE key = %s RETURNING last", [key])
            row = cursor.fetchone()
    return f"{key}{row[0]:06d}"


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def _log(task, action, user=None, reason="", **data):
    return TaskLog.objects.create(task=task, action=action, actor=user if getattr(user, "pk", None) else None, reason=reason, data=data)


def _category_from_hint(hint: str):
    hint = (hint or "").strip()
    if not hint:
        return None
    leaves = Category.objects.exclude(deadline_unit="").filter(is_active=True)
    return leaves.filter(code=hint).first() or leaves.filter(name=hint).first() or leaves.filter(name__contains=hint).first()


def _classify(text: str):
    """(category, confidence, method); below the threshold a person chooses."""
    try:
        from apps.dispatch import classifier
    except ImportError:  # pragma: no cover - classifier not installed
        return None, None, ""
    prediction = classifier.classify(text)
    threshold = getattr(settings, "CLASSIFIER_CONFIDENCE_THRESHOLD", 0.5)
    if prediction.code is None or prediction.confidence < threshold:
        return None, prediction.confidence, prediction.method
    category = Category.objects.filter(code=prediction.code, is_active=True).first()
    return category, prediction.confidence, prediction.method


def _deadline(category, received_at, external_deadline):
    own = category.deadline_from(received_at) if category is not None else None
    if own and external_deadline:
        return min(own, external_deadline)
    return own or external_deadline


# --- intake ---------------------------------------------------------------------------

def task_intake(*, user, source, description, point, address="", category=None, category_hint="", reporter_name="",
                reporter_phone="", external_ref="", partner: Partner | None = None, received_at=None, priority=None,
                external_deadline=None, place=None) -> IntakeResult:
    """Take in a report from any channel: idempotent by (source, partner, external reference),
    then classify, locate and route, dedup against open tasks, and start the workflow."""
    if source not in Source.values:
        raise ApplicationError(_("Unknown source: %(source)s") % {"source": source}, code="unknown_source")
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("Describe the problem."), code="empty_description", details={"description": [_("This field is required.")]})
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=10):
        raise ApplicationError(_("The report time lies in the future."), code="future_time")
    with transaction.atomic(), acting_as(user):
        if external_ref:
            existing = Task.objects.filter(source=source, partner=partner, external_ref=external_ref).select_related("master").first()
            if existing is not None:
                return IntakeResult(task=existing.master or existing, report=existing, merged=existing.master_id is not None, created=False)
        location = None
        if point is not None:
            location = locate(point)
            if not location.found:
                raise ApplicationError(_("The point lies outside the city."), code="outside_city")
        method = "given" if category is not None else ""
        confidence = None
        if category is None:
            category = _category_from_hint(category_hint)
            method = "hint" if category is not None else ""
        if category is None:
            category, confidence, method = _classify(description)
        chosen = routing.route(location, category)
        # Dedup before the row exists: a merged report is stored merged, in one insert.
        rule, scored = dedup.find_duplicates(
            point=point, text=description, received_at=received_at, category=category, reporter_phone=reporter_phone
        )
        best = scored[0] if scored else None
        master = None
        if best is not None and best.score >= rule.merge_threshold:
            master = Task.objects.select_related("category", "organization").get(pk=best.candidate.pk)
        task = Task.objects.create(
            number=_next_number(received_at), tracking_code=_tracking_code(), source=source, external_ref=external_ref or "",
            partner=partner, category=category, category_confidence=confidence, category_method=method or "",
            description=description, point=point, address=address,
            region=location.region if location else None, region_code=location.region.code if location else "",
            grid=location.grid if location else None, place=place,
            organization=master.organization if master else chosen.organization, route_reason=chosen.reason,
            reporter_name=reporter_name, reporter_phone=reporter_phone,
            reporter_user=user if (user is not None and getattr(user, "pk", None) and source == Source.CITIZEN) else None,
            priority=priority or Task.Priority.NORMAL, received_at=received_at,
            deadline=master.deadline if master else _deadline(category, received_at, external_deadline), external_deadline=external_deadline,
            master=master, status=Status.MERGED if master else Status.NEW,
        )
        _log(task, "intake", user, source=source, route=chosen.reason)
        if master is not None:
            DuplicateCandidate.objects.create(task=task, candidate=master, score=best.score, parts=best.parts, decision=DuplicateCandidate.Decision.MERGED)
            _after_merge(task=task, master=master, user=user, score=best.score)
            master.refresh_from_db(fields=["duplicate_count"])
            return IntakeResult(task=master, report=task, merged=True, suggestions=[])
        DuplicateCandidate.objects.bulk_create(
            [DuplicateCandidate(task=task, candidate=s.candidate, score=s.score, parts=s.parts, decision=DuplicateCandidate.Decision.SUGGESTED) for s in scored]
        )
        from apps.dispatch.flows import TaskFlow

        task.process = TaskFlow.start.run(task=task)
        if partner is not None and source == Source.HOTLINE:
            outbox_enqueue(task=task, kind=OutboxMessage.Kind.ACK)
        events.task_new(task)
    return IntakeResult(task=task, report=task, merged=False, suggestions=scored)


def _merge(*, task, master, user, score=None):
    """Merge an existing report into an open master (the dispatcher's decision)."""
    task.master = master
    task.status = Status.MERGED
    task.organization = master.organization
    task.deadline = master.deadline
    task.save(update_fields=["master", "status", "organization", "deadline", "updated_at"])
    _after_merge(task=task, master=master, user=user, score=score)


def _after_merge(*, task, master, user, score=None):
    Task.objects.filter(pk=master.pk).update(duplicate_count=F("duplicate_count") + 1)
    _log(task, "merged", user, master=master.number, score=score)
    _log(master, "duplicate_added", user, report=task.number, score=score)
    if task.partner_id and task.source == Source.HOTLINE:
        outbox_enqueue(task=task, kind=OutboxMessage.Kind.ACK)
    events.task_merged(task, master)


@transaction.atomic
def duplicate_decide(*, user, candidate: DuplicateCandidate, merge: bool) -> Task:
    """The dispatcher merges a suggested duplicate into its master, or keeps it apart."""
    task = Task.objects.select_for_update().get(pk=candidate.task_id)
    _require_dispatcher(user, task)
    if candidate.decision != DuplicateCandidate.Decision.SUGGESTED:
        raise ApplicationError(_("This suggestion was already decided."), code="already_decided", status_code=409)
    with acting_as(user):
        candidate.decided_by = user
        if not merge:
            candidate.decision = DuplicateCandidate.Decision.KEPT
            candidate.save(update_fields=["decision", "decided_by"])
            return task
        if task.status not in (Status.NEW,) or not candidate.candidate.is_open:
            raise ApplicationError(_("Only a task not yet dispatched can be merged into an open task."), code="illegal_step", status_code=409)
        candidate.decision = DuplicateCandidate.Decision.MERGED
        candidate.save(update_fields=["decision", "decided_by"])
        _cancel_process(task)
        _merge(task=task, master=candidate.candidate, user=user, score=candidate.score)
    return task


def _cancel_process(task):
    from viewflow.workflow.models import Task as FlowTask
    from viewflow.workflow.status import PROCESS, STATUS

    if task.process_id is None:
        return
    now = timezone.now()
    FlowTask.objects.filter(process_id=task.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]).update(status=STATUS.CANCELED, finished=now)
    type(task.process).objects.filter(pk=task.process_id).update(status=PROCESS.CANCELED, finished=now)


# --- permissions ----------------------------------------------------------------------

def _require_dispatcher(user, task):
    if not (user.is_superuser or (user.has_role(Role.DISPATCHER) and covers_code(user, task.region_code or settings.CITY_REGION_CODE[:4]))):
        raise ApplicationError(_("Only a dispatcher whose jurisdiction holds this task may do this."), code="forbidden", status_code=403)


def _require_member(user, task, roles):
    if user.is_superuser:
        return
    org_id = task.organization_id
    if not serves_in(user, org_id, roles):
        raise ApplicationError(_("Only the handling organisation's %(roles)s may do this.") % {"roles": "/".join(str(Role(r).label) for r in roles)}, code="forbidden", status_code=403)


# --- the workflow steps ---------------------------------------------------------------

def _complete_step(task: Task, node, user, mutate):
    """Complete the open Viewflow step ``node`` of the task's process as ``user``.

    The step is claimed with a conditional update, so of two people acting at once
    exactly one wins; the other gets a clear 409.
    """
    from viewflow.workflow.models import Task as FlowTask
    from viewflow.workflow.status import STATUS

    if task.process_id is None:
        raise ApplicationError(_("This task has no workflow (it was merged or closed)."), code="illegal_step", status_code=409)
    open_step = FlowTask.objects.filter(process_id=task.process_id, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]).first()
    if open_step is None:
        raise ApplicationError(
            _("The step “%(step)s” is not open for this task (status: %(status)s).") % {"step": node.name, "status": task.get_status_display()},
            code="illegal_step", status_code=409,
        )
    claimed = FlowTask.objects.filter(pk=open_step.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]).update(
        status=STATUS.STARTED, owner=user, started=timezone.now()
    )
    if claimed != 1:
        raise ApplicationError(_("Someone else has just done this step."), code="step_taken", status_code=409)
    open_step.refresh_from_db()
    mutate()
    activation = node.activation_class(open_step)
    activation.execute()


def _locked(task_id) -> Task:
    return Task.objects.select_for_update(of=("self",)).select_related("organization", "category").get(pk=task_id)


@transaction.atomic
def task_dispatch(*, user, task: Task, organization: Organization | None = None, note="") -> Task:
    """Dispatcher sends the task to the routed organisation, or overrides the route."""
    from apps.dispatch.flows import TaskFlow

    task = _locked(task.pk)
    _require_dispatcher(user, task)
    if task.category_id is None:
        raise ApplicationError(_("Choose a category before dispatching."), code="category_required")
    with acting_as(user):
        def mutate():
            if organization is not None and organization.pk != task.organization_id:
                task.organization = organization
                task.route_reason = _("Route overridden by %(user)s: %(note)s") % {"user": user, "note": note}
            if task.organization_id is None:
                raise ApplicationError(_("No organisation to dispatch to."), code="no_route")
            task.status = Status.DISPATCHED
            task.dispatched_at = timezone.now()
            task.save()
            _log(task, "dispatch", user, reason=note, organization=task.organization.name)

        _complete_step(task, TaskFlow.dispatch, user, mutate)
    events.task_dispatched(task)
    return task


@transaction.atomic
def task_set_category(*, user, task: Task, category: Category) -> Task:
    """A person chooses the category (below the confidence threshold); route and deadline follow."""
    task = _locked(task.pk)
    _require_dispatcher(user, task)
    if task.status != Status.NEW:
        raise ApplicationError(_("The category can only change before dispatch."), code="illegal_step", status_code=409)
    if category.deadline_unit == "":
        raise ApplicationError(_("Choose a leaf category."), code="not_a_leaf")
    with acting_as(user):
        location = locate(task.point) if task.point is not None else None
        chosen = routing.route(location, category)
        task.category, task.category_method, task.category_confidence = category, "person", None
        task.organization, task.route_reason = chosen.organization, chosen.reason
        task.deadline = _deadline(category, task.received_at, task.external_deadline)
        task.save()
        _log(task, "categorised", user, category=category.code)
    return task


@transaction.atomic
def task_accept(*, user, task: Task) -> Task:
    from apps.dispatch.flows import TaskFlow

    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    with acting_as(user):
        def mutate():
            task.status = Status.ACCEPTED
            task.accepted_at = timezone.now()
            task.save()
            _log(task, "accept", user)

        _complete_step(task, TaskFlow.accept, user, mutate)
    return task


@transaction.atomic
def task_return(*, user, task: Task, reason: str) -> Task:
    """The squad sends the task back to the dispatcher; a reason is required."""
    from apps.dispatch.flows import TaskFlow

    if not (reason or "").strip():
        raise ApplicationError(_("A return needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    with acting_as(user):
        def mutate():
            task.status = Status.NEW
            task.dispatched_at = None
            task.save()
            _log(task, "return", user, reason=reason.strip())

        _complete_step(task, TaskFlow.accept, user, mutate)
    events.task_returned(task, reason)
    return task


@transaction.atomic
def task_arrive(*, user, task: Task, point=None) -> Task:
    """The officer is on site: the handling starts (does not finish the step)."""
    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    if task.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        raise ApplicationError(_("Only an accepted task can be started."), code="illegal_step", status_code=409)
    with acting_as(user):
        task.status = Status.IN_PROGRESS
        task.owner = user
        task.save()
        _log(task, "arrive", user, point=[point.x, point.y] if point is not None else None)
    return task


def task_feedback(*, user, task: Task, result: str, solved: bool = True, photos=()) -> Task:
    """The officer reports the result with photos; the task goes to verification.

    Photos are checked first and stored last, and removed again if the change does not commit.
    """
    from apps.dispatch.flows import TaskFlow

    if not (result or "").strip():
        raise ApplicationError(_("Describe the result."), code="result_required", details={"result": [_("This field is required.")]})
    photos = _checked_photos(photos)
    with transaction.atomic():
        task = _locked(task.pk)
        _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
        if task.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
            raise ApplicationError(_("Feedback is only possible while the task is being handled."), code="illegal_step", status_code=409)
        with acting_as(user):
            def mutate():
                task.status = Status.FEEDBACK
                task.result, task.solved = result.strip(), solved
                task.handled_at = timezone.now()
                task.owner = task.owner or user
                task.save()
                _log(task, "feedback", user, reason=result.strip(), solved=solved, photos=len(photos))

            _complete_step(task, TaskFlow.handle, user, mutate)
            _store_photos(user=user, task=task, photos=photos, stage=TaskPhoto.Stage.FEEDBACK)
        if task.partner_id and task.source == Source.HOTLINE:
            outbox_enqueue(task=task, kind=OutboxMessage.Kind.RESULT)
    return task


# --- photos ---------------------------------------------------------------------------

MAX_PHOTOS = 6


def _checked_photos(photos):
    from django.core.exceptions import ValidationError

    from apps.gbcp.photos import check_photo

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


def _store_photos(*, user, task, photos, stage):
    from apps.gbcp.files import save_field_file_atomic

    for upload in photos:
        photo = TaskPhoto(task=task, stage=stage, uploaded_by=user if getattr(user, "pk", None) else None)
        # Deleted again if this transaction, or a caller's around it, rolls back (apps.gbcp.files).
        save_field_file_atomic(photo.image, upload.name, upload)
        photo.save()


def task_intake_with_photos(*, photos=(), **intake) -> IntakeResult:
    """Intake plus the report's photos, in one transaction; on any failure no task and no file remain."""
    photos = _checked_photos(photos)
    # A rollback deletes the stored photos again (save_field_file_atomic).
    with transaction.atomic():
        result = task_intake(**intake)
        _store_photos(user=intake.get("user"), task=result.report, photos=photos, stage=TaskPhoto.Stage.REPORT)
    return result


# --- idempotent intake ----------------------------------------------------------------

@dataclass
class IntakeAnswer:
    """What the caller answers; on a retry with the same key, the first answer again (``replayed``)."""

    status_code: int
    body: dict | list
    task: Task
    replayed: bool = False


def _intake_key_live(scope, key):
    return IntakeKey.objects.filter(scope=scope, key=key, expires_at__gt=timezone.now(), task__isnull=False).select_related("task").first()


def _intake_replay(record, fingerprint) -> IntakeAnswer:
    if record.fingerprint != fingerprint:
        raise idempotency.reused_key_error()
    return IntakeAnswer(status_code=record.response_status, body=record.response_body, task=record.task, replayed=True)


def task_intake_idempotent(*, scope: str, key: str | None, fingerprint: str, intake, answer) -> IntakeAnswer:
    """Take in a report at most once per (caller scope, idempotency key).

    ``intake()`` does the intake and returns its IntakeResult; ``answer(result)`` gives the
    (status code, JSON body) the caller sends, stored with the key. The key's row is inserted
    before the intake, in the same transaction: a concurrent request with the same key waits on
    the unique index, then fails and answers what the first one stored. The same key with a
    different request (fingerprint) is a 422. Without a key this is plain intake.
    """
    if not key:
        result = intake()
        status_code, body = answer(result)
        return IntakeAnswer(status_code=status_code, body=body, task=result.report)
    existing = _intake_key_live(scope, key)
    if existing is not None:
        return _intake_replay(existing, fingerprint)
    now = timezone.now()
    try:
        with transaction.atomic():
            IntakeKey.objects.filter(scope=scope, key=key, expires_at__lte=now).delete()  # an expired key is free again
            record = IntakeKey.objects.create(
                scope=scope, key=key, fingerprint=fingerprint,
                expires_at=now + dt.timedelta(hours=settings.DISPATCH_INTAKE_KEY_TTL_HOURS),
            )
            result = intake()
            record.task = result.report
            record.response_status, record.response_body = answer(result)
            record.save(update_fields=["task", "response_status", "response_body"])
    except IntegrityError:
        existing = _intake_key_live(scope, key)
        if existing is None:
            raise
        return _intake_replay(existing, fingerprint)
    return IntakeAnswer(status_code=record.response_status, body=record.response_body, task=result.report)


def intake_keys_prune(*, now=None) -> int:
    """Forget idempotency keys past their lifetime (beat job)."""
    deleted, _per_model = IntakeKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


@transaction.atomic
def task_verify(*, user, task: Task, approved: bool, reason: str = "", satisfied: bool | None = None) -> Task:
    """Dispatcher checks the result (or records the citizen's callback): close, or send back with a reason."""
    from apps.dispatch.flows import TaskFlow

    task = _locked(task.pk)
    _require_dispatcher(user, task)
    if not approved and not (reason or "").strip():
        raise ApplicationError(_("Sending a task back needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    with acting_as(user):
        def mutate():
            if approved:
                task.status = Status.CLOSED
                task.closed_at = timezone.now()
                task.satisfied = satisfied
                task.alert = Task.Alert.NONE
            else:
                task.status = Status.IN_PROGRESS
            task.save()
            _log(task, "close" if approved else "reject", user, reason=(reason or "").strip(), satisfied=satisfied)

        _complete_step(task, TaskFlow.verify, user, mutate)
        if approved:
            # Reports merged into this task are closed with it.
            Task.objects.filter(master=task, status=Status.MERGED).update(closed_at=task.closed_at, result=task.result, solved=task.solved)
    if approved and task.partner_id and task.source == Source.HOTLINE:
        outbox_enqueue(task=task, kind=OutboxMessage.Kind.CALLBACK)
    events.task_closed(task) if approved else None
    return task


@transaction.atomic
def task_refer(*, user, task: Task, organization: Organization, reason: str) -> Task:
    """Not ours: the squad refers the task to another department; it goes back to the dispatcher with that route."""
    from apps.dispatch.flows import TaskFlow

    if not (reason or "").strip():
        raise ApplicationError(_("A referral needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    if task.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        raise ApplicationError(_("Only a task being handled can be referred."), code="illegal_step", status_code=409)
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
            _log(task, "refer", user, reason=reason.strip(), organization=organization.name, previous=previous)

        _complete_step(task, TaskFlow.handle, user, mutate)
    events.task_returned(task, reason)
    return task


# --- escalation to a case -------------------------------------------------------------

@transaction.atomic
def task_escalate(*, user, task: Task, cause=None, facts: str = ""):
    """A violation found while handling the task becomes an enforcement case (general procedure,
    awaiting filing approval); one case per task, linked both ways and logged on the task."""
    from apps.cases import selectors as case_selectors
    from apps.cases import services as case_services

    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    if task.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        raise ApplicationError(_("Only a task being handled can be escalated to a case."), code="illegal_step", status_code=409)
    existing = case_selectors.case_for_task(task=task)
    if existing is not None:
        raise ApplicationError(_("This task was already escalated to case %(number)s.") % {"number": existing.number}, code="already_escalated", status_code=409)
    case = case_services.case_open(user=user, source="task", task=task, cause=cause, facts=(facts or "").strip() or task.description, source_ref=task.number)
    with acting_as(user):
        _log(task, "escalate", user, case=case.number, case_id=case.pk)
    return case


# --- 挂账 / 销账 ----------------------------------------------------------------------

@transaction.atomic
def task_defer(*, user, task: Task, plan: str, target_date) -> Deferral:
    task = _locked(task.pk)
    _require_member(user, task, [Role.SQUAD_LEADER, Role.OFFICER])
    if task.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        raise ApplicationError(_("Only a task being handled can be put on the ledger."), code="illegal_step", status_code=409)
    if not (plan or "").strip():
        raise ApplicationError(_("Putting a task on the ledger needs a plan."), code="plan_required")
    if target_date <= timezone.localdate():
        raise ApplicationError(_("The target date must lie in the future."), code="target_date_past")
    with acting_as(user):
        deferral = Deferral.objects.create(task=task, plan=plan.strip(), target_date=target_date, requested_by=user)
        task.status = Status.DEFERRED
        task.save()
        _log(task, "defer", user, reason=plan.strip(), target_date=str(target_date))
    return deferral


@transaction.atomic
def deferral_approve(*, user, deferral: Deferral) -> Deferral:
    deferral = Deferral.objects.select_for_update().select_related("task").get(pk=deferral.pk)
    _require_member(user, deferral.task, [Role.SQUAD_LEADER]) if not user.has_role(Role.LEADER) else None
    if deferral.approved_by_id:
        raise ApplicationError(_("Already approved."), code="already_decided", status_code=409)
    with acting_as(user):
        deferral.approved_by = user
        deferral.save()
        _log(deferral.task, "defer_approved", user)
    return deferral


@transaction.atomic
def deferral_write_off(*, user, deferral: Deferral, result: str) -> Task:
    """销账: the deferred problem is solved; the task goes on to verification."""
    deferral = Deferral.objects.select_for_update().get(pk=deferral.pk)
    if deferral.written_off_at is not None:
        raise ApplicationError(_("Already written off."), code="already_decided", status_code=409)
    task = _locked(deferral.task_id)
    if task.status != Status.DEFERRED:
        raise ApplicationError(_("The task is not on the ledger."), code="illegal_step", status_code=409)
    with acting_as(user):
        deferral.written_off_at, deferral.written_off_by = timezone.now(), user
        deferral.save()
        task.status = Status.IN_PROGRESS
        task.save()
        _log(task, "write_off", user, reason=result)
    return task_feedback(user=user, task=task, result=result, solved=True)


# --- 吹哨报到 ---------------------------------------------------------------------------

@transaction.atomic
def whistle_blow(*, user, task: Task, departments, reason: str, minutes: int | None = None) -> Whistle:
    """A street office summons departments; each must report in within the set time."""
    task = _locked(task.pk)
    office = next((o for o in staff_organizations(user) if o.kind == Organization.Kind.STREET_OFFICE), None)
    if office is None or not (task.region_code or "").startswith(office.region.code):
        raise ApplicationError(_("Only the street office of the task's street can blow the whistle."), code="forbidden", status_code=403)
    if not task.is_open:
        raise ApplicationError(_("The task is not open."), code="illegal_step", status_code=409)
    departments = list(departments)
    if not departments or not (reason or "").strip():
        raise ApplicationError(_("Name the departments and the reason."), code="invalid")
    minutes = minutes or settings.DISPATCH_WHISTLE_MINUTES
    with acting_as(user):
        whistle = Whistle.objects.create(task=task, blown_by=user, street_office=office, reason=reason.strip())
        due = whistle.blown_at + dt.timedelta(minutes=minutes)
        for department in departments:
            WhistleSummons.objects.create(whistle=whistle, department=department, due_at=due)
        _log(task, "whistle", user, reason=reason.strip(), departments=[d.name for d in departments], minutes=minutes)
    events.whistle_blown(whistle, departments)
    return whistle


@transaction.atomic
def summons_report_in(*, user, summons: WhistleSummons, at=None) -> WhistleSummons:
    summons = WhistleSummons.objects.select_for_update().select_related("whistle__task").get(pk=summons.pk)
    if not user.is_superuser and not serves_in(user, summons.department_id):
        raise ApplicationError(_("Only the summoned department can report in."), code="forbidden", status_code=403)
    if summons.reported_at is not None:
        raise ApplicationError(_("Already reported in."), code="already_reported", status_code=409)
    at = at or timezone.now()
    with acting_as(user):
        summons.reported_at, summons.reported_by = at, user
        late = (at - summons.due_at).total_seconds()
        summons.late_minutes = int(late // 60) + (1 if late % 60 else 0) if late > 0 else 0
        summons.save()
        _log(summons.whistle.task, "report_in", user, department=summons.department.name, late_minutes=summons.late_minutes)
    return summons


# --- deadlines ------------------------------------------------------------------------

def deadlines_sweep(*, user=None, now=None) -> dict:
    """Mark yellow (80% of the time used) and red (overdue); notify owner and dispatchers on change."""
    now = now or timezone.now()
    counts = {"yellow": 0, "red": 0}
    open_tasks = Task.objects.filter(status__in=OPEN_STATUSES, deadline__isnull=False).exclude(alert=Task.Alert.RED)
    for task in open_tasks.only("id", "received_at", "deadline", "alert", "region_code", "owner_id", "organization_id", "number").iterator():
        total = (task.deadline - task.received_at).total_seconds()
        used = (now - task.received_at).total_seconds()
        if now >= task.deadline:
            level = Task.Alert.RED
        elif total > 0 and used / total >= settings.DISPATCH_YELLOW_FRACTION:
            level = Task.Alert.YELLOW
        else:
            continue
        if level == task.alert:
            continue
        with transaction.atomic(), acting_as(user):
            changed = Task.objects.filter(pk=task.pk).exclude(alert=level).update(alert=level)
            if changed:
                fresh = Task.objects.select_related("owner").get(pk=task.pk)
                _log(fresh, f"alert_{level}", user)
                events.task_alert(fresh, level)
                counts[level] += 1
    return counts


def hotline_ticket_receive(*, user=None, partner, data: dict, payload: dict) -> tuple[HotlineTicket, bool]:
    """Take in a validated 12345 ticket: one task per (partner, ticket number), the ticket stored with it."""
    try:
        with transaction.atomic():
            result = task_intake(
                user=user, source=Source.HOTLINE, partner=partner, external_ref=data["ticket_number"],
                reporter_name=data["citizen_name"], reporter_phone=data["citizen_phone"], description=data["content"],
                address=data["address"].strip(), point=data["point"], category_hint=data["category_hint"],
                received_at=data["received_at"], external_deadline=data.get("deadline"), priority=data.get("priority"),
            )
            ticket, created = HotlineTicket.objects.get_or_create(
                partner=partner, ticket_number=data["ticket_number"], defaults={"payload": payload, "task": result.report}
            )
            return ticket, created and result.created
    except IntegrityError:
        # The same ticket pushed twice at once: the other request stored it; answer as a repeat.
        ticket = HotlineTicket.objects.filter(partner=partner, ticket_number=data["ticket_number"]).first()
        if ticket is None:
            raise
        return ticket, False


# --- replies to partners --------------------------------------------------------------

def outbox_enqueue(*, task: Task, kind: str) -> OutboxMessage | None:
    """Queue one reply of each kind per task; delivered after commit by Celery."""
    partner = task.partner
    if partner is None:
        return None
    # The report's own ticket: stored, or (during intake, before it is stored) its external reference.
    ticket = task.hotline_tickets.first()
    if ticket is not None:
        number = ticket.ticket_number
    elif task.source == Source.HOTLINE and task.external_ref:
        number = task.external_ref
    else:
        master_ticket = task.master.hotline_tickets.first() if task.master_id else None
        number = master_ticket.ticket_number if master_ticket else task.external_ref
    payload = {
        "ticket_number": number,
        "task_number": task.number,
        "kind": kind,
        "status": task.status,
    }
    if kind == OutboxMessage.Kind.ACK:
        payload.update(accepted_at=timezone.now().isoformat(), merged_into=task.master.number if task.master_id else None,
                       organization=task.organization.name if task.organization_id else None,
                       deadline=task.deadline.isoformat() if task.deadline else None)
    elif kind == OutboxMessage.Kind.RESULT:
        payload.update(result=task.result, solved=task.solved, handled_at=task.handled_at.isoformat() if task.handled_at else None)
    elif kind == OutboxMessage.Kind.CALLBACK:
        payload.update(contacted=True, solved=task.solved, satisfied=task.satisfied, closed_at=task.closed_at.isoformat() if task.closed_at else None)
    # Due for the flush sweep a little later: if the broker is away when the job is enqueued, the sweep delivers it.
    fallback_at = timezone.now() + dt.timedelta(seconds=settings.DISPATCH_OUTBOX_BACKOFF_SECONDS)
    message, created = OutboxMessage.objects.get_or_create(
        task=task, kind=kind, defaults={"partner": partner, "payload": payload, "next_attempt_at": fallback_at}
    )
    if created:
        from apps.dispatch.tasks import deliver_outbox_message

        aftercommit.on_commit(lambda: deliver_outbox_message.delay(message.pk), event=f"dispatch:outbox-{kind}")
    return message


# --- partners -------------------------------------------------------------------------

@transaction.atomic
def partner_ensure(*, user, name, organization=None, hotline_secret=None, open311_key=None, reply_url="") -> Partner:
    """Create or update a partner; given secrets are (re)applied (the demo does this on every run)."""
    with acting_as(user):
        partner, _created = Partner.objects.get_or_create(name=name, defaults={"organization": organization, "reply_url": reply_url})
        if hotline_secret is not None:
            partner.hotline_secret = hotline_secret
        if open311_key is not None:
            partner.open311_key_hash = Partner.hash_key(open311_key)
        partner.organization = organization or partner.organization
        partner.save()
    return partner


def partner_rotate_hotline_secret(*, user, partner: Partner) -> str:
    secret = Partner.new_secret()
    partner_ensure(user=user, name=partner.name, hotline_secret=secret)
    return secret


def partner_rotate_open311_key(*, user, partner: Partner) -> str:
    key = Partner.new_secret()
    partner_ensure(user=user, name=partner.name, open311_key=key)
    return key


def outbox_deliver(*, message_id) -> str:
    """POST one pending reply to the partner's webhook, signed; back off on failure, give up after the limit."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().select_related("partner").filter(pk=message_id).first()
        if message is None or message.state != OutboxMessage.State.PENDING:
            return "skipped"
        partner = message.partner
        message.attempts += 1
        body = json.dumps(message.payload, ensure_ascii=False, sort_keys=True).encode()
        error = ""
        if not partner.reply_url:
            error = "partner has no reply URL"
        else:
            timestamp = str(int(time.time()))
            request = urllib.request.Request(
                partner.reply_url, data=body, method="POST",
                headers={"Content-Type": "application/json", "X-CityEnforce-Timestamp": timestamp,
                         "X-CityEnforce-Signature": outbox.sign(partner.hotline_secret, timestamp, body)},
            )
            try:
                with urllib.request.urlopen(request, timeout=settings.DISPATCH_OUTBOX_TIMEOUT) as response:
                    if not 200 <= response.status < 300:
                        error = f"HTTP {response.status}"
            except (urllib.error.URLError, OSError, ValueError) as exc:
                error = str(exc)[:500]
        if not error:
            message.state, message.delivered_at, message.last_error, message.next_attempt_at = OutboxMessage.State.DELIVERED, timezone.now(), "", None
        elif message.attempts >= settings.DISPATCH_OUTBOX_MAX_ATTEMPTS:
            message.state, message.last_error, message.next_attempt_at = OutboxMessage.State.FAILED, error, None
        else:
            backoff = settings.DISPATCH_OUTBOX_BACKOFF_SECONDS * 2 ** (message.attempts - 1)
            message.last_error, message.next_attempt_at = error, timezone.now() + dt.timedelta(seconds=backoff)
        message.save()
        return message.state


def outbox_deliver_due(*, now=None) -> int:
    """Retry the replies whose next attempt is due."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now).values_list("pk", flat=True)[:500]
    count = 0
    for pk in list(due):
        outbox_deliver(message_id=pk)
        count += 1
    return count
