"""Demo of evidence preservation: a few generated site photos with EXIF attached to demo tasks of 东城区."""
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from apps.evidence import services
from apps.evidence.models import Evidence

DEMO_PHOTOS = 6
DEMO_NOTE = "演示证据"


def _deg_to_dms(value):
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    return (deg, minutes, round((minutes_f - minutes) * 60, 4))


def _photo(rng, task, n):
    image = Image.new("RGB", (320, 240), (rng.randint(120, 220), rng.randint(120, 220), rng.randint(120, 220)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randint(0, 300), rng.randint(0, 220)
        draw.rectangle([x, y, x + rng.randint(10, 60), y + rng.randint(10, 40)], fill=(rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255)))
    draw.text((8, 8), f"DEMO {task.number} #{n}", fill=(0, 0, 0))
    exif = Image.Exif()
    exif[271], exif[272] = "CityEnforce", "Demo Camera"
    when = task.received_at.astimezone()
    exif.get_ifd(0x8769)[36867] = when.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[36881] = when.strftime("%z")[:3] + ":" + when.strftime("%z")[3:]
    if task.point is not None:
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", _deg_to_dms(task.point.y), "E", _deg_to_dms(task.point.x)
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"scene-{task.number}-{n}.jpg", buf.getvalue(), content_type="image/jpeg")


def seed(ctx):
    ctx.say("Evidence: demo photos on tasks")
    from apps.dispatch.models import Task

    if Evidence.objects.filter(note=DEMO_NOTE).exists():
        ctx.say(f"  evidence: {Evidence.objects.count()} (demo already there)")
        return
    tasks = list(Task.objects.filter(region_code__startswith="110101").exclude(point=None).order_by("id")[: DEMO_PHOTOS // 2])
    rng = random.Random(20261121)
    for task in tasks:
        services.evidence_record_many(user=None, files=[_photo(rng, task, n) for n in (1, 2)], subject=task, note=DEMO_NOTE)
    ctx.say(f"  evidence: {Evidence.objects.count()}")
