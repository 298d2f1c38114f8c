"""Recording evidence: content checks, hashing, EXIF, storage, region, all-or-nothing."""
import datetime as dt
import hashlib
import os

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.evidence import selectors, services
from apps.evidence.models import Evidence, LogEntry, TreeHead
from apps.gbcp.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _files(root):
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def test_it_records_a_photo_with_its_hash_and_one_log_entry(insider, photo, dc_task, media_root):
    upload = photo()
    content = upload.read()
    heads_before = TreeHead.objects.count()
    evidence = services.evidence_record(user=insider, file=upload, subject=dc_task, note="占道经营")
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    assert evidence.kind == "photo" and evidence.media_type == "image/jpeg"
    assert evidence.region_code == dc_task.region_code
    assert evidence.uploaded_by == insider
    assert evidence.file.name == f"evidence/sha256/{evidence.sha256[:2]}/{evidence.sha256[2:4]}/{evidence.sha256}.jpg"
    assert (media_root / evidence.file.name).read_bytes() == content
    assert evidence.log_entry.index == LogEntry.objects.count() - 1
    assert TreeHead.objects.count() == heads_before + 1
    assert list(selectors.evidence_for_subject(subject=dc_task)) [-1] == evidence


def test_a_jpg_that_is_really_text_is_refused_and_nothing_is_stored(insider, dc_task, media_root):
    before_files, before_rows = _files(media_root), Evidence.objects.count()
    fake = SimpleUploadedFile("scene.jpg", b"just some text, not a photo at all\n" * 10, content_type="image/jpeg")
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=fake, subject=dc_task)
    assert exc.value.code == "evidence_type_mismatch"
    assert Evidence.objects.count() == before_rows and _files(media_root) == before_files


def test_a_png_named_jpg_is_a_mismatch(insider, dc_task, media_root):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, format="PNG")
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=SimpleUploadedFile("a.jpg", buf.getvalue()), subject=dc_task)
    assert exc.value.code == "evidence_type_mismatch"


def test_a_real_png_is_accepted_as_a_photo(insider, dc_task, media_root):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(buf, format="PNG")
    evidence = services.evidence_record(user=insider, file=SimpleUploadedFile("scene.png", buf.getvalue()), subject=dc_task)
    assert evidence.kind == "photo" and evidence.media_type == "image/png"
    assert evidence.sha256 == hashlib.sha256(buf.getvalue()).hexdigest()


def test_an_unknown_extension_is_unsupported(insider, dc_task, media_root):
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 100), subject=dc_task)
    assert exc.value.code == "evidence_type_unsupported"


def test_a_truncated_jpeg_is_refused(insider, dc_task, photo, media_root):
    data = photo(size=(300, 200)).read()
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=SimpleUploadedFile("cut.jpg", data[: len(data) // 2]), subject=dc_task)
    assert exc.value.code == "evidence_type_mismatch"


def test_a_file_over_the_size_limit_is_refused(insider, dc_task, photo, media_root, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert exc.value.code == "evidence_too_large"


def test_a_pdf_and_an_mp4_are_accepted_by_their_content(insider, dc_task, media_root):
    pdf = SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    mp4 = SimpleUploadedFile("clip.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64)
    doc, video = services.evidence_record_many(user=insider, files=[pdf, mp4], subject=dc_task)
    assert (doc.kind, doc.media_type) == ("document", "application/pdf")
    assert (video.kind, video.media_type) == ("video", "video/mp4")
    assert video.log_entry.index == doc.log_entry.index + 1


def test_a_kind_that_does_not_match_the_content_is_refused(insider, dc_task, photo, media_root):
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=photo(), subject=dc_task, kind="video")
    assert exc.value.code == "evidence_type_mismatch"


def test_exif_gives_capture_time_place_and_camera_when_not_given(insider, photo, media_root):
    from tests.evidence.conftest import exif_with

    evidence = services.evidence_record(user=insider, file=photo(exif=exif_with()))
    assert evidence.device == "Huawei P60"
    assert evidence.captured_at == dt.datetime(2026, 11, 20, 1, 15, tzinfo=dt.timezone.utc)  # 09:15 Beijing time
    assert evidence.point.y == pytest.approx(39 + 54 / 60 + 15.12 / 3600, abs=1e-6)
    assert evidence.point.x == pytest.approx(116 + 23 / 60 + 51.36 / 3600, abs=1e-6)
    # No subject and no region given: the point says where (a street of 东城/西城).
    assert evidence.region_code.startswith("1101")


def test_explicit_values_win_over_exif(insider, photo, media_root, dc_task):
    from django.utils import timezone

    from tests.evidence.conftest import exif_with

    when = timezone.now().replace(microsecond=0) - timezone.timedelta(hours=1)
    evidence = services.evidence_record(
        user=insider, file=photo(exif=exif_with()), subject=dc_task, captured_at=when,
        point=Point(116.4, 39.91, srid=4326), device="执法记录仪 DSJ-01",
    )
    assert (evidence.captured_at, evidence.device) == (when, "执法记录仪 DSJ-01")
    assert (evidence.point.x, evidence.point.y) == (116.4, 39.91)


def test_one_bad_file_in_a_batch_leaves_no_row_and_no_file(insider, photo, dc_task, media_root):
    before_files, before_rows, before_log = _files(media_root), Evidence.objects.count(), LogEntry.objects.count()
    with pytest.raises(ApplicationError):
        services.evidence_record_many(user=insider, files=[photo(), SimpleUploadedFile("b.jpg", b"text")], subject=dc_task)
    assert (Evidence.objects.count(), LogEntry.objects.count()) == (before_rows, before_log)
    assert _files(media_root) == before_files


def test_a_failure_after_the_file_was_written_removes_the_file(insider, photo, dc_task, media_root, monkeypatch):
    before_files = _files(media_root)

    def broken(state):
        raise RuntimeError("signing service down")

    monkeypatch.setattr(services, "_sign_head", broken)
    with pytest.raises(RuntimeError):
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert _files(media_root) == before_files


def test_the_same_bytes_twice_share_one_file_and_get_two_entries(insider, photo, dc_task, media_root):
    data = photo().read()
    first = services.evidence_record(user=insider, file=SimpleUploadedFile("a.jpg", data), subject=dc_task)
    second = services.evidence_record(user=insider, file=SimpleUploadedFile("b.jpg", data), subject=dc_task)
    assert first.file.name == second.file.name and first.pk != second.pk
    assert second.log_entry.index == first.log_entry.index + 1
    assert os.path.exists(media_root / first.file.name)


def test_appends_are_serialised_by_a_row_lock_or_an_immediate_transaction(insider, photo, dc_task, media_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.evidence_record(user=insider, file=photo(), subject=dc_task)
    if connection.vendor == "postgresql":
        assert any("evidence_logstate" in q["sql"] and "FOR UPDATE" in q["sql"] for q in queries.captured_queries)
    else:
        assert connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE"
    indexes = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indexes == list(range(len(indexes)))


def test_no_file_and_a_capture_time_in_the_future_are_refused(insider, photo, dc_task, media_root):
    from django.utils import timezone

    with pytest.raises(ApplicationError) as exc:
        services.evidence_record_many(user=insider, files=[], subject=dc_task)
    assert exc.value.code == "evidence_missing"
    with pytest.raises(ApplicationError) as exc:
        services.evidence_record(user=insider, file=photo(), subject=dc_task, captured_at=timezone.now() + timezone.timedelta(days=1))
    assert exc.value.code == "evidence_captured_in_future"


def test_history_names_the_uploader(insider, photo, dc_task, media_root):
    evidence = services.evidence_record(user=insider, file=photo(), subject=dc_task)
    assert evidence.history.get().history_user == insider
