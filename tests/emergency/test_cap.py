"""CAP 1.2 parsing and validation: the specification's examples, a Chinese warning, invalid documents, XXE, axis order."""
import pytest

from apps.emergency import cap
from tests.emergency.conftest import cap_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, msg_type, event, headline", [
    ("homeland_security", "Alert", "Homeland Security Advisory System Update", "Homeland Security Sets Code ORANGE"),
    ("thunderstorm", "Alert", "SEVERE THUNDERSTORM", "SEVERE THUNDERSTORM WARNING"),
    ("earthquake", "Update", "Earthquake", "EQ 3.4 Imperial County CA"),
    ("amber", "Alert", "Child Abduction", "Amber Alert in Los Angeles County"),
    ("rainstorm_blue", "Alert", "暴雨", "北京市气象台发布暴雨蓝色预警信号"),
])
def test_specification_examples_and_chinese_warning_are_valid(name, msg_type, event, headline):
    alert = cap.parse(cap_document(name))
    assert (alert.msg_type, alert.event, alert.headline) == (msg_type, event, headline)
    assert alert.sent.utcoffset() is not None


def test_fields_of_the_examples():
    rain = cap.parse(cap_document("rainstorm_blue"))
    assert rain.event_type == "rainstorm" and rain.geocodes == [{"name": "行政区划代码", "value": "110101"}]
    quake = cap.parse(cap_document("earthquake"))
    assert quake.references == [["trinet@caltech.edu", "TRI13970876.1", "2003-06-11T20:30:00-07:00"]]
    # A zero-radius circle still becomes a small polygon around the epicentre (lon -115.55, lat 32.95).
    assert quake.area.centroid.x == pytest.approx(-115.5527, abs=1e-4)
    assert quake.area.centroid.y == pytest.approx(32.9525, abs=1e-4)
    assert cap.parse(cap_document("amber")).geocodes == [{"name": "SAME", "value": "006037"}]


def test_polygon_lat_lon_pairs_become_lon_lat_geometry():
    storm = cap.parse(cap_document("thunderstorm"))
    xmin, ymin, xmax, ymax = storm.area.extent
    assert (xmin, ymin, xmax, ymax) == (-120.14, 38.34, -119.74, 38.62)  # x is longitude
    assert storm.area.srid == 4326


@pytest.mark.parametrize("old, new, why", [
    ("<status>Actual</status>", "<status>Real</status>", "status"),
    ("<scope>Public</scope>", "", "scope"),
    ("2003-06-17T14:57:00-07:00</sent>", "2003-06-17T21:57:00Z</sent>", "sent"),
    ("<urgency>Immediate</urgency>\n    <severity>Severe</severity>", "<severity>Severe</severity>\n    <urgency>Immediate</urgency>", "order"),
])
def test_invalid_documents_are_refused(old, new, why):
    text = cap_document("thunderstorm").decode()
    assert old in text, why
    with pytest.raises(cap.CapError):
        cap.parse(text.replace(old, new))


def test_not_xml_and_not_cap_are_refused():
    with pytest.raises(cap.CapError):
        cap.parse(b"<alert")
    with pytest.raises(cap.CapError):
        cap.parse(b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"/>')


def test_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    text = cap_document("thunderstorm").decode().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{secret}">]>',
    ).replace("BARUFFALDI/JUSKIE", "&xxe;")
    with pytest.raises(cap.CapError) as refused:
        cap.parse(text)
    assert "TOP-SECRET" not in str(refused.value)


def test_billion_laughs_is_refused():
    bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>' \
           '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>'
    with pytest.raises(cap.CapError):
        cap.parse(bomb)


@pytest.mark.parametrize("value", ["38.47,-120.14 38.34,-119.95 38.47,-120.14", "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89",
                                   "95,10 1,1 2,2 95,10"])
def test_bad_polygons_are_refused(value):
    with pytest.raises(cap.CapError):
        cap.polygon_of(value)
