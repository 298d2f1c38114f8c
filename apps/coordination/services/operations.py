"""The steps of a joint operation (联合执法): plan it (departments with the duties they bring, people, window, area),
participants check in on site once and record findings (a dispatch task for the department whose duties hold the
category, or an enforcement case of ours through the cases service), then a report with the counts, then close; or
cancel it with a reason.

Planners' steps ask the ``OPERATIONS`` table (403 for the wrong person, 409 for the wrong moment); participants' steps
ask whether the caller is among the operation's people and whether the operation is on and in its window.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import serves_in, staff_organizations
from apps.accounts.models import Role
from apps.cases import services as case_services
from apps.cases.models import Case
from apps.coordination.models import JointOperation, OperationDepartment, OperationFinding, OperationLog, OperationParticipant, OperationStatus
from apps.coordination.policy import OPERATIONS, PARTICIPANT_STEPS, is_participant, participant_step_open
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source as TaskSource
from apps.dispatch.policy import TASK_POLICY
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization


def _invalid(message, field: str, code: str = "invalid"):
    return ApplicationError(message, code=code, details={field: [message]})


def _required(value, field: str, message) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(message, code=f"{field}_required", details={field: [_("This field is required.")]})
    return text


def _locked(operation_id) -> JointOperation:
    return (JointOperation.objects.select_for_update(of=("self",)).select_related("organization", "region")
            .prefetch_related("attendance", "departments__duties").get(pk=operation_id))


@transaction.atomic
def operation_create(*, user, organization, title: str, purpose: str, region, starts_at, ends_at, departments, participants,
                     area=None) -> JointOperation:
    """Plan an operation. ``departments`` is ``[(department, [categories of its duty list]), …]``; ``participants`` are
    staff users (ours and the departments')."""
    title = _required(title, "title", _("An operation needs a title."))
    purpose = _required(purpose, "purpose", _("Say what the operation is for."))
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise _invalid(_("The operation ends after it starts."), "ends_at", "invalid_window")
    if organization.kind == Organization.Kind.FUNCTIONAL_DEPARTMENT:
        raise _invalid(_("The lead unit is one of ours, not another department."), "organization", "not_our_unit")
    OPERATIONS.require(user=user, step="create", subject=JointOperation(region_code=region.code, organization=organization))
    if not (user.is_superuser or serves_in(user, organization.pk)):
        raise _invalid(_("You lead operations only for a unit you serve in."), "organization", "not_your_unit")
    if area is not None and region.boundary is not None and not region.boundary.buffer(0.001).contains(area):
        raise _invalid(_("The outline lies outside the area."), "area", "area_outside_region")
    if not departments:
        raise _invalid(_("Choose at least one participating department."), "departments", "departments_required")
    seen = set()
    for department, duties in departments:
        if department.kind != Organization.Kind.FUNCTIONAL_DEPARTMENT or department.pk in seen:
            raise _invalid(_("%(name)s is not another department, or is named twice.") % {"name": department.name}, "departments", "not_a_department")
        seen.add(department.pk)
        held = set(department.duties.values_list("pk", flat=True))
        if not duties or any(c.pk not in held for c in duties):
            raise _invalid(_("%(name)s brings items of its own duty list only, and at least one.") % {"name": department.name},
                           "departments", "duty_not_held")
    people = {u.pk: u for u in participants}
    if not people:
        raise _invalid(_("Choose the people taking part."), "participants", "participants_required")
    if any(not u.is_active or not u.is_staff_member() for u in people.values()):
        raise _invalid(_("Only staff take part in an operation."), "participants", "not_staff")
    with acting_as(user):
        operation = JointOperation.objects.create(
            title=title[:200], purpose=purpose, organization=organization, region=region, region_code=region.code, area=area,
            starts_at=starts_at, ends_at=ends_at, status=OperationStatus.PLANNED, created_by=user if getattr(user, "pk", None) else None)
        for department, duties in departments:
            OperationDepartment.objects.create(operation=operation, department=department).duties.set(duties)
        OperationParticipant.objects.bulk_create([OperationParticipant(operation=operation, user=u) for u in people.values()])
        OperationLog.record(operation, "create", user, departments=[d.name for d, _duties in departments], participants=len(people))
    return operation


def _require_participant(user, operation, step: str, now):
    if not (is_participant(user, operation) or getattr(user, "is_superuser", False)):
        raise ApplicationError(_("Only the operation's participants may do this."), code="forbidden", status_code=403)
    if not participant_step_open(step, operation, now):
        raise ApplicationError(_("%(step)s is possible only while the operation is on, between its start and end.") % {
            "step": PARTICIPANT_STEPS[step]}, code="illegal_step", status_code=409)


def _begin(user, operation):
    """The first act on site sets a planned operation under way."""
    if operation.status == OperationStatus.PLANNED:
        operation.status = OperationStatus.UNDER_WAY
        operation.save()
        OperationLog.record(operation, "start", user)


@transaction.atomic
def operation_check_in(*, user, operation: JointOperation, point=None, now=None) -> OperationParticipant:
    """签到: a participant checks in once, during the window, with an optional point."""
    now = now or timezone.now()
    operation = _locked(operation.pk)
    _require_participant(user, operation, "check_in", now)
    row = OperationParticipant.objects.select_for_update().filter(operation=operation, user=user).first()
    if row is None:
        raise ApplicationError(_("Only the operation's participants may do this."), code="forbidden", status_code=403)
    if row.checked_in_at is not None:
        raise ApplicationError(_("You have checked in already."), code="checked_in", status_code=409)
    with acting_as(user):
        row.checked_in_at, row.check_in_point = now, point
        row.save()
        _begin(user, operation)
        OperationLog.record(operation, "check_in", user, point=point.wkt if point is not None else None)
    return row


def _point(operation, point):
    if point is not None:
        return point
    if operation.area is not None:
        return operation.area.point_on_surface
    return operation.region.boundary.point_on_surface if operation.region.boundary is not None else None


@transaction.atomic
def operation_finding_record(*, user, operation: JointOperation, outcome: str, description: str, category=None, cause=None,
                             point=None, now=None) -> OperationFinding:
    """A finding becomes a dispatch task for the department that brought its category (through intake; a dispatcher
    also sends it there when routing chose another unit), or an enforcement case through ``case_open`` (its rules:
    an officer or squad leader of one of our squads)."""
    now = now or timezone.now()
    description = _required(description, "description", _("Describe the finding."))
    if outcome not in OperationFinding.Outcome.values:
        raise _invalid(_("Choose what the finding becomes: a task or a case."), "outcome", "outcome_required")
    operation = _locked(operation.pk)
    _require_participant(user, operation, "finding", now)
    point = _point(operation, point)
    finding = OperationFinding(operation=operation, outcome=outcome, category=category, description=description, point=point,
                               recorded_by=user if getattr(user, "pk", None) else None, recorded_at=now)
    text = f"{description}\n（{_('joint operation')}：{operation.title}）"
    with acting_as(user):
        if outcome == OperationFinding.Outcome.TASK:
            if category is None:
                raise _invalid(_("A finding handed on as a task needs a category."), "category", "category_required")
            brought = next((row.department for row in operation.departments.all() if any(c.pk == category.pk for c in row.duties.all())), None)
            if brought is None:
                raise _invalid(_("No participating department brings “%(category)s” to this operation.") % {"category": category.name},
                               "category", "category_not_brought")
            finding.department = brought
            finding.save()
            task = dispatch_services.task_intake(user=user, source=TaskSource.PATROL, description=text, point=point, category=category,
                                                 external_ref=f"joint-operation-finding-{finding.pk}").task
            if task.organization_id != brought.pk and TASK_POLICY.allows(user, "dispatch", task):
                task = dispatch_services.task_dispatch(user=user, task=task, organization=brought, note=_("Finding of a joint operation"))
            finding.task = task
        else:
            # Another department's staff act under their own law: only our squads open an enforcement case.
            ours = [o for o in staff_organizations(user, (Role.OFFICER, Role.SQUAD_LEADER)) if o.kind != Organization.Kind.FUNCTIONAL_DEPARTMENT]
            if not ours and not user.is_superuser:
                raise ApplicationError(_("Only an officer or squad leader of an enforcement squad can open a case."), code="forbidden",
                                       status_code=403)
            case = case_services.case_open(user=user, source=Case.Source.PATROL, cause=cause, point=point, facts=text,
                                           source_ref=f"joint-operation-{operation.pk}")
            finding.case, finding.department = case, case.organization
        finding.save()
        _begin(user, operation)
        OperationLog.record(operation, f"finding_{outcome}", user, task=finding.task.number if finding.task_id else None,
                            case=finding.case.number if finding.case_id else None, department=finding.department.name)
    return finding


def operation_counts(operation) -> dict:
    """The report's figures: people, check-ins, findings, and tasks and cases per department."""
    rows = list(operation.attendance.all())
    findings = list(operation.findings.select_related("department"))
    per = {}
    for f in findings:
        entry = per.setdefault(f.department_id, {"department": f.department.name, "tasks": 0, "cases": 0})
        entry["tasks" if f.outcome == OperationFinding.Outcome.TASK else "cases"] += 1
    return {"participants": len(rows), "checked_in": sum(1 for r in rows if r.checked_in_at), "findings": len(findings),
            "tasks": sum(e["tasks"] for e in per.values()), "cases": sum(e["cases"] for e in per.values()),
            "by_department": sorted(per.values(), key=lambda e: e["department"])}


@transaction.atomic
def operation_report(*, user, operation: JointOperation, text: str) -> JointOperation:
    """总结报告: the counts are fixed with the text."""
    text = _required(text, "report", _("Write the report."))
    operation = _locked(operation.pk)
    OPERATIONS.require(user=user, step="report", subject=operation)
    with acting_as(user):
        operation.report, operation.report_counts = text, operation_counts(operation)
        operation.status, operation.reported_at = OperationStatus.REPORTED, timezone.now()
        operation.save()
        OperationLog.record(operation, "report", user, **{k: v for k, v in operation.report_counts.items() if k != "by_department"})
    return operation


@transaction.atomic
def operation_close(*, user, operation: JointOperation) -> JointOperation:
    operation = _locked(operation.pk)
    OPERATIONS.require(user=user, step="close", subject=operation)
    with acting_as(user):
        operation.status, operation.closed_at = OperationStatus.CLOSED, timezone.now()
        operation.save()
        OperationLog.record(operation, "close", user)
    return operation


@transaction.atomic
def operation_cancel(*, user, operation: JointOperation, reason: str) -> JointOperation:
    reason = _required(reason, "reason", _("Say why the operation is cancelled."))
    operation = _locked(operation.pk)
    OPERATIONS.require(user=user, step="cancel", subject=operation)
    with acting_as(user):
        operation.status, operation.cancel_reason, operation.closed_at = OperationStatus.CANCELLED, reason, timezone.now()
        operation.save()
        OperationLog.record(operation, "cancel", user, reason=reason)
    return operation


__all__ = ["operation_cancel", "operation_check_in", "operation_close", "operation_counts", "operation_create",
           "operation_finding_record", "operation_report"]
