"""Serializer fields shared by every app: masked personal data, WGS-84 points and dates in a sane range."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.gbcp.api.params import EARLIEST_YEAR, LATEST_YEAR, parse_lat_lon
from apps.gbcp.masking import clearance_for, mask
from apps.gbcp.privacy import note_unmasked


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(serializers.Field):
    """Read-only personal data, masked for the requesting user's clearance; read unmasked, it goes on the access log
    (apps.gbcp.privacy: one batch per request) with the record it belongs to as the subject."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        self._subject = None
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # The serializer asks for the attribute, then its representation, row by row: the row is the subject.
        self._subject = instance if hasattr(instance, "_meta") else None
        return super().get_attribute(instance)

    def to_representation(self, value):
        user = getattr(self.context.get("request"), "user", None)
        shown = mask(self.kind, value, clearance_for(user))
        note_unmasked(user=user, value=shown, what=self.field_name or self.kind, subject=self._subject)
        return shown


@extend_schema_field(
    {"type": "object", "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}, "required": ["lat", "lon"]}
)
class PointField(serializers.Field):
    """A point as {"lat": .., "lon": ..} in WGS-84."""

    def to_representation(self, value):
        if value is None:
            return None
        return {"lat": round(value.y, 7), "lon": round(value.x, 7)}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError("expected {\"lat\": .., \"lon\": ..}")
        return parse_lat_lon(data.get("lat"), data.get("lon"))


class BoundedDateField(serializers.DateField):
    """A date whose year lies in the range every date parameter of the API accepts (date arithmetic cannot overflow)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise serializers.ValidationError(_("Give a year between %(low)s and %(high)s.") % {"low": EARLIEST_YEAR, "high": LATEST_YEAR})
        return day
