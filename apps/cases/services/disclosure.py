"""Disclosure of decisions (行政执法公示, art. 48): due when decided, published by legal staff within 7 working days,
withdrawn within 3 when review or litigation corrects the decision; the sweep warns before and after each limit."""
import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.cases import events, lawdays
from apps.cases.disclosures import Disclosure, masked_person_name, scrub
from apps.cases.models import Case, CaseLog, PartyKind, Procedure
from apps.cases.policy import AFTER_DECISION
from apps.cases.services._common import locked
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Region

PUBLISH_WARN_DAYS = 2  # warn legal staff 2 days before the 7th working day, then once when it has passed


def disclosure_open(*, case: Case, at) -> Disclosure | None:
    """Called inside ``case_decide``: a general-procedure decision is due for publication in 7 working days."""
    if case.procedure != Procedure.GENERAL:
        return None
    disclosure, _made = Disclosure.objects.get_or_create(case=case, defaults={"due_at": lawdays.end_of_last_day(at, lawdays.DISCLOSURE)})
    return disclosure


def _yuan(value) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value is not None else "0"


def _penalty_text(case) -> str:
    if case.exempt:
        return "不予行政处罚"
    parts = (["警告"] if case.warning else []) + ([f"罚款人民币{_yuan(case.fine)}元"] if case.fine and case.fine > 0 else [])
    return "，并处".join(parts) or "—"


def _place(case) -> tuple[str, str]:
    """(district code, "东城区东华门街道"): the place of the violation cut to its district and street, never the door."""
    code = case.region_code or ""
    names = dict(Region.objects.filter(code__in=[code[:6], code[:9]]).values_list("code", "name"))
    return code[:6], "".join(names[c] for c in (code[:6], code[:9]) if c in names and len(c) <= len(code))


def public_content(case) -> dict:
    """The masked snapshot the public reads (apps.cases.disclosures): nothing here is a citizen's name, ID, phone or door."""
    decision = case.documents.filter(kind="penalty_decision").order_by("-issued_at", "-id").first()
    district_code, place = _place(case)
    citizen = case.party_kind != PartyKind.ORGANISATION
    names = [case.party_name] if citizen else []
    if case.party_person_id and case.party_person.name:
        names.append(case.party_person.name)
    cause = case.cause
    return {
        "decision_number": decision.number if decision else "",
        "decided_on": timezone.localtime(case.decided_at).date() if case.decided_at else None,
        "organ": decision.issuer if decision else case.organization.name,
        "party_kind": case.party_kind or PartyKind.CITIZEN,
        "party_name": masked_person_name(case.party_name) if citizen else case.party_name,
        "party_code": case.party_code if not citizen else "",  # a credit code is public; a resident ID never is
        "district_code": district_code,
        "place": place,
        "cause_name": cause.name if cause else "",
        "legal_basis": scrub(cause.legal_basis) if cause else "",
        "penalty_basis": scrub(cause.penalty_basis) if cause else "",
        "penalty": _penalty_text(case),
        "facts": scrub(case.facts, names=names),
    }


def _disclosure_locked(case) -> Disclosure | None:
    return Disclosure.objects.select_for_update().filter(case=case).first()


@transaction.atomic
def disclosure_publish(*, user, case: Case, at=None) -> Disclosure:
    """Legal staff publish the decision, masked; after the 7th working day it is still published, and marked late."""
    case = locked(case.pk)
    AFTER_DECISION.require(user=user, step="disclosure_publish", subject=case)
    at = at or timezone.now()
    disclosure = _disclosure_locked(case) or disclosure_open(case=case, at=case.decided_at)
    content = public_content(Case.objects.select_related("cause", "organization", "party_person").get(pk=case.pk))
    with acting_as(user):
        for field, value in content.items():
            setattr(disclosure, field, value)
        disclosure.status = Disclosure.Status.PUBLISHED
        disclosure.published_at, disclosure.published_by = at, user
        disclosure.published_late = at > disclosure.due_at
        disclosure.save()
        CaseLog.record(case, "disclosure_publish", user, late=disclosure.published_late, due=disclosure.due_at.isoformat())
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, user, case: Case, reason: str, at=None) -> Disclosure:
    """Take a published decision off the public page, with the reason; after the 3rd working day it is marked late."""
    case = locked(case.pk)
    AFTER_DECISION.require(user=user, step="disclosure_withdraw", subject=case)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("A withdrawal needs a reason."), code="reason_required", details={"reason": [_("This field is required.")]})
    disclosure = _disclosure_locked(case)
    at = at or timezone.now()
    with acting_as(user):
        disclosure.status = Disclosure.Status.WITHDRAWN
        disclosure.withdrawn_at, disclosure.withdrawn_by, disclosure.withdrawal_reason = at, user, reason
        disclosure.withdrawn_late = disclosure.withdrawal_due is not None and at > disclosure.withdrawal_due
        disclosure.save()
        CaseLog.record(case, "disclosure_withdraw", user, reason=reason, late=disclosure.withdrawn_late)
    return disclosure


def disclosure_withdrawal_start(*, case: Case, on: dt.date, reason: str) -> Disclosure | None:
    """The decision was corrected on ``on``: a published disclosure is due to be withdrawn in 3 working days; one not yet
    published is no longer due (the corrected decision is not the one to publish). Inside the caller's transaction."""
    disclosure = _disclosure_locked(case)
    if disclosure is None:
        return None
    start = timezone.make_aware(dt.datetime.combine(on, dt.time(12)))
    if disclosure.status == Disclosure.Status.PUBLISHED and disclosure.withdrawal_due is None:
        disclosure.withdrawal_due = lawdays.end_of_last_day(start, lawdays.WITHDRAWAL)
        disclosure.withdrawal_reason = reason
        disclosure.save()
        events.disclosure_deadline(case, "withdrawal", _("Case %(number)s: withdraw its publication by %(date)s") % {
            "number": case.number, "date": timezone.localtime(disclosure.withdrawal_due).date()})
    elif disclosure.status == Disclosure.Status.DUE:
        disclosure.status = Disclosure.Status.WITHDRAWN
        disclosure.withdrawn_at, disclosure.withdrawal_reason = timezone.now(), reason
        disclosure.save()
    return disclosure


def _points(disclosure, now):
    """(key, message) of the warning points reached: 2 days before publication is due, once it is late; a late withdrawal."""
    case, today = disclosure.case, timezone.localtime(now).date()
    points = []
    if disclosure.status == Disclosure.Status.DUE:
        due_day = timezone.localtime(disclosure.due_at).date()
        if now > disclosure.due_at:
            points.append(("disclosure:late", _("Case %(number)s: the decision was due for publication by %(date)s") % {"number": case.number, "date": due_day}))
        elif (due_day - today).days <= PUBLISH_WARN_DAYS:
            points.append((f"disclosure:{PUBLISH_WARN_DAYS}", _("Case %(number)s: publish the decision by %(date)s") % {"number": case.number, "date": due_day}))
    elif disclosure.withdrawal_pending and now > disclosure.withdrawal_due:
        points.append(("withdrawal:late", _("Case %(number)s: the publication was due to be withdrawn by %(date)s") % {
            "number": case.number, "date": timezone.localtime(disclosure.withdrawal_due).date()}))
    return points


def disclosures_due():
    """Disclosures waiting for a step (to publish, or to withdraw), soonest first: for the command and the sweep."""
    waiting = Q(status=Disclosure.Status.DUE) | Q(status=Disclosure.Status.PUBLISHED, withdrawal_due__isnull=False)
    return Disclosure.objects.filter(waiting).select_related("case").order_by("due_at", "pk")


def disclosure_deadlines_sweep(*, now=None) -> int:
    """Warn the legal reviewers and leaders of the case's jurisdiction at each point reached, once per point."""
    now = now or timezone.now()
    sent = 0
    for disclosure in disclosures_due().iterator():
        fresh = [(key, message) for key, message in _points(disclosure, now) if key not in disclosure.alerts_sent]
        if not fresh:
            continue
        with transaction.atomic():
            row = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
            keys = list(row.alerts_sent)
            for key, message in fresh:
                if key in keys:
                    continue
                keys.append(key)
                events.disclosure_deadline(disclosure.case, key, message)
                CaseLog.record(disclosure.case, "deadline_warning", None, point=key)
                sent += 1
            Disclosure.objects.filter(pk=row.pk).update(alerts_sent=keys)
    return sent
