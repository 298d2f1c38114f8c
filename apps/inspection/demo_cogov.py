"""Demo of rectifications: an inspection of the demo merchant's restaurant found its fume purifier off, and the officer
issued a rectification notice (整改通知) due in 7 days; called from apps.inspection.demo."""
import datetime as dt

from django.utils import timezone

from apps.accounts.models import User
from apps.gbcp.models import Place
from apps.inspection import services
from apps.inspection.models import Outcome, Rectification
from apps.inspection.services.rectifications import rectification_issue

FUME_ITEM = "油烟净化设施正常使用，无油烟直排"
DEMO_NOTE = "[demo-cogov]"


def seed(ctx):
    merchant = User.objects.filter(username="merchant").first()
    officer, co_officer = User.objects.filter(username="dhm_officer1").first(), User.objects.filter(username="dhm_officer2").first()
    if merchant is None or not merchant.entity_id or officer is None or co_officer is None:
        return
    if Rectification.objects.filter(origin=Rectification.Origin.INSPECTION, entity_id=merchant.entity_id).exists():
        return
    place = (Place.objects.filter(operator_id=merchant.entity_id, kind=Place.Kind.RESTAURANT, region__code__startswith="110101001")
             .select_related("region", "operator").order_by("id").first())
    if place is None:
        return
    items = list(services.checklist_for_kind(place.kind).items.filter(is_active=True).order_by("order", "id"))
    answers = [{"item": i.pk, "outcome": Outcome.FAILED if i.text == FUME_ITEM else Outcome.PASSED,
                "note": "油烟净化器未开启，油烟直排" if i.text == FUME_ITEM else ""} for i in items]
    record = services.inspection_record(user=officer, place=place, co_officer=co_officer, answers=answers, point=place.point,
                                        inspected_at=timezone.now() - dt.timedelta(days=1), note=f"{DEMO_NOTE} 日常巡查")
    finding = record.findings.select_related("place").first()
    if finding is not None:
        rectification_issue(user=officer, finding=finding, deadline=timezone.localdate() + dt.timedelta(days=7),
                            requirement="请开启并清洗油烟净化设施，保留清洗记录，整改后上传照片。")
    ctx.say(f"  rectifications: {Rectification.objects.count()}")
