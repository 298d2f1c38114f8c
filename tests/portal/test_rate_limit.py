"""The portal's report limit: exactly the limit under parallel reports, keyed on the client behind a trusted proxy."""
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from apps.dispatch.models import Task


def form(point, text):
    return {"lat": f"{point.y:.6f}", "lon": f"{point.x:.6f}", "description": text, "category": ""}


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_reports_from_one_address_admit_exactly_the_limit(settings):
    from apps.gbcp.models import Region

    # A transactional test starts empty: a one-district city for it.
    call_command("seed_demo", districts="110101", places=0, entities=0, quiet_progress=True, stdout=io.StringIO())
    settings.CITIZEN_REPORTS_PER_HOUR = 10
    point = Region.objects.get(code="110101001").boundary.point_on_surface
    before = Task.objects.count()
    statuses, barrier = [], threading.Barrier(30)

    def send(i):
        client = Client(REMOTE_ADDR="198.51.100.77")
        barrier.wait()
        try:
            statuses.append(client.post("/report/", form(point, f"第{i}号并发举报：人行道上有共享单车乱停放")).status_code)
        except Exception as exc:  # noqa: BLE001 - counted, and the assertion shows it
            statuses.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(302) == 10 and statuses.count(429) == 20, statuses
    assert Task.objects.count() == before + 10


@pytest.mark.django_db
def test_the_report_limit_ignores_x_forwarded_for_without_a_trusted_proxy(dhm_point, settings):
    settings.CITIZEN_REPORTS_PER_HOUR = 1
    client = Client()
    assert client.post("/report/", form(dhm_point, "第一条：占道经营影响通行"), HTTP_X_FORWARDED_FOR="1.1.1.1").status_code == 302
    refused = client.post("/report/", form(dhm_point, "第二条：夜间施工噪声扰民"), HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_citizen_has_their_own_report_limit(dhm_point, settings):
    settings.CITIZEN_REPORTS_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")  # the load balancer
    assert client.post("/report/", form(dhm_point, "第一条：占道经营影响通行"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert client.post("/report/", form(dhm_point, "第二条：夜间施工噪声扰民"), HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.post("/report/", form(dhm_point, "第三条：井盖缺失很危险"), HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


@pytest.mark.django_db
def test_a_form_with_mistakes_does_not_use_up_the_limit(dhm_point, settings):
    settings.CITIZEN_REPORTS_PER_HOUR = 1
    client = Client()
    assert client.post("/report/", {"description": "短"}).status_code in (200, 400)
    assert client.post("/report/", form(dhm_point, "第一条：占道经营影响通行")).status_code == 302
