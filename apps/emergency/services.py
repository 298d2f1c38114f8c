"""Writes of emergency (应急调度): pre-plan versions, CAP warnings in, one-key activation, closing.

Every write is one transaction; notifications and tasks go out through the other apps' services and
``apps.realtime.events`` (sent after commit). Every step of an incident is a timeline entry with actor and time.
"""
import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.jurisdiction import staff_members, users_covering
from apps.accounts.models import Role
from apps.devices import selectors as device_selectors
from apps.dispatch import services as dispatch_services
from apps.dispatch.models import Source
from apps.duty import services as duty_services
from apps.emergency import cap, policy
from apps.emergency.models import Alert, Incident, IncidentEntry, PrePlan, PrePlanStep
from apps.gbcp import aftercommit
from apps.gbcp.distance import metres_between
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization, Region
from apps.realtime import events, sms

logger = logging.getLogger("cityenforce.emergency")

NEAREST_UNITS = 5
SMS_TEMPLATE = "emergency_activated"
ALERT_LISTENERS = [Role.LEADER, Role.DISPATCHER]


# ---- pre-plans ---------------------------------------------------------------------------------------------

@transaction.atomic
def plan_publish(*, user, region, event_type, title, summary="", steps=()) -> PrePlan:
    """Publish a new version of the region's pre-plan for ``event_type``; the previous one stays, no longer current.

    ``steps`` are dicts of PrePlanStep fields (squad, action, area_region, area_grid, area, resources,
    duration_minutes, category); the order is their position.
    """
    if user is not None and not policy.can_edit_plans(user, region):  # None: the system (demo seed, imports)
        raise PermissionDenied
    previous = PrePlan.objects.select_for_update().filter(region=region, event_type=event_type).order_by("-version").first()
    PrePlan.objects.filter(region=region, event_type=event_type, is_current=True).update(is_current=False)
    plan = PrePlan.objects.create(region=region, event_type=event_type, title=title, summary=summary,
                                  version=(previous.version + 1) if previous else 1, created_by=user)
    for position, step in enumerate(steps, start=1):
        squad = step["squad"]
        if not squad.region.code.startswith(region.scope):
            raise ApplicationError(_("A step's squad must serve inside the pre-plan's jurisdiction."), code="squad_outside")
        PrePlanStep.objects.create(plan=plan, order=position, **step)
    return plan


# ---- warnings in -------------------------------------------------------------------------------------------

def matched_regions(parsed: cap.CapAlert) -> list:
    """Our districts and streets the alert's area touches: by polygon/circle, or by 6/9/12-digit area code."""
    query = Q(pk__in=[])
    codes = [g["value"] for g in parsed.geocodes if g["value"].isdigit() and len(g["value"]) in (6, 9, 12)]
    if codes:
        query |= Q(code__in=codes)
    if parsed.area is not None:
        query |= Q(boundary__intersects=parsed.area)
    regions = Region.objects.filter(query, level__in=[Region.Level.DISTRICT, Region.Level.STREET]).defer("boundary")
    return list(regions.order_by("code"))


def alert_receive(*, user, data, source=Alert.Source.UPLOAD):
    """Take in one CAP 1.2 document: validate, store once per (sender, identifier), match our regions, apply
    Update/Cancel to the alerts it references, tell the leaders and dispatchers of the matched regions.

    Returns ``(alert, created)``; ``CapError`` (an ApplicationError answer in views) on an invalid document.
    """
    if user is not None and not policy.can_receive_alerts(user):
        raise PermissionDenied
    parsed = cap.parse(data)
    existing = Alert.objects.filter(sender=parsed.sender, identifier=parsed.identifier).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            alert = _alert_store(parsed, data, source)
    except IntegrityError:  # the same alert arrived concurrently
        return Alert.objects.get(sender=parsed.sender, identifier=parsed.identifier), False
    return alert, True


def _alert_store(parsed, data, source) -> Alert:
    xml = data.decode("utf-8") if isinstance(data, bytes) else data
    alert = Alert.objects.create(
        sender=parsed.sender, identifier=parsed.identifier, sent=parsed.sent, status=parsed.status, msg_type=parsed.msg_type,
        scope=parsed.scope, references=parsed.references, event=parsed.event, event_type=parsed.event_type,
        urgency=parsed.urgency, severity=parsed.severity, certainty=parsed.certainty, headline=parsed.headline,
        description=parsed.description, expires=parsed.expires, area_description=parsed.area_description,
        area=parsed.area, geocodes=parsed.geocodes, source=source, xml=xml,
    )
    regions = matched_regions(parsed)
    alert.regions.set(regions)
    if parsed.msg_type in ("Update", "Cancel"):
        earlier = Q(pk__in=[])
        for sender, identifier, _sent in parsed.references:
            earlier |= Q(sender=sender, identifier=identifier)
        changes = {"superseded_by": alert}
        if parsed.msg_type == "Cancel":
            changes["is_cancelled"] = True
        Alert.objects.filter(earlier).exclude(pk=alert.pk).update(**changes)
    if parsed.status == "Actual" and regions:
        listeners = _listeners(regions)
        events.publish(event="emergency.alert", payload={"alert": alert.pk, "event_type": alert.event_type},
                       users=listeners, title=_("Warning: %(headline)s") % {"headline": str(alert)},
                       body=alert.area_description[:500], level="warning", link=f"/emergency/alerts/{alert.pk}/")
    return alert


def _listeners(regions) -> list:
    """Leaders and dispatchers whose jurisdiction holds a matched region or lies inside one."""
    found = {u.pk: u for r in regions for u in users_covering(r.code, roles=ALERT_LISTENERS)}
    inside = Q(pk__in=[])
    for region in regions:
        inside |= Q(region__code__startswith=region.code)
    organization_ids = Organization.objects.filter(inside).values_list("pk", flat=True)
    found.update({u.pk: u for u in staff_members(organization_ids=organization_ids, roles=ALERT_LISTENERS)})
    return [found[pk] for pk in sorted(found)]


# ---- one key to activate -----------------------------------------------------------------------------------

def _entry(incident, kind, text, actor=None, **data):
    return IncidentEntry.objects.create(incident=incident, kind=kind, text=text[:500], actor=actor, data=data)


def step_point(step, incident):
    if step.point is not None:
        return step.point
    for geometry in (step.area, step.area_grid.boundary if step.area_grid else None,
                     step.area_region.boundary if step.area_region else None, incident.region.boundary):
        if geometry is not None:
            return geometry.point_on_surface
    return None


def nearest_units(*, user, point, limit=NEAREST_UNITS) -> list:
    """The ``limit`` units (devices with a live position) nearest to ``point`` that the user may see, with metres."""
    if point is None:
        return []
    units = [(metres_between(point, s.point), s) for s in device_selectors.unit_list_for_user(user=user)]
    units.sort(key=lambda pair: pair[0])
    return [{"device": s.device_id, "code": s.device.code, "metres": round(m)} for m, s in units[:limit]]


def _step_duty(*, user, incident, step, starts_at):
    """A step with a place (point, grid or polygon) puts its squad on a duty post for the step's hours from now
    (at most the duty app's longest shift). A refusal (the activator may not change that squad's roster, a bad place)
    is written on the timeline and never stops the activation."""
    if step.point is not None:
        place = {"point": step.point, "radius_m": settings.EMERGENCY_POST_RADIUS_M}
    elif step.area_grid_id:
        place = {"grid": step.area_grid}
    elif step.area is not None:
        place = {"area": step.area}
    else:
        return None
    minutes = min(step.duration_minutes, settings.DUTY_MAX_SHIFT_HOURS * 60)
    if minutes < 1:
        return None
    name = _("Emergency: %(action)s") % {"action": step.action}
    try:
        shift = duty_services.post_for_period(user=user, squad=step.squad, name=name[:100], starts_at=starts_at,
                                              ends_at=starts_at + dt.timedelta(minutes=minutes), note=incident.title[:200], **place)
    except (ApplicationError, PermissionDenied) as exc:
        return _entry(incident, IncidentEntry.Kind.DUTY, _("No duty post for %(squad)s: %(reason)s") % {
            "squad": step.squad.name, "reason": getattr(exc, "message", "") or _("not allowed")}, user, step=step.order, squad=step.squad_id)
    return _entry(incident, IncidentEntry.Kind.DUTY, _("Duty post for %(squad)s: %(post)s, %(start)s–%(end)s") % {
        "squad": step.squad.name, "post": shift.post.name, "start": f"{shift.start_time:%H:%M}", "end": f"{shift.end_time:%H:%M}"},
        user, step=step.order, squad=step.squad_id, post=shift.post_id, shift=shift.pk)


@transaction.atomic
def incident_activate(*, user, plan, region=None, alert=None, create_tasks=True, assign_duty=True) -> Incident:
    """一键启动: open an incident with ``plan`` for ``region`` (the plan's jurisdiction by default), notify each step's
    squad, create a task per step with a category, put the squad on a duty post where the step has a place, find the
    nearest units; every step goes on the timeline. After commit the squad leaders get a text message."""
    region = region or plan.region
    if not (policy.can_activate(user, region) and region.code.startswith(plan.region.scope)):
        raise PermissionDenied
    if not plan.is_current:
        raise ApplicationError(_("Only the current version of a pre-plan can be activated."), code="plan_not_current")
    if alert is not None and alert.is_cancelled:
        raise ApplicationError(_("The warning was cancelled."), code="alert_cancelled")
    title = _("%(plan)s — %(region)s") % {"plan": plan.title, "region": region.name}
    incident = Incident.objects.create(plan=plan, alert=alert, region=region, title=title[:255], opened_by=user)
    starts_at = timezone.now()
    _entry(incident, IncidentEntry.Kind.OPENED, _("Activated pre-plan %(plan)s") % {"plan": str(plan)}, user,
           alert=alert.pk if alert else None)
    for step in plan.steps.select_related("squad", "category", "area_grid", "area_region"):
        members = list(staff_members(organization_ids=[step.squad_id]))
        events.publish(event="emergency.activated", payload={"incident": incident.pk, "step": step.order},
                       users=members, organization_ids=[step.squad_id], title=title,
                       body=f"{step.action} {step.resources}".strip(), level="warning", link=f"/emergency/incidents/{incident.pk}/")
        _entry(incident, IncidentEntry.Kind.NOTIFIED, _("%(squad)s notified: %(action)s") % {"squad": step.squad.name, "action": step.action},
               user, squad=step.squad_id, recipients=len(members))
        point = step_point(step, incident)
        if create_tasks and step.category_id and point is not None:
            result = dispatch_services.task_intake(
                user=user, source=Source.DISPATCHER, description=f"[{plan.title}] {step.action}", point=point,
                category=step.category, external_ref=f"emergency-{incident.pk}-{step.order}",
            )
            _entry(incident, IncidentEntry.Kind.TASK, _("Task %(number)s created") % {"number": result.task.number}, user,
                   task=result.task.pk, step=step.order)
        if assign_duty:
            _step_duty(user=user, incident=incident, step=step, starts_at=starts_at)
        units = nearest_units(user=user, point=point)
        if units:
            _entry(incident, IncidentEntry.Kind.UNITS, _("Nearest units: %(codes)s") % {"codes": ", ".join(u["code"] for u in units)},
                   user, units=units, step=step.order)
    aftercommit.enqueue("apps.emergency.tasks.send_activation_sms", incident.pk, event="emergency:activation-sms")
    return incident


def incident_sms_send(*, incident_id) -> dict:
    """After activation (a Celery job): the text message to the leaders (中队长) of each squad the pre-plan names, one
    per leader with a phone. A provider's refusal is counted and logged, never raised: the incident stands. The outcome
    goes on the timeline."""
    incident = Incident.objects.select_related("plan").filter(pk=incident_id).first()
    if incident is None:
        return {"sent": 0, "failed": 0, "no_phone": 0}
    counts = {"sent": 0, "failed": 0, "no_phone": 0}
    done = set()
    for step in incident.plan.steps.select_related("squad").order_by("order", "pk"):
        for leader in staff_members(organization_ids=[step.squad_id], roles=[Role.SQUAD_LEADER]):
            if leader.pk in done:
                continue
            done.add(leader.pk)
            if not leader.phone:
                counts["no_phone"] += 1
                continue
            try:
                sms.send_sms(leader.phone, sms.template_id(SMS_TEMPLATE), {
                    "plan": incident.plan.title, "squad": step.squad.name, "action": step.action[:60], "incident": str(incident.pk)})
            except Exception:  # a provider's refusal or outage: counted, logged, the incident stands
                logger.exception("emergency SMS to squad leader %s of incident %s failed", leader.pk, incident.pk)
                counts["failed"] += 1
            else:
                counts["sent"] += 1
    if any(counts.values()):
        _entry(incident, IncidentEntry.Kind.SMS, _("Text messages to squad leaders: %(sent)d sent, %(failed)d failed, %(no_phone)d without a phone")
               % counts, None, **counts)
    return counts


@transaction.atomic
def incident_note(*, user, incident, text) -> IncidentEntry:
    if not policy.can_activate(user, incident.region):
        raise PermissionDenied
    return _entry(incident, IncidentEntry.Kind.NOTE, text, user)


@transaction.atomic
def incident_close(*, user, incident, report) -> Incident:
    """Close the incident with its closing report."""
    if not policy.can_activate(user, incident.region):
        raise PermissionDenied
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise ApplicationError(_("The incident is already closed."), code="incident_closed")
    incident.status, incident.closed_at, incident.report = Incident.Status.CLOSED, timezone.now(), report
    incident.save(update_fields=["status", "closed_at", "report"])
    _entry(incident, IncidentEntry.Kind.CLOSED, _("Closed"), user)
    return incident
