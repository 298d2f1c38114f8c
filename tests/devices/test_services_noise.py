"""The noise rule (GB 12523-2011) and the alarm lifecycle: one alarm and one task per episode, not per reading."""
import datetime as dt

import pytest

from apps.devices import noise, services
from apps.devices.models import Alarm
from apps.dispatch import services as dispatch_services
from tests.devices.conftest import recent_local


def minutes(start, levels, lmax_over=0.0):
    """One-minute readings ending at start+1min, start+2min, ...; Lmax a little above LAeq unless told."""
    return [(start + dt.timedelta(minutes=i + 1), 60, float(level), float(level) + 6 + lmax_over) for i, level in enumerate(levels)]


def ingest(device, readings):
    """As a request would: the alarm's task is taken in once the readings commit."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.noise_ingest(device=device, readings=readings)


def alarms(device):
    return list(Alarm.objects.filter(device=device, kind=Alarm.Kind.NOISE).order_by("id"))


def test_the_equivalent_level_is_an_energy_average():
    assert noise.leq([(60, 70.0), (60, 70.0)]) == pytest.approx(70.0)
    # One minute at 80 and one at 60: the loud minute dominates (≈77 dB), not the arithmetic mean 70.
    assert noise.leq([(60, 80.0), (60, 60.0)]) == pytest.approx(77.04, abs=0.01)
    assert noise.leq([]) is None


@pytest.mark.django_db
def test_construction_limits_follow_day_and_night(noise_sensor):
    limits = noise.limits_for(noise_sensor)
    assert limits.at(recent_local(10)) == (70.0, False)
    assert limits.at(recent_local(23)) == (55.0, True)
    assert limits.at(recent_local(5, 59)) == (55.0, True)
    assert limits.at(recent_local(6, 0)) == (70.0, False)
    noise_sensor.noise_zone, noise_sensor.limit_night_db = "1", 42.0
    assert (noise.limits_for(noise_sensor).day, noise.limits_for(noise_sensor).night) == (55.0, 42.0)


@pytest.mark.django_db
def test_one_loud_minute_raises_nothing(noise_sensor):
    start = recent_local(10)
    ingest(noise_sensor, minutes(start, [60] * 5 + [95] + [60] * 10))
    assert alarms(noise_sensor) == []


@pytest.mark.django_db
def test_a_day_episode_raises_one_alarm_updates_it_and_clears(noise_sensor):
    start = recent_local(10)
    # Nine minutes over 70 dB(A): not yet the sustain time (10 minutes).
    ingest(noise_sensor, minutes(start, [75] * 9))
    assert alarms(noise_sensor) == []
    # The episode goes on, sent in several batches, some readings repeated.
    ingest(noise_sensor, minutes(start, [75] * 12))
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=12), [78] * 8))
    [alarm] = alarms(noise_sensor)
    assert alarm.state == Alarm.State.RAISED and alarm.details["night"] is False and alarm.details["limit"] == 70.0
    assert alarm.started_at == start and alarm.raised_at == start + dt.timedelta(minutes=10)
    assert alarm.last_seen_at == start + dt.timedelta(minutes=20)
    assert alarm.details["peak_leq"] == pytest.approx(78.0, abs=0.05)
    assert alarm.point == noise_sensor.place.point
    # Quiet for the clear time: cleared automatically, still one alarm.
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=20), [60] * 16))
    [alarm] = alarms(noise_sensor)
    assert alarm.state == Alarm.State.CLEARED and alarm.cleared_by is None and alarm.clear_reason
    # A new episode after clearing is a new alarm.
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=36), [80] * 12))
    first, second = alarms(noise_sensor)
    assert first.state == Alarm.State.CLEARED and second.state == Alarm.State.RAISED
    assert second.severity == Alarm.Severity.HIGH


@pytest.mark.django_db
def test_a_night_episode_uses_the_night_limit(noise_sensor):
    start = recent_local(23)
    # 62 dB(A) is fine by day and over the 55 night limit.
    ingest(noise_sensor, minutes(start, [62] * 12))
    [alarm] = alarms(noise_sensor)
    assert alarm.details["night"] is True and alarm.details["limit"] == 55.0
    assert alarm.severity >= Alarm.Severity.MEDIUM
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=12), [48] * 16))
    assert [a.state for a in alarms(noise_sensor)] == [Alarm.State.CLEARED]


@pytest.mark.django_db
def test_at_night_lmax_far_over_the_limit_twice_in_a_window_raises_even_with_a_low_laeq(noise_sensor):
    start = recent_local(1)
    quiet = minutes(start, [50] * 6)
    ingest(noise_sensor, quiet[:3])
    # One impact at 75 (over 55 + 15): one loud second is not enough.
    ingest(noise_sensor, [(quiet[3][0], 60, 50.0, 75.0)])
    assert alarms(noise_sensor) == []
    ingest(noise_sensor, [(quiet[4][0], 60, 50.0, 74.0)])
    [alarm] = alarms(noise_sensor)
    assert alarm.details["rule"] == "lmax" and alarm.details["lmax_hits"] == 2


@pytest.mark.django_db
def test_acknowledged_alarms_keep_the_episode_and_hand_clearing_starts_afresh(noise_sensor, insider, analyst):
    start = recent_local(14)
    ingest(noise_sensor, minutes(start, [76] * 11))
    [alarm] = alarms(noise_sensor)
    with pytest.raises(Exception) as refused:
        services.alarm_acknowledge(user=analyst, alarm=alarm)
    assert getattr(refused.value, "status_code", None) == 403
    services.alarm_acknowledge(user=insider, alarm=alarm)
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=11), [77] * 3))
    [alarm] = alarms(noise_sensor)
    assert alarm.state == Alarm.State.ACKNOWLEDGED and alarm.acknowledged_by == insider
    assert alarm.last_seen_at == start + dt.timedelta(minutes=14)
    services.alarm_clear(user=insider, alarm=alarm, reason="现场已处理")
    assert alarm.history.first().history_user == insider
    # Still loud: a new episode, but only after the full sustain time again.
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=14), [77] * 9))
    assert len(alarms(noise_sensor)) == 1
    ingest(noise_sensor, minutes(start + dt.timedelta(minutes=23), [77] * 2))
    assert [a.state for a in alarms(noise_sensor)] == [Alarm.State.CLEARED, Alarm.State.RAISED]


@pytest.mark.django_db
def test_only_one_alarm_per_device_and_kind_can_be_active(noise_sensor):
    from django.db import IntegrityError, transaction

    ingest(noise_sensor, minutes(recent_local(9), [80] * 11))
    [alarm] = alarms(noise_sensor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Alarm.objects.create(
            device=noise_sensor, region=noise_sensor.region, kind=Alarm.Kind.NOISE, message="x",
            started_at=alarm.started_at, raised_at=alarm.raised_at, last_seen_at=alarm.raised_at,
        )


@pytest.mark.django_db
def test_each_episode_becomes_exactly_one_dispatch_task(noise_sensor):
    from apps.dispatch.models import Task

    day_start = recent_local(10)
    night_start = day_start - dt.timedelta(hours=11)  # 23:00 the evening before
    ingest(noise_sensor, minutes(night_start, [65] * 12))
    ingest(noise_sensor, minutes(night_start, [65] * 12))  # the same batch again
    ingest(noise_sensor, minutes(night_start + dt.timedelta(minutes=12), [45] * 20))
    ingest(noise_sensor, minutes(day_start, [79] * 25))
    night, day = alarms(noise_sensor)
    assert night.state == Alarm.State.CLEARED and day.state == Alarm.State.RAISED
    assert night.details["night"] is True and day.details["night"] is False
    assert night.task_id and day.task_id
    refs = [f"device-alarm:{night.pk}", f"device-alarm:{day.pk}"]
    assert Task.objects.filter(source="sensor", external_ref=refs[0]).count() == 1
    assert Task.objects.filter(source="sensor", external_ref__in=refs).count() == 2
    # Retrying the intake never makes a second task for the same episode.
    Alarm.objects.filter(pk=night.pk).update(task_id=None)
    services.alarm_task_retry(user=None)
    assert Task.objects.filter(source="sensor", external_ref__in=refs).count() == 2


@pytest.mark.django_db
def test_an_alarm_whose_intake_fails_keeps_its_readings_and_the_retry_sweep_gives_it_its_task(noise_sensor, monkeypatch):
    def intake_away(**kwargs):
        raise RuntimeError("the task centre is away")

    monkeypatch.setattr(dispatch_services, "task_intake", intake_away)
    ingest(noise_sensor, minutes(recent_local(16), [80] * 11))
    [alarm] = alarms(noise_sensor)
    assert alarm.task_id is None and alarm.state == Alarm.State.RAISED and noise_sensor.noise_readings.count() == 11
    monkeypatch.undo()
    assert services.alarm_task_retry(user=None) >= 1
    alarm.refresh_from_db()
    assert alarm.task_id is not None
