"""Sequence numbers: one counter per key, never the same number twice, created on first use."""
from apps.dispatch.models import NumberSequence
from apps.workflow.sequences import next_value


def test_a_new_key_starts_at_one_and_counts_up(db):
    assert [next_value(NumberSequence, "K-test-1") for _ in range(3)] == [1, 2, 3]


def test_keys_count_apart(db):
    next_value(NumberSequence, "K-test-a")
    assert next_value(NumberSequence, "K-test-b") == 1
    assert NumberSequence.objects.get(key="K-test-a").last == 1
