"""The device registry: registration with a city code and a hashed token, tokens rotated and revoked, shifts."""
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.devices.models import Device, DeviceStatus, Shift
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.services import city_code_issue

DEFAULT_INTERVALS = {  # kind: (report interval, offline after), seconds
    Device.Kind.OFFICER_GPS: (30, 300),
    Device.Kind.VEHICLE_GPS: (10, 300),
    Device.Kind.NOISE_SENSOR: (60, 900),
    Device.Kind.CAMERA: (60, 900),
}


class DeviceAuthError(ApplicationError):
    """Unknown device, revoked token or wrong token: one answer for all, so codes cannot be probed."""

    status_code = 401

    def __init__(self):
        super().__init__(_("The device is unknown or its token is not valid."), code="invalid_device_token")


@dataclass
class RegisteredDevice:
    device: Device
    token: str  # shown once; only its hash is stored


def token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast unsalted hash is enough (as for
    # API keys); a slow password hash would cost every ingestion request.
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _region_for(*, region, place, grid, organization, officer):
    if region is not None:
        return region
    for candidate in (place, grid, organization):
        if candidate is not None:
            return candidate.region
    if officer is not None:
        orgs = officer.organizations()
        if orgs:
            return orgs[0].region
    raise ApplicationError(_("Say where the device belongs: a region, place, grid, organisation or officer."), code="device_without_region")


@transaction.atomic
def device_register(*, user, name, kind, region=None, organization=None, officer=None, vehicle_plate="", place=None, grid=None,
                    noise_zone="", limit_day_db=None, limit_night_db=None, report_interval_s=None, offline_after_s=None,
                    token: str | None = None) -> RegisteredDevice:
    """Register a device with a new city code and token; the token is returned once and stored hashed."""
    if kind not in Device.Kind.values:
        raise ApplicationError(_("Unknown device kind: %(kind)s") % {"kind": kind}, code="invalid_kind")
    if kind == Device.Kind.NOISE_SENSOR and place is None:
        raise ApplicationError(_("A noise sensor is installed at a place."), code="sensor_without_place")
    region = _region_for(region=region, place=place, grid=grid, organization=organization, officer=officer)
    interval, offline = DEFAULT_INTERVALS[kind]
    token = token or new_token()
    with acting_as(user):
        device = Device.objects.create(
            code=city_code_issue(region_code=region.code[:6], kind="device"), name=name, kind=kind, region=region,
            organization=organization, officer=officer, vehicle_plate=vehicle_plate, place=place, grid=grid,
            noise_zone=noise_zone or ("construction" if kind == Device.Kind.NOISE_SENSOR else ""),
            limit_day_db=limit_day_db, limit_night_db=limit_night_db,
            report_interval_s=report_interval_s or interval, offline_after_s=offline_after_s or offline,
            token_hash=token_hash(token), token_rotated_at=timezone.now(),
        )
        DeviceStatus.objects.create(device=device, point=place.point if place is not None else None)
    return RegisteredDevice(device=device, token=token)


@transaction.atomic
def device_update(*, user, device: Device, **fields) -> Device:
    allowed = {"name", "organization", "officer", "vehicle_plate", "place", "grid", "noise_zone", "limit_day_db", "limit_night_db",
               "report_interval_s", "offline_after_s", "is_active", "region"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, code="invalid_fields")
    with acting_as(user):
        for key, value in fields.items():
            setattr(device, key, value)
        device.save()
    return device


@transaction.atomic
def device_token_rotate(*, user, device: Device, token: str | None = None) -> str:
    """A new token replaces the old one at once (and lifts a revocation); the new token is returned once."""
    token = token or new_token()
    with acting_as(user):
        device.token_hash = token_hash(token)
        device.token_rotated_at = timezone.now()
        device.revoked_at = None
        device.save(update_fields=["token_hash", "token_rotated_at", "revoked_at"])
    return token


@transaction.atomic
def device_token_revoke(*, user, device: Device) -> Device:
    with acting_as(user):
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return device


def device_authenticate(*, code: str, token: str | None) -> Device:
    """The device whose code and token match; anything else is one 401, with nothing stored."""
    code = (code or "").strip().upper()
    # The place too: a noise sensor's alarm names it and takes its point (one join instead of a query per alarm).
    device = Device.objects.filter(code=code).select_related("region", "place").first() if code else None
    given = token_hash(token or "")
    if device is None or not token or device.revoked_at is not None or not device.is_active:
        raise DeviceAuthError()
    if not hmac.compare_digest(given, device.token_hash):
        raise DeviceAuthError()
    return device


@transaction.atomic
def shift_create(*, user, device: Device, grid, starts_at, ends_at) -> Shift:
    if ends_at <= starts_at:
        raise ApplicationError(_("A shift ends after it starts."), code="invalid_shift")
    if device.kind != Device.Kind.OFFICER_GPS:
        raise ApplicationError(_("Shifts are for officers' devices."), code="invalid_shift")
    with acting_as(user):
        return Shift.objects.create(device=device, grid=grid, starts_at=starts_at, ends_at=ends_at)
