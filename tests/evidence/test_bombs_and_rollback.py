"""Evidence: a decompression bomb is refused with a clear 400; a file recorded in a transaction that rolls back leaves the disk."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from apps.evidence import services
from apps.evidence.models import Evidence, LogEntry
from apps.evidence.verify import orphan_files
from tests.imagefiles import bomb_png

pytestmark = pytest.mark.django_db


class Boom(Exception):
    """A failure after the evidence was recorded, in the caller's transaction."""


def _files(root):
    """Every evidence file under the (private copy of the) media root, as storage names."""
    return {str(p.relative_to(root)) for p in (root / "evidence").rglob("*") if p.is_file()} if (root / "evidence").exists() else set()


def test_a_hundred_megapixel_png_is_refused_as_evidence_with_a_clear_400(api_as, insider, dc_task, media_root):
    before_files, before_rows = _files(media_root), Evidence.objects.count()
    bomb = SimpleUploadedFile("scene.png", bomb_png(), content_type="image/png")
    response = api_as(insider).post("/api/evidence/", {"file": bomb, "subject_type": "dispatch.task", "subject_id": dc_task.pk},
                                    format="multipart")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "image_too_large" and "100" in error["message"]
    assert Evidence.objects.count() == before_rows and _files(media_root) == before_files


def test_a_file_recorded_in_a_transaction_that_rolls_back_does_not_stay_on_disk(insider, photo, dc_task, media_root):
    before_files, before_entries, before_orphans = _files(media_root), LogEntry.objects.count(), orphan_files()
    with pytest.raises(Boom):
        with transaction.atomic():
            evidence = services.evidence_record(user=insider, file=photo(), subject=dc_task)
            assert (media_root / evidence.file.name).exists()
            raise Boom()
    assert _files(media_root) == before_files
    assert LogEntry.objects.count() == before_entries
    assert orphan_files() == before_orphans


def test_a_rollback_of_one_batch_keeps_the_files_of_an_earlier_committed_one(insider, photo, dc_task, media_root):
    kept = services.evidence_record(user=insider, file=photo(), subject=dc_task)
    before = _files(media_root)
    with pytest.raises(Boom):
        with transaction.atomic():
            batch = services.evidence_record_many(user=insider, files=[photo(), photo()], subject=dc_task)
            assert all((media_root / e.file.name).exists() for e in batch)
            raise Boom()
    assert _files(media_root) == before and kept.file.name in before
    assert (media_root / kept.file.name).exists()


def test_the_same_bytes_recorded_again_and_rolled_back_keep_the_first_copy(insider, photo, dc_task, media_root):
    upload = photo()
    data = upload.read()
    first = services.evidence_record(user=insider, file=SimpleUploadedFile("a.jpg", data, content_type="image/jpeg"), subject=dc_task)
    with pytest.raises(Boom):
        with transaction.atomic():
            services.evidence_record(user=insider, file=SimpleUploadedFile("b.jpg", data, content_type="image/jpeg"), subject=dc_task)
            raise Boom()
    assert (media_root / first.file.name).read_bytes() == data


def test_a_failure_inside_the_recording_leaves_no_file(insider, photo, dc_task, media_root, monkeypatch):
    before = _files(media_root)

    def broken_append(state, evidence):
        raise Boom()

    monkeypatch.setattr(services, "_append", broken_append)
    with pytest.raises(Boom):
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert _files(media_root) == before
