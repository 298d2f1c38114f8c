"""The embedded default's beat: the schedule's jobs run by name in this process; a failing job is reported, not fatal."""
import io

import pytest
from django.core.management import call_command

from apps.gbcp.models import CalendarDay


@pytest.mark.django_db(transaction=True)
def test_a_job_of_the_schedule_runs_once_by_its_name():
    CalendarDay.objects.all().delete()
    call_command("run_periodic", once=True, only=["gbcp-load-official-calendar"], stdout=io.StringIO())
    assert CalendarDay.objects.filter(date__year=2025).exists()


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_reported_and_the_others_still_run(settings, monkeypatch):
    from celery import current_app

    current_app.loader.import_default_modules()
    task = current_app.tasks["apps.dispatch.tasks.prune_intake_keys"]

    def boom(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(task, "run", boom)
    CalendarDay.objects.all().delete()
    err = io.StringIO()
    call_command("run_periodic", once=True, only=["dispatch-prune-intake-keys", "gbcp-load-official-calendar"],
                 stdout=io.StringIO(), stderr=err)
    assert "dispatch-prune-intake-keys: failed" in err.getvalue()
    assert CalendarDay.objects.filter(date__year=2025).exists()
