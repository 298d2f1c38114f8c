"""Every step a log records has a name for people: no page shows ``intake`` or ``legal_pass`` (issue 13, raw codes)."""
import re
from pathlib import Path

import pytest
from django.utils import translation

from apps.cases.models import CaseLog
from apps.dispatch.models import TaskLog

ROOT = Path(__file__).resolve().parents[2]
RECORDED = re.compile(r"(?:TaskLog|CaseLog|_log)\.record\(\s*\w+,\s*\"([a-z_]+)\"|_log\(\s*\w+,\s*\"([a-z_]+)\"")


def recorded_actions(app):
    found = set()
    for path in (ROOT / "apps" / app).rglob("*.py"):
        for match in RECORDED.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    return found


@pytest.mark.parametrize("app, log", [("dispatch", TaskLog), ("cases", CaseLog)])
def test_every_recorded_action_has_a_label_in_chinese(app, log):
    actions = recorded_actions(app)
    assert len(actions) >= 15, actions  # the scan finds the steps (a broken pattern would find none)
    assert actions <= set(log.ACTION_LABELS), sorted(actions - set(log.ACTION_LABELS))
    with translation.override("zh-hans"):
        for action in actions:
            label = log(action=action).action_label
            assert label != action and not re.search(r"[A-Za-z]", label), (action, label)


def test_an_unknown_action_shows_as_recorded_rather_than_nothing():
    assert TaskLog(action="something_new").action_label == "something_new"


@pytest.mark.django_db
def test_the_task_page_names_the_steps(client, insider):
    from apps.dispatch import services
    from apps.dispatch.models import Source, Task

    task = services.task_intake(user=None, source=Source.CITIZEN, description="东华门大街路灯不亮", point=None, address="东城区东华门大街").report
    Task.objects.filter(pk=task.pk).update(region_code="110101")
    client.force_login(insider)
    page = client.get(f"/dispatch/tasks/{task.pk}/").content.decode()
    assert "受理" in page and ">intake<" not in page


@pytest.mark.django_db
def test_the_api_names_the_step_and_a_system_step_has_no_actor_rather_than_python_text(api_as, insider):
    from apps.dispatch import services
    from apps.dispatch.models import Source, Task

    task = services.task_intake(user=None, source=Source.CITIZEN, description="东华门大街路灯不亮", point=None, address="东城区东华门大街").report
    Task.objects.filter(pk=task.pk).update(region_code="110101")
    logs = api_as(insider).get(f"/api/dispatch/tasks/{task.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["logs"]
    intake = next(entry for entry in logs if entry["action"] == "intake")
    assert intake["actor"] is None and intake["action_label"] == "受理"
    assert "method-wrapper" not in str(logs)
