"""CAP 1.2 (Common Alerting Protocol) in: safe parsing, validation against the project's XSD, and the alert's areas
as GEOS geometry.

Parsing never resolves entities, never reads a DTD and never touches the network (XXE-safe); a document with a
DOCTYPE is refused outright. CAP writes points as "latitude,longitude": GEOS wants (x=longitude, y=latitude).
"""
import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.contrib.gis.geos import MultiPolygon, Polygon
from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "cap-1.2.xsd"
CIRCLE_VERTICES = 36
EARTH_RADIUS_KM = 6371.0088

# Words of the <event> element (Chinese and English) that name our event types.
EVENT_WORDS = (
    ("rainstorm", ("暴雨", "rainstorm", "heavy rain", "flood")),
    ("snowstorm", ("暴雪", "snowstorm", "blizzard", "snow")),
    ("gale", ("大风", "gale", "high wind", "thunderstorm", "typhoon", "台风")),
    ("heat", ("高温", "heat")),
)


class CapError(ValueError):
    """The document is not a CAP 1.2 alert we can accept; ``str()`` says why."""


@dataclass
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: list = field(default_factory=list)  # [(sender, identifier, sent)]
    event: str = ""
    event_type: str = ""
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    headline: str = ""
    description: str = ""
    expires: datetime | None = None
    area_description: str = ""
    area: MultiPolygon | None = None
    geocodes: list = field(default_factory=list)


_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH), _parser()))
    return _schema


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True)


def parse(data: bytes | str) -> CapAlert:
    """Parse and validate one CAP 1.2 ``<alert>``; raise ``CapError`` on anything else."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise CapError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise CapError("a DOCTYPE is not allowed in a CAP alert")
    if root.tag != f"{{{NS}}}alert":
        raise CapError("the root element is not a CAP 1.2 <alert>")
    validator = schema()
    if not validator.validate(root):
        raise CapError("; ".join(f"line {e.line}: {e.message}" for e in validator.error_log)[:2000])
    return _read(root)


def _text(node, name, default=""):
    found = node.find(f"{{{NS}}}{name}")
    return (found.text or "").strip() if found is not None else default


def _time(value):
    return datetime.fromisoformat(value) if value else None


def _read(root) -> CapAlert:
    alert = CapAlert(
        identifier=_text(root, "identifier"), sender=_text(root, "sender"), sent=_time(_text(root, "sent")),
        status=_text(root, "status"), msg_type=_text(root, "msgType"), scope=_text(root, "scope"),
        references=references_of(_text(root, "references")),
    )
    info = root.find(f"{{{NS}}}info")
    if info is None:
        return alert
    alert.event = _text(info, "event")
    alert.event_type = event_type_of(alert.event)
    alert.urgency, alert.severity, alert.certainty = _text(info, "urgency"), _text(info, "severity"), _text(info, "certainty")
    alert.headline, alert.description = _text(info, "headline")[:255], _text(info, "description")
    alert.expires = _time(_text(info, "expires"))
    polygons, descriptions = [], []
    for area in info.iter(f"{{{NS}}}area"):
        descriptions.append(_text(area, "areaDesc"))
        polygons += [polygon_of(p.text or "") for p in area.iter(f"{{{NS}}}polygon")]
        polygons += [circle_of(c.text or "") for c in area.iter(f"{{{NS}}}circle")]
        alert.geocodes += [{"name": _text(g, "valueName"), "value": _text(g, "value")} for g in area.iter(f"{{{NS}}}geocode")]
    alert.area_description = "; ".join(d for d in descriptions if d)
    if polygons:
        alert.area = MultiPolygon(polygons, srid=4326)
    return alert


def references_of(value: str) -> list:
    """CAP <references>: space-separated "sender,identifier,sent" triples."""
    found = []
    for triple in value.split():
        parts = triple.split(",")
        if len(parts) == 3:
            found.append(parts)
    return found


def event_type_of(event: str) -> str:
    lowered = event.lower()
    for event_type, words in EVENT_WORDS:
        if any(word in lowered for word in words):
            return event_type
    return ""


def _point(pair: str):
    try:
        lat, lon = (float(v) for v in pair.split(","))
    except ValueError:
        raise CapError(f"not a 'latitude,longitude' pair: {pair!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CapError(f"coordinates out of range: {pair!r}")
    return lon, lat  # GEOS order: x = longitude, y = latitude


def polygon_of(value: str) -> Polygon:
    """A CAP <polygon> ("lat,lon lat,lon ..." closed, at least four pairs) as a WGS-84 polygon."""
    ring = [_point(pair) for pair in value.split()]
    if len(ring) < 4 or ring[0] != ring[-1]:
        raise CapError("a CAP polygon needs at least four pairs, the first repeated as the last")
    return Polygon(ring, srid=4326)


def circle_of(value: str) -> Polygon:
    """A CAP <circle> ("lat,lon radius_km") as a WGS-84 polygon of CIRCLE_VERTICES sides."""
    try:
        centre, radius = value.split()
        radius_km = float(radius)
    except ValueError:
        raise CapError(f"not a CAP circle: {value!r}") from None
    lon, lat = _point(centre)
    if radius_km <= 0:
        # A zero radius is a point; give it a few metres so that it can still intersect a region.
        radius_km = 0.01
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    ring = [(lon + dlon * math.cos(a), lat + dlat * math.sin(a))
            for a in (2 * math.pi * i / CIRCLE_VERTICES for i in range(CIRCLE_VERTICES))]
    ring.append(ring[0])
    return Polygon(ring, srid=4326)
