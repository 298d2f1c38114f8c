"""Parsing and validating query parameters: coordinates, bounding boxes, dates and times, whole numbers."""
import datetime as dt
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.gbcp.coords import gcj02_to_wgs84
from apps.gbcp.locate import make_point


def _float(value, name):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise serializers.ValidationError({name: _("A number is required.")})
    if number != number or number in (float("inf"), float("-inf")):
        raise serializers.ValidationError({name: _("A finite number is required.")})
    return number


def parse_lat_lon(lat, lon, crs="wgs84"):
    lat_f, lon_f = _float(lat, "lat"), _float(lon, "lon")
    if not -90 <= lat_f <= 90:
        raise serializers.ValidationError({"lat": _("Latitude must be between -90 and 90.")})
    if not -180 <= lon_f <= 180:
        raise serializers.ValidationError({"lon": _("Longitude must be between -180 and 180.")})
    crs = (crs or "wgs84").lower()
    if crs == "gcj02":
        lon_f, lat_f = gcj02_to_wgs84(lon_f, lat_f)
    elif crs != "wgs84":
        raise serializers.ValidationError({"crs": _("Use wgs84 or gcj02.")})
    return make_point(lon_f, lat_f)


def parse_bbox(value):
    """``west,south,east,north`` in WGS-84, or None when absent."""
    if not value:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise serializers.ValidationError({"bbox": _("Give bbox as west,south,east,north.")})
    west, south, east, north = (_float(p, "bbox") for p in parts)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise serializers.ValidationError({"bbox": _("The bounding box is empty or out of range.")})
    return west, south, east, north


# --- dates, times, whole numbers -------------------------------------------------------------
# Every endpoint that takes a date or a time reads it here, so that an impossible day (2026-02-30), an
# offset beyond ±24 h, a year that cannot be converted to UTC or used in arithmetic (0001, 9999) and a
# 400-digit number are all a 400 naming the parameter, never a 500.

EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
_DATE_ONLY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_TEXT = 64


def _refuse(name, message):
    raise serializers.ValidationError({name: [message]})


def parse_date_param(value, name):
    """``YYYY-MM-DD`` as a date, or a 400 naming ``name``."""
    text = str(value).strip()
    if len(text) > _MAX_TEXT or not _DATE_ONLY.fullmatch(text):
        _refuse(name, _("Give a date as YYYY-MM-DD."))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        _refuse(name, _("This day does not exist."))
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        _refuse(name, _("Give a year between %(low)s and %(high)s.") % {"low": EARLIEST_YEAR, "high": LATEST_YEAR})
    return day


def parse_datetime_param(value, name, *, end_of_day=False):
    """An ISO 8601 date or date and time as an aware datetime; a bare date is its first moment (or its last, for
    the end of a range); no offset means the server's time zone. Anything impossible is a 400 naming ``name``."""
    text = str(value).strip()
    if _DATE_ONLY.fullmatch(text):
        day = parse_date_param(text, name)
        return timezone.make_aware(dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min))
    if len(text) > _MAX_TEXT:
        _refuse(name, _("Give an ISO 8601 date or date and time."))
    try:
        when = parse_datetime(text)  # None when not ISO-shaped; ValueError when shaped but impossible
    except ValueError:
        when = False
    if when is False:
        _refuse(name, _("This date, time or UTC offset does not exist."))
    if when is None:
        _refuse(name, _("Give an ISO 8601 date or date and time."))
    if not EARLIEST_YEAR <= when.year <= LATEST_YEAR:
        _refuse(name, _("Give a year between %(low)s and %(high)s.") % {"low": EARLIEST_YEAR, "high": LATEST_YEAR})
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def parse_time_range(params, *, start="from", end="to", max_span=None):
    """The optional pair ``start``/``end`` of a query; a 400 when the range is empty or longer than ``max_span``."""
    low = parse_datetime_param(params[start], start) if params.get(start) else None
    high = parse_datetime_param(params[end], end, end_of_day=True) if params.get(end) else None
    if low and high and low >= high:
        _refuse(start, _("The range is empty."))
    if low and high and max_span is not None and high - low > max_span:
        _refuse(end, _("The range is longer than %(days)s days.") % {"days": max_span.days})
    return low, high


def parse_int_param(value, name, *, default=None, minimum=None, maximum=None):
    """A whole number in ``[minimum, maximum]`` (ASCII digits, optional sign), ``default`` when absent."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
        _refuse(name, _("A whole number is required."))
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        _refuse(name, _("Give a whole number between %(low)s and %(high)s.") % {"low": minimum, "high": maximum})
    return number


def parse_id_param(value, name):
    """A database id (a positive whole number that fits a 64-bit column), or None when absent."""
    return parse_int_param(value, name, minimum=1, maximum=2**63 - 1)


def carries_nul(request) -> bool:
    """A NUL character in the path or a query parameter: PostgreSQL refuses it in any text (a 500 if it got that far)."""
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
