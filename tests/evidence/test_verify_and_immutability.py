"""verify_evidence catches each kind of tampering; the log refuses updates and deletes (models, and PostgreSQL triggers)."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from apps.evidence import services
from apps.evidence.models import Evidence, ImmutableError, LogEntry, TreeHead
from apps.evidence.verify import verify_all

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor == "postgresql", reason="the PostgreSQL trigger refuses the tampering itself")


@pytest.fixture
def recorded(insider, photo, dc_task, media_root):
    return services.evidence_record(user=insider, file=photo(), subject=dc_task, device="DSJ-1")


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _run():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_evidence", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_a_clean_log_passes_with_progress_and_a_summary(recorded):
    ok, output = _run()
    assert ok, output
    assert "evidence:" in output and "0 problem(s)" in output


def test_an_altered_file_is_named(recorded, media_root):
    path = media_root / recorded.file.name
    path.write_bytes(path.read_bytes() + b"\x00")
    ok, output = _run()
    assert not ok and f"evidence {recorded.pk}: file altered" in output


def test_a_missing_file_is_named(recorded, media_root):
    (media_root / recorded.file.name).unlink()
    ok, output = _run()
    assert not ok and f"evidence {recorded.pk}: file missing" in output


@sqlite_only
def test_an_altered_row_is_named(recorded):
    _raw("UPDATE evidence_evidence SET device = %s WHERE id = %s", ["another camera", recorded.pk])
    ok, output = _run()
    assert not ok and f"evidence {recorded.pk}: row differs from log entry" in output


@sqlite_only
def test_an_altered_hash_column_is_caught_even_with_a_matching_file(recorded):
    _raw("UPDATE evidence_evidence SET sha256 = %s WHERE id = %s", ["0" * 64, recorded.pk])
    problems = verify_all().problems
    assert f"evidence {recorded.pk}: file altered (sha256 {recorded.sha256} instead of {'0' * 64})" in problems
    assert f"evidence {recorded.pk}: row differs from log entry" in problems


@sqlite_only
def test_an_altered_leaf_hash_is_named(recorded):
    index = recorded.log_entry.index
    _raw("UPDATE evidence_logentry SET leaf_hash = %s WHERE id = %s", ["ab" * 32, recorded.log_entry.pk])
    ok, output = _run()
    assert not ok and f"log entry {index}: leaf hash altered" in output


@sqlite_only
def test_a_rewritten_entry_with_a_fresh_leaf_hash_breaks_the_signed_roots(recorded):
    from apps.evidence import merkle

    entry = recorded.log_entry
    forged = entry.entry.replace('"device":"DSJ-1"', '"device":"DSJ-2"')
    _raw("UPDATE evidence_logentry SET entry = %s, leaf_hash = %s WHERE id = %s", [forged, merkle.leaf_hash(forged.encode()).hex(), entry.pk])
    problems = verify_all(check_files=False).problems
    head = TreeHead.objects.get(tree_size=entry.index + 1)
    assert f"evidence {recorded.pk}: row differs from log entry" in problems
    assert f"tree head {head.pk}: root mismatch at size {entry.index + 1}" in problems


@sqlite_only
def test_a_forged_signature_is_named(recorded):
    head = TreeHead.objects.order_by("-tree_size").first()
    _raw("UPDATE evidence_treehead SET signature = %s WHERE id = %s", ["A" * 86 + "==", head.pk])
    problems = verify_all(check_files=False).problems
    assert problems == [f"tree head {head.pk}: signature invalid"]


def test_the_models_refuse_update_and_delete(recorded):
    recorded.note = "changed"
    with pytest.raises(ImmutableError):
        recorded.save()
    with pytest.raises(ImmutableError):
        recorded.delete()
    with pytest.raises(ImmutableError):
        recorded.log_entry.delete()
    with pytest.raises(ImmutableError):
        LogEntry.objects.filter(pk=recorded.log_entry.pk).update(leaf_hash="0" * 64)
    with pytest.raises(ImmutableError):
        TreeHead.objects.all().delete()
    with pytest.raises(ImmutableError):
        Evidence.objects.filter(pk=recorded.pk).update(device="x")
    assert Evidence.objects.get(pk=recorded.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize("sql", [
    "UPDATE evidence_logentry SET leaf_hash = 'x' WHERE evidence_id = %s",
    "DELETE FROM evidence_logentry WHERE evidence_id = %s",
    "UPDATE evidence_evidence SET device = 'x' WHERE id = %s",
    "DELETE FROM evidence_evidence WHERE id = %s",
    "UPDATE evidence_treehead SET signature = 'x' WHERE id IN (SELECT id FROM evidence_treehead WHERE tree_size > 0 AND %s > 0)",
])
def test_postgresql_refuses_updates_and_deletes_of_the_log(recorded, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            _raw(sql, [recorded.pk])
    assert verify_all(check_files=False).ok


def test_a_rolled_back_outer_transaction_leaves_no_orphan_and_the_command_lists_a_stray_file(insider, photo, dc_task, media_root):
    # This test used to assert that the rolled-back file stayed behind as an orphan (issue 10): now it is deleted.
    from apps.evidence.verify import orphan_files

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        with transaction.atomic():
            evidence = services.evidence_record(user=insider, file=photo(), subject=dc_task)
            name = evidence.file.name
            raise Abort
    assert not Evidence.objects.filter(file=name).exists()
    assert not (media_root / name).exists() and name not in orphan_files()
    # A file left by something else (a crash between write and commit) is still found by the command.
    stray = "evidence/sha256/ff/ff/" + "f" * 64 + ".jpg"
    (media_root / stray).parent.mkdir(parents=True, exist_ok=True)
    (media_root / stray).write_bytes(b"stray")
    out = io.StringIO()
    call_command("verify_evidence", "--orphans", "--skip-files", stdout=out, stderr=io.StringIO())
    assert f"orphan file (no evidence row): {stray}" in out.getvalue()


def test_the_scheduled_task_reports_problems(recorded, media_root):
    from apps.evidence.tasks import verify_evidence_log

    assert verify_evidence_log.delay().get()["problems"] == 0
    (media_root / recorded.file.name).write_bytes(b"gone")
    assert verify_evidence_log.delay().get()["problems"] == 1
