"""The shared parsers of query parameters: dates, times and whole numbers refuse the impossible with a 400."""
import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers

from apps.gbcp.api import params


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "2026-1-1", "1" * 400, "", "２０２６-01-01"])
def test_an_impossible_or_unusable_date_is_refused_naming_the_parameter(value):
    with pytest.raises(serializers.ValidationError) as refused:
        params.parse_date_param(value, "day")
    assert list(refused.value.detail) == ["day"]


@pytest.mark.parametrize("value", [
    "2026-02-30T10:00", "2026-01-01T00:00+25:00", "2026-01-01T24:61", "0001-01-01T00:30", "9999-12-31T23:59:59+00:00",
    "soon", "1" * 400, "2026-01-01T00:00:00" + "0" * 100,
])
def test_an_impossible_time_or_offset_is_refused_naming_the_parameter(value):
    with pytest.raises(serializers.ValidationError) as refused:
        params.parse_datetime_param(value, "to")
    assert list(refused.value.detail) == ["to"]


def test_times_are_read_with_their_offset_and_naive_ones_in_the_server_zone():
    assert params.parse_datetime_param("2026-03-01T08:00:00Z", "t") == dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone.utc)
    assert params.parse_datetime_param("2026-03-01T16:00+08:00", "t") == dt.datetime(2026, 3, 1, 8, tzinfo=dt.timezone.utc)
    local = params.parse_datetime_param("2026-03-01T16:00", "t")
    assert local == timezone.make_aware(dt.datetime(2026, 3, 1, 16))


def test_a_bare_date_is_its_first_moment_or_its_last_at_the_end_of_a_range():
    start = params.parse_datetime_param("2026-03-01", "from")
    end = params.parse_datetime_param("2026-03-01", "to", end_of_day=True)
    assert timezone.localtime(start).time() == dt.time.min and timezone.localtime(end).time() == dt.time.max


def test_a_time_range_must_not_be_empty_or_longer_than_allowed():
    with pytest.raises(serializers.ValidationError):
        params.parse_time_range({"from": "2026-03-02", "to": "2026-03-01"})
    with pytest.raises(serializers.ValidationError):
        params.parse_time_range({"from": "2026-01-01", "to": "2026-03-01"}, max_span=dt.timedelta(days=31))
    assert params.parse_time_range({}) == (None, None)


@pytest.mark.parametrize("value", ["x", "1.5", "²", "1e3", str(10**20), "0", "-1"])
def test_a_whole_number_outside_its_range_or_not_a_number_is_refused(value):
    with pytest.raises(serializers.ValidationError) as refused:
        params.parse_int_param(value, "page", minimum=1, maximum=1000)
    assert list(refused.value.detail) == ["page"]


def test_a_whole_number_is_read_and_an_absent_one_is_the_default():
    assert params.parse_int_param(" 42 ", "page", minimum=1, maximum=1000) == 42
    assert params.parse_int_param(None, "page", default=1) == 1
    assert params.parse_id_param("", "place") is None
