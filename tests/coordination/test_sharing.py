"""Data sharing: a department's token (hash kept, secret shown once), the data-class table, the token endpoint (401 for a
missing, wrong, revoked or expired token, 403 out of scope, 404 for an unknown dataset, 400 without a purpose, each
refusal logged; jurisdiction by the token's region; nothing personal leaves unmasked), the audit page with the five
callers, and the logged masked CSV export."""
import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from apps.coordination import services
from apps.coordination.models import ShareAccess, ShareToken
from apps.coordination.sharing import ALLOWED, DATASETS, PERSONAL, SENSITIVE, WITHHOLD, scrub
from tests.coordination.conftest import ID_NUMBER, PHONE
from tests.personas import five_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(bureau):
    return five_callers(role="leader", organization=bureau)


@pytest.fixture
def issued(leaders, market):
    token, secret = services.token_issue(user=leaders.insider, organization=market, purpose="无证经营联合查处", datasets=["tasks", "entities"],
                                         region_code="110101", days=30)
    return token, secret


def get(api, secret, dataset="tasks", **params):
    params.setdefault("purpose", "联合查处")
    return api.get(f"/api/coordination/share/{dataset}/", params, HTTP_AUTHORIZATION=f"Bearer {secret}" if secret else "")


def test_every_field_has_a_class_and_a_treatment_its_class_allows():
    for dataset in DATASETS.values():
        for field in dataset.fields:
            assert field.treatment in ALLOWED[field.data_class], (dataset.name, field.name)
            if field.name in {"party_code"} or "id_number" in field.name:
                assert field.treatment == WITHHOLD
            if "phone" in field.name:
                assert field.data_class == SENSITIVE
            if field.name.endswith(("_name", "representative")):
                assert field.data_class == PERSONAL


def test_free_text_is_scrubbed_of_phones_and_id_numbers():
    text = scrub(f"电话{PHONE}，+86 139-1234-5678，身份证{ID_NUMBER}，门牌12号")
    assert PHONE not in text and "1234-5678" not in text and ID_NUMBER not in text and "5678" in text and "门牌12号" in text


def test_a_token_reads_its_region_masked_and_each_read_is_logged(api, issued, task, haidian_place, dispatcher):
    token, secret = issued
    assert ShareToken.objects.get(pk=token.pk).secret_hash != secret and secret.split(".")[1] not in json.dumps(list(ShareToken.objects.values()), default=str)
    response = get(api, secret, page_size=500)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] >= 1 and all(r["region_code"].startswith("110101") for r in body["results"])
    mine = next(r for r in body["results"] if r["number"] == task.number)
    assert mine["reporter_phone"] == "*******5678" and mine["reporter_name"] == "王**"
    raw = response.content.decode()
    assert PHONE not in raw and ID_NUMBER not in raw and "王建国" not in raw
    entry = ShareAccess.objects.filter(token=token).latest("at")
    assert (entry.outcome, entry.dataset, entry.purpose, entry.records, entry.organization_id) == (
        "answered", "tasks", "联合查处", len(body["results"]), token.organization_id)
    assert entry.ip == "127.0.0.1" and entry.query["page_size"] == ["500"]


def test_refusals_answer_401_403_404_400_and_are_logged(api, issued, leaders):
    token, secret = issued
    before = ShareAccess.objects.filter(outcome="refused").count()
    assert get(api, None).status_code == 401
    assert get(api, "cest_nothere.secret").status_code == 401
    assert get(api, secret[:-2] + "xx").status_code == 401
    assert get(api, secret, dataset="inspections").status_code == 403
    assert get(api, secret, dataset="citizens").status_code == 404
    assert get(api, secret, purpose="").status_code == 400
    assert get(api, secret, page="x").status_code == 400
    services.token_revoke(user=leaders.insider, token=token)
    revoked = get(api, secret)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token_invalid"
    reasons = list(ShareAccess.objects.filter(outcome="refused").order_by("id").values_list("reason", flat=True))[before:]
    assert reasons == ["token_missing", "token_unknown", "token_unknown", "out_of_scope", "unknown_dataset", "purpose_required", "invalid",
                       "token_revoked"]


def test_an_expired_token_is_refused(api, issued):
    token, secret = issued
    ShareToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert get(api, secret).status_code == 401
    assert ShareAccess.objects.filter(token=token).latest("id").reason == "token_expired"


def test_staff_sessions_do_not_open_the_token_endpoint(api_as, leaders):
    for name, user in leaders.items():
        assert api_as(user).get("/api/coordination/share/tasks/", {"purpose": "x"}).status_code == 401, name


def test_the_endpoint_is_rate_limited(api, issued, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "coordination-share": "3/m"}
    _token, secret = issued
    codes = [get(api, secret).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_only_auditors_of_the_region_issue_and_revoke(leaders, market, issued):
    token, _secret = issued
    for name, user in leaders.others():
        with pytest.raises(Exception):
            services.token_issue(user=user, organization=market, purpose="越权", datasets=["tasks"], region_code="110101", days=5)
        with pytest.raises(Exception):
            services.token_revoke(user=user, token=token)
    dispatcher = five_callers(role="dispatcher", organization=leaders.insider.memberships.first().organization).insider
    with pytest.raises(Exception):
        services.token_issue(user=dispatcher, organization=market, purpose="x", datasets=["tasks"], region_code="110101", days=5)


def test_the_audit_page_with_the_five_callers(leaders, issued):
    token, _secret = issued
    for name, user in leaders.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        page = client.get("/coordination/sharing/")
        if name == "insider":
            assert page.status_code == 200 and token.key_id in page.content.decode()
            continue
        revoke = client.post(f"/coordination/sharing/tokens/{token.pk}/revoke/")
        if user is None:
            assert page.status_code == 302 and revoke.status_code == 302 and "/accounts/login/" in revoke["Location"]
        elif name in ("citizen", "merchant"):
            assert (page.status_code, revoke.status_code) == (403, 403), name
        elif name == "outsider":
            assert page.status_code == 200 and token.key_id not in page.content.decode() and revoke.status_code == 404
    assert ShareToken.objects.get(pk=token.pk).revoked_at is None
    insider = Client()
    insider.force_login(leaders.insider)
    assert insider.post(f"/coordination/sharing/tokens/{token.pk}/revoke/").status_code == 302
    assert ShareToken.objects.get(pk=token.pk).revoked_at is not None


def test_issuing_on_the_page_shows_the_secret_once(leaders, market):
    client = Client()
    client.force_login(leaders.insider)
    response = client.post("/coordination/sharing/", {"organization": market.pk, "purpose": "住建联合检查", "datasets": ["inspections"],
                                                      "region_code": "110101", "days": 10})
    html = response.content.decode()
    token = ShareToken.objects.get(purpose="住建联合检查")
    assert response.status_code == 200 and f"cest_{token.key_id}." in html
    assert f"cest_{token.key_id}." not in client.get("/coordination/sharing/").content.decode()


def test_the_masked_csv_export_is_logged_and_holds_no_phone_or_id(leaders, task):
    client = Client()
    client.force_login(leaders.insider)
    response = client.post("/coordination/sharing/export/", {"dataset": "tasks", "purpose": "季度通报"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert task.number in text and PHONE not in text and ID_NUMBER not in text and "王建国" not in text
    entry = ShareAccess.objects.filter(user=leaders.insider, channel="csv").get()
    assert entry.records >= 1 and entry.purpose == "季度通报" and entry.region_code == "110101"
    outsider = Client()
    outsider.force_login(leaders.outsider)
    assert task.number not in outsider.post("/coordination/sharing/export/", {"dataset": "tasks", "purpose": "x"}).content.decode("utf-8-sig")
    citizen = Client()
    citizen.force_login(leaders.citizen)
    assert citizen.post("/coordination/sharing/export/", {"dataset": "tasks", "purpose": "x"}).status_code == 403
