"""The merchant's self-check pages at phone width: its places and checklists, a check with photos of failed items,
a rectification per failed item closed with a photo of the fix; nobody else sees any of it."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.gbcp.models import Entity
from apps.inspection.models import Rectification, RectificationPhoto, SelfCheck
from apps.inspection.services import checklist_for_kind
from tests.personas import five_callers, user_with
from tests.portal.conftest import image_bytes


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def png(name="p.png"):
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def _post_data(place, failed=(), with_photo=True):
    items = list(checklist_for_kind(place.kind).items.order_by("order", "id"))
    data = {"deadline": (timezone.localdate() + dt.timedelta(days=5)).isoformat(), "note": ""}
    for n, item in enumerate(items):
        data[f"outcome_{item.pk}"] = "failed" if n in failed else ("na" if n == len(items) - 1 else "passed")
        data[f"note_{item.pk}"] = "门前堆物" if n in failed else ""
        if n in failed and with_photo:
            data[f"photos_{item.pk}"] = png()
    return data, items


@pytest.fixture
def callers(district):
    from apps.accounts.models import Role

    return five_callers(role=Role.OFFICER, organization=district)


@pytest.mark.django_db
def test_a_merchant_checks_its_restaurant_and_a_failed_item_opens_a_rectification(merchant, dhm_place):
    client = client_for(merchant)
    home = client.get("/inspection/self-check/")
    assert home.status_code == 200 and dhm_place.name in home.content.decode()
    form = client.get(f"/inspection/self-check/places/{dhm_place.pk}/")
    body = form.content.decode()
    assert form.status_code == 200 and 'type="radio"' in body and 'type="file"' in body
    data, items = _post_data(dhm_place, failed=(1,))
    answer = client.post(f"/inspection/self-check/places/{dhm_place.pk}/", data)
    assert answer.status_code == 302
    check = SelfCheck.objects.get(place=dhm_place)
    assert not check.passed and check.answers.count() == len(items)
    rectification = Rectification.objects.get(self_check=check)
    assert rectification.item_id == items[1].pk and rectification.status == Rectification.Status.OPEN
    assert rectification.photos.filter(stage=RectificationPhoto.Stage.PROBLEM).count() == 1
    page = client.get(f"/inspection/rectifications/{rectification.pk}/")
    assert page.status_code == 200 and "type=\"file\"" in page.content.decode()
    # The fix with a photo closes a self-found problem.
    fixed = client.post(f"/inspection/rectifications/{rectification.pk}/answer/", {"note": "已清理", "photos": png()})
    assert fixed.status_code == 302
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.DONE and rectification.photos.filter(stage="fix").count() == 1
    photo = rectification.photos.first()
    assert client.get(f"/inspection/rectifications/{rectification.pk}/photos/{photo.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_failed_item_without_a_photo_is_refused_and_nothing_is_stored(merchant, dhm_place):
    data, _items = _post_data(dhm_place, failed=(0,), with_photo=False)
    answer = client_for(merchant).post(f"/inspection/self-check/places/{dhm_place.pk}/", data)
    assert answer.status_code == 400
    assert not SelfCheck.objects.filter(place=dhm_place).exists() and not Rectification.objects.filter(place=dhm_place).exists()


@pytest.mark.django_db
def test_the_self_check_pages_answer_only_the_business_that_operates_the_place(merchant, dhm_place, callers):
    data, _items = _post_data(dhm_place, failed=(0,))
    client_for(merchant).post(f"/inspection/self-check/places/{dhm_place.pk}/", data)
    check = SelfCheck.objects.get(place=dhm_place)
    rectification = Rectification.objects.get(self_check=check)
    photo = rectification.photos.first()
    other_business = Entity.objects.exclude(pk=merchant.entity_id).order_by("pk").first()
    business_b = user_with(entity=other_business, name="merchant-b")
    urls = [f"/inspection/self-check/places/{dhm_place.pk}/", f"/inspection/self-check/{check.pk}/",
            f"/inspection/rectifications/{rectification.pk}/photos/{photo.pk}/"]
    for url in urls:
        assert client_for(merchant).get(url).status_code == 200, url
        assert client_for(business_b).get(url).status_code == 404, url
        assert client_for(callers.citizen).get(url).status_code == 404, url
        assert client_for(callers.outsider).get(url).status_code == 404, url
        assert client_for().get(url).status_code == 302, url
    # Staff of the district see the rectification (not the merchant's self-check pages); an outsider does not.
    assert client_for(callers.insider).get(f"/inspection/rectifications/{rectification.pk}/").status_code == 200
    assert client_for(callers.insider).get(f"/inspection/self-check/{check.pk}/").status_code == 404
    assert dhm_place.name not in client_for(business_b).get("/inspection/self-check/").content.decode()
    # Another business cannot answer it, nor may staff answer for the business.
    for user in (business_b, callers.citizen, callers.outsider):
        assert client_for(user).post(f"/inspection/rectifications/{rectification.pk}/answer/", {"photos": png()}).status_code == 404
    assert client_for(callers.insider).post(f"/inspection/rectifications/{rectification.pk}/answer/", {"photos": png()}).status_code == 400
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.OPEN


@pytest.mark.django_db
def test_a_place_kind_without_a_checklist_says_so(merchant):
    from apps.inspection.rectification_selectors import merchant_places_with_checklists

    rows = merchant_places_with_checklists(user=merchant)
    assert all((checklist is None) == (place.kind not in {"restaurant", "shop", "market", "construction_site", "street_segment"})
               for place, checklist in rows)
    page = client_for(merchant).get("/inspection/self-check/")
    assert page.status_code == 200
