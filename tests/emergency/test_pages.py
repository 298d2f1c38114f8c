"""The emergency staff pages with the five callers: overview, pre-plans and their editor, warnings with the CAP upload,
one warning, one incident; activation from a page (tasks, duty posts, SMS after commit), notes and closing."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.duty.models import Post, Shift
from apps.emergency import services
from apps.emergency.models import Alert, EventType, Incident, IncidentEntry, PrePlan
from apps.realtime import sms
from tests.emergency.conftest import FIXTURES, cap_document
from tests.personas import five_callers, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording_sms(settings):
    settings.SMS_PROVIDER = "apps.realtime.sms.RecordingProvider"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class FailingProvider(sms.SmsProvider):
    name = "failing"

    def send(self, message):
        raise sms.SmsError("the provider is down", code="isv.DOWN")


@pytest.fixture
def squad_leader(squad):
    """The squad's leader (中队长), with a phone: the one who gets the text message on activation."""
    leader = user_with(role=Role.SQUAD_LEADER, organization=squad, name="emerg-squad-leader")
    leader.phone = "13800138000"
    leader.save(update_fields=["phone"])
    return leader


def current_cap(identifier="BJ-MET-PAGE-1") -> bytes:
    """The rainstorm warning of 东城区, sent an hour ago and in force for a day."""
    now = timezone.localtime()
    text = cap_document("rainstorm_blue").decode().replace("BJ-MET-2026-0712-001", identifier)
    text = text.replace("2026-07-12T14:00:00+08:00", (now - dt.timedelta(hours=1)).isoformat(timespec="seconds"))
    return text.replace("2026-07-13T02:00:00+08:00", (now + dt.timedelta(days=1)).isoformat(timespec="seconds")).encode()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/xml")


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def test_five_callers_on_every_page(client, plan, squad, leader):
    callers = five_callers(role=Role.LEADER, organization=squad)
    alert, _ = services.alert_receive(user=leader, data=current_cap())
    incident = services.incident_activate(user=leader, plan=plan, alert=alert, create_tasks=False)
    lists = [reverse("emergency-home"), reverse("emergency-plans"), reverse("emergency-alerts")]
    details = [reverse("emergency-plan-detail", args=[plan.pk]), reverse("emergency-plan-edit", args=[plan.pk]),
               reverse("emergency-alert-detail", args=[alert.pk]), reverse("emergency-incident-detail", args=[incident.pk])]
    _as(client, callers.insider)
    for url in lists + details + [reverse("emergency-plan-new")]:
        page = client.get(url)
        assert page.status_code == 200, url
    shown = client.get(reverse("emergency-home")).content.decode()
    assert incident.title in shown and str(alert) in shown and reverse("emergency-plan-activate", args=[plan.pk]) in shown
    assert plan.title in client.get(reverse("emergency-plans")).content.decode()

    _as(client, callers.outsider)
    for url in lists:
        page = client.get(url).content.decode()
        assert plan.title not in page and incident.title not in page and str(alert) not in page, url
    for url in details:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("emergency-plan-detail", args=[987654321])).status_code == 404
    for name in ("citizen", "merchant"):
        _as(client, getattr(callers, name))
        for url in lists + details + [reverse("emergency-plan-new")]:
            assert client.get(url).status_code == 403, (name, url)
    _as(client, None)
    for url in lists + details + [reverse("emergency-plan-new")]:
        answer = client.get(url)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"], url


def test_the_menu_shows_the_pages_to_readers_only(client, squad):
    callers = five_callers(role=Role.OFFICER, organization=squad)
    assert reverse("emergency-home") in _as(client, callers.insider).get("/").content.decode()
    analyst = user_with(role=Role.ANALYST, organization=squad, name="emerg-analyst")
    assert reverse("emergency-home") not in _as(client, analyst).get("/").content.decode()
    assert _as(client, analyst).get(reverse("emergency-home")).status_code == 403


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.xml")))
def test_upload_of_the_cap_examples(client, leader, name):
    before = Alert.objects.count()
    answer = _as(client, leader).post(reverse("emergency-alerts"), {"document": upload(f"{name}.xml", cap_document(name))})
    assert answer.status_code == 302
    alert = Alert.objects.get(identifier__in=[line.strip()[12:-13] for line in cap_document(name).decode().splitlines()
                                              if line.strip().startswith("<identifier>")])
    assert Alert.objects.count() == before + 1 and alert.source == Alert.Source.UPLOAD
    if name == "rainstorm_blue":  # ours: matched to 东城区, shown with its area and its pre-plans
        assert answer["Location"] == reverse("emergency-alert-detail", args=[alert.pk])
        page = client.get(answer["Location"]).content.decode()
        assert "东城区" in page and "emergency-map-data" in page
    else:  # elsewhere in the world: kept, matched to none of our regions, not listed for a district
        assert answer["Location"] == reverse("emergency-alerts")
    again = client.post(reverse("emergency-alerts"), {"document": upload(f"{name}.xml", cap_document(name))})
    assert again.status_code == 302 and Alert.objects.count() == before + 1


@pytest.mark.parametrize("data", [
    b"<alert/>",
    b"not xml at all",
    cap_document("rainstorm_blue").replace(b"<msgType>Alert</msgType>", b"<msgType>Shout</msgType>"),
    b'<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">&x;</alert>',
])
def test_a_bad_upload_is_refused_with_its_reason_and_keeps_nothing(client, leader, data):
    before = Alert.objects.count()
    answer = _as(client, leader).post(reverse("emergency-alerts"), {"document": upload("bad.xml", data)})
    assert answer.status_code == 400 and "CAP 1.2" in answer.content.decode()
    assert Alert.objects.count() == before
    with_chinese = _as(client, leader).post(reverse("emergency-alerts"), {"document": upload("bad.xml", data)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert with_chinese.status_code == 400 and Alert.objects.count() == before


def test_uploading_is_for_leaders_and_dispatchers(client, squad):
    officer = user_with(role=Role.OFFICER, organization=squad, name="emerg-officer-up")
    before = Alert.objects.count()
    answer = _as(client, officer).post(reverse("emergency-alerts"), {"document": upload("a.xml", current_cap())})
    assert answer.status_code == 403 and Alert.objects.count() == before
    assert 'enctype="multipart/form-data"' not in client.get(reverse("emergency-alerts")).content.decode()


def test_activation_from_the_page_makes_tasks_duty_posts_and_texts_the_squad_leader_after_commit(
        client, plan, squad, leader, squad_leader, recording_sms, django_capture_on_commit_callbacks):
    alert, _ = services.alert_receive(user=leader, data=current_cap())
    dispatcher = user_with(role=Role.DISPATCHER, organization=squad, name="emerg-disp-page")
    _as(client, dispatcher)
    assert reverse("emergency-plan-activate", args=[plan.pk]) in client.get(reverse("emergency-alert-detail", args=[alert.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = client.post(reverse("emergency-plan-activate", args=[plan.pk]), {"alert": alert.pk})
    incident = Incident.objects.get(plan=plan)
    assert answer.status_code == 302 and answer["Location"] == reverse("emergency-incident-detail", args=[incident.pk])
    assert recording_sms == [] and callbacks  # nothing is texted before the activation has committed
    for callback in callbacks:
        callback()
    texted = [m for m in recording_sms if m.phone == "13800138000"]
    assert [m.template_id for m in texted] == [sms.template_id("emergency_activated")]
    assert texted[0].params["plan"] == plan.title and texted[0].params["incident"] == str(incident.pk)

    assert incident.alert == alert and incident.opened_by == dispatcher
    kinds = list(incident.entries.values_list("kind", flat=True))
    assert kinds[:4] == [IncidentEntry.Kind.OPENED, IncidentEntry.Kind.NOTIFIED, IncidentEntry.Kind.TASK, IncidentEntry.Kind.DUTY]
    assert kinds[-1] == IncidentEntry.Kind.SMS and incident.entries.get(kind=IncidentEntry.Kind.SMS).data["sent"] == len(recording_sms) >= 1
    duty = incident.entries.get(kind=IncidentEntry.Kind.DUTY).data
    shift = Shift.objects.select_related("post").get(pk=duty["shift"])
    step = plan.steps.get()
    assert (shift.squad_id, shift.post.kind, shift.post.grid_id) == (squad.pk, Post.Kind.GRID, step.area_grid_id)
    assert shift.ends_at - shift.starts_at == dt.timedelta(minutes=step.duration_minutes)
    assert shift.starts_at <= timezone.now() <= shift.ends_at

    page = client.get(answer["Location"]).content.decode()
    task_id = incident.entries.get(kind=IncidentEntry.Kind.TASK).data["task"]
    assert reverse("dispatch-task-detail", args=[task_id]) in page and shift.post.name in page and "emergency-map" in page


def test_a_point_step_becomes_a_point_post_for_its_hours(plan, leader, squad, grid):
    point = grid.boundary.point_on_surface
    spot = services.plan_publish(user=leader, region=squad.region, event_type=EventType.GALE, title="大风",
                                 steps=[{"squad": squad, "action": "广告牌巡查", "point": point, "duration_minutes": 90}])
    incident = services.incident_activate(user=leader, plan=spot)
    shift = Shift.objects.select_related("post").get(pk=incident.entries.get(kind=IncidentEntry.Kind.DUTY).data["shift"])
    assert (shift.post.kind, shift.post.radius_m) == (Post.Kind.POINT, 200) and shift.post.point.equals(point)
    assert shift.ends_at - shift.starts_at == dt.timedelta(minutes=90)


def test_an_sms_failure_never_breaks_the_activation(settings, plan, leader, squad_leader, django_capture_on_commit_callbacks):
    settings.SMS_PROVIDER = "tests.emergency.test_pages.FailingProvider"
    with django_capture_on_commit_callbacks(execute=True):
        incident = services.incident_activate(user=leader, plan=plan, create_tasks=False)
    assert Incident.objects.filter(pk=incident.pk, status=Incident.Status.ACTIVE).exists()
    counts = incident.entries.get(kind=IncidentEntry.Kind.SMS).data
    assert (counts["sent"], counts["failed"]) == (0, 1)


def test_activation_is_refused_to_all_but_leaders_and_dispatchers_of_the_district(client, plan, squad):
    callers = five_callers(role=Role.DISPATCHER, organization=squad)
    url = reverse("emergency-plan-activate", args=[plan.pk])
    officer = user_with(role=Role.OFFICER, organization=squad, name="emerg-officer-act")
    expected = {"outsider": 404, "citizen": 403, "merchant": 403, "anonymous": 302}
    for name, user in callers.others():
        assert _as(client, user).post(url).status_code == expected[name], name
    assert _as(client, officer).post(url).status_code == 403
    assert _as(client, callers.insider).get(url).status_code == 405
    assert not Incident.objects.filter(plan=plan).exists()


def test_notes_and_closing_from_the_page(client, plan, squad, leader):
    incident = services.incident_activate(user=leader, plan=plan, create_tasks=False)
    callers = five_callers(role=Role.LEADER, organization=squad)
    note, close = (reverse(f"emergency-incident-{what}", args=[incident.pk]) for what in ("note", "close"))
    for name, user in callers.others():
        _as(client, user)
        assert client.post(note, {"text": "x"}).status_code in (302, 403, 404), name
        assert client.post(close, {"report": "x"}).status_code in (302, 403, 404), name
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ACTIVE and not incident.entries.filter(kind=IncidentEntry.Kind.NOTE).exists()
    _as(client, callers.insider)
    assert client.post(note, {"text": "2号积水点已排空"}).status_code == 302
    assert incident.entries.filter(kind=IncidentEntry.Kind.NOTE, text="2号积水点已排空", actor=callers.insider).exists()
    empty = client.post(close, {"report": "  "})
    assert empty.status_code == 400
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ACTIVE
    assert client.post(close, {"report": "积水已排除，无人员伤亡。"}).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.report) == (Incident.Status.CLOSED, "积水已排除，无人员伤亡。")
    again = client.post(close, {"report": "again"})
    assert again.status_code == 400 and ("already closed" in again.content.decode() or "已结束" in again.content.decode())
    page = client.get(reverse("emergency-incident-detail", args=[incident.pk])).content.decode()
    assert "积水已排除" in page and 'action="%s"' % close not in page


def _plan_post(region, squad, grid, rows, **extra):
    data = {"region": region.pk if region else "", "event_type": EventType.SNOWSTORM, "title": "扫雪铲冰预案", "summary": "",
            "steps-TOTAL_FORMS": str(len(rows)), "steps-INITIAL_FORMS": "0", "steps-MIN_NUM_FORMS": "0", "steps-MAX_NUM_FORMS": "30"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"steps-{i}-{key}"] = value
    data.update(extra)
    return data


def test_the_plan_editor_publishes_versions(client, squad, grid, leader, category):
    row = {"squad": squad.pk, "action": "主要路段扫雪", "grid": grid.pk, "latitude": "", "longitude": "", "resources": "融雪剂",
           "hours": "3", "category": category.pk}
    empty = {"squad": "", "action": "", "grid": "", "latitude": "", "longitude": "", "resources": "", "hours": "4", "category": ""}
    _as(client, leader)
    made = client.post(reverse("emergency-plan-new"), _plan_post(squad.region, squad, grid, [row, empty]))
    assert made.status_code == 302, made.content.decode()[:2000]
    first = PrePlan.objects.get(region=squad.region, event_type=EventType.SNOWSTORM)
    step = first.steps.get()
    assert (first.version, first.created_by, step.area_grid, step.duration_minutes, step.category) == (1, leader, grid, 180, category)
    form = client.get(reverse("emergency-plan-edit", args=[first.pk])).content.decode()
    assert "主要路段扫雪" in form
    point = grid.boundary.point_on_surface
    edit = _plan_post(None, squad, grid, [{**row, "grid": "", "latitude": f"{point.y:.6f}", "longitude": f"{point.x:.6f}"}],
                      **{"steps-INITIAL_FORMS": "1", "title": "扫雪铲冰预案（修订）"})
    assert client.post(reverse("emergency-plan-edit", args=[first.pk]), edit).status_code == 302
    first.refresh_from_db()
    second = PrePlan.objects.get(region=squad.region, event_type=EventType.SNOWSTORM, is_current=True)
    assert (first.is_current, second.version, second.title) == (False, 2, "扫雪铲冰预案（修订）")
    assert second.steps.get().point.distance(point) < 1e-6
    listed = client.get(reverse("emergency-plans"), {"event_type": EventType.SNOWSTORM}).content.decode()
    assert "v1" in listed and "v2" in listed
    # An older version is not edited: its edit page leads to the current one.
    assert client.get(reverse("emergency-plan-edit", args=[first.pk]))["Location"] == reverse("emergency-plan-edit", args=[second.pk])


def test_bad_plans_are_refused_and_nothing_is_published(client, squad, grid, leader):
    row = {"squad": squad.pk, "action": "扫雪", "grid": "", "latitude": "39.9", "longitude": "", "resources": "", "hours": "3", "category": ""}
    elsewhere = five_callers(role=Role.LEADER, organization=squad).outsider.memberships.first().organization
    _as(client, leader)
    before = PrePlan.objects.count()
    for data in (_plan_post(squad.region, squad, grid, [row]),  # half a point
                 _plan_post(squad.region, squad, grid, [{**row, "latitude": ""}], event_type="tsunami"),  # no such type
                 _plan_post(squad.region, squad, grid, [{**row, "latitude": "", "hours": "99"}]),  # longer than a shift
                 _plan_post(squad.region, squad, grid, [{**row, "latitude": "", "squad": elsewhere.pk}]),  # not a squad of ours
                 _plan_post(squad.region, squad, grid, [])):  # no step
        answer = client.post(reverse("emergency-plan-new"), data)
        assert answer.status_code == 400
    assert PrePlan.objects.count() == before
    officer = user_with(role=Role.OFFICER, organization=squad, name="emerg-officer-plan")
    assert _as(client, officer).get(reverse("emergency-plan-new")).status_code == 403
