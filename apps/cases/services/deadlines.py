"""The decision limit (art. 60) with its extensions, and the warnings sent before each deadline (预警)."""
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import discretion, events
from apps.cases.models import Case, CaseExtension, CaseLog, Status
from apps.cases.services._common import illegal, locked, require
from apps.cases.services.cash import cash_handin_sweep
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError

DECISION_WARN_DAYS = (30, 15, 7, 3, 1)
SERVICE_WARN_DAYS = (2,)
PAYMENT_WARN_DAYS = (0,)


def decision_due(case) -> dt.datetime | None:
    """Art. 60: 90 days from filing, plus approved extensions."""
    if case.filed_at is None:
        return None
    extra = sum(e.days for e in case.extensions.all() if e.approved_at is not None)
    return case.filed_at + dt.timedelta(days=discretion.DECISION_DAYS + extra)


@transaction.atomic
def case_extension_request(*, user, case: Case, days: int, reason: str) -> CaseExtension:
    """The owner asks to extend the 90-day decision limit (art. 60)."""
    case = locked(case.pk)
    require(user, "extension", case)
    if not (reason or "").strip():
        raise ApplicationError(_("An extension needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    if not days or int(days) <= 0:
        raise ApplicationError(_("Give the number of days."), code="invalid_days", details={"days": [_("Must be positive.")]})
    with acting_as(user):
        extension = CaseExtension.objects.create(case=case, days=int(days), reason=reason.strip(), requested_by=user)
        CaseLog.record(case, "extension_request", user, reason=reason.strip(), days=int(days))
    return extension


@transaction.atomic
def case_extension_approve(*, user, extension: CaseExtension) -> CaseExtension:
    """The leader approves an extension; the decision limit moves."""
    extension = CaseExtension.objects.select_for_update().get(pk=extension.pk)
    case = locked(extension.case_id)

    def not_yet_approved(case):
        if extension.approved_at is not None:
            raise illegal(_("Already approved."))

    require(user, "extension_approve", case, refusals=[not_yet_approved])
    with acting_as(user):
        extension.approved_by, extension.approved_at = user, timezone.now()
        extension.save()
        case.decision_due = decision_due(case)
        case.alerts_sent = [a for a in case.alerts_sent if not a.startswith("decision:")]
        case.save()
        CaseLog.record(case, "extension_approve", user, reason=extension.reason, days=extension.days, decision_due=case.decision_due.isoformat())
    return extension


def _due_points(case, now):
    """(key, message) of every warning point already reached for this case."""
    today = timezone.localtime(now).date()
    points = []
    if case.status in (Status.INVESTIGATING, Status.LEGAL_REVIEW, Status.LEADER_APPROVAL, Status.APPROVED, Status.NOTIFIED) and case.decision_due:
        left = (timezone.localtime(case.decision_due).date() - today).days
        for d in sorted(DECISION_WARN_DAYS):  # the nearest point reached
            if left <= d:
                points.append((f"decision:{d}", _("Case %(number)s: %(days)s days left to decide") % {"number": case.number, "days": max(left, 0)}))
                break
    if case.status == Status.DECIDED and case.service_due:
        left = (timezone.localtime(case.service_due).date() - today).days
        for d in SERVICE_WARN_DAYS:
            if left <= d:
                points.append((f"service:{d}", _("Case %(number)s: serve the decision within %(days)s days") % {"number": case.number, "days": max(left, 0)}))
    if case.status == Status.EXECUTING and case.payment_due:
        left = (case.payment_due - today).days
        for d in PAYMENT_WARN_DAYS:
            if left <= d:
                points.append((f"payment:{d}", _("Case %(number)s: the fine is due %(date)s") % {"number": case.number, "date": case.payment_due}))
    return points


def case_deadlines_sweep(*, now=None) -> int:
    """Warn the owner and the squad leader at set points before each deadline, once per point; and on the last day
    to hand in cash collected on the spot (art. 71)."""
    now = now or timezone.now()
    sent = 0
    qs = Case.objects.filter(status__in=[Status.INVESTIGATING, Status.LEGAL_REVIEW, Status.LEADER_APPROVAL, Status.APPROVED,
                                         Status.NOTIFIED, Status.DECIDED, Status.EXECUTING])
    for case in qs.select_related("owner", "organization").iterator():
        fresh = [(key, msg) for key, msg in _due_points(case, now) if key not in case.alerts_sent]
        # Only the nearest decision point counts: earlier ones reached at the same time are marked sent too.
        if not fresh:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            keys = list(locked.alerts_sent)
            for key, message in fresh:
                if key in keys:
                    continue
                if key.startswith("decision:"):
                    reached = int(key.split(":")[1])
                    keys += [f"decision:{d}" for d in DECISION_WARN_DAYS if d >= reached and f"decision:{d}" not in keys]
                else:
                    keys.append(key)
                events.case_deadline(case, key, message)
                CaseLog.record(case, "deadline_warning", None, point=key)
                sent += 1
            Case.objects.filter(pk=case.pk).update(alerts_sent=keys)
    return sent + cash_handin_sweep(now=now)

