"""``manage.py supervision_scan``: progress per rule, ``--dry-run`` writes nothing, a second run raises nothing new;
the periodic job runs the same scan."""
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.accounts.models import User
from apps.dispatch import services as dispatch_services
from apps.supervision.models import SupervisionItem
from apps.supervision.tasks import scan

pytestmark = pytest.mark.django_db


def test_the_command_reports_each_rule_and_raises_each_cause_once(make_rule, report, places):
    rule = make_rule("task_returned", times=1, actions=["return"], days=30)
    task = report(places[0])
    for n in range(2):  # sent back twice: more than the one return allowed
        dispatch_services.task_dispatch(user=User.objects.get(username="dc_dispatcher"), task=task)
        dispatch_services.task_return(user=User.objects.get(username="dhm_leader"), task=task, reason=f"第{n + 1}次：不属于本中队")

    out = io.StringIO()
    call_command("supervision_scan", "--dry-run", stdout=out)
    assert f"rule {rule.pk} {rule.name}" in out.getvalue() and f"{rule.pk}:task:{task.pk}" in out.getvalue()
    assert not SupervisionItem.objects.filter(rule=rule).exists()

    out = io.StringIO()
    call_command("supervision_scan", stdout=out)
    assert SupervisionItem.objects.filter(rule=rule, task=task).count() == 1 and "raised by 1 rule" in out.getvalue()
    out = io.StringIO()
    call_command("supervision_scan", stdout=out)
    assert "0 item(s) raised" in out.getvalue() and SupervisionItem.objects.filter(rule=rule, task=task).count() == 1


def test_the_periodic_job_is_on_the_schedule_and_scans(make_rule, report, places):
    assert settings.CELERY_BEAT_SCHEDULE["supervision-scan"]["task"] == "apps.supervision.tasks.scan"
    make_rule("task_overdue", hours=0)
    result = scan.apply().get()
    assert set(result) == {"raised", "yellow", "red"}
    assert dt.timedelta(seconds=settings.CELERY_BEAT_SCHEDULE["supervision-scan"]["schedule"]) <= dt.timedelta(hours=1)
