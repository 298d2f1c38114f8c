import io

import pytest
from PIL import Image, ImageDraw

from apps.gbcp import citycode


def test_a_code_carries_a_check_character_that_catches_a_typo():
    code = citycode.build("110101", "place", 42)
    assert len(code) == 16 and code.startswith("110101P00000042")
    assert citycode.is_valid(code)
    typo = code[:10] + ("5" if code[10] != "5" else "6") + code[11:]
    assert not citycode.is_valid(typo)
    swapped = code[:13] + code[14] + code[13] + code[15:]
    assert code[13] == code[14] or not citycode.is_valid(swapped)


def test_extract_finds_the_code_in_a_url():
    code = citycode.build("110108", "entity", 7)
    assert citycode.extract(f"https://city.example/c/{code}") == code
    assert citycode.extract("nothing here") is None


def test_qr_png_round_trip_through_a_real_image():
    code = citycode.build("110102", "device", 123)
    png = citycode.qr_png(code)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert citycode.read_city_code_from_image(io.BytesIO(png)) == code


def test_a_code_is_read_from_a_photo_like_image():
    # The label pasted small and off-centre on a grey, larger canvas, saved as JPEG.
    code = citycode.build("110101", "place", 9)
    label = Image.open(io.BytesIO(citycode.qr_png(code, scale=4))).convert("RGB")
    canvas = Image.new("RGB", (640, 480), (170, 170, 160))
    ImageDraw.Draw(canvas).rectangle((20, 20, 120, 60), fill=(40, 60, 90))
    canvas.paste(label, (300, 150))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=85)
    buffer.seek(0)
    assert citycode.read_city_code_from_image(buffer) == code


def test_svg_label_names_the_code():
    code = citycode.build("110101", "place", 1)
    svg = citycode.qr_svg(code).decode()
    assert svg.startswith("<?xml") and code in svg


@pytest.mark.django_db
def test_place_qr_endpoint_insider_outsider_anonymous(api, api_as, insider, outsider, dongcheng_place):
    url = f"/api/gbcp/places/{dongcheng_place.pk}/qr.png"
    response = api_as(insider).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert citycode.read_city_code_from_image(io.BytesIO(response.content)) == dongcheng_place.city_code
    assert api_as(insider).get(url.replace(".png", ".svg"))["Content-Type"] == "image/svg+xml"
    assert api_as(outsider).get(url).status_code == 404
    assert api.get(url).status_code == 401


def _photo_of(code):
    buffer = io.BytesIO(citycode.qr_png(code))
    buffer.name = "label.png"
    return buffer


@pytest.mark.django_db
def test_scan_turns_a_photo_into_the_place(api, api_as, insider, outsider, dongcheng_place):
    response = api_as(insider).post("/api/gbcp/citycode/scan/", {"photo": _photo_of(dongcheng_place.city_code)}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == dongcheng_place.pk
    outside = api_as(outsider).post("/api/gbcp/citycode/scan/", {"photo": _photo_of(dongcheng_place.city_code)}, format="multipart")
    assert outside.status_code == 404
    assert api.post("/api/gbcp/citycode/scan/", {"photo": _photo_of(dongcheng_place.city_code)}, format="multipart").status_code == 401


@pytest.mark.django_db
def test_scan_accepts_a_typed_code_and_refuses_a_wrong_check_character(api_as, insider, dongcheng_place):
    client = api_as(insider)
    assert client.post("/api/gbcp/citycode/scan/", {"code": dongcheng_place.city_code.lower()}).json()["id"] == dongcheng_place.pk
    wrong = dongcheng_place.city_code[:-1] + ("A" if dongcheng_place.city_code[-1] != "A" else "B")
    response = client.post("/api/gbcp/citycode/scan/", {"code": wrong})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_city_code"


@pytest.mark.django_db
def test_scan_refuses_a_file_that_is_not_an_image_and_a_photo_without_a_code(api_as, insider):
    client = api_as(insider)
    junk = io.BytesIO(b"%PDF-1.4 not an image")
    junk.name = "label.png"
    response = client.post("/api/gbcp/citycode/scan/", {"photo": junk}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, format="PNG")
    blank.seek(0)
    blank.name = "blank.png"
    response = client.post("/api/gbcp/citycode/scan/", {"photo": blank}, format="multipart")
    assert response.status_code == 400 and response.json()["error"]["code"] == "no_city_code"


@pytest.mark.django_db
def test_the_printed_label_carries_the_name_and_the_code_under_a_readable_qr(api_as, personas, dongcheng_place):
    """Issue 13: a label a person can read without a scanner; five callers."""
    import xml.etree.ElementTree as ET

    from PIL import Image

    url = f"/api/gbcp/places/{dongcheng_place.pk}/qr.png"
    label = api_as(personas["insider"]).get(url).content
    image = Image.open(io.BytesIO(label))
    assert image.height > image.width * 1.15  # text lines under the square code
    assert citycode.read_city_code_from_image(io.BytesIO(label)) == dongcheng_place.city_code
    bare = Image.open(io.BytesIO(api_as(personas["insider"]).get(url + "?bare=1").content))
    assert bare.height == bare.width
    svg = api_as(personas["insider"]).get(url.replace(".png", ".svg")).content
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert dongcheng_place.city_code in texts and any(t and t in dongcheng_place.name for t in texts)
    for caller in ("outsider", "citizen", "merchant"):
        assert api_as(personas[caller]).get(url).status_code in (403, 404), caller
    assert api_as(personas["anonymous"]).get(url).status_code == 401


def test_a_name_with_markup_is_text_in_the_svg_label():
    import xml.etree.ElementTree as ET

    code = citycode.build("110101", "place", 7)
    svg = citycode.label_svg(code, "<script>alert(1)</script>小店")
    root = ET.fromstring(svg)
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))
    assert any("<script>" in (t.text or "") for t in root.iter("{http://www.w3.org/2000/svg}text"))
