"""Parsing and validating query parameters: coordinates, bounding boxes."""
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
