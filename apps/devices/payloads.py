"""Parsing and validating device payloads (HTTP and MQTT alike): plain loops, because batches are large."""
import datetime as dt
import math
import re
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

KNOT_KMH = 1.852
MPS_KMH = 3.6
# Beyond these a value is a broken sensor or a forged payload, not a reading.
RANGES = {
    "lat": (-90.0, 90.0),
    "lon": (-180.0, 180.0),
    "speed": (0.0, 600.0),
    "bearing": (0.0, 360.0),
    "altitude": (-500.0, 10000.0),
    "accuracy": (0.0, 100000.0),
    "battery": (0.0, 100.0),
    "hdop": (0.0, 100.0),
    "laeq": (0.0, 150.0),
    "lmax": (0.0, 160.0),
    "interval_s": (1, 3600),
}


class PayloadError(Exception):
    """A reading that cannot be stored; ``index`` is its position in the batch."""

    def __init__(self, message, *, field=None, index=None):
        super().__init__(str(message))
        self.message, self.field, self.index = message, field, index

    def details(self):
        details = {"reason": str(self.message)}
        if self.index is not None:
            details["index"] = self.index
        if self.field:
            details["field"] = self.field
        return details


def _number(value, field, required=False):
    if value is None or value == "":
        if required:
            raise PayloadError(_("This value is required."), field=field)
        return None
    if isinstance(value, bool):
        raise PayloadError(_("A number is required."), field=field)
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise PayloadError(_("A finite number is required."), field=field) from None
    except (TypeError, ValueError):
        raise PayloadError(_("A number is required."), field=field) from None
    if math.isnan(number) or math.isinf(number):
        raise PayloadError(_("A finite number is required."), field=field)
    low, high = RANGES[field] if field in RANGES else (None, None)
    if low is not None and not low <= number <= high:
        raise PayloadError(_("The value %(value)s is outside %(low)s to %(high)s.") % {"value": value, "low": low, "high": high}, field=field)
    return number


def parse_time(value, field="timestamp", now=None) -> dt.datetime:
    """Unix seconds, unix milliseconds or ISO 8601 (no offset means UTC, as the Traccar client sends)."""
    if value is None or value == "":
        raise PayloadError(_("This value is required."), field=field)
    when = None
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise PayloadError(_("Give the time as unix seconds, milliseconds or ISO 8601."), field=field)
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # a 400-digit integer
            raise PayloadError(_("The time is out of range."), field=field) from None
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            number = None
            try:
                when = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
            except ValueError:
                raise PayloadError(_("Give the time as unix seconds, milliseconds or ISO 8601."), field=field) from None
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
    if when is None:
        if math.isnan(number) or math.isinf(number) or number < 0:
            raise PayloadError(_("Give the time as unix seconds, milliseconds or ISO 8601."), field=field)
        # Ten digits of seconds run out in 2286; anything larger is milliseconds.
        if number >= 1e11:
            number /= 1000.0
        try:
            when = dt.datetime.fromtimestamp(number, tz=dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise PayloadError(_("The time is out of range."), field=field) from None
    now = now or timezone.now()
    if when > now + dt.timedelta(seconds=settings.DEVICE_MAX_FUTURE_S):
        raise PayloadError(_("The time lies in the future."), field=field)
    if when < now - dt.timedelta(days=settings.DEVICE_RETENTION_DAYS):
        raise PayloadError(_("The time is older than the retention period."), field=field)
    return when.astimezone(dt.timezone.utc)


def _flag(value, field):
    """A yes/no of a device: true/false, 1/0 (as text or JSON); absent is unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise PayloadError(_("Give true or false."), field=field)


def parse_position(data, now=None, speed_factor=1.0):
    """One point of a batch: a dict with time, lat, lon and optional speed (km/h), bearing, altitude, accuracy (metres),
    battery (%), hdop and charging. The tuple: (time, lat, lon, speed, bearing, altitude, accuracy, battery, hdop,
    charging)."""
    if not isinstance(data, dict):
        raise PayloadError(_("Each point must be an object."))
    when = parse_time(data.get("time", data.get("timestamp")), "time", now)
    lat = _number(data.get("lat"), "lat", required=True)
    lon = _number(data.get("lon"), "lon", required=True)
    speed = data.get("speed")
    if speed not in (None, ""):
        speed = _number(speed, "speed")
        speed = speed * speed_factor
        if speed > RANGES["speed"][1]:
            raise PayloadError(_("The speed is not plausible."), field="speed")
    else:
        speed = None
    return (
        when, lat, lon, speed,
        _number(data.get("bearing"), "bearing"),
        _number(data.get("altitude"), "altitude"),
        _number(data.get("accuracy"), "accuracy"),
        _number(data.get("battery"), "battery"),
        _number(data.get("hdop"), "hdop"),
        _flag(data.get("charging"), "charging"),
    )


def parse_noise(data, now=None):
    """One noise reading: time (end of the interval), interval_s, laeq and optional lmax."""
    if not isinstance(data, dict):
        raise PayloadError(_("Each reading must be an object."))
    when = parse_time(data.get("time", data.get("timestamp")), "time", now)
    interval = _number(data.get("interval_s", 60), "interval_s", required=True)
    if interval != int(interval):
        raise PayloadError(_("The interval is a whole number of seconds."), field="interval_s")
    laeq = _number(data.get("laeq"), "laeq", required=True)
    lmax = _number(data.get("lmax"), "lmax")
    # The maximum of an interval can never be below its energy average.
    if lmax is not None and lmax + 0.5 < laeq:
        raise PayloadError(_("Lmax cannot be below LAeq."), field="lmax")
    return when, int(interval), laeq, lmax


def parse_batch(items, parse_one, *, max_items=None, now=None):
    """Every item or none: the first bad item refuses the whole batch, naming its index."""
    max_items = max_items or settings.DEVICE_MAX_BATCH
    if not isinstance(items, list) or not items:
        raise PayloadError(_("Send a non-empty list."))
    if len(items) > max_items:
        raise PayloadError(_("At most %(n)d items per request.") % {"n": max_items})
    now = now or timezone.now()
    if parse_one is parse_position:
        return _parse_positions_fast(items, now)
    parsed = []
    for index, item in enumerate(items):
        try:
            parsed.append(parse_one(item, now=now))
        except PayloadError as exc:
            exc.index = index
            raise
    return parsed


_UTC = dt.timezone.utc
_OPTIONAL = (("speed", 0.0, 600.0), ("bearing", 0.0, 360.0), ("altitude", -500.0, 10000.0), ("accuracy", 0.0, 100000.0), ("battery", 0.0, 100.0))


def _parse_positions_fast(items, now):
    """``parse_position`` over a batch, for the common shapes only (numbers as JSON numbers, ISO or unix times).

    Anything else (strings for numbers, missing fields, values out of range, NaN) is handed to
    ``parse_position`` itself, which either refuses it with the usual error or returns its value,
    so the result and the errors are exactly those of the plain loop at a fraction of the cost.
    """
    latest = now + dt.timedelta(seconds=settings.DEVICE_MAX_FUTURE_S)
    earliest = now - dt.timedelta(days=settings.DEVICE_RETENTION_DAYS)
    fromiso, fromts = dt.datetime.fromisoformat, dt.datetime.fromtimestamp
    parsed = []
    append = parsed.append
    for index, item in enumerate(items):
        try:
            if type(item) is not dict or "hdop" in item or "charging" in item:
                raise LookupError
            when = item["time"] if "time" in item else item.get("timestamp")
            kind = type(when)
            if kind is str:
                if len(when) < 19 or when[4] != "-" or when[-1] == " " or when[0] == " ":
                    raise LookupError
                when = fromiso(when)
                if when.tzinfo is None:
                    when = when.replace(tzinfo=_UTC)
            elif kind is int or kind is float:
                if not 0 <= when < 1e14:
                    raise LookupError
                when = fromts(when / 1000.0 if when >= 1e11 else float(when), tz=_UTC)
            else:
                raise LookupError
            if not earliest <= when <= latest:
                raise LookupError
            when = when.astimezone(_UTC)
            lat, lon = item["lat"], item["lon"]
            if (type(lat) is not float and type(lat) is not int) or (type(lon) is not float and type(lon) is not int) \
                    or not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                raise LookupError
            values = [when, float(lat), float(lon)]
            for field, low, high in _OPTIONAL:
                value = item.get(field)
                if value is None:
                    values.append(None)
                elif (type(value) is float or type(value) is int) and low <= value <= high:
                    values.append(float(value))
                else:
                    raise LookupError
            values += (None, None)  # hdop, charging: the reference parser reads them when they are sent
            append(tuple(values))
        except (LookupError, ValueError, OverflowError, OSError, TypeError):
            # Not a common shape: the reference parser decides (and names the index if it refuses).
            try:
                append(parse_position(item, now=now))
            except PayloadError as exc:
                exc.index = index
                raise
    return parsed


def _first(params, *names):
    for name in names:
        value = params.get(name)
        if value not in (None, ""):
            return value
    return None


def _object(value, field):
    """A nested object of the JSON form: absent is empty, anything but an object is refused."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(_("This must be an object."), field=field)
    return value


def _unless_negative(value):
    """The JSON client sends -1 for an unknown speed or heading; other values go to the range check as they are."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return None
    return value


# OsmAnd's local-time form (Traccar reads it in the server's configured zone); "+" for the space when unencoded.
_LOCAL_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ +](\d{2}:\d{2}:\d{2})$")


def _osmand_time(value, now):
    """The report's time as parse_time takes it: the server's time when the client sent none (as Traccar does), and
    ``yyyy-MM-dd HH:mm:ss`` read in DEVICE_LOCAL_TIME_ZONE."""
    if value in (None, ""):
        return (now or timezone.now()).isoformat()
    match = _LOCAL_TIME.match(str(value).strip()) if isinstance(value, str) else None
    if match:
        try:
            naive = dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
        except ValueError:
            return value  # an impossible date: parse_time refuses it with the usual message
        return naive.replace(tzinfo=zoneinfo.ZoneInfo(settings.DEVICE_LOCAL_TIME_ZONE)).isoformat()
    return value


def _has_cells_or_wifi(params) -> bool:
    return any(params.get(name) not in (None, "") for name in ("cell", "wifi"))


def parse_osmand(params, body=None, now=None):
    """The OsmAnd protocol as the Traccar client sends it: query or form fields, or the JSON body of newer clients.

    Returns (device code, parsed position). Speed is in knots in the classic form and metres per second in the JSON
    form (as the Traccar server reads them). A report with only cell towers or Wi-Fi networks and no coordinates
    comes back with lat and lon None: the service puts it at the device's last known position, as Traccar does.
    """
    if isinstance(body, dict) and isinstance(body.get("location"), dict):
        location = body["location"]
        coords = _object(location.get("coords"), "coords")
        battery = _object(location.get("battery"), "battery")
        level = battery.get("level")
        point = {
            "time": _osmand_time(location.get("timestamp"), now),
            "lat": coords.get("latitude"),
            "lon": coords.get("longitude"),
            "speed": _unless_negative(coords.get("speed")),
            "bearing": _unless_negative(coords.get("heading")),
            "altitude": coords.get("altitude"),
            "accuracy": _unless_negative(coords.get("accuracy")),
            # The JSON client reports 0..1; -1 when unknown.
            "battery": level * 100 if isinstance(level, (int, float)) and not isinstance(level, bool) and 0 <= level <= 1 else None,
            "charging": battery.get("is_charging"),
        }
        code = body.get("device_id") or _first(params, "id", "deviceid")
        return (str(code or "").strip().upper(), parse_position(point, now=now, speed_factor=MPS_KMH))
    lat, lon = _first(params, "lat", "latitude"), _first(params, "lon", "longitude")
    location = params.get("location")
    if (lat is None or lon is None) and location and "," in location:
        lat, lon = location.split(",", 1)
    point = {
        "time": _osmand_time(_first(params, "timestamp", "time"), now),
        "lat": lat,
        "lon": lon,
        "speed": params.get("speed"),
        "bearing": _first(params, "bearing", "heading"),
        "altitude": params.get("altitude"),
        "accuracy": params.get("accuracy"),
        "battery": _first(params, "batt", "battery"),
        "hdop": params.get("hdop"),
        "charging": params.get("charge"),
    }
    code = str(_first(params, "id", "deviceid") or "").strip().upper()
    if lat is None and lon is None and _has_cells_or_wifi(params):
        # No fix, only the radio around it: every other field is still checked, then lat/lon stay open.
        parsed = parse_position({**point, "lat": 0.0, "lon": 0.0}, now=now, speed_factor=KNOT_KMH)
        return (code, (parsed[0], None, None) + parsed[3:])
    return (code, parse_position(point, now=now, speed_factor=KNOT_KMH))
