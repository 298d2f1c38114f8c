"""Warnings in (stored once, matched to our regions, Update/Cancel) and one-key activation end to end."""
import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.models import Role
from apps.devices.models import Device, DeviceStatus
from apps.dispatch.models import Task
from apps.emergency import selectors, services
from apps.emergency.models import EventType, Incident, IncidentEntry, PrePlan
from apps.gbcp.errors import ApplicationError
from apps.realtime.models import Notification
from tests.emergency.conftest import cap_document
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db


def _polygon_cap(region, identifier, msg_type="Alert", references=""):
    """A CAP warning whose polygon (written "lat,lon") lies inside ``region``."""
    inner = region.boundary.point_on_surface.buffer(0.001).envelope
    ring = " ".join(f"{y:.6f},{x:.6f}" for x, y in inner.exterior_ring.coords)  # CAP order: latitude first
    text = cap_document("rainstorm_blue").decode().replace("BJ-MET-2026-0712-001", identifier)
    text = text.replace("<msgType>Alert</msgType>", f"<msgType>{msg_type}</msgType>")
    if references:
        text = text.replace("<scope>Public</scope>", f"<scope>Public</scope>\n  <references>{references}</references>")
    return text.replace('<geocode><valueName>行政区划代码</valueName><value>110101</value></geocode>', f"<polygon>{ring}</polygon>")


def test_alert_is_stored_once_and_matched_by_area_code(leader, district):
    dispatcher = user_with(role=Role.DISPATCHER, organization=leader.memberships.first().organization, name="emerg-disp")
    alert, created = services.alert_receive(user=leader, data=cap_document("rainstorm_blue"))
    again, created_again = services.alert_receive(user=leader, data=cap_document("rainstorm_blue"))
    assert created and not created_again and again.pk == alert.pk
    assert [r.code for r in alert.regions.all()] == ["110101"]
    assert alert.event_type == EventType.RAINSTORM
    assert Notification.objects.filter(recipient=dispatcher, event="emergency.alert").count() == 1


def test_polygon_matching_respects_lat_lon_order(leader, grid):
    street = grid.region.parent if grid.region.level == 4 else grid.region
    alert, _ = services.alert_receive(user=leader, data=_polygon_cap(street, "P-1"))
    codes = {r.code for r in alert.regions.all()}
    assert street.code in codes and "110101" in codes
    assert not any(code.startswith("110108") for code in codes)


def test_foreign_alert_matches_nothing(leader):
    alert, _ = services.alert_receive(user=leader, data=cap_document("thunderstorm"))
    assert alert.regions.count() == 0


def test_update_and_cancel_reference_earlier_alerts(leader, district):
    first, _ = services.alert_receive(user=leader, data=_polygon_cap(district, "U-1"))
    ref = "qxt@bjmb.gov.cn,U-1,2026-07-12T14:00:00+08:00"
    update, _ = services.alert_receive(user=leader, data=_polygon_cap(district, "U-2", "Update", ref))
    first.refresh_from_db()
    assert first.superseded_by == update and not first.is_cancelled
    cancel, _ = services.alert_receive(user=leader, data=_polygon_cap(district, "U-3", "Cancel", "qxt@bjmb.gov.cn,U-2,2026-07-12T15:00:00+08:00"))
    update.refresh_from_db()
    assert update.is_cancelled and update.superseded_by == cancel


def test_citizen_cannot_upload_alerts(db):
    with pytest.raises(PermissionDenied):
        services.alert_receive(user=user_with(name="citizen"), data=cap_document("rainstorm_blue"))


def test_plan_versions(plan, leader, squad):
    second = services.plan_publish(user=leader, region=squad.region, event_type=EventType.RAINSTORM, title="v2", steps=[])
    plan.refresh_from_db()
    assert (plan.version, plan.is_current, second.version, second.is_current) == (1, False, 2, True)
    assert PrePlan.objects.filter(region=squad.region, event_type=EventType.RAINSTORM, is_current=True).count() == 1


def test_one_key_activation_end_to_end(plan, leader, squad_officers, grid):
    device = Device.objects.create(code="EMT0000000001", name="执法车 应急", kind=Device.Kind.VEHICLE_GPS,
                                   region=grid.region, organization=grid.squad)
    DeviceStatus.objects.update_or_create(device=device, defaults={"point": grid.boundary.point_on_surface})
    alert, _ = services.alert_receive(user=leader, data=cap_document("rainstorm_blue"))
    incident = services.incident_activate(user=leader, plan=plan, alert=alert)

    kinds = list(incident.entries.values_list("kind", flat=True))
    assert kinds == [IncidentEntry.Kind.OPENED, IncidentEntry.Kind.NOTIFIED, IncidentEntry.Kind.TASK, IncidentEntry.Kind.DUTY,
                     IncidentEntry.Kind.UNITS]
    assert all(e.actor_id == leader.pk and e.at for e in incident.entries.all())
    for officer in squad_officers:
        assert Notification.objects.filter(recipient=officer, event="emergency.activated", payload__incident=incident.pk).exists()
    task = Task.objects.get(pk=incident.entries.get(kind=IncidentEntry.Kind.TASK).data["task"])
    assert "下凹式立交桥积水点值守" in task.description and task.region_code.startswith("110101")
    units = incident.entries.get(kind=IncidentEntry.Kind.UNITS).data["units"]
    assert units[0]["code"] == "EMT0000000001" and units[0]["metres"] == 0

    assert list(selectors.active_incidents(user=leader)) == [incident]
    services.incident_close(user=leader, incident=incident, report="积水已排除，无人员伤亡。")
    assert selectors.active_incidents(user=leader).count() == 0
    with pytest.raises(ApplicationError):
        services.incident_close(user=leader, incident=incident, report="again")


def test_nearest_units_sorted_by_distance(leader, grid):
    centre = grid.boundary.point_on_surface
    for n, dx in enumerate([0.01, 0.001, 0.005]):
        device = Device.objects.create(code=f"EMT00000001{n}", name=f"车{n}", kind=Device.Kind.VEHICLE_GPS, region=grid.region,
                                       organization=grid.squad)
        point = centre.clone()
        point.x += dx
        DeviceStatus.objects.update_or_create(device=device, defaults={"point": point})
    found = services.nearest_units(user=leader, point=centre, limit=1000)
    assert [u["code"] for u in found if u["code"].startswith("EMT")] == ["EMT000000011", "EMT000000012", "EMT000000010"]
    assert [u["metres"] for u in found] == sorted(u["metres"] for u in found)
    assert len(services.nearest_units(user=leader, point=centre, limit=2)) == 2


@pytest.mark.parametrize("role", [Role.LEADER, Role.DISPATCHER])
def test_five_callers_activate_and_read(plan, squad, role):
    callers = five_callers(role=role, organization=squad)
    incident = services.incident_activate(user=callers.insider, plan=plan, create_tasks=False)
    assert list(selectors.active_incidents(user=callers.insider)) == [incident]
    for name, user in callers.others():
        with pytest.raises(PermissionDenied):
            services.incident_activate(user=user, plan=plan, create_tasks=False)
        assert selectors.active_incidents(user=user).count() == 0, name
        assert selectors.alert_list_for_user(user=user).count() == 0, name
    assert Incident.objects.filter(plan=plan).count() == 1


def test_officer_may_read_but_not_activate(plan, squad):
    officer = user_with(role=Role.OFFICER, organization=squad, name="emerg-off")
    with pytest.raises(PermissionDenied):
        services.incident_activate(user=officer, plan=plan)
    assert selectors.plan_list_for_user(user=officer).get() == plan
