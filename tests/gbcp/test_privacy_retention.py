"""The retention job: each rule at its edge (a day before and after expiry), dry runs change nothing, a second run
finds nothing, history copies go too, case files and the evidence log stay as they are."""
import datetime as dt
import io
import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from apps.cases.models import Case, CaseRecord, PartyKind
from apps.cases.models import Status as CaseStatus
from apps.dispatch.models import Open311Contact, Source, Status, Task
from apps.evidence import services as evidence_services
from apps.evidence.models import Evidence, LogEntry, TreeHead
from apps.gbcp.models import AccessLogEntry, Entity, Organization, Person, RetentionRun
from apps.gbcp.privacy import MARKER_TEXT, PersonalData, PersonalField, Retention, register, registry
from apps.gbcp.privacy.retention import retention_run
from apps.portal.models import PhoneCode

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.timezone.utc)
_serial = itertools.count(1)


def days_ago(n):
    return NOW - dt.timedelta(days=n)


def closed_task(*, closed_at, status=Status.CLOSED, master=None, name="王小明", phone="13812345678"):
    n = next(_serial)
    return Task.objects.create(
        number=f"PRV{n:08d}", tracking_code=f"PV{n:010d}", source=Source.DISPATCHER, description="隐私测试：占道经营",
        received_at=(closed_at or NOW) - dt.timedelta(days=3), status=status, closed_at=closed_at, master=master,
        reporter_name=name, reporter_phone=phone,
    )


@pytest.fixture
def period(settings):
    return settings.PRIVACY_RETENTION


def test_every_declaration_fits_its_model():
    assert registry.check_fields() == []


def test_a_closed_tasks_reporter_stays_a_day_before_expiry_and_goes_a_day_after(period):
    days = period["task_reporter"]
    kept = closed_task(closed_at=days_ago(days - 1))
    gone = closed_task(closed_at=days_ago(days + 1))
    still_open = closed_task(closed_at=None, status=Status.DISPATCHED)
    Task.objects.filter(pk=still_open.pk).update(received_at=days_ago(days * 3))

    run = retention_run(now=NOW)

    kept.refresh_from_db(), gone.refresh_from_db(), still_open.refresh_from_db()
    assert (kept.reporter_name, kept.reporter_phone) == ("王小明", "13812345678")
    assert (gone.reporter_name, gone.reporter_phone) == (MARKER_TEXT, "")
    assert still_open.reporter_phone == "13812345678"
    assert gone.description == "隐私测试：占道经营" and gone.status == Status.CLOSED  # the task itself stays
    assert run.counts["dispatch.task_reporter"] >= 1 and run.status == RetentionRun.Status.FINISHED
    # The copies simple-history kept of every version go too; the kept task's copies stay.
    assert not Task.history.filter(id=gone.pk, reporter_phone="13812345678").exists()
    assert Task.history.filter(id=kept.pk, reporter_phone="13812345678").exists()


def test_a_merged_report_goes_with_its_closed_master(period):
    days = period["task_reporter"]
    master = closed_task(closed_at=days_ago(days + 1))
    merged = closed_task(closed_at=None, status=Status.MERGED, master=master, phone="13900001111")
    young_master = closed_task(closed_at=days_ago(days - 1))
    young = closed_task(closed_at=None, status=Status.MERGED, master=young_master, phone="13900002222")

    retention_run(now=NOW)

    merged.refresh_from_db(), young.refresh_from_db()
    assert merged.reporter_phone == "" and young.reporter_phone == "13900002222"


def test_an_open311_contact_stays_a_day_before_expiry_and_goes_a_day_after(period):
    days = period["open311_contact"]
    contacts = {}
    for label, age in (("kept", days - 1), ("gone", days + 1)):
        task = closed_task(closed_at=days_ago(age))
        contacts[label] = Open311Contact.objects.create(
            task=task, email="li@example.cn", first_name="李", last_name="雷", phone="13700001234", device_id="dev-123456",
            account_id="acct-987654", address_string="东华门大街",
        )

    retention_run(now=NOW)

    kept, gone = (Open311Contact.objects.get(pk=contacts[k].pk) for k in ("kept", "gone"))
    assert (kept.email, kept.phone, kept.first_name) == ("li@example.cn", "13700001234", "李")
    assert (gone.email, gone.phone, gone.first_name, gone.last_name, gone.device_id, gone.account_id) == ("", "", MARKER_TEXT, "", "", "")
    assert gone.address_string == "东华门大街"  # where the problem is, not who sent it


def test_sign_up_codes_are_deleted_a_day_after_their_period(period):
    days = period["portal_phone_code"]
    entity = Entity.objects.order_by("pk").first()
    codes = {}
    for label, age in (("kept", days - 1), ("gone", days + 1)):
        code = PhoneCode.objects.create(entity=entity, phone="13600001234", code_hash="x" * 64, expires_at=days_ago(age))
        PhoneCode.objects.filter(pk=code.pk).update(created_at=days_ago(age))
        codes[label] = code.pk

    retention_run(now=NOW)

    assert PhoneCode.objects.filter(pk=codes["kept"]).exists()
    assert not PhoneCode.objects.filter(pk=codes["gone"]).exists()


def _case(person, *, archived_at, status=CaseStatus.ARCHIVED):
    n = next(_serial)
    squad = Organization.objects.filter(region__code__startswith="110101").order_by("pk").first()
    return Case.objects.create(
        number=f"隐私测试〔2030〕{n}号", number_seq=n, year=2030, source=Case.Source.PATROL, status=status, region_code="110101",
        organization=squad, party_kind=PartyKind.CITIZEN, party_person=person, party_name=person.name,
        party_code=person.id_number or "", party_address="东城区东华门大街1号", opened_at=days_ago(4000), archived_at=archived_at,
    )


def test_a_case_partys_phone_goes_only_after_the_last_of_their_cases_was_archived_long_enough(period):
    days = period["case_party_contact"]
    old = Person.objects.create(name="赵一", phone="13511110000", address="东城区")
    recent = Person.objects.create(name="钱二", phone="13522220000", address="东城区")
    pending = Person.objects.create(name="孙三", phone="13533330000", address="东城区")
    old_case = _case(old, archived_at=days_ago(days + 1))
    _case(old, archived_at=days_ago(days + 400))
    _case(recent, archived_at=days_ago(days + 400))
    _case(recent, archived_at=days_ago(days - 1))  # the latest case is a day short of the period
    _case(pending, archived_at=days_ago(days + 400))
    _case(pending, archived_at=None, status=CaseStatus.INVESTIGATING)
    CaseRecord.objects.create(case=old_case, kind=CaseRecord.Kind.INQUIRY, recorded_at=days_ago(4000), interviewee="赵一", content="询问")

    run = retention_run(now=NOW)

    assert Person.objects.get(pk=old.pk).phone == ""
    assert Person.objects.get(pk=recent.pk).phone == "13522220000"
    assert Person.objects.get(pk=pending.pk).phone == "13533330000"
    assert run.counts["cases.party_contact"] == 1  # counted once although two cases matched
    # The case file is an archive: the party and the records stay as they were.
    old_case.refresh_from_db()
    assert (old_case.party_name, old_case.party_address) == ("赵一", "东城区东华门大街1号")
    assert CaseRecord.objects.get(case=old_case).interviewee == "赵一"
    assert Person.objects.get(pk=old.pk).name == "赵一"


def test_the_access_log_is_deleted_after_its_own_period(period, insider):
    days = period["access_log"]
    kept = AccessLogEntry.objects.create(user=insider, username=insider.username, subject_type="dispatch.task", subject_id="1", at=days_ago(days - 1))
    gone = AccessLogEntry.objects.create(user=insider, username=insider.username, subject_type="dispatch.task", subject_id="2", at=days_ago(days + 1))

    retention_run(now=NOW)

    assert AccessLogEntry.objects.filter(pk=kept.pk).exists() and not AccessLogEntry.objects.filter(pk=gone.pk).exists()


def test_a_dry_run_counts_what_a_run_changes_and_changes_nothing(period):
    gone = closed_task(closed_at=days_ago(period["task_reporter"] + 5))
    runs = RetentionRun.objects.count()

    counts = retention_run(now=NOW, dry_run=True)

    gone.refresh_from_db()
    assert gone.reporter_phone == "13812345678" and RetentionRun.objects.count() == runs
    assert counts["dispatch.task_reporter"] >= 1
    assert retention_run(now=NOW).counts == counts


def test_a_second_run_finds_nothing_and_changes_nothing(period):
    gone = closed_task(closed_at=days_ago(period["task_reporter"] + 5))
    first = retention_run(now=NOW, batch_size=2)
    gone.refresh_from_db()
    snapshot = (gone.reporter_name, gone.reporter_phone, Task.history.filter(id=gone.pk).count())

    second = retention_run(now=NOW)

    gone.refresh_from_db()
    assert first.counts["dispatch.task_reporter"] >= 1
    assert set(second.counts.values()) == {0}
    assert (gone.reporter_name, gone.reporter_phone, Task.history.filter(id=gone.pk).count()) == snapshot


def _jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (next(_serial) % 255, 40, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile("scene.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_evidence_and_its_log_are_never_altered(period, insider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = Task.objects.filter(region_code__startswith="110101").order_by("id").first()
    evidence = evidence_services.evidence_record(user=insider, file=_jpeg(), subject=task)
    Task.objects.filter(pk=task.pk).update(status=Status.CLOSED, closed_at=days_ago(period["task_reporter"] + 10), reporter_phone="13812345678")
    before = (list(Evidence.objects.values_list("pk", "sha256", "note", "device")), list(LogEntry.objects.values_list("index", "leaf_hash", "entry")),
              list(TreeHead.objects.values_list("tree_size", "root_hash")))

    run = retention_run(now=NOW)

    assert run.counts["dispatch.task_reporter"] >= 1
    assert Task.objects.get(pk=task.pk).reporter_phone == ""
    after = (list(Evidence.objects.values_list("pk", "sha256", "note", "device")), list(LogEntry.objects.values_list("index", "leaf_hash", "entry")),
             list(TreeHead.objects.values_list("tree_size", "root_hash")))
    assert after == before and evidence.pk in [row[0] for row in after[0]]


def test_no_rule_may_be_declared_on_the_evidence_app():
    with pytest.raises(ImproperlyConfigured):
        register(PersonalData(key="evidence.uploader", model="evidence.Evidence", subject="x", fields=(PersonalField("device", "opaque"),),
                              retention=Retention(since="recorded_at", period="task_reporter")))


def test_a_failing_rule_is_recorded_and_the_others_still_run(period):
    gone = closed_task(closed_at=days_ago(period["task_reporter"] + 5))
    register(PersonalData(key="zz.broken", model="dispatch.Task", subject="x", fields=(PersonalField("no_such_field", "name"),),
                          retention=Retention(since="closed_at", period="task_reporter")))
    try:
        run = retention_run(now=NOW)
    finally:
        registry.REGISTRY.pop("zz.broken")
    gone.refresh_from_db()
    assert run.status == RetentionRun.Status.FAILED and "zz.broken" in run.errors
    assert gone.reporter_phone == ""


def test_the_command_reports_per_rule_and_a_dry_run_says_would(period):
    closed_task(closed_at=timezone.now() - dt.timedelta(days=period["task_reporter"] + 5))
    out = io.StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    assert "dispatch.task_reporter: " in out.getvalue() and "devices.position" in out.getvalue()
    out = io.StringIO()
    call_command("privacy_retention", stdout=out)
    assert "dispatch.task_reporter: " in out.getvalue()
    assert RetentionRun.objects.order_by("-pk").first().triggered_by == "command"


def test_the_beat_runs_the_job_daily_and_records_it(settings):
    from apps.gbcp.tasks import privacy_retention

    entry = settings.CELERY_BEAT_SCHEDULE["gbcp-privacy-retention"]
    assert entry["task"] == "apps.gbcp.tasks.privacy_retention" and entry["schedule"] == 24 * 3600.0
    result = privacy_retention.delay().get()
    run = RetentionRun.objects.get(pk=result["run"])
    assert run.triggered_by == "beat" and run.status == RetentionRun.Status.FINISHED and run.finished_at is not None
    assert set(run.counts) >= {"dispatch.task_reporter", "cases.party_contact", "portal.phone_code", "gbcp.access_log"}
    assert "devices.position" not in run.counts  # the devices job prunes positions itself
