"""Serializers of the GBCP API; personal data goes through MaskedField."""
from rest_framework import serializers

from apps.gbcp.api.fields import MaskedField, PointField
from apps.gbcp.models import Category, Entity, Grid, Organization, Place, Region


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "level"]


class GridRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Grid
        fields = ["id", "code", "name"]


class EntityRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entity
        fields = ["id", "name", "uscc", "city_code"]


class EntitySerializer(serializers.ModelSerializer):
    legal_representative = MaskedField("name")
    contact_phone = MaskedField("phone")
    region = RegionRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Entity
        fields = ["id", "name", "uscc", "kind", "legal_representative", "contact_phone", "address", "region", "city_code"]


class PlaceSerializer(serializers.ModelSerializer):
    point = PointField()
    region = RegionRefSerializer(read_only=True, allow_null=True)
    grid = GridRefSerializer(read_only=True, allow_null=True)
    operator = EntityRefSerializer(read_only=True, allow_null=True)
    qr_png = serializers.SerializerMethodField()

    class Meta:
        model = Place
        fields = ["id", "name", "kind", "space", "point", "address", "region", "grid", "operator", "city_code", "is_active", "qr_png"]

    def get_qr_png(self, obj) -> str:
        return f"/api/gbcp/places/{obj.pk}/qr.png"


class CategorySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "name_en", "kind", "parent_code", "deadline_amount", "deadline_unit", "handler_kinds", "is_public"]


class LocationSerializer(serializers.Serializer):
    point = PointField()
    community = RegionRefSerializer(allow_null=True)
    street = RegionRefSerializer(allow_null=True)
    district = RegionRefSerializer(allow_null=True)
    grid = GridRefSerializer(allow_null=True)
    organization = OrganizationRefSerializer(allow_null=True)


class CityCodeScanSerializer(serializers.Serializer):
    photo = serializers.ImageField(required=False)
    code = serializers.CharField(required=False, max_length=200)

    def validate(self, attrs):
        if not attrs.get("photo") and not attrs.get("code"):
            from django.utils.translation import gettext as _

            raise serializers.ValidationError(_("Send a photo of the label or the code as text."))
        return attrs
