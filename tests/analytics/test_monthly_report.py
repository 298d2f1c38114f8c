"""The monthly analysis report: a Chinese PDF whose text holds the month and the figures recomputed here, listed and
downloaded only inside the jurisdiction (five callers), made by the command."""
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.accounts.models import Role
from apps.analytics import report
from apps.analytics.models import MonthlyReport
from apps.dispatch.models import Task
from tests.analytics.conftest import at
from tests.personas import five_callers

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def march(write_history, dc_grids, categories):
    return write_history([(at(2025, 3, d, 8 + d % 10), dc_grids[d % len(dc_grids)], categories[d % 2], "hotline") for d in range(1, 31)]
                         + [(at(2025, 4, 2), dc_grids[0], categories[0], "hotline")])


def _text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_command_draws_the_month(march):
    call_command("analytics_monthly_report", "--month", "2025-03", "--region", "110101")
    found = MonthlyReport.objects.get(month="2025-03-01", region_code="110101")
    expected = sum(1 for t in Task.objects.filter(region_code__startswith="110101").exclude(status="merged")
                   if timezone.localtime(t.received_at).date().strftime("%Y-%m") == "2025-03")
    assert found.total == expected == 30
    with found.file.open("rb") as f:
        text = _text(f.read())
    assert "2025年03月" in text and f"本月共受理 {expected} 件" in text
    assert "三高分析摘要" in text and "增长类别及显著性" in text
    assert report.CAVEAT not in text  # this history is imported, not generated
    call_command("analytics_monthly_report", "--month", "2025-03", "--region", "110101")  # a rerun replaces it
    assert MonthlyReport.objects.filter(month="2025-03-01", region_code="110101").count() == 1


def test_generated_history_carries_the_caveat(write_history, dc_grids, categories):
    write_history([(at(2025, 3, 5), dc_grids[0], categories[0], "hotline")], prefix="demo-t-")
    call_command("analytics_monthly_report", "--month", "2025-03", "--region", "110101")
    with MonthlyReport.objects.get().file.open("rb") as f:
        assert "演示用生成数据" in _text(f.read())


def test_a_bad_month_is_refused():
    with pytest.raises(Exception, match="YYYY-MM"):
        call_command("analytics_monthly_report", "--month", "March")


def test_five_callers_on_the_list_and_the_download(client, dc_bureau, march):
    call_command("analytics_monthly_report", "--month", "2025-03", "--region", "110101")
    found = MonthlyReport.objects.get()
    people = five_callers(role=Role.LEADER, organization=dc_bureau)
    expected = {"insider": (200, 200), "outsider": (200, 404), "citizen": (403, 403), "merchant": (403, 403), "anonymous": (302, 302)}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        listing, download = client.get("/analytics/reports/"), client.get(f"/analytics/reports/{found.pk}.pdf")
        assert (listing.status_code, download.status_code) == expected[name], name
        if name == "insider":
            assert f"/analytics/reports/{found.pk}.pdf" in listing.content.decode()
            assert b"".join(download.streaming_content if download.streaming else [download.content])[:5] == b"%PDF-"
        if name == "outsider":
            assert f"/analytics/reports/{found.pk}.pdf" not in listing.content.decode()
            assert client.get(f"/analytics/reports/{found.pk + 999}.pdf").status_code == 404
