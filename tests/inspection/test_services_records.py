"""Inspection records: two officers, a complete checklist, findings into tasks and cases once, USCC from the licence."""
import io

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.dispatch.models import Source, Task
from apps.gbcp import citycode
from apps.gbcp.errors import ApplicationError, NotFound
from apps.inspection import services
from apps.inspection.models import Assignment, Finding, InspectionRecord


def ensure_cause(code):
    """The cases catalogue may not be seeded in the demo yet: load the one cause the test needs."""
    from apps.cases import services as cases
    from apps.cases.models import CaseCause

    if not CaseCause.objects.filter(code=code).exists():
        cases.catalogue_load(user=None, causes=[{
            "code": code, "name": "店外经营", "area": "", "category_codes": [], "legal_basis": "《北京市市容环境卫生条例》第二十二条",
            "penalty_basis": "《北京市市容环境卫生条例》第五十条", "simple_allowed": True, "serious_harm": False,
            "levels": [{"level": "slight", "conditions": "初次", "harm": "轻微", "fine_min": 0, "fine_max": 200, "warning_allowed": True}],
        }])


def png_of(text):
    """A phone-like JPEG photo of a QR code carrying ``text``."""
    from PIL import Image

    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    buffer.seek(0)
    jpeg = io.BytesIO()
    Image.open(buffer).convert("RGB").save(jpeg, format="JPEG", quality=90)
    return SimpleUploadedFile("photo.jpg", jpeg.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
def test_an_inspection_with_one_officer_is_refused(officer1, dhm_place, answers_for):
    for co in (None, officer1):
        with pytest.raises(ApplicationError) as err:
            services.inspection_record(user=officer1, place=dhm_place, co_officer=co, answers=answers_for(dhm_place))
        assert err.value.code == "two_officers_required"
    assert not InspectionRecord.objects.filter(place=dhm_place, note="").exists()


@pytest.mark.django_db
def test_a_co_officer_from_another_district_is_refused(officer1, zgc_officer, dhm_place, answers_for):
    with pytest.raises(ApplicationError) as err:
        services.inspection_record(user=officer1, place=dhm_place, co_officer=zgc_officer, answers=answers_for(dhm_place))
    assert err.value.code == "invalid_co_officer"


@pytest.mark.django_db
def test_every_item_of_the_checklist_must_be_answered(officer1, officer2, dhm_place, answers_for):
    with pytest.raises(ApplicationError) as err:
        services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place)[1:])
    assert err.value.code == "incomplete_checklist" and err.value.details["missing_items"]


@pytest.mark.django_db
def test_a_failed_item_becomes_a_finding_and_the_record_is_not_passed(record_with_finding):
    assert not record_with_finding.passed
    finding = record_with_finding.findings.get()
    assert finding.item.cause_code == "01-001" and finding.region_code.startswith("110101001")


@pytest.mark.django_db
def test_an_outsider_officer_cannot_record_at_a_place_elsewhere(zgc_officer, officer2, dhm_place, answers_for):
    with pytest.raises(NotFound):
        services.inspection_record(user=zgc_officer, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place))


@pytest.mark.django_db
def test_a_finding_becomes_a_patrol_task_in_the_items_category_once(record_with_finding, officer1):
    finding = services.finding_to_task(user=officer1, finding=record_with_finding.findings.get())
    task = Task.objects.get(pk=finding.task_id)
    assert task.source == Source.PATROL and task.category == finding.item.category and task.place_id == finding.place_id
    with pytest.raises(ApplicationError) as err:
        services.finding_to_task(user=officer1, finding=finding)
    assert err.value.code == "finding_handled"
    with pytest.raises(ApplicationError):
        services.finding_to_case(user=officer1, finding=finding)


@pytest.mark.django_db
def test_a_finding_becomes_a_case_with_the_items_cause_once(record_with_finding, officer1):
    cases = pytest.importorskip("apps.cases.services")
    if not hasattr(cases, "case_open"):
        pytest.skip("apps.cases.services has no case_open yet (w/cases not merged)")
    ensure_cause("01-001")
    finding = services.finding_to_case(user=officer1, finding=record_with_finding.findings.get())
    assert finding.case_id and finding.case_number
    with pytest.raises(ApplicationError) as err:
        services.finding_to_case(user=officer1, finding=Finding.objects.get(pk=finding.pk))
    assert err.value.code == "finding_handled"


@pytest.mark.django_db
def test_the_uscc_is_read_from_a_qr_code_on_the_licence_and_compared_with_the_ledger(officer1, officer2, dhm_place, answers_for):
    from apps.gbcp.models import Entity

    other = Entity.objects.exclude(pk=dhm_place.operator_id).exclude(uscc="").order_by("id").first()
    licence = png_of(f"https://gsxt.example/licence?uscc={other.uscc}&name=x")
    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place),
                                        licence_photo=licence, uscc_typed=dhm_place.operator.uscc)
    assert record.uscc_source == "qr" and record.uscc == other.uscc and record.uscc_mismatch
    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place),
                                        uscc_typed=dhm_place.operator.uscc)
    assert record.uscc_source == "typed" and not record.uscc_mismatch
    assert services.uscc_from_licence_photo(licence) == other.uscc


@pytest.mark.django_db
def test_a_typed_uscc_that_differs_from_the_ledger_is_flagged(officer1, officer2, dhm_place, answers_for):
    from apps.gbcp.models import Entity

    other = Entity.objects.exclude(pk=dhm_place.operator_id).order_by("id").first()
    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place), uscc_typed=other.uscc)
    assert record.uscc_mismatch and record.ledger_uscc == dhm_place.operator.uscc
    with pytest.raises(ApplicationError) as err:
        services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place), uscc_typed="91110000ABCDEFGH12")
    assert err.value.code == "invalid_uscc"


@pytest.mark.django_db
def test_a_place_is_identified_by_code_qr_photo_ledger_id_or_nearest_point(officer1, dhm_place):
    from django.contrib.gis.geos import Point

    assert services.place_identify(user=officer1, city_code=dhm_place.city_code.lower()).place == dhm_place
    assert services.place_identify(user=officer1, qr_photo=png_of(dhm_place.city_code)).identified_by == "qr_photo"
    assert services.place_identify(user=officer1, ledger_id=dhm_place.pk).place == dhm_place
    near = Point(dhm_place.point.x + 0.0001, dhm_place.point.y, srid=4326)
    match = services.place_identify(user=officer1, point=near)
    assert match.place == dhm_place and match.distance_m < 20
    with pytest.raises(ApplicationError):
        services.place_identify(user=officer1, qr_photo=png_of("not a code"))
    assert citycode.is_valid(dhm_place.city_code)


@pytest.mark.django_db
def test_an_inspection_completes_the_places_due_assignment(insider, officer1, officer2, dhm_place, answers_for):
    import datetime as dt

    from django.utils import timezone

    plan = services.plan_create(user=insider, name="测试计划", region_code="110101001", place_kinds=["restaurant"], interval_days=14,
                                starts_on=timezone.localdate() - dt.timedelta(days=1))
    services.plan_generate_assignments(user=insider, plan=plan, until=timezone.localdate() + dt.timedelta(days=30))
    record = services.inspection_record(user=officer1, place=dhm_place, co_officer=officer2, answers=answers_for(dhm_place))
    done = Assignment.objects.get(plan=plan, place=dhm_place, status=Assignment.Status.DONE)
    # The demo inspected the place three days ago, so its first due date is one interval after that.
    first_due = Assignment.objects.filter(plan=plan, place=dhm_place).order_by("due_on").first().due_on
    assert done.record == record and done.due_on == first_due
    assert Assignment.objects.filter(plan=plan, place=dhm_place, status=Assignment.Status.OPEN).exists()
