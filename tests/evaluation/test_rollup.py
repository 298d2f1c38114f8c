"""The daily rollup gives exactly the numbers of the direct computation; beat keeps it current; the command prints progress."""
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.dispatch.models import Status, TaskRating
from apps.evaluation import services
from apps.evaluation.models import DailyRollup, RollupRun
from apps.evaluation.periods import Period
from apps.evaluation.tasks import refresh_rollup
from tests.evaluation.conftest import at, make_task

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def _same(live, rolled):
    assert rolled.tally.as_dict() == live.tally.as_dict()
    for key, ratio in live.figures.items():
        if ratio.value is None:
            assert rolled.figures[key].value is None, key
        else:
            assert rolled.figures[key].value == pytest.approx(ratio.value), key


@pytest.mark.parametrize("period", [MARCH, Period(date(2026, 2, 20), date(2026, 4, 10)), Period(date(2026, 3, 31), date(2026, 3, 31))])
def test_rollup_equals_direct_computation(world, period):
    services.rebuild_range(date(2026, 2, 1), date(2026, 4, 30))
    units = [world.a, world.b, world.c, world.bureau, world.dept]
    rolled = {card.unit.pk: card for card in services.scorecards_from_rollup(units=units, period=period)}
    for unit in units:
        _same(services.scorecard_live(unit=unit, period=period), rolled[unit.pk])


def test_rows_are_per_organisation_and_local_day(world):
    services.rebuild_range(date(2026, 3, 31), date(2026, 4, 1))
    last_of_march = DailyRollup.objects.get(organization=world.a, day=date(2026, 3, 31))
    assert (last_of_march.received, last_of_march.closed, last_of_march.response_micro) == (1, 1, 750000)  # t5 at 23:50 local
    assert DailyRollup.objects.get(organization=world.a, day=date(2026, 4, 1)).received == 1  # t6 at 00:10 local


def test_beat_refresh_picks_up_a_new_rating(world):
    services.rebuild_range(date(2026, 3, 1), date(2026, 3, 31))
    before = services.scorecards_from_rollup(units=[world.a], period=MARCH)[0]
    assert before.tally.rated == 3
    TaskRating.objects.create(task=world.t5, level="satisfied", channel=TaskRating.Channel.PORTAL, rated_at=timezone.now())
    late = make_task(world.a, at(3, 18), status=Status.CLOSED, accepted_at=at(3, 18, 10), solved=True)
    run = services.refresh_rollup()
    assert run.trigger == "beat"
    after = services.scorecards_from_rollup(units=[world.a], period=MARCH)[0]
    assert (after.tally.rated, after.tally.received) == (4, 8)
    assert after.tally.as_dict() == services.scorecard_live(unit=world.a, period=MARCH).tally.as_dict()
    assert late.pk


def test_the_command_rebuilds_with_progress(world):
    out = io.StringIO()
    call_command("evaluation_rollup", "--from", "2026-03-01", "--to", "2026-03-20", stdout=out)
    text = out.getvalue()
    assert "2026-03-01 … 2026-03-07" in text and "20/20 days" in text and "rollup rebuilt: 20 days" in text
    assert RollupRun.objects.filter(trigger="command", days=20).exists()
    assert DailyRollup.objects.filter(organization=world.a, day__range=(date(2026, 3, 1), date(2026, 3, 20))).count() == 6


def test_the_beat_task_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["evaluation-refresh-rollup"]["task"] == "apps.evaluation.tasks.refresh_rollup"
    assert refresh_rollup.delay().get()["days"] >= 3
