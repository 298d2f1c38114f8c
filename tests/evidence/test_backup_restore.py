"""backup and restore: a backup of a database with evidence restores into an empty one where verify_evidence passes; tampering is refused."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.evidence.backup import BackupError, check_backup
from apps.evidence.models import Evidence

pytestmark = pytest.mark.django_db
ROOT = Path(django_settings.BASE_DIR)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="pg_dump runs in another session and cannot see this test's uncommitted rows; the PostgreSQL path is walked by hand "
           "(docs/OPERATIONS.md)",
)


def _manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def _env(**overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_TEST_PATH", "SQLITE_PATH", "MEDIA_ROOT")}
    env.update(overrides)
    return env


@pytest.fixture
def backed_up(media_root, tmp_path):
    """A backup of the test database as committed (the demo city's evidence); nothing is written in the test first."""
    assert Evidence.objects.exists()
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    media = sorted(name for name in manifest["files"] if name.startswith("media/evidence/"))
    return tmp_path / "backup", media, out.getvalue()


@sqlite_only
def test_a_backup_restores_into_an_empty_database_and_the_log_verifies(media_root, tmp_path):
    # Both sides run as an operator would: `manage.py backup` in another process reads the test database as committed
    # (the seeded demo city, evidence included), `manage.py restore` writes a new SQLite file, `verify_evidence` checks it.
    evidence_count = Evidence.objects.count()
    assert evidence_count
    source = _env(SQLITE_PATH=connection.settings_dict["NAME"], MEDIA_ROOT=str(media_root), CITYENFORCE_VAR_DIR=str(tmp_path / "var1"))
    made = _manage("backup", str(tmp_path / "backup"), env=source)
    assert made.returncode == 0, made.stderr + made.stdout
    directory = tmp_path / "backup"
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["log"]["tree_size"] >= evidence_count and manifest["database"]["file"] == "database.sqlite3"
    assert "manifest SHA-256" in made.stdout and "1/4" in made.stdout and "files:" in made.stdout
    assert "EVIDENCE_SIGNING_KEY" in manifest["must_provide_separately"]
    evidence_files = [name for name in manifest["files"] if name.startswith("media/evidence/sha256/")]
    assert len(evidence_files) >= 1
    public = json.loads((directory / "settings.json").read_text())
    assert public["evidence_active_key_id"] == manifest["log"]["latest_tree_head"]["key_id"]
    assert "PRIVATE" not in (directory / "settings.json").read_text()

    target = _env(SQLITE_PATH=str(tmp_path / "restored.sqlite3"), MEDIA_ROOT=str(tmp_path / "restored-media"),
                  CITYENFORCE_VAR_DIR=str(tmp_path / "var2"))
    manifest_sha = made.stdout.split("manifest SHA-256 ")[1].split()[0]
    restored = _manage("restore", str(directory), "--manifest-sha256", manifest_sha, env=target)
    assert restored.returncode == 0, restored.stderr + restored.stdout
    assert "checked" in restored.stdout and "Restored" in restored.stdout
    assert all((tmp_path / "restored-media" / name[len("media/"):]).is_file() for name in evidence_files)
    verified = _manage("verify_evidence", env=target)
    assert verified.returncode == 0, verified.stderr + verified.stdout
    assert f"{manifest['log']['tree_size']} log entries" in verified.stdout and "0 problem(s)" in verified.stdout

    again = _manage("restore", str(directory), env=target)  # the database is no longer empty
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_changed_file_is_refused(backed_up):
    directory, media, _ = backed_up
    victim = directory / media[0]
    victim.write_bytes(victim.read_bytes()[:-1] + b"\x00")
    with pytest.raises(BackupError, match="tampered"):
        check_backup(directory, say=lambda *a: None)


def test_a_missing_or_added_file_is_refused(backed_up):
    directory, media, _ = backed_up
    (directory / media[-1]).unlink()
    (directory / "media" / "extra.jpg").write_bytes(b"x")
    with pytest.raises(BackupError) as exc:
        check_backup(directory, say=lambda *a: None)
    assert "missing" in str(exc.value) and "extra.jpg: not in the manifest" in str(exc.value)


def test_a_replaced_manifest_is_refused_when_its_hash_is_given(backed_up):
    directory, _, output = backed_up
    manifest_sha = output.split("manifest SHA-256 ")[1].split()[0]
    path = directory / "manifest.json"
    data = json.loads(path.read_text())
    data["created_at"] = "2020-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data))
    check_backup(directory, say=lambda *a: None)  # consistent with itself …
    with pytest.raises(BackupError, match="SHA-256 was given"):
        check_backup(directory, manifest_sha256=manifest_sha, say=lambda *a: None)


def test_restore_refuses_a_database_that_is_not_empty(backed_up):
    directory, _, _ = backed_up
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(directory), stdout=io.StringIO())


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, media_root):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "full"), stdout=io.StringIO())
