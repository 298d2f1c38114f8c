"""Demo of evidence preservation: a few generated site photos with EXIF attached to demo tasks of 东城区.

Evidence sits below the apps whose things it keeps evidence of and imports none of them: the demo
subjects are found by their subject type name, as the evidence API takes them
(``selectors.subject_model("dispatch.task")``), and ``attach_demo_photos`` works on any subject handed to it.
"""
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from apps.evidence import selectors, services
from apps.evidence.models import Evidence
from apps.gbcp.errors import ApplicationError

DEMO_PHOTOS = 6
DEMO_NOTE = "演示证据"
DEMO_SUBJECT_TYPE = "dispatch.task"
DEMO_REGION_PREFIX = "110101"


def _deg_to_dms(value):
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    return (deg, minutes, round((minutes_f - minutes) * 60, 4))


def _photo(rng, subject, n):
    """A JPEG with EXIF: taken when the subject was received (or now), where it lies (if it has a point)."""
    label = getattr(subject, "number", "") or subject.pk
    image = Image.new("RGB", (320, 240), (rng.randint(120, 220), rng.randint(120, 220), rng.randint(120, 220)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 300), rng.randint(0, 220)
        draw.rectangle([x, y, x + rng.randint(10, 60), y + rng.randint(10, 40)], fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    draw.text((8, 8), f"DEMO {label} #{n}", fill=(0, 0, 0))
    exif = Image.Exif()
    exif[271], exif[272] = "CityEnforce", "Demo Camera"
    when = (getattr(subject, "received_at", None) or timezone.now()).astimezone()
    exif.get_ifd(0x8769)[36867] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[36881] = when.strftime("%z")[:3] + ":" + when.strftime("%z")[3:]
    point = getattr(subject, "point", None)
    if point is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", _deg_to_dms(point.y), "E", _deg_to_dms(point.x)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"scene-{label}-{n}.jpg", buf.getvalue(), content_type="image/jpeg")


def attach_demo_photos(subjects, *, rng, per_subject=2) -> int:
    """Record ``per_subject`` generated photos as evidence of each subject; returns how many were recorded."""
    recorded = 0
    for subject in subjects:
        recorded += len(services.evidence_record_many(
            user=None, files=[_photo(rng, subject, n) for n in range(1, per_subject + 1)], subject=subject, note=DEMO_NOTE,
        ))
    return recorded


def seed(ctx):
    ctx.say("Evidence: demo photos on tasks")
    if Evidence.objects.filter(note=DEMO_NOTE).exists():
        ctx.say(f"  evidence: {Evidence.objects.count()} (demo already there)")
        return
    try:
        model = selectors.subject_model(DEMO_SUBJECT_TYPE)
    except ApplicationError:  # the task centre is not installed: nothing to attach photos to
        ctx.say("  evidence: no tasks to attach demo photos to")
        return
    subjects = model._default_manager.filter(region_code__startswith=DEMO_REGION_PREFIX).exclude(point=None).order_by("id")
    attach_demo_photos(list(subjects[: DEMO_PHOTOS // 2]), rng=random.Random(20261121))
    ctx.say(f"  evidence: {Evidence.objects.count()}")
