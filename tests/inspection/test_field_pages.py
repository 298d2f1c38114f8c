"""The officer's inspection in the browser (issue 13): the QR label photographed and read, the checklist filled at
phone width, a failed item handed on as a task or a case in one step; five callers."""
import io

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.gbcp import citycode
from apps.inspection.models import Finding, InspectionRecord
from tests.personas import five_callers


def web_for(user):
    web = Client()
    web.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        web.force_login(user)
    return web


def label_photo(place):
    return SimpleUploadedFile("label.png", citycode.label_png(place.city_code, place.name), content_type="image/png")


def filled(place, co_officer, failed=(), note="门前摆摊占道"):
    from apps.inspection.services import checklist_for_kind

    data = {"co_officer": co_officer.pk}
    for n, item in enumerate(checklist_for_kind(place.kind).items.filter(is_active=True).order_by("order", "pk")):
        data[f"item_{item.pk}"] = "failed" if n in failed else "passed"
        data[f"note_{item.pk}"] = note if n in failed else ""
    return data


@pytest.mark.django_db
def test_the_photographed_qr_label_finds_the_place_and_a_typed_code_too(officer1, dhm_place):
    web = web_for(officer1)
    assert web.get("/inspection/record/").status_code == 200
    response = web.post("/inspection/record/", {"qr_photo": label_photo(dhm_place)})
    assert response.status_code == 302 and response["Location"] == f"/inspection/record/places/{dhm_place.pk}/?by=qr_photo"
    response = web.post("/inspection/record/", {"city_code": dhm_place.city_code.lower()})
    assert response.status_code == 302 and response["Location"].startswith(f"/inspection/record/places/{dhm_place.pk}/")


@pytest.mark.django_db
def test_a_photo_without_a_code_or_nothing_at_all_is_a_clear_400(officer1):
    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, "PNG")
    web = web_for(officer1)
    response = web.post("/inspection/record/", {"qr_photo": SimpleUploadedFile("x.png", blank.getvalue(), content_type="image/png")})
    assert response.status_code == 400 and "No city code could be read from the photo." in response.content.decode()
    response = web.post("/inspection/record/", {})
    assert response.status_code == 400 and "Photograph the QR label" in response.content.decode()


@pytest.mark.django_db
def test_two_officers_fill_the_checklist_and_a_failed_item_becomes_a_task_and_another_a_case(officer1, officer2, dhm_place):
    web = web_for(officer1)
    page = web.get(f"/inspection/record/places/{dhm_place.pk}/?by=qr_photo")
    html = page.content.decode()
    assert page.status_code == 200 and 'type="radio"' in html and 'data-search="people"' in html and "field.js" in html
    # A failed item without a note is sent back with the answers kept.
    response = web.post(f"/inspection/record/places/{dhm_place.pk}/?by=qr_photo", {**filled(dhm_place, officer2, failed=(0,), note="")})
    assert response.status_code == 400 and "Say what was found." in response.content.decode()
    assert not InspectionRecord.objects.filter(place=dhm_place).exists()
    response = web.post(f"/inspection/record/places/{dhm_place.pk}/?by=qr_photo", {**filled(dhm_place, officer2, failed=(0, 1)),
                                                                                  "lat": dhm_place.point.y, "lon": dhm_place.point.x})
    record = InspectionRecord.objects.get(place=dhm_place)
    assert response.status_code == 302 and response["Location"] == f"/inspection/records/{record.pk}/"
    assert record.co_officer == officer2 and record.identified_by == "qr_photo" and not record.passed and record.point is not None
    first, second = Finding.objects.filter(record=record).order_by("item__order", "pk")
    detail = web.get(f"/inspection/records/{record.pk}/").content.decode()
    assert "Hand to the task centre" in detail and f"/inspection/findings/{first.pk}/hand-on/task/" in detail
    web.post(f"/inspection/findings/{first.pk}/hand-on/task/")
    first.refresh_from_db()
    assert first.task is not None and first.task.source == "patrol"
    # Once: a second hand-on changes nothing.
    web.post(f"/inspection/findings/{first.pk}/hand-on/case/")
    first.refresh_from_db()
    assert first.case_id is None
    if second.item.cause_code:
        web.post(f"/inspection/findings/{second.pk}/hand-on/case/")
        second.refresh_from_db()
        assert second.case_id is not None and second.case_number
    assert web.post(f"/inspection/findings/{first.pk}/hand-on/delete/").status_code == 404


@pytest.mark.django_db
def test_five_callers_on_the_record_pages(officer1, officer2, dhm_place, squad, answers_for):
    from apps.accounts.models import Role
    from apps.inspection import services

    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place, failed=(0,)))
    finding = record.findings.get()
    callers = five_callers(role=Role.OFFICER, organization=squad)
    for name, user in callers.others() + [("insider", callers.insider)]:  # the insider last: it hands the finding on
        web = web_for(user)
        detail = web.get(f"/inspection/records/{record.pk}/")
        new = web.get(f"/inspection/record/places/{dhm_place.pk}/")
        hand_on = web.post(f"/inspection/findings/{finding.pk}/hand-on/task/")
        if name == "insider":
            assert detail.status_code == 200 and new.status_code == 200
        elif name == "anonymous":
            assert all(r.status_code == 302 and "/accounts/login/" in r["Location"] for r in (detail, new, hand_on))
        else:
            # Another district's officer: not found, like a record that does not exist; citizens and merchants: no staff page.
            assert detail.status_code in (403, 404) and new.status_code in (403, 404) and hand_on.status_code in (403, 404), name
        finding.refresh_from_db()
        assert (finding.task_id is not None) == (name == "insider"), name
