"""Every write of evidence preservation: record files and append them to the signed Merkle log."""
import datetime as dt
import hashlib
import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import Point
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.evidence import filecheck, merkle, signing
from apps.evidence.log import canonical_entry
from apps.evidence.models import Evidence, LogEntry, LogNode, LogState, SigningKey, TreeHead, UploadKey
from apps.gbcp import idempotency
from apps.gbcp.audit import acting_as
from apps.gbcp.errors import ApplicationError
from apps.gbcp.files import save_file_atomic
from apps.gbcp.locate import locate

MAX_FILES_PER_CALL = 50
logger = logging.getLogger(__name__)


def storage_path(sha256: str, extension: str) -> str:
    """Content-addressed: the same bytes always land at the same name."""
    return f"evidence/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}{extension}"


def _file_sha256(name: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _store(upload, checked) -> str:
    """Write the bytes under their content address unless an identical file is already there.

    Called inside the recording transaction: a file this call writes is deleted again if that
    transaction (or any transaction around it) rolls back (apps.gbcp.files).
    """
    name = storage_path(checked.sha256, checked.extension)
    if default_storage.exists(name):
        if _file_sha256(name) == checked.sha256:
            # The copy may belong to a concurrent recording that is about to roll back (and delete it):
            # once this one commits, put the bytes back if they went.
            transaction.on_commit(lambda: _restore_if_missing(name, upload, checked))
            return name
        # A damaged copy of the same content: put the true bytes back (rows that point here expect exactly them),
        # and say so loudly, since it means someone changed a stored evidence file.
        logger.error("evidence file %s did not match its content address; restored from a new upload", name)
        default_storage.delete(name)
    upload.seek(0)
    saved = save_file_atomic(name, upload)
    if saved != name:
        raise ApplicationError(_("The evidence file could not be stored."), code="evidence_storage_failed")
    if _file_sha256(saved) != checked.sha256:
        raise ApplicationError(_("The evidence file changed while it was being stored."), code="evidence_storage_failed")
    return saved


def _restore_if_missing(name, upload, checked) -> None:
    try:
        if default_storage.exists(name):
            return
        upload.seek(0)
        saved = default_storage.save(name, upload)
        if saved != name or _file_sha256(saved) != checked.sha256:
            logger.error("evidence file %s went missing and could not be restored exactly", name)
    except Exception:  # after commit: report, never raise (verify_evidence lists a missing file)
        logger.exception("evidence file %s went missing and could not be restored", name)


def _region_for(*, region_code, subject, point):
    if region_code:
        return region_code
    subject_code = getattr(subject, "region_code", "") if subject is not None else ""
    if subject_code:
        return subject_code
    if point is not None:
        location = locate(point)
        region = location.street or location.district or location.city
        if region is not None:
            return region.code
    return ""


def _rounded(point):
    """Seven decimals (about 1 cm): the row holds exactly what the log entry says."""
    if point is None:
        return None
    if point.srid and point.srid != 4326:
        point = point.transform(4326, clone=True)
    return Point(round(point.x, 7), round(point.y, 7), srid=4326)


def _lock_state() -> LogState:
    # FOR UPDATE on the one state row queues concurrent appenders on PostgreSQL; SQLite's IMMEDIATE transactions already do.
    state = LogState.objects.select_for_update().filter(pk=1).first()
    if state is None:
        LogState.objects.get_or_create(pk=1)
        state = LogState.objects.select_for_update().get(pk=1)
    return state


def _append(state: LogState, evidence: Evidence) -> LogEntry:
    entry = canonical_entry(evidence)
    leaf = merkle.leaf_hash(entry)
    log_entry = LogEntry(index=state.size, evidence=evidence, entry=entry.decode("ascii"), leaf_hash=leaf.hex())
    log_entry.save()
    frontier = [bytes.fromhex(h) for h in state.frontier]
    frontier, made = merkle.frontier_append_nodes(frontier, state.size, leaf)
    # The subtrees this leaf completes: proofs read these instead of rebuilding the tree.
    LogNode.objects.bulk_create([LogNode(key=LogNode.key_for(level, index), hash=h) for level, index, h in made])
    state.frontier = [h.hex() for h in frontier]
    state.size += 1
    return log_entry


def _publish_first_key(key_id: str, public_pem: str) -> None:
    """The first signature of a log records its key; from then on only the published active key signs."""
    first_head = TreeHead.objects.order_by("timestamp").values_list("timestamp", flat=True).first()
    since = dt.datetime.fromtimestamp(first_head / 1000, tz=dt.timezone.utc) if first_head else timezone.now()
    SigningKey(key_id=key_id, public_key_pem=public_pem, status=SigningKey.Status.ACTIVE, valid_from=since,
               note="first key of the log").save()


def _signed_so_far_by(key_id: str) -> bool:
    """No head yet, or the newest head names this key (heads from before heads named keys count as this key)."""
    latest = TreeHead.objects.order_by("-tree_size", "-id").values_list("key_id", flat=True).first()
    return latest is None or latest in ("", key_id)


def _check_signing_key(key_id: str, public_pem: str) -> None:
    active = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()
    if active is None and not SigningKey.objects.exists() and _signed_so_far_by(key_id):
        _publish_first_key(key_id, public_pem)
    elif active is None or active.key_id != key_id:
        # A retired (perhaps leaked) key must not sign, nor a key nobody published (a lost key replaced by accident).
        raise ApplicationError(
            _("This server's evidence signing key is not the published active key; install the active key or rotate (manage.py evidence_rotate_key)."),
            code="evidence_key_not_active",
        )


def _sign_head(state: LogState, key=None) -> TreeHead:
    """Sign the state's tree with ``key`` (default: the configured key, which must be the published active one)."""
    key = key or signing.private_key()
    key_id = signing.key_id_of(key.public_key())
    _check_signing_key(key_id, signing.public_key_pem_of(key.public_key()))
    root_hex = merkle.frontier_root([bytes.fromhex(h) for h in state.frontier]).hex()
    timestamp = int(time.time() * 1000)
    head = TreeHead(
        tree_size=state.size, root_hash=root_hex, timestamp=timestamp,
        signature=signing.sign(signing.sth_message(state.size, root_hex, timestamp), key), key_id=key_id,
    )
    head.save()
    return head


def signing_key_rotate(*, user, new_key, note: str = "", install=None) -> TreeHead:
    """Retire the active key (it stays published for old heads), publish ``new_key`` and sign the current tree with it.

    ``install()`` puts the new private key where the signers load it; it runs while the log is locked, last,
    so no append signs in between; if it fails nothing is changed.
    """
    new_id = signing.key_id_of(new_key.public_key())
    with transaction.atomic(), acting_as(user):
        state = _lock_state()
        if SigningKey.objects.filter(key_id=new_id).exists():
            raise ApplicationError(_("This key has been published already; a rotation needs a new key."), code="evidence_key_reused")
        current = signing.public_key()
        if not SigningKey.objects.exists() and _signed_so_far_by(signing.key_id_of(current)):
            # Nothing recorded yet: publish the key that signed so far (when it is still at hand; a lost one cannot be).
            _publish_first_key(signing.key_id_of(current), signing.public_key_pem_of(current))
        now = timezone.now()
        for old in SigningKey.objects.select_for_update().filter(status=SigningKey.Status.ACTIVE):
            old.status, old.valid_until = SigningKey.Status.RETIRED, now
            old.save()
        SigningKey(key_id=new_id, public_key_pem=signing.public_key_pem_of(new_key.public_key()), status=SigningKey.Status.ACTIVE,
                   valid_from=now, note=note[:200]).save()
        head = _sign_head(state, key=new_key)
        if install is not None:
            install()
    return head


def evidence_record(*, user, file, subject=None, region_code: str = "", captured_at=None,
                    point=None, device: str = "", note: str = "", kind: str | None = None) -> Evidence:
    """Check, store and log one evidence file; on any failure no row and no new file remain."""
    return evidence_record_many(
        user=user, files=[file], subject=subject, region_code=region_code, captured_at=captured_at,
        point=point, device=device, note=note, kind=kind,
    )[0]


def evidence_record_many(*, user, files, subject=None, region_code: str = "", captured_at=None,
                         point=None, device: str = "", note: str = "", kind: str | None = None) -> list[Evidence]:
    """Several files with the same subject and circumstances: all recorded, or none; one signed tree head for the batch.

    Explicit ``captured_at``/``point``/``device`` win over what each photo's EXIF says. The region is the
    explicit ``region_code``, else the subject's ``region_code``, else the street (or district) that holds the point.
    Access is the caller's business (the API checks jurisdiction over the subject).
    """
    files = [f for f in (files or ()) if f]
    if not files:
        raise ApplicationError(_("No evidence file was given."), code="evidence_missing", details={"file": [_("This field is required.")]})
    if len(files) > MAX_FILES_PER_CALL:
        raise ApplicationError(_("At most %(n)d files at once.") % {"n": MAX_FILES_PER_CALL}, code="evidence_too_many")
    if kind is not None and kind not in Evidence.Kind.values:
        raise ApplicationError(_("Unknown evidence kind “%(kind)s”.") % {"kind": kind}, code="evidence_type_unsupported")
    subject_type, subject_id = None, ""
    if subject is not None:
        if getattr(subject, "pk", None) is None:
            raise ApplicationError(_("The subject of the evidence must be saved first."), code="evidence_subject_unsaved")
        subject_type, subject_id = ContentType.objects.get_for_model(subject), str(subject.pk)
    if captured_at is not None and timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    if captured_at is not None and captured_at > timezone.now() + dt.timedelta(minutes=10):
        raise ApplicationError(_("The capture time lies in the future."), code="evidence_captured_in_future", details={"captured_at": [_("in the future")]})
    checked = []
    for i, upload in enumerate(files):
        try:
            checked.append(filecheck.check_file(upload, kind=kind))
        except ApplicationError as exc:
            if len(files) > 1:
                exc.details = {**exc.details, "index": i}
            raise
    point = _rounded(point)
    recorded = []
    # Files written here are deleted if this block, or a caller's transaction around it, rolls back.
    with transaction.atomic(), acting_as(user):
        state = _lock_state()
        now = timezone.now()
        for upload, c in zip(files, checked):
            name = _store(upload, c)
            file_point = point or _rounded(c.exif.get("point"))
            evidence = Evidence(
                kind=c.kind, media_type=c.media_type, original_name=c.original_name, sha256=c.sha256, size=c.size,
                subject_type=subject_type, subject_id=subject_id,
                region_code=_region_for(region_code=region_code, subject=subject, point=file_point),
                captured_at=captured_at or c.exif.get("captured_at"), point=file_point,
                device=(device or c.exif.get("device") or "")[:200], note=note or "",
                uploaded_by=user if getattr(user, "pk", None) else None, recorded_at=now,
            )
            evidence.file.name = name
            evidence.save()
            _append(state, evidence)
            recorded.append(evidence)
        state.save()
        _sign_head(state)
    return recorded


def tree_head_sign(*, user=None) -> TreeHead:
    """Sign the current tree again (e.g. daily, so a verifier sees a fresh timestamp even when nothing was added)."""
    with transaction.atomic(), acting_as(user):
        state = _lock_state()
        return _sign_head(state)


def evidence_upload_idempotent(*, user, key: str | None, fingerprint: str, run):
    """``run()`` records the upload and returns (status code, JSON body); at most once per (user, key), so a phone
    retrying an upload it queued offline never logs the file twice. Returns (status, body, replayed)."""
    return idempotency.run_once(UploadKey, user=user, key=key, fingerprint=fingerprint, run=run, ttl_hours=settings.DISPATCH_INTAKE_KEY_TTL_HOURS)


def upload_keys_prune(*, now=None) -> int:
    """Forget upload keys past their lifetime (the hourly key-pruning job)."""
    deleted, _per_model = UploadKey.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
