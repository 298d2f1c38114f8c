"""Intake from every channel: classify, locate, route, dedup and start the workflow; idempotent by key or reference."""
import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.dispatch import classifier, dedup, events, routing
from apps.dispatch.flows import TaskFlow
from apps.dispatch.models import DuplicateCandidate, HotlineTicket, IntakeKey, NumberSequence, Open311Contact, OutboxMessage, Partner, Source, Status, Task, TaskLog, TaskPhoto
from apps.dispatch.services._common import checked_photos, deadline_for, store_photos
from apps.dispatch.services.duplicates import after_merge
from apps.dispatch.services.partners import outbox_enqueue
from apps.gbcp import idempotency
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.locate import locate
from apps.gbcp.models import Category
from apps.workflow.sequences import next_value

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class IntakeResult:
    """``task`` is the task that carries the problem: the new one, or the master it merged into."""

    task: Task
    report: Task
    merged: bool = False
    created: bool = True
    suggestions: list = field(default_factory=list)


def _next_number(now) -> str:
    """T + date + a per-day sequence."""
    key = f"T{timezone.localtime(now):%Y%m%d}"
    return f"{key}{next_value(NumberSequence, key):06d}"


def _tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


def _category_from_hint(hint: str):
    hint = (hint or "").strip()
    if not hint:
        return None
    leaves = Category.objects.exclude(deadline_unit="").filter(is_active=True)
    return leaves.filter(code=hint).first() or leaves.filter(name=hint).first() or leaves.filter(name__contains=hint).first()


def _classify(text: str):
    """(category, confidence, method); below the threshold a person chooses."""
    prediction = classifier.classify(text)
    threshold = getattr(settings, "CLASSIFIER_CONFIDENCE_THRESHOLD", 0.5)
    if prediction.code is None or prediction.confidence < threshold:
        return None, prediction.confidence, prediction.method
    category = Category.objects.filter(code=prediction.code, is_active=True).first()
    return category, prediction.confidence, prediction.method


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
            deadline=master.deadline if master else deadline_for(category, received_at, external_deadline), external_deadline=external_deadline,
            master=master, status=Status.MERGED if master else Status.NEW,
        )
        TaskLog.record(task, "intake", user, source=source, route=chosen.reason)
        if master is not None:
            DuplicateCandidate.objects.create(task=task, candidate=master, score=best.score, parts=best.parts, decision=DuplicateCandidate.Decision.MERGED)
            after_merge(task=task, master=master, user=user, score=best.score)
            master.refresh_from_db(fields=["duplicate_count"])
            return IntakeResult(task=master, report=task, merged=True, suggestions=[])
        DuplicateCandidate.objects.bulk_create(
            [DuplicateCandidate(task=task, candidate=s.candidate, score=s.score, parts=s.parts, decision=DuplicateCandidate.Decision.SUGGESTED) for s in scored]
        )
        task.process = TaskFlow.start.run(task=task)
        if partner is not None and source == Source.HOTLINE:
            outbox_enqueue(task=task, kind=OutboxMessage.Kind.ACK)
        events.task_new(task)
    return IntakeResult(task=task, report=task, merged=False, suggestions=scored)


def task_intake_with_photos(*, photos=(), **intake) -> IntakeResult:
    """Intake plus the report's photos, in one transaction; on any failure no task and no file remain."""
    photos = checked_photos(photos)
    # A rollback deletes the stored photos again (save_field_file_atomic).
    with transaction.atomic():
        result = task_intake(**intake)
        store_photos(user=intake.get("user"), task=result.report, photos=photos, stage=TaskPhoto.Stage.REPORT)
    return result


def open311_request_create(*, partner: Partner, category, description, point, address="", reporter_name="", reporter_phone="",
                           priority=None, contact: dict | None = None) -> IntakeResult:
    """An Open311 service request (the partner's client app): a task with no reference of its own; what the client
    sent about its user (``contact``: the Open311Contact fields) is kept beside the report as sent."""
    with transaction.atomic():
        result = task_intake(
            user=None, source=Source.OPEN311, partner=partner, category=category, external_ref="", description=description,
            point=point, address=address, reporter_name=reporter_name, reporter_phone=reporter_phone, priority=priority,
        )
        values = {name: str(value).strip() for name, value in (contact or {}).items() if value not in (None, "")}
        if values:
            Open311Contact.objects.create(task=result.report, **values)
    return result


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
