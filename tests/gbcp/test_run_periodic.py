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


@pytest.mark.django_db(transaction=True)
def test_the_loop_runs_interval_jobs_at_start_and_keeps_crontab_jobs_for_their_time(settings):
    """The real schedule mixes intervals and crontab entries (the monthly report, the nightly hot-spot maps); a
    crontab entry must neither stop the loop nor run at start."""
    from celery.schedules import crontab

    settings.CELERY_BEAT_SCHEDULE = {
        "gbcp-load-official-calendar": {"task": "apps.gbcp.tasks.load_official_calendar", "schedule": 3600.0},
        "analytics-monthly-report": {"task": "apps.analytics.tasks.monthly_report", "schedule": crontab(minute=30, hour=2, day_of_month=1)},
    }
    CalendarDay.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("run_periodic", seconds=1.5, verbosity=2, stdout=out, stderr=err)
    assert "Periodic jobs: 2 on schedule" in out.getvalue()
    assert "gbcp-load-official-calendar: done" in out.getvalue() and "analytics-monthly-report" not in out.getvalue()
    assert err.getvalue() == ""
    assert CalendarDay.objects.filter(date__year=2025).exists()


def test_every_entry_of_the_real_schedule_is_a_schedule_celery_understands(settings):
    from celery import current_app
    from celery.schedules import maybe_schedule

    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        due, next_check = maybe_schedule(entry["schedule"], app=current_app).is_due(current_app.now())
        assert next_check > 0, name
