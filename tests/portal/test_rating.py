"""The reporter rates a closed task on the portal: the tracking page (signed-in reporter, or code + last 4 phone
digits), the page of the SMS link (signed token; forged and expired ones get a clear page), the progress bar,
the rate limit and the Chinese pages."""
import re

import pytest
from django.conf import settings as django_settings
from django.contrib.gis.geos import Point
from django.core import signing
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.dispatch import services
from apps.dispatch.models import Source, Status, Task, TaskRating
from apps.dispatch.services.ratings import RATING_LINK_SALT
from apps.gbcp.models import Organization
from apps.realtime import sms
from tests.personas import five_callers, user_with

PHONE = "13800005678"


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.SMS_PROVIDER = "apps.realtime.sms.RecordingProvider"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def web(user=None, lang="en"):
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def reporter(db):
    return user_with(name="reporter")


@pytest.fixture
def close():
    def run(task):
        dispatcher = User.objects.get(username="dc_dispatcher")
        services.task_dispatch(user=dispatcher, task=task)
        services.task_accept(user=User.objects.get(username="dhm_leader"), task=task)
        services.task_feedback(user=User.objects.get(username="dhm_officer1"), task=task, result="摊贩已劝离，路面已清扫")
        services.task_verify(user=dispatcher, task=task, approved=True)
        task.refresh_from_db()
        return task

    return run


@pytest.fixture
def reported(db, dhm_point, reporter):
    def make(user=reporter, phone=PHONE, point=None):
        return services.task_intake(
            user=user, source=Source.CITIZEN, description="东华门大街人行道上有流动摊贩占道经营", point=point or dhm_point,
            reporter_phone=phone, category=Organization.objects.get(name="东华门街道综合行政执法队").duties.order_by("code").first(),
        ).report

    return make


@pytest.fixture
def closed_task(reported, close):
    return close(reported())


def rate_url(task):
    return f"/report/track/{task.tracking_code}/rate/"


# --- the tracking page ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_progress_bar_says_awaiting_until_rated_then_done(closed_task):
    page = web().get(f"/report/track/{closed_task.tracking_code}/").content.decode()
    assert "Evaluation: awaiting your rating" in page
    assert re.search(r'<li class="current"><span class="dot">7</span>', page)
    assert 'name="phone_last4"' in page  # not signed in: the form asks for the digits
    services.rate_task(task=closed_task, level="satisfied", channel=TaskRating.Channel.STAFF)
    page = web().get(f"/report/track/{closed_task.tracking_code}/").content.decode()
    assert re.search(r'<li class="done"><span class="dot">7</span>', page) and "awaiting your rating" not in page
    assert 'name="level"' not in page


@pytest.mark.django_db
def test_an_open_task_has_no_rating_section(reported):
    task = reported()
    page = web().get(f"/report/track/{task.tracking_code}/").content.decode()
    assert 'name="level"' not in page and "Evaluation: awaiting" not in page
    response = web().post(rate_url(task), {"level": "satisfied", "phone_last4": PHONE[-4:]})
    assert response.status_code == 400 and not TaskRating.objects.exists()


@pytest.mark.django_db
def test_five_callers_with_the_code_but_not_the_digits_cannot_rate(closed_task):
    brigade = Organization.objects.get(region__code=closed_task.region_code[:6], kind=Organization.Kind.ENFORCEMENT_TEAM)
    callers = five_callers(role=Role.DISPATCHER, organization=brigade)
    for who, user in callers.items():
        for digits in ("", "0000"):
            response = web(user).post(rate_url(closed_task), {"level": "dissatisfied", "comment": "冒充", "phone_last4": digits})
            assert response.status_code == 400, (who, digits)
    assert not TaskRating.objects.exists() and not Task.objects.filter(reopened_from=closed_task).exists()


@pytest.mark.django_db
def test_the_signed_in_reporter_rates_without_digits(closed_task, reporter):
    page = web(reporter).get(f"/report/track/{closed_task.tracking_code}/").content.decode()
    assert 'name="level"' in page and 'name="phone_last4"' not in page
    response = web(reporter).post(rate_url(closed_task), {"level": "basic", "comment": "还行"})
    assert response.status_code == 302 and response["Location"] == f"/report/track/{closed_task.tracking_code}/"
    rating = TaskRating.objects.get(task=closed_task)
    assert (rating.level, rating.channel, rating.rated_by, rating.comment) == ("basic", "portal", reporter, "还行")
    again = web(reporter).post(rate_url(closed_task), {"level": "dissatisfied"})
    assert again.status_code == 400 and TaskRating.objects.get(task=closed_task).level == "basic"


@pytest.mark.django_db
def test_the_code_and_the_right_digits_rate_and_a_dissatisfied_rating_reopens(closed_task):
    response = web().post(rate_url(closed_task), {"level": "dissatisfied", "comment": "摊贩又回来了", "phone_last4": PHONE[-4:]})
    assert response.status_code == 302
    rating = TaskRating.objects.get(task=closed_task)
    assert rating.channel == "portal" and rating.rated_by is None
    redo = Task.objects.get(reopened_from=closed_task)
    assert "摊贩又回来了" in redo.description
    page = web().get(f"/report/track/{closed_task.tracking_code}/").content.decode()
    assert "dissatisfied" in page.lower() and 'name="level"' not in page


@pytest.mark.django_db
def test_a_merged_report_cannot_be_rated_on_its_page(reported, close):
    task = reported()
    merged = reported(user=None, phone="13900001234")
    if merged.master_id is None:  # the dedup scores may change; the rule under test is the merged report's
        Task.objects.filter(pk=merged.pk).update(master=task, status=Status.MERGED)
    close(task)
    assert web().post(f"/report/track/{merged.tracking_code}/rate/", {"level": "satisfied", "phone_last4": "1234"}).status_code == 404
    page = web().get(f"/report/track/{merged.tracking_code}/").content.decode()
    assert 'name="level"' not in page and "merged with an earlier report" in page


@pytest.mark.django_db
def test_a_report_without_phone_or_account_is_not_rated_on_the_page(reported, close):
    task = close(reported(user=None, phone=""))
    page = web().get(f"/report/track/{task.tracking_code}/").content.decode()
    assert 'name="level"' not in page and "calling 12345" in page
    assert web().post(rate_url(task), {"level": "satisfied", "phone_last4": "0000"}).status_code == 400


@pytest.mark.django_db
def test_rating_attempts_are_rate_limited(closed_task, settings):
    settings.PORTAL_RATINGS_PER_HOUR = 3
    client = web()
    codes = [client.post(rate_url(closed_task), {"level": "satisfied", "phone_last4": "0000"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    # Past the limit even the right digits wait.
    assert client.post(rate_url(closed_task), {"level": "satisfied", "phone_last4": PHONE[-4:]}).status_code == 429
    assert not TaskRating.objects.exists()


# --- the SMS link ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_sms_link_opens_a_form_that_rates_once(closed_task, recording_sms):
    assert len(recording_sms) == 0  # no on-commit hooks ran in this test's transaction...
    services.rating_link_send(task_id=closed_task.pk)  # ...so the job is run by hand
    url = recording_sms[0].params["url"]
    path = url[url.index("/report/rate/"):]
    page = web().get(path)
    assert page.status_code == 200 and 'name="level"' in page.content.decode() and "摊贩已劝离" in page.content.decode()
    assert web().post(path, {"level": "nonsense"}).status_code == 400
    response = web().post(path, {"level": "satisfied", "comment": "很快"})
    assert response.status_code == 302
    rating = TaskRating.objects.get(task=closed_task)
    assert rating.channel == "sms" and rating.level == "satisfied"
    after = web().get(path)
    assert after.status_code == 200 and 'name="level"' not in after.content.decode() and "Thank you" in after.content.decode()
    assert web().post(path, {"level": "dissatisfied"}).status_code == 200  # answered with the rating kept, not changed
    assert TaskRating.objects.get(task=closed_task).level == "satisfied"


@pytest.mark.django_db
def test_forged_and_expired_links_get_a_clear_page(closed_task, settings):
    forged = signing.dumps({"t": closed_task.pk, "c": closed_task.tracking_code}, salt="not-ours", compress=True)
    for token, status, text in (
        (forged, 404, "not valid"), ("nonsense", 404, "not valid"), ("", None, None),
    ):
        if not token:
            continue
        response = web().get(f"/report/rate/{token}/")
        assert response.status_code == status and text in response.content.decode()
    settings.DISPATCH_RATING_LINK_DAYS = 1
    signer = signing.TimestampSigner(salt=RATING_LINK_SALT)
    signer.timestamp = lambda: signing.b62_encode(int(timezone.now().timestamp()) - 3 * 24 * 3600)
    old = signer.sign_object({"t": closed_task.pk, "c": closed_task.tracking_code}, compress=True)
    response = web().get(f"/report/rate/{old}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert web().post(f"/report/rate/{old}/", {"level": "satisfied"}).status_code == 410
    assert not TaskRating.objects.exists()


@pytest.mark.django_db
def test_the_chinese_pages_show_no_english(closed_task):
    services.rating_link_send(task_id=closed_task.pk)
    pages = [web(lang="zh-hans").get(f"/report/track/{closed_task.tracking_code}/").content.decode()]
    url = sms.outbox[0].params["url"]
    pages.append(web(lang="zh-hans").get(url[url.index("/report/rate/"):]).content.decode())
    pages.append(web(lang="zh-hans").get("/report/rate/forged-token/").content.decode())
    for page in pages:
        main = page[page.index("<main"):page.index("</main>")]
        text = re.sub(r"<[^>]+>", " ", main)
        text = re.sub(r"\b(T\d{14}|[A-Z0-9]{10}|SMS|12345)\b", " ", text)
        words = [w for w in re.findall(r"[A-Za-z]{3,}", text)]
        assert words == [], words[:20]
    assert "待评价" in pages[0]
