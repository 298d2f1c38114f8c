"""Backups that restore: database dump, uploaded files (evidence included), the log's state, public settings, a SHA-256 manifest.

Order matters for consistency without stopping the server: the log state is read first, then the database is
dumped (a consistent snapshot: pg_dump, or SQLite's online backup API), then the files are copied. The log only
grows and a file is written before its row commits, so the dump holds at least the recorded head and the copy holds
every file the dump's rows point to. Restore refuses a backup whose files do not match the manifest, and a database
that is not empty.
"""
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from apps.evidence import keys
from apps.evidence.models import LogState, TreeHead

FORMAT = "cityenforce-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20
MUST_PROVIDE_SEPARATELY = {
    "DJANGO_SECRET_KEY": "sessions, password-reset and signed links; a new one only logs everyone out",
    "EVIDENCE_SIGNING_KEY": "the evidence log's private key (or VAR_DIR/evidence_signing_key.pem) is never in a backup: "
                            "restore it from escrow (docs/OPERATIONS.md), or rotate to a new key (evidence_rotate_key)",
    "DATABASE_URL": "host and credentials of the target database",
    "REDIS_URL": "broker and channel layer (holds nothing that needs a backup)",
    "CASES_PAYMENT_SECRET": "payment provider secret",
    "SMS_ACCESS_KEY / SMS_ACCESS_SECRET": "SMS provider credentials",
}
RECORDED_SETTINGS = ("TIME_ZONE", "LANGUAGE_CODE", "CITY_REGION_CODE", "PUBLIC_BASE_URL", "EVIDENCE_MAX_BYTES", "PROTECTED_FILES_ACCEL")


class BackupError(Exception):
    """The backup cannot be made or must not be restored; the message says why."""


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _copy_hashing(src: Path, dst: Path) -> tuple[str, int]:
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for chunk in iter(lambda: fin.read(CHUNK), b""):
            digest.update(chunk)
            fout.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _pg_env(db: dict) -> tuple[list[str], dict]:
    """libpq connection options from Django's settings (the password goes in the environment, not the command line)."""
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args, env


def applied_migrations(conn=None) -> dict[str, str]:
    """The newest applied migration of each app, as recorded in the database."""
    loader = MigrationLoader(conn or connection, ignore_no_migrations=True)
    latest: dict[str, str] = {}
    for app, name in sorted(loader.applied_migrations):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def log_state() -> dict:
    state = LogState.objects.filter(pk=1).first()
    head = TreeHead.objects.order_by("-tree_size", "-id").first()
    return {
        "tree_size": state.size if state else 0,
        "latest_tree_head": None if head is None else {
            "tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp, "key_id": head.key_id,
            "signature": head.signature,
        },
    }


def public_settings() -> dict:
    published = keys.published_keys()
    active = keys.active_key(published)
    return {
        "database_vendor": connection.vendor,
        "django": django.get_version(),
        "settings": {name: getattr(settings, name, None) for name in RECORDED_SETTINGS},
        "evidence_public_keys": [{**k.as_dict(), "valid_from": k.valid_from.isoformat() if k.valid_from else None,
                                  "valid_until": k.valid_until.isoformat() if k.valid_until else None} for k in published],
        "evidence_active_key_id": active.key_id if active else None,
        "must_provide_separately": MUST_PROVIDE_SEPARATELY,
    }


def _dump_database(target: Path, say) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        name = "database.pgdump"
        args, env = _pg_env(db)
        say(f"pg_dump -Fc {db['NAME']} …")
        subprocess.run(["pg_dump", "-Fc", "--no-owner", "--no-privileges", *args, "--file", str(target / name), db["NAME"]],
                       env=env, check=True, capture_output=True)
        return name
    if connection.vendor != "sqlite":
        raise BackupError(f"no backup method for {connection.vendor}")
    import sqlite3  # pysqlite3 in its place (cityenforce.sqlite_swap): the same module as Django's connection

    name = "database.sqlite3"
    # A connection of its own: it reads the last committed state (Django's connection may be inside a transaction,
    # where the backup API would wait for ever), and the copy is one snapshot even while the server writes.
    src = sqlite3.connect(db["NAME"], timeout=60)
    dest = sqlite3.connect(str(target / name))
    try:
        # One step under one read lock: copying in slices would restart whenever the server writes meanwhile.
        say(f"database: copying {db['NAME']} ({os.path.getsize(db['NAME']) >> 20} MB) …")
        src.backup(dest, pages=-1)
    finally:
        dest.close()
        src.close()
    return name


def backup(directory, *, say=print) -> dict:
    """Write a backup into ``directory`` (new or empty); returns the manifest (also written as manifest.json)."""
    target = Path(directory)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty")
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}

    def add_json(name, data):
        (target / name).write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        digest, size = _sha256_file(target / name)
        files[name] = {"sha256": digest, "size": size}

    say("1/4 log state and settings")
    state = log_state()
    add_json("log_state.json", state)
    add_json("settings.json", {**public_settings(), "migrations": applied_migrations()})
    say("2/4 database")
    db_file = _dump_database(target, say)
    digest, size = _sha256_file(target / db_file)
    files[db_file] = {"sha256": digest, "size": size}
    say("3/4 files (media, evidence included)")
    media_root = Path(settings.MEDIA_ROOT)
    sources = sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()) if media_root.exists() else []
    for i, path in enumerate(sources, 1):
        rel = path.relative_to(media_root).as_posix()
        digest, size = _copy_hashing(path, target / "media" / rel)
        files[f"media/{rel}"] = {"sha256": digest, "size": size}
        if i % 200 == 0 or i == len(sources):
            say(f"files: {i}/{len(sources)}")
    say("4/4 manifest")
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(),
        "database": {"vendor": connection.vendor, "file": db_file},
        "log": {"tree_size": state["tree_size"], "latest_tree_head": state["latest_tree_head"]},
        "must_provide_separately": sorted(MUST_PROVIDE_SEPARATELY),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
    manifest["manifest_sha256"] = _sha256_file(target / MANIFEST)[0]
    return manifest


# --- restore ---------------------------------------------------------------------------------------


def check_backup(directory, *, manifest_sha256: str | None = None, say=print) -> dict:
    """Every file listed is there with its SHA-256 and size, nothing unlisted is there; raises BackupError otherwise."""
    source = Path(directory)
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"no {MANIFEST} in {source}")
    if manifest_sha256 and _sha256_file(path)[0] != manifest_sha256.lower():
        raise BackupError("the manifest is not the one whose SHA-256 was given: refusing")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"the manifest cannot be read: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    listed = manifest.get("files") or {}
    problems = []
    for i, (name, meta) in enumerate(sorted(listed.items()), 1):
        file = source / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            problems.append(f"{name}: path outside the backup")
        elif not file.is_file():
            problems.append(f"{name}: missing")
        elif _sha256_file(file) != (meta.get("sha256"), meta.get("size")):
            problems.append(f"{name}: SHA-256 or size differs from the manifest")
        if i % 200 == 0 or i == len(listed):
            say(f"checked {i}/{len(listed)} files")
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()} - {MANIFEST}
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(listed))]
    if manifest.get("database", {}).get("file") not in listed:
        problems.append("the database dump is not in the manifest")
    if problems:
        raise BackupError("tampered or incomplete backup, refusing to restore:\n  " + "\n  ".join(problems))
    return manifest


def database_is_empty() -> bool:
    """No table of ours (tables that belong to extensions, such as PostGIS's spatial_ref_sys, do not count)."""
    if connection.vendor == "sqlite":
        name = settings.DATABASES["default"]["NAME"]
        if not os.path.exists(name) or os.path.getsize(name) == 0:
            return True
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return not tables & {"django_migrations", "evidence_logentry", "django_content_type"}


def _restore_database(source: Path, manifest: dict, say) -> None:
    vendor, name = manifest["database"]["vendor"], manifest["database"]["file"]
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of a {vendor} database, the target is {connection.vendor}")
    db = settings.DATABASES["default"]
    if vendor == "postgresql":
        args, env = _pg_env(db)
        say(f"pg_restore into {db['NAME']} …")
        connection.close()
        result = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args, "--dbname", db["NAME"],
                                 str(source / name)], env=env, capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[-2000:]}")
        return
    target = Path(db["NAME"])
    connection.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".restore-")
    os.close(fd)
    shutil.copyfile(source / name, tmp)
    for suffix in ("-wal", "-shm", "-journal"):  # an empty database's leftovers must not be replayed over the copy
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(tmp, target)
    say(f"database file {target} written")


def _restore_files(source: Path, manifest: dict, say) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    names = sorted(n for n in manifest["files"] if n.startswith("media/"))
    for i, name in enumerate(names, 1):
        dest = media_root / name[len("media/"):]
        if dest.exists():
            if _sha256_file(dest)[0] != manifest["files"][name]["sha256"]:
                raise BackupError(f"{dest} exists with other content: restore into an empty media root")
        else:
            _copy_hashing(source / name, dest)
        if i % 200 == 0 or i == len(names):
            say(f"files: {i}/{len(names)}")


def _check_restored(manifest: dict) -> None:
    head = manifest["log"]["latest_tree_head"]
    state = LogState.objects.filter(pk=1).first()
    size = state.size if state else 0
    if size < manifest["log"]["tree_size"]:
        raise BackupError(f"the restored log has {size} entries, the backup recorded {manifest['log']['tree_size']}")
    if head and not TreeHead.objects.filter(tree_size=head["tree_size"], root_hash=head["root_hash"], signature=head["signature"]).exists():
        raise BackupError("the tree head recorded in the manifest is not in the restored database")


def restore(directory, *, manifest_sha256: str | None = None, say=print) -> dict:
    """Check the backup, then restore it into the configured (empty) database and media root."""
    source = Path(directory)
    say("1/4 checking the backup against its manifest")
    manifest = check_backup(source, manifest_sha256=manifest_sha256, say=say)
    if not database_is_empty():
        raise BackupError("the target database is not empty: restore into a new, empty database")
    say("2/4 database")
    _restore_database(source, manifest, say)
    say("3/4 files")
    _restore_files(source, manifest, say)
    say("4/4 checking the restored log against the manifest")
    _check_restored(manifest)
    executor = MigrationExecutor(connection)
    manifest["pending_migrations"] = [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(executor.loader.graph.leaf_nodes())]
    return manifest
