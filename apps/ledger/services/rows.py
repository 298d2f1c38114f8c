"""How one row of a department's file becomes a ledger record: its place, dates, area and the values to store."""
import math

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.gbcp import citycode
from apps.gbcp import services as gbcp_services
from apps.gbcp.distance import box_around, metres_between
from apps.gbcp.locate import locate
from apps.gbcp.models import Entity, Organization, Place
from apps.gbcp.validators import is_valid_uscc, validate_phone
from apps.ledger import imports
from apps.ledger.models import FrontageZone, KeyPoint, Licence, LicenceKind
from apps.ledger.services._common import LICENCE_STATUS_WORDS, covers

NEAREST_PLACE_METRES = 30


class RowInvalid(Exception):
    """A row that cannot be stored: ``code`` and the message go into the import report."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def nearest_place(point: Point, within_m: float = NEAREST_PLACE_METRES):
    """The nearest active place within ``within_m`` metres: a bounding box from the spatial index, then exact distance."""
    candidates = Place.objects.filter(point__within=box_around(point, within_m), is_active=True).select_related("region", "operator")
    best = min(((metres_between(point, p.point), p) for p in candidates), default=None, key=lambda t: t[0])
    if best is None or best[0] > within_m:
        return None
    return best[1]


def _place_of(row, *, required=True):
    code = imports.text(row.get("place_code")).upper()
    if code:
        if not citycode.is_valid(code):
            raise RowInvalid("invalid_city_code", _("“%(code)s” is not a valid city code (check character).") % {"code": code})
        place = Place.objects.select_related("region", "operator").filter(city_code=code).first()
        if place is None:
            raise RowInvalid("unknown_place", _("No place has the city code %(code)s.") % {"code": code})
        return place
    try:
        lon, lat = imports.number_or_none(row.get("lon")), imports.number_or_none(row.get("lat"))
    except ValueError:
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude must be numbers.")) from None
    if lon is None or lat is None:
        if required:
            raise RowInvalid("no_place", _("Give the place's city code, or its longitude and latitude."))
        return None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RowInvalid("invalid_coordinates", _("Longitude and latitude are out of range."))
    point = Point(lon, lat, srid=4326)
    if not locate(point).found:
        raise RowInvalid("outside_city", _("The point (%(lon)s, %(lat)s) lies outside the city.") % {"lon": lon, "lat": lat})
    place = nearest_place(point)
    if place is None:
        raise RowInvalid("no_place_nearby", _("No place lies within %(m)d m of (%(lon)s, %(lat)s).") % {"m": NEAREST_PLACE_METRES, "lon": lon, "lat": lat})
    return place


def _date(row, key, label):
    try:
        return imports.date_or_none(row.get(key))
    except ValueError:
        raise RowInvalid("invalid_date", _("%(column)s is not a date: “%(value)s”.") % {"column": label, "value": imports.text(row.get(key))}) from None


def _polygon(row, key):
    raw = imports.text(row.get(key))
    if not raw:
        return None
    try:
        geometry = GEOSGeometry(raw, srid=4326)
    except (GEOSException, ValueError):
        raise RowInvalid("invalid_geometry", _("The area is not a WKT polygon.")) from None
    if geometry.geom_type != "Polygon" or not geometry.valid:
        raise RowInvalid("invalid_geometry", _("The area is not a WKT polygon."))
    if not locate(geometry.centroid).found:
        raise RowInvalid("outside_city", _("The area lies outside the city."))
    return geometry


def square_around(point: Point, half_m: float) -> Polygon:
    """A zone's outline when the file gives none (and the demo's areas): the square reaching ``half_m`` metres
    north, south, east and west of ``point``. An outline drawn, not a search box (that is ``box_around``)."""
    dlat = half_m / 111_000
    dlon = half_m / (111_000 * math.cos(math.radians(point.y)))
    polygon = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    polygon.srid = 4326
    return polygon


DUTY_WORDS = {
    "市容": FrontageZone.Duty.APPEARANCE, "appearance": FrontageZone.Duty.APPEARANCE,
    "环境卫生": FrontageZone.Duty.SANITATION, "卫生": FrontageZone.Duty.SANITATION, "sanitation": FrontageZone.Duty.SANITATION,
    "秩序": FrontageZone.Duty.ORDER, "order": FrontageZone.Duty.ORDER,
    "绿化": FrontageZone.Duty.GREENERY, "greenery": FrontageZone.Duty.GREENERY,
}


class RowParser:
    """Parses a row of one kind of file into (model, natural key, values), or raises RowInvalid."""

    def __init__(self, *, user, kind, department):
        self.user = user
        self.kind = kind
        self.department = department
        self.kinds = {}
        for licence_kind in LicenceKind.objects.all():
            self.kinds[licence_kind.code.lower()] = licence_kind
            self.kinds[licence_kind.name.lower()] = licence_kind
            if licence_kind.name_en:
                self.kinds[licence_kind.name_en.lower()] = licence_kind
        self.organizations = {o.name: o for o in Organization.objects.only("id", "name")}

    def _scope(self, region_code):
        if not covers(self.user, region_code):
            raise RowInvalid("outside_jurisdiction", _("The record lies outside your jurisdiction."))

    # Each returns (model, natural key dict, values dict).
    def licences(self, row):
        kind = self.kinds.get(imports.text(row.get("kind")).lower())
        if kind is None:
            raise RowInvalid("unknown_kind", _("Unknown licence kind “%(kind)s”.") % {"kind": imports.text(row.get("kind"))})
        number = imports.text(row.get("number"))
        if not number:
            raise RowInvalid("missing_number", _("The licence number is missing."))
        valid_from = _date(row, "valid_from", _("valid from"))
        valid_to = _date(row, "valid_to", _("valid to"))
        if valid_to is None:
            raise RowInvalid("missing_date", _("The end of validity is missing."))
        if valid_from and valid_from > valid_to:
            raise RowInvalid("date_order", _("The licence ends before it starts."))
        status_word = imports.text(row.get("status")).lower()
        if status_word not in LICENCE_STATUS_WORDS:
            raise RowInvalid("unknown_status", _("Unknown status “%(status)s”.") % {"status": status_word})
        place = _place_of(row, required=False)
        holder = None
        uscc = imports.text(row.get("holder_uscc")).upper()
        if uscc:
            if not is_valid_uscc(uscc):
                raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": uscc})
            holder = Entity.objects.select_related("region").filter(uscc=uscc).first()
            if holder is None:
                name = imports.text(row.get("holder_name"))
                if not name:
                    raise RowInvalid("unknown_holder", _("No entity has the code %(uscc)s; give the holder's name to add it.") % {"uscc": uscc})
                holder = ("new", name, uscc)
        region_code = place.region.code if place else (holder.region.code if isinstance(holder, Entity) and holder.region_id else "")
        if not region_code:
            raise RowInvalid("no_place", _("Give the place's city code, or its longitude and latitude."))
        self._scope(region_code)
        if isinstance(holder, tuple):
            holder = gbcp_services.entity_create(user=self.user, name=holder[1], uscc=holder[2], region=place.region if place else None)
        department = imports.text(row.get("department")) or self.department
        values = {
            "holder": holder, "place": place, "valid_from": valid_from, "valid_to": valid_to,
            "status": LICENCE_STATUS_WORDS[status_word], "issuing_department": department,
            "issuing_organization": self.organizations.get(department), "region_code": region_code,
        }
        return Licence, {"kind": kind, "number": number}, values

    def zones(self, row):
        code = imports.text(row.get("code"))
        if not code:
            raise RowInvalid("missing_code", _("The code is missing."))
        place = _place_of(row)
        self._scope(place.region.code)
        duties = []
        for word in imports.text(row.get("duties")).replace("，", "、").replace(",", "、").replace(";", "、").replace("；", "、").replace("/", "、").split("、"):
            word = word.strip()
            if not word:
                continue
            duty = DUTY_WORDS.get(word.lower())
            if duty is None:
                raise RowInvalid("unknown_duty", _("Unknown duty “%(duty)s”.") % {"duty": word})
            if duty not in duties:
                duties.append(duty.value)
        if not duties:
            raise RowInvalid("missing_duties", _("Name at least one duty (市容, 环境卫生, 秩序, 绿化)."))
        phone = imports.text(row.get("responsible_phone"))
        if phone:
            try:
                validate_phone(phone)
            except ValidationError:
                raise RowInvalid("invalid_phone", _("“%(phone)s” is not a phone number.") % {"phone": phone}) from None
        entity = place.operator
        uscc = imports.text(row.get("responsible_uscc")).upper()
        if uscc:
            if not is_valid_uscc(uscc):
                raise RowInvalid("invalid_uscc", _("“%(value)s” is not a valid unified social credit code (GB 32100-2015 check character).") % {"value": uscc})
            entity = Entity.objects.filter(uscc=uscc).first()
            if entity is None:
                raise RowInvalid("unknown_holder", _("No entity has the code %(uscc)s.") % {"uscc": uscc})
        zone = _polygon(row, "zone_wkt") or square_around(place.point, 8)
        values = {
            "place": place, "zone": zone, "duties": duties, "responsible_name": imports.text(row.get("responsible_name")),
            "responsible_phone": phone, "responsible_entity": entity, "region_code": place.region.code,
        }
        return FrontageZone, {"code": code}, values

    def key_points(self, row):
        code = imports.text(row.get("code"))
        name = imports.text(row.get("name"))
        reason = imports.text(row.get("reason"))
        if not (code and name and reason):
            raise RowInvalid("missing_value", _("Code, name and reason are required."))
        try:
            interval = int(float(imports.text(row.get("interval_days"))))
        except ValueError:
            interval = 0
        if not 1 <= interval <= 366:
            raise RowInvalid("invalid_interval", _("The inspection interval must be 1 to 366 days."))
        active_from = _date(row, "active_from", _("active from"))
        active_to = _date(row, "active_to", _("active to"))
        if active_from and active_to and active_from > active_to:
            raise RowInvalid("date_order", _("The key point ends before it starts."))
        area = _polygon(row, "area_wkt")
        place = _place_of(row, required=area is None)
        if place is not None:
            region_code = place.region.code
        else:
            region_code = locate(area.centroid).region.code
        self._scope(region_code)
        values = {
            "name": name, "reason": reason, "interval_days": interval, "active_from": active_from, "active_to": active_to,
            "place": place, "area": area, "region_code": region_code,
        }
        return KeyPoint, {"code": code}, values

