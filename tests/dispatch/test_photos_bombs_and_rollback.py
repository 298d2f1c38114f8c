"""Task photos: a decompression bomb is refused with a clear 400; a photo stored in a transaction that rolls back leaves the disk."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.accounts.models import User
from apps.dispatch import services
from apps.dispatch.models import Source, Status, TaskPhoto
from tests.imagefiles import bomb_png, small_png


class Boom(Exception):
    """A failure after the photos were stored, in the caller's transaction."""


def photo(name="a.png", data=None):
    return SimpleUploadedFile(name, data or small_png(), content_type="image/png")


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def accepted_task(db, insider, dhm_point, vendor_category):
    task = services.task_intake(user=insider, source=Source.CITIZEN, description="东华门大街有人占道经营", point=dhm_point,
                                category=vendor_category).task
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    return task


@pytest.mark.django_db
def test_a_hundred_megapixel_feedback_photo_is_refused_with_a_clear_400(api_as, accepted_task, media_root):
    officer = api_as(User.objects.get(username="dhm_officer1"))
    bomb = io.BytesIO(bomb_png())
    bomb.name = "scene.png"
    response = officer.post(f"/api/dispatch/tasks/{accepted_task.pk}/feedback/", {"result": "已清理", "photos": [bomb]}, format="multipart")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "image_too_large"
    accepted_task.refresh_from_db()
    assert accepted_task.status == Status.ACCEPTED and not stored_files(media_root)


@pytest.mark.django_db
def test_report_photos_stored_in_a_transaction_that_rolls_back_leave_the_disk(insider, dhm_point, vendor_category, media_root):
    with pytest.raises(Boom):
        with transaction.atomic():
            result = services.task_intake_with_photos(photos=[photo(), photo("b.png")], user=insider, source=Source.DISPATCHER,
                                                      description="东华门大街有人乱堆物料", point=dhm_point, category=vendor_category)
            assert len(stored_files(media_root)) == 2 and TaskPhoto.objects.filter(task=result.report).count() == 2
            raise Boom()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_feedback_photos_stored_in_a_transaction_that_rolls_back_leave_the_disk(accepted_task, media_root):
    officer = User.objects.get(username="dhm_officer1")
    with pytest.raises(Boom):
        with transaction.atomic():
            services.task_feedback(user=officer, task=accepted_task, result="已清理", photos=[photo()])
            assert len(stored_files(media_root)) == 1
            raise Boom()
    assert stored_files(media_root) == []
    # Committed photos stay.
    services.task_feedback(user=officer, task=accepted_task, result="已清理", photos=[photo()])
    assert len(stored_files(media_root)) == 1
