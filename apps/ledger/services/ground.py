"""Entities and places from other departments' files (the market regulator's register, a sector's list of premises):
each row found by its key, checked, created or updated through the GBCP services, and its lineage kept.

Keys: an entity by its unified social credit code (normalised as python-stdnum does: spaces and case); a place by
its city code, else by the source department's own id for it (PlaceSource), so that the same file imported again
changes nothing and a corrected file updates what it brought."""
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.gbcp import citycode
from apps.gbcp import services as gbcp_services
from apps.gbcp.coords import gcj02_to_wgs84
from apps.gbcp.distance import metres_between
from apps.gbcp.locate import locate
from apps.gbcp.models import Entity, Place, Region
from apps.gbcp.validators import is_valid_uscc, normalise_uscc, validate_phone
from apps.ledger import imports
from apps.ledger.models import EntitySource, PlaceSource
from apps.ledger.services._common import covers
from apps.ledger.services.rows import RowInvalid

ENTITY_KIND_WORDS = {
    "企业": Entity.Kind.ENTERPRISE, "公司": Entity.Kind.ENTERPRISE, "企业法人": Entity.Kind.ENTERPRISE,
    "个体工商户": Entity.Kind.INDIVIDUAL_BUSINESS, "个体": Entity.Kind.INDIVIDUAL_BUSINESS,
    "事业单位": Entity.Kind.INSTITUTION, "机关": Entity.Kind.INSTITUTION, "机关事业单位": Entity.Kind.INSTITUTION,
    "社会组织": Entity.Kind.SOCIAL_ORGANISATION, "社会团体": Entity.Kind.SOCIAL_ORGANISATION, "民办非企业单位": Entity.Kind.SOCIAL_ORGANISATION,
    **{kind.value: kind for kind in Entity.Kind},
}
PLACE_KIND_WORDS = {
    "餐饮": Place.Kind.RESTAURANT, "餐馆": Place.Kind.RESTAURANT, "饭店": Place.Kind.RESTAURANT, "餐厅": Place.Kind.RESTAURANT,
    "商店": Place.Kind.SHOP, "商铺": Place.Kind.SHOP, "店铺": Place.Kind.SHOP, "门店": Place.Kind.SHOP,
    "市场": Place.Kind.MARKET, "农贸市场": Place.Kind.MARKET, "集贸市场": Place.Kind.MARKET,
    "工地": Place.Kind.CONSTRUCTION_SITE, "建筑工地": Place.Kind.CONSTRUCTION_SITE, "施工工地": Place.Kind.CONSTRUCTION_SITE,
    "楼宇": Place.Kind.BUILDING, "建筑": Place.Kind.BUILDING, "公园": Place.Kind.PARK,
    "道路": Place.Kind.STREET_SEGMENT, "路段": Place.Kind.STREET_SEGMENT, "井盖": Place.Kind.MANHOLE, "窨井盖": Place.Kind.MANHOLE,
    "路灯": Place.Kind.STREET_LAMP, "户外广告": Place.Kind.BILLBOARD, "广告牌": Place.Kind.BILLBOARD, "广告": Place.Kind.BILLBOARD,
    "垃圾站": Place.Kind.WASTE_STATION, "垃圾收集点": Place.Kind.WASTE_STATION, "垃圾楼": Place.Kind.WASTE_STATION,
    "停车场": Place.Kind.PARKING,
    **{kind.value: kind for kind in Place.Kind},
}
SPACE_WORDS = {
    "公共空间": Place.Space.PUBLIC, "公共": Place.Space.PUBLIC,
    "社会生产空间": Place.Space.PRODUCTION, "生产空间": Place.Space.PRODUCTION, "生产": Place.Space.PRODUCTION,
    "社区生活空间": Place.Space.COMMUNITY, "社区": Place.Space.COMMUNITY,
    **{space.value: space for space in Place.Space},
}
# The space a kind of place belongs to when the file does not say.
DEFAULT_SPACE = {
    Place.Kind.RESTAURANT: Place.Space.PRODUCTION, Place.Kind.SHOP: Place.Space.PRODUCTION, Place.Kind.MARKET: Place.Space.PRODUCTION,
    Place.Kind.CONSTRUCTION_SITE: Place.Space.PRODUCTION, Place.Kind.BUILDING: Place.Space.COMMUNITY,
}
CRS_WORDS = {"": "wgs84", "wgs84": "wgs84", "wgs-84": "wgs84", "gps": "wgs84", "gcj02": "gcj02", "gcj-02": "gcj02", "国测局": "gcj02", "火星坐标": "gcj02",
             "高德": "gcj02", "腾讯": "gcj02"}
SAME_POINT_METRES = 0.5


def _word(mapping, row, key, code, label):
    raw = imports.text(row.get(key))
    value = mapping.get(raw.lower().replace(" ", ""))
    if value is None and raw:
        raise RowInvalid(code, _("Unknown %(what)s “%(value)s”.") % {"what": label, "value": raw})
    return value


def _kind_from_uscc(code):
    """GB 32100: the first character names the registering authority, the second the kind (92: individual business)."""
    if code.startswith("92"):
        return Entity.Kind.INDIVIDUAL_BUSINESS
    return {"1": Entity.Kind.INSTITUTION, "5": Entity.Kind.SOCIAL_ORGANISATION}.get(code[:1], Entity.Kind.ENTERPRISE)


def _point(row):
    """The row's point in WGS-84 (converted from GCJ-02 when the file says so), located in the city; or None."""
    try:
        lon, lat = imports.number_or_none(row.get("lon")), imports.number_or_none(row.get("lat"))
    except ValueError:
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude must be numbers.")) from None
    if lon is None and lat is None:
        return None
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude are out of range."))
    crs_word = imports.text(row.get("crs")).lower().replace(" ", "")
    crs = CRS_WORDS.get(crs_word)
    if crs is None:
        raise RowInvalid("unknown_crs", _("Unknown coordinate system “%(crs)s”: give WGS-84 or GCJ-02 (BD-09 is not taken).") % {"crs": imports.text(row.get("crs"))})
    if crs == "gcj02":
        lon, lat = gcj02_to_wgs84(lon, lat)
    point = Point(lon, lat, srid=4326)
    if not locate(point).found:
        raise RowInvalid("outside_city", _("The point (%(lon)s, %(lat)s) lies outside the city.") % {"lon": lon, "lat": lat})
    return point


class GroundImporter:
    """Upserts one row of an entities or places file; returns "created", "updated" or "unchanged"."""

    def __init__(self, *, user, department):
        self.user = user
        self.department = department

    def _scope(self, region_code):
        if not covers(self.user, region_code):
            raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))

    # --- entities -----------------------------------------------------------------------

    def entities(self, row, batch, number):
        raw = imports.text(row.get("uscc"))
        code = normalise_uscc(raw).upper()
        if not is_valid_uscc(code):
            raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": raw})
        name = imports.text(row.get("name"))
        if not name:
            raise RowInvalid("missing_value", _("The name is missing."))
        phone = imports.text(row.get("contact_phone"))
        if phone:
            try:
                validate_phone(phone)
            except ValidationError:
                raise RowInvalid("invalid_phone", _("“%(phone)s” is not a phone number.") % {"phone": phone}) from None
        region = self._entity_region(row, code)
        self._scope(region.code)
        values = {
            "name": name, "kind": _word(ENTITY_KIND_WORDS, row, "kind", "unknown_kind", _("kind of entity")) or _kind_from_uscc(code),
            "legal_representative": imports.text(row.get("legal_representative")), "contact_phone": phone,
            "address": imports.text(row.get("address")), "region": region,
        }
        entity = Entity.objects.select_related("region").filter(uscc=code).first()
        if entity is None:
            entity = gbcp_services.entity_create(user=self.user, uscc=code, **values)
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(entity, k) != v}
            if not changed:
                return "unchanged"
            if entity.region_id and not covers(self.user, entity.region.code):
                raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))
            gbcp_services.entity_update(user=self.user, entity=entity, **changed)
            outcome = "updated"
        EntitySource.objects.update_or_create(entity=entity, defaults={"source_batch": batch, "source_row": number})
        return outcome

    def _entity_region(self, row, code):
        given = imports.text(row.get("region_code"))
        if given:
            region = Region.objects.filter(code=given).first()
            if region is None:
                raise RowInvalid("unknown_region", _("No region has the code %(code)s.") % {"code": given})
            return region
        # The code's third to eighth characters are the registering authority's district.
        region = Region.objects.filter(code=code[2:8]).first()
        if region is None:
            raise RowInvalid("no_region", _("The code names no district of this city; give the region code."))
        return region

    # --- places -------------------------------------------------------------------------

    def places(self, row, batch, number):
        name = imports.text(row.get("name"))
        kind = _word(PLACE_KIND_WORDS, row, "kind", "unknown_kind", _("kind of place"))
        if not (name and kind):
            raise RowInvalid("missing_value", _("Name and kind are required."))
        space = _word(SPACE_WORDS, row, "space", "unknown_space", _("space")) or DEFAULT_SPACE.get(kind, Place.Space.PUBLIC)
        external_id = imports.text(row.get("external_id"))[:64]
        place = self._place_by_key(row, external_id)
        point = _point(row)
        operator = self._operator(row)
        address = imports.text(row.get("address"))
        if place is None:
            if point is None:
                raise RowInvalid("no_place", _("Give the place's longitude and latitude."))
            region = locate(point).region
            self._scope(region.code)
            place = gbcp_services.place_create(user=self.user, name=name, kind=kind, space=space, point=point, address=address, operator=operator)
            outcome = "created"
        else:
            self._scope(place.region.code)
            values = {"name": name, "kind": kind, "space": space, "address": address or place.address, "operator": operator or place.operator}
            changed = {k: v for k, v in values.items() if getattr(place, k) != v}
            if point is not None and metres_between(point, place.point) > SAME_POINT_METRES:
                self._scope(locate(point).region.code)
                changed["point"] = point
            if not changed:
                self._remember(place, batch, number, external_id, changed=False)
                return "unchanged"
            gbcp_services.place_update(user=self.user, place=place, **changed)
            outcome = "updated"
        self._remember(place, batch, number, external_id, changed=True)
        return outcome

    def _remember(self, place, batch, number, external_id, *, changed):
        """What this department calls the place, and the row that last brought or changed it. An unchanged row adds
        a department that did not know the place yet (so its next file finds it), and otherwise keeps the first
        lineage; the department's id stays when a later file of it finds the place by its city code."""
        source = PlaceSource.objects.filter(place=place, department=self.department).first()
        if source is None:
            PlaceSource.objects.create(place=place, department=self.department, external_id=external_id, source_batch=batch, source_row=number)
            return
        if changed:
            source.source_batch, source.source_row = batch, number
        if external_id:
            source.external_id = external_id
        source.save()

    def _place_by_key(self, row, external_id):
        code = imports.text(row.get("place_code")).upper()
        if code:
            if not citycode.is_valid(code):
                raise RowInvalid("invalid_city_code", _("“%(code)s” is not a valid city code (check character).") % {"code": code})
            place = Place.objects.select_related("region", "operator").filter(city_code=code).first()
            if place is None:
                raise RowInvalid("unknown_place", _("No place has the city code %(code)s.") % {"code": code})
            return place
        if not external_id:
            raise RowInvalid("missing_key", _("Give the place's city code or the department's own id for it, so that a later file finds it again."))
        source = PlaceSource.objects.select_related("place__region", "place__operator").filter(department=self.department, external_id=external_id).first()
        return source.place if source else None

    def _operator(self, row):
        raw = imports.text(row.get("operator_uscc"))
        if not raw:
            return None
        code = normalise_uscc(raw).upper()
        if not is_valid_uscc(code):
            raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": raw})
        operator = Entity.objects.filter(uscc=code).first()
        if operator is None:
            raise RowInvalid("unknown_holder", _("No entity has the code %(uscc)s; import the entities first.") % {"uscc": code})
        return operator
