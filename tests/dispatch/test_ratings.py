"""The reporter's rating of a closed task (综合评价): levels, one per task, the redo (重办), the SMS link on close,
the staff call-back on the verify step, the 12345 call-back and the ``rating`` field of the task API."""
import datetime as dt
import json

import pytest
from django.core import signing
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import OutboxMessage, Partner, Source, Status, Task, TaskLog, TaskRating
from apps.dispatch.services.ratings import RATING_LINK_SALT
from apps.gbcp.errors import ApplicationError
from apps.gbcp.models import Organization
from apps.realtime import sms
from apps.realtime.models import Notification
from tests.dispatch.test_api_hotline import headers as hotline_headers
from tests.personas import five_callers

PHONE = "13800001111"


def open_steps(task):
    return sorted(t.flow_task.name for t in FlowTask.objects.filter(process_id=task.process_id, status__in=[STATUS.NEW, STATUS.ASSIGNED]))


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.SMS_PROVIDER = "apps.realtime.sms.RecordingProvider"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def report(db, insider, dhm_point, vendor_category):
    def make(source=Source.CITIZEN, phone=PHONE, **extra):
        return services.task_intake(
            user=insider, source=source, description="东华门大街有流动摊贩占道经营，影响通行", point=dhm_point,
            category=vendor_category, reporter_name="张三", reporter_phone=phone, **extra,
        ).report

    return make


def handled(task, insider):
    services.task_dispatch(user=insider, task=task)
    services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
    services.task_feedback(user=User.objects.get(username="dhm_officer1"), task=task, result="已劝离摊贩")
    return task


@pytest.fixture
def closed(report, insider, django_capture_on_commit_callbacks):
    def make(**kwargs):
        task = handled(report(**kwargs), insider)
        with django_capture_on_commit_callbacks(execute=True):
            services.task_verify(user=insider, task=task, approved=True)
        task.refresh_from_db()
        return task

    return make


# --- the service -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_closed_task_is_unrated_never_satisfied(closed):
    task = closed()
    assert task.status == Status.CLOSED and task.satisfied is None
    assert not TaskRating.objects.filter(task=task).exists()
    assert services.rating_status(task) == "awaiting"


@pytest.mark.django_db
@pytest.mark.parametrize("level, satisfied", [("satisfied", True), ("basic", True), ("dissatisfied", False)])
def test_every_level_is_recorded_logged_and_kept_in_step_with_satisfied(closed, level, satisfied):
    task = closed()
    rating = services.rate_task(task=task, level=level, comment="  还行  ", channel=TaskRating.Channel.PORTAL)
    task.refresh_from_db()
    assert rating.level == level and rating.comment == "还行" and rating.channel == "portal" and rating.rated_by is None
    assert task.satisfied is satisfied
    log = TaskLog.objects.get(task=task, action="rate")
    assert log.data == {"level": level, "channel": "portal"} and log.reason == "还行"
    assert rating.history.count() == 1
    assert services.rating_status(task) == "rated"
    # Only a dissatisfied rating (here within the window) starts a redo.
    assert task.reopenings.count() == (1 if level == "dissatisfied" else 0)


@pytest.mark.django_db
def test_a_second_rating_is_refused_with_409(closed):
    task = closed()
    services.rate_task(task=task, level="satisfied", channel=TaskRating.Channel.SMS)
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=task, level="dissatisfied", comment="改主意了", channel=TaskRating.Channel.PORTAL)
    assert info.value.status_code == 409 and info.value.code == "already_rated"
    assert TaskRating.objects.get(task=task).level == "satisfied"
    assert task.reopenings.count() == 0


@pytest.mark.django_db
def test_an_open_or_merged_task_and_a_bad_level_are_refused(report, insider):
    task = report()
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=task, level="satisfied", channel=TaskRating.Channel.PORTAL)
    assert info.value.status_code == 409 and info.value.code == "not_closed"
    handled(task, insider)
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=task, level="satisfied", channel=TaskRating.Channel.PORTAL)
    assert info.value.code == "not_closed"
    merged = report()  # the same problem again, from the same phone: merged into the open task
    if merged.master_id is None:  # the dedup scores may change; the rule under test is the merged report's
        Task.objects.filter(pk=merged.pk).update(master=task, status=Status.MERGED)
        merged.refresh_from_db()
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=merged, level="satisfied", channel=TaskRating.Channel.PORTAL)
    assert info.value.status_code == 409 and info.value.code == "merged"
    services.task_verify(user=insider, task=task, approved=True)
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=task, level="great", channel=TaskRating.Channel.PORTAL)
    assert info.value.code == "invalid_level"
    assert not TaskRating.objects.exists()


@pytest.mark.django_db
def test_a_dissatisfied_rating_within_the_window_reopens_the_work(closed, django_capture_on_commit_callbacks):
    task = closed()
    dispatcher = User.objects.get(username="dc_dispatcher")
    with django_capture_on_commit_callbacks(execute=True):
        services.rate_task(task=task, level="dissatisfied", comment="摊贩第二天又回来了", channel=TaskRating.Channel.SMS)
    redo = Task.objects.get(reopened_from=task)
    assert redo.status == Status.NEW and redo.number != task.number and redo.tracking_code != task.tracking_code
    assert (redo.category, redo.organization, redo.region_code, redo.grid, redo.point) == (task.category, task.organization, task.region_code, task.grid, task.point)
    assert "摊贩第二天又回来了" in redo.description and task.number in redo.description
    assert redo.reporter_phone == task.reporter_phone and redo.deadline > redo.received_at
    assert open_steps(redo) == ["dispatch"]  # the normal workflow, from its first step
    assert TaskLog.objects.get(task=task, action="reopen").data["reopened_as"] == redo.number
    assert TaskLog.objects.get(task=redo, action="intake").data["reopened_from"] == task.number
    assert Notification.objects.filter(event="task.reopened", recipient=dispatcher).exists()
    # The redo goes through the steps like any task, and is rated in its turn.
    handled(redo, dispatcher)
    services.task_verify(user=dispatcher, task=redo, approved=True)
    services.rate_task(task=redo, level="satisfied", channel=TaskRating.Channel.PORTAL)
    assert Task.objects.get(pk=redo.pk).satisfied is True


@pytest.mark.django_db
def test_a_dissatisfied_rating_after_the_window_reopens_nothing(closed, settings):
    settings.DISPATCH_REOPEN_WITHIN_DAYS = 7
    task = closed()
    Task.objects.filter(pk=task.pk).update(closed_at=timezone.now() - dt.timedelta(days=7, hours=1))
    services.rate_task(task=task, level="dissatisfied", comment="太慢", channel=TaskRating.Channel.PORTAL)
    assert not Task.objects.filter(reopened_from=task).exists()
    assert Task.objects.get(pk=task.pk).satisfied is False
    # Just inside the window it does.
    other = closed(phone="13700003333")
    Task.objects.filter(pk=other.pk).update(closed_at=timezone.now() - dt.timedelta(days=6, hours=23))
    services.rate_task(task=other, level="dissatisfied", channel=TaskRating.Channel.PORTAL)
    assert Task.objects.filter(reopened_from=other).count() == 1


@pytest.mark.django_db
def test_after_the_rating_window_a_task_stays_unrated(closed, settings):
    settings.DISPATCH_RATING_WITHIN_DAYS = 30
    task = closed()
    Task.objects.filter(pk=task.pk).update(closed_at=timezone.now() - dt.timedelta(days=31))
    task.refresh_from_db()
    assert services.rating_status(task) == "unrated"
    with pytest.raises(ApplicationError) as info:
        services.rate_task(task=task, level="satisfied", channel=TaskRating.Channel.PORTAL)
    assert info.value.code == "rating_closed" and info.value.status_code == 409


# --- the verify step: the dispatcher records the reporter's answer ------------------------------

@pytest.mark.django_db
def test_verify_with_the_reporters_answer_is_a_staff_rating_and_sends_no_sms(report, insider, recording_sms, django_capture_on_commit_callbacks):
    task = handled(report(), insider)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_verify(user=insider, task=task, approved=True, rating="basic", rating_comment="还可以")
    task.refresh_from_db()
    rating = TaskRating.objects.get(task=task)
    assert (rating.level, rating.channel, rating.rated_by, rating.comment) == ("basic", "staff", insider, "还可以")
    assert task.satisfied is True and recording_sms == []
    assert list(TaskLog.objects.filter(task=task).values_list("action", flat=True))[-2:] == ["close", "rate"]


@pytest.mark.django_db
def test_verify_with_a_dissatisfied_answer_reopens(report, insider):
    task = handled(report(), insider)
    services.task_verify(user=insider, task=task, approved=True, rating="dissatisfied", rating_comment="没解决")
    assert Task.objects.get(reopened_from=task).status == Status.NEW


@pytest.mark.django_db
def test_verify_refuses_an_unknown_level_and_changes_nothing(report, insider):
    task = handled(report(), insider)
    with pytest.raises(ApplicationError) as info:
        services.task_verify(user=insider, task=task, approved=True, rating="great")
    assert info.value.code == "invalid_level"
    task.refresh_from_db()
    assert task.status == Status.FEEDBACK and open_steps(task) == ["verify"]


# --- the SMS link on close -----------------------------------------------------------------------

@pytest.mark.django_db
def test_closing_sends_the_rating_link_once_by_sms(closed, recording_sms, settings):
    settings.PUBLIC_BASE_URL, settings.PORTAL_PUBLIC_BASE_URL = "https://cgzf.example.gov.cn", ""
    task = closed()
    assert len(recording_sms) == 1
    message = recording_sms[0]
    assert message.phone == PHONE and message.template_id == settings.SMS_TEMPLATES["rate_task"] == "SMS_000001"
    assert message.params["number"] == task.number
    prefix = "https://cgzf.example.gov.cn/report/rate/"  # the public address, not the worker's own host
    assert message.params["url"].startswith(prefix)
    token = message.params["url"][len(prefix):].rstrip("/")
    assert services.task_for_rating_token(token) == task
    assert signing.loads(token, salt=RATING_LINK_SALT)["t"] == task.pk
    log = TaskLog.objects.get(task=task, action="rating_link")
    assert PHONE not in json.dumps(log.data) and token not in json.dumps(log.data)
    # A second run of the job (a retry) sends nothing more.
    assert services.rating_link_send(task_id=task.pk) == "already_sent"
    assert len(recording_sms) == 1


@pytest.mark.django_db
def test_no_sms_without_a_phone_number(closed, recording_sms):
    task = closed(phone="")
    assert recording_sms == [] and not TaskLog.objects.filter(task=task, action="rating_link").exists()


@pytest.mark.django_db
def test_the_logging_provider_logs_a_masked_number_and_no_parameter_values(settings, caplog):
    settings.SMS_PROVIDER = "apps.realtime.sms.LoggingProvider"
    with caplog.at_level("INFO", logger="cityenforce.sms"):
        result = sms.send_sms(PHONE, "SMS_000001", {"url": "https://example.invalid/secret-token"})
    assert result.provider == "logging"
    assert "SMS_000001" in caplog.text and "1111" in caplog.text
    assert PHONE not in caplog.text and "secret-token" not in caplog.text


@pytest.mark.django_db
def test_forged_and_expired_tokens_are_refused(closed, settings):
    task = closed()
    token = services.rating_token(task)
    with pytest.raises(services.RatingLinkError) as info:
        services.task_for_rating_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert info.value.code == "link_invalid"
    forged = signing.dumps({"t": task.pk, "c": task.tracking_code}, salt="another-salt", compress=True)
    with pytest.raises(services.RatingLinkError) as info:
        services.task_for_rating_token(forged)
    assert info.value.code == "link_invalid"
    settings.DISPATCH_RATING_LINK_DAYS = 1
    assert services.task_for_rating_token(token) == task
    with pytest.raises(services.RatingLinkError) as info:
        services.task_for_rating_token(_old_token(task, days=2))
    assert info.value.code == "link_expired"


def _old_token(task, *, days):
    """A token signed ``days`` ago (the signer's clock set back)."""
    signer = signing.TimestampSigner(salt=RATING_LINK_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - days * 24 * 3600)
    return signer.sign_object({"t": task.pk, "c": task.tracking_code}, compress=True)


# --- the 12345 call-back ---------------------------------------------------------------------------

@pytest.fixture
def partner(db):
    return Partner.objects.create(name="测试区12345分中心", hotline_secret="first-secret-0123456789")


def hotline_rate(api, partner, ticket_number, data):
    path = f"/api/dispatch/hotline/tickets/{ticket_number}/rating/"
    body = json.dumps(data, ensure_ascii=False).encode()
    return api.post(path, data=body, content_type="application/json", **hotline_headers(partner, body, path=path))


@pytest.mark.django_db
def test_the_hotline_rates_its_ticket_on_the_call_back(api, partner, other_partner_factory, report, insider, recording_sms, django_capture_on_commit_callbacks):
    task = report(source=Source.HOTLINE, partner=partner, external_ref="GD2026001")
    from apps.dispatch.models import HotlineTicket
    HotlineTicket.objects.create(partner=partner, ticket_number="GD2026001", payload={}, task=task)
    early = hotline_rate(api, partner, "GD2026001", {"level": "satisfied"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_closed"
    handled(task, insider)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_verify(user=insider, task=task, approved=True)
    assert recording_sms == []  # the 12345 centre makes its own call-back
    callback = OutboxMessage.objects.get(task=task, kind=OutboxMessage.Kind.CALLBACK)
    assert callback.payload["satisfied"] is None and callback.payload["rating"] is None
    other = other_partner_factory()
    assert hotline_rate(api, other, "GD2026001", {"level": "satisfied"}).status_code == 404
    assert hotline_rate(api, partner, "GD2026001", {"level": "great"}).status_code == 400
    unsigned = api.post("/api/dispatch/hotline/tickets/GD2026001/rating/", data=b'{"level": "satisfied"}', content_type="application/json")
    assert unsigned.status_code in (401, 403)
    response = hotline_rate(api, partner, "GD2026001", {"level": "dissatisfied", "comment": "没人来处理"})
    assert response.status_code == 201, response.content
    body = response.json()
    redo = Task.objects.get(reopened_from=task)
    assert body["level"] == "dissatisfied" and body["reopened_as"] == [redo.number]
    assert TaskRating.objects.get(task=task).channel == TaskRating.Channel.HOTLINE
    again = hotline_rate(api, partner, "GD2026001", {"level": "satisfied"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
    path = "/api/dispatch/hotline/tickets/GD2026001/"
    polled = api.get(path, **hotline_headers(partner, b"", method="GET", path=path)).json()
    assert polled["rating"] == "dissatisfied" and polled["satisfied"] is False and polled["reopened_as"] == [redo.number]


@pytest.fixture
def other_partner_factory(db):
    return lambda: Partner.objects.create(name="other-hotline", hotline_secret="second-secret-9876543210")


# --- the task API: the rating object for the five callers -------------------------------------------

@pytest.mark.django_db
def test_the_task_api_shows_the_rating_and_the_redo_to_the_insider_only(api_as, closed):
    task = closed()
    services.rate_task(task=task, level="dissatisfied", comment="又回来了", channel=TaskRating.Channel.PORTAL)
    redo = Task.objects.get(reopened_from=task)
    brigade = Organization.objects.get(region__code=task.region_code[:6], kind=Organization.Kind.ENFORCEMENT_TEAM)
    callers = five_callers(role=Role.DISPATCHER, organization=brigade)
    body = api_as(callers.insider).get(f"/api/dispatch/tasks/{task.pk}/").json()
    assert body["rating"]["level"] == "dissatisfied" and body["rating"]["channel"] == "portal"
    assert body["rating"]["comment"] == "又回来了" and body["rating"]["level_label"] and body["rating"]["rated_at"]
    assert body["reopenings"] == [redo.number] and body["reopened_from"] is None
    redo_body = api_as(callers.insider).get(f"/api/dispatch/tasks/{redo.pk}/").json()
    assert redo_body["reopened_from"] == task.number and redo_body["rating"] is None and redo_body["satisfied"] is None
    for who, user in callers.others():
        response = api_as(user).get(f"/api/dispatch/tasks/{task.pk}/")
        assert response.status_code in (401, 403, 404), who
        assert "又回来了" not in response.content.decode()


@pytest.mark.django_db
def test_the_staff_page_shows_the_rating_and_the_reopen_links(client, closed, insider, settings):
    task = closed()
    services.rate_task(task=task, level="dissatisfied", comment="又回来了", channel=TaskRating.Channel.PORTAL)
    redo = Task.objects.get(reopened_from=task)
    client.force_login(insider)
    page = client.get(f"/dispatch/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/dispatch/tasks/{redo.pk}/" in page and redo.number in page and "又回来了" in page
    page = client.get(f"/dispatch/tasks/{redo.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/dispatch/tasks/{task.pk}/" in page and "not rated yet" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(f"/dispatch/tasks/{task.pk}/").content.decode()
    assert "反映人评价" in page and "不满意" in page and "进度查询页面" in page and "已重办为" in page
    assert "Reporter's rating" not in page and "dissatisfied" not in page.replace('class="rating-chip dissatisfied"', "")
